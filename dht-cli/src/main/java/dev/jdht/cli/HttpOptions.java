package dev.jdht.cli;

import dev.jdht.core.api.Dht;
import dev.jdht.http.CrawlSnapshot;
import dev.jdht.http.MonitorServer;
import dev.jdht.krpc.wire.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code --http [IP:]PORT}: the live dashboard and Prometheus {@code /metrics} of a long-running
 * command ({@code serve}; {@code crawl} passes its {@link CrawlSnapshot} supplier). Off unless
 * given; a bare port listens on loopback. A picocli mixin; one instance per invocation.
 */
public final class HttpOptions {
  @Option(
      names = "--http",
      paramLabel = "[IP:]PORT",
      converter = Converters.HttpAddress.class,
      description = "Serve a live dashboard at / and Prometheus metrics at /metrics on this TCP "
          + "address (read-only; a bare PORT listens on 127.0.0.1 only; off by default).")
  InetSocketAddress http;

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Parses {@code PORT}, {@code IP:PORT} or {@code [IPv6]:PORT}; a bare port means loopback. */
  static InetSocketAddress parse(String value) {
    String s = value == null ? "" : value.strip();
    if (!s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int port;
      try {
        port = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range in '" + s + "' (0-65535)");
      }
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
    if (!s.contains(":") || s.endsWith("]")) {
      throw new IllegalArgumentException("expected [IP:]PORT, e.g. 9090 or 127.0.0.1:9090, got '" + s + "'");
    }
    return HostPort.parseBind(s).toSocketAddress();
  }

  /** True when {@code --http} was given. */
  public boolean enabled() {
    return http != null;
  }

  /**
   * Starts the server when {@code --http} was given (else returns null).
   *
   * @param crawl the crawl's numbers, or null for a plain node
   * @throws CommandFailed when the address cannot be bound
   */
  public MonitorServer start(Dht dht, Supplier<CrawlSnapshot> crawl) {
    if (http == null) {
      return null;
    }
    // the CLI owns its JVM: bound the time a client may take to send a request or read the
    // answer (read once, when the first JDK HTTP server starts; an explicit -D wins)
    setIfAbsent("sun.net.httpserver.maxReqTime", "10");
    setIfAbsent("sun.net.httpserver.maxRspTime", "30");
    try {
      return MonitorServer.builder(dht).bind(http).crawl(crawl).start();
    } catch (IOException e) {
      throw new CommandFailed("cannot serve --http on " + http.getAddress().getHostAddress() + ":" + http.getPort()
          + ": " + e.getMessage(), e);
    }
  }
}
