package dev.jdht.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout} and {@code --alpha} of the commands that run one lookup (find-node, scrape, put, get). */
public final class LookupOptions {
  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = PeersCommand.DEFAULT_TIMEOUT,
      converter = Converters.PositiveDuration.class,
      description = "Overall time limit, joining the DHT included (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--alpha",
      paramLabel = "N",
      converter = Converters.Alpha.class,
      description = "Queries in flight at once during the lookup, 1..64 (default: 5).")
  Integer alpha;
}
