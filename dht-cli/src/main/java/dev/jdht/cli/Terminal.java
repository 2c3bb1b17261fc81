package dev.jdht.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether to draw a live progress line on stderr.
 *
 * <p>{@code System.console()} is not enough: it is null as soon as stdout is piped ({@code dht
 * peers X | head}) even though stderr is still the terminal. Order of precedence:
 *
 * <ol>
 *   <li>the environment variable {@code DHT_PROGRESS}: {@code 1}/{@code yes}/{@code always}
 *       forces the line on, {@code 0}/{@code no}/{@code never} off;
 *   <li>the system property {@code dht.progress} (same values; for tests and embedding);
 *   <li>on Linux, whether file descriptor 2 is a terminal: {@code /proc/self/fd/2} links to
 *       {@code /dev/pts/N}, {@code /dev/ttyN} or {@code /dev/console};
 *   <li>elsewhere, {@code System.console() != null}.
 * </ol>
 *
 * Stateless and thread-safe.
 */
public final class Terminal {
  /** The environment variable that forces the progress line on or off. */
  public static final String PROGRESS_ENV = "DHT_PROGRESS";
  /** The system property that does the same. */
  public static final String PROGRESS_PROPERTY = "dht.progress";

  private Terminal() {}

  /** Whether this process should draw the progress line. */
  public static boolean progressOnStderr() {
    return decide(System.getenv(), System.getProperty(PROGRESS_PROPERTY), Path.of("/proc/self/fd/2"));
  }

  /** The decision for an environment, a property value and the path of fd 2 (for tests). */
  static boolean decide(Map<String, String> env, String property, Path fd2) {
    Boolean forced = flag(env.get(PROGRESS_ENV));
    if (forced == null) {
      forced = flag(property);
    }
    if (forced != null) {
      return forced;
    }
    if (Files.exists(fd2.getParent())) {
      return isTerminalDevice(fd2);
    }
    return System.console() != null;
  }

  /** True/false for the accepted spellings, null for anything else (unset, "auto"). */
  static Boolean flag(String value) {
    if (value == null) {
      return null;
    }
    switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "1", "yes", "true", "on", "always":
        return Boolean.TRUE;
      case "0", "no", "false", "off", "never":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  /** Whether {@code link} (a /proc fd link) points at a terminal device. */
  static boolean isTerminalDevice(Path link) {
    try {
      String target = Files.readSymbolicLink(link).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
