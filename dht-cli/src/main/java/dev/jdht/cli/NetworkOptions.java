package dev.jdht.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a node finds the network and keeps its state: {@code --bootstrap}, {@code --state-dir},
 * {@code --no-state}. A picocli mixin; one instance per invocation, not thread-safe.
 */
public final class NetworkOptions {
  @Option(
      names = "--bootstrap",
      paramLabel = "HOST:PORT,...",
      converter = Converters.HostPortList.class,
      description = {
        "Nodes to join the DHT through, or 'none' (default: the saved routing table if there is "
            + "one, else the public routers router.bittorrent.com:6881, dht.transmissionbt.com:6881, "
            + "router.utorrent.com:6881, dht.libtorrent.org:25401).",
        "Loopback and private addresses here (or in --bind) make a private network: such nodes "
            + "are then accepted, and the default state directory is left alone."
      })
  Contacts bootstrap;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Where the node id and routing table are kept, in the file dht.state "
          + "(default: $XDG_STATE_HOME/jdht, else ~/.local/state/jdht).")
  Path stateDir;

  @Option(names = "--no-state", description = "Neither read nor write a state file.")
  boolean noState;

  /** The --bootstrap list, or null when not given. */
  public List<InetSocketAddress> bootstrap() {
    return bootstrap == null ? null : bootstrap.addresses();
  }

  /** The --state-dir, or null. */
  public Path stateDir() {
    return stateDir;
  }

  /** Whether --no-state was given. */
  public boolean noState() {
    return noState;
  }
}
