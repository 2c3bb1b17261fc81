package dev.jdht.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code dht --version}: the project version, generated into {@code dev/jdht/cli/version.properties}
 * by Maven resource filtering (the jar manifest's Implementation-Version is the fallback), and the
 * JVM it runs on. Stateless and thread-safe.
 */
public final class VersionProvider implements IVersionProvider {

  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code "unknown"}. */
  public static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank() && !v.startsWith("${")) {
          return v.strip();
        }
      }
    } catch (IOException e) {
      // fall through to the manifest
    }
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  /** Two lines: {@code dht <version>} and the JVM and OS. */
  @Override
  public String[] getVersion() {
    return new String[] {
      "dht " + version(),
      "JVM: " + System.getProperty("java.vm.name") + " " + Runtime.version()
          + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
    };
  }
}
