package dev.jdht.krpc.wire;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The one text form of a contact or local address: {@code 1.2.3.4:6881}, {@code [2001:db8::1]:6881}
 * or {@code host.name:6881}. Parsing never touches DNS: literals carry their {@link PeerAddress},
 * names stay names (resolve them later, off the loop thread). The CLI, the library config and
 * {@link PeerAddress#parse} all go through here. Every error is an {@link IllegalArgumentException}
 * with a one-line message. Immutable.
 *
 * @param host the host as written, without brackets; empty for "any address" ({@code :port} binds)
 * @param port 0..65535
 * @param literal the address when {@code host} is an IP literal, else null
 */
public record HostPort(String host, int port, PeerAddress literal) {

  /** One {@code host:port} or {@code [ipv6]:port}, port 1..65535. */
  public static HostPort parse(String hostPort) {
    return parse(hostPort, false);
  }

  /**
   * A comma-separated list of {@code host:port} / {@code [ipv6]:port} (spaces around entries
   * allowed), ports 1..65535, at least one entry.
   */
  public static List<HostPort> parseList(String list) {
    if (list == null || list.isBlank()) {
      throw new IllegalArgumentException("empty address list (expected host:port,...)");
    }
    List<HostPort> out = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      if (part.isBlank()) {
        throw new IllegalArgumentException("empty entry in address list '" + list.strip() + "'");
      }
      out.add(parse(part));
    }
    return out;
  }

  /** One {@code host:port}; {@code zeroPort} allows port 0. */
  public static HostPort parse(String hostPort, boolean zeroPort) {
    String s = hostPort == null ? "" : hostPort.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty address (expected host:port)");
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("expected [IPv6]:port, got '" + s + "'");
      }
      String host = s.substring(1, close);
      return literal(host, port(s.substring(close + 2), s, zeroPort), s, true);
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("missing port in '" + s + "' (expected host:port)");
    }
    String host = s.substring(0, colon);
    if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("IPv6 addresses need brackets: '[" + host + "]:port', got '" + s + "'");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("missing host in '" + s + "' (expected host:port)");
    }
    int port = port(s.substring(colon + 1), s, zeroPort);
    if (looksNumeric(host)) {
      return literal(host, port, s, false);
    }
    checkHostName(host, s);
    return new HostPort(host, port, null);
  }

  /**
   * A local address to bind: {@code ip}, {@code ip:port}, {@code [ipv6]}, {@code [ipv6]:port} or
   * {@code :port} (any address: {@link #isAny()}). IP literals only; the port defaults to 0.
   */
  public static HostPort parseBind(String ipPort) {
    String s = ipPort == null ? "" : ipPort.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty bind address (expected ip[:port])");
    }
    if (s.startsWith(":")) {
      return new HostPort("", port(s.substring(1), s, true), null);
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || (close + 1 < s.length() && s.charAt(close + 1) != ':')) {
        throw new IllegalArgumentException("expected [IPv6][:port], got '" + s + "'");
      }
      int port = close + 1 == s.length() ? 0 : port(s.substring(close + 2), s, true);
      return literal(s.substring(1, close), port, s, true);
    }
    int colon = s.indexOf(':');
    if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("IPv6 addresses need brackets: '[" + s + "]', got '" + s + "'");
    }
    String host = colon < 0 ? s : s.substring(0, colon);
    if (!looksNumeric(host)) {
      throw new IllegalArgumentException("bind needs an IP address, not a host name: '" + s + "'");
    }
    return literal(host, colon < 0 ? 0 : port(s.substring(colon + 1), s, true), s, false);
  }

  /** True for an IP literal. */
  public boolean isLiteral() {
    return literal != null;
  }

  /** True for {@code :port}: any local address, both families. */
  public boolean isAny() {
    return host.isEmpty();
  }

  /**
   * A resolved socket address for a literal, the wildcard address for {@link #isAny()}, an
   * {@link InetSocketAddress#createUnresolved unresolved} one for a name.
   */
  public InetSocketAddress toSocketAddress() {
    if (literal != null) {
      return literal.toSocketAddress();
    }
    return isAny() ? new InetSocketAddress(port) : InetSocketAddress.createUnresolved(host, port);
  }

  /** The text form: {@code 1.2.3.4:6881}, {@code [::1]:6881}, {@code name:6881}, {@code :6881}. */
  @Override
  public String toString() {
    return literal != null ? literal.toString() : host + ":" + port;
  }

  /** Formats a socket address the same way (resolved or not). */
  public static String format(InetSocketAddress a) {
    if (a.isUnresolved() || a.getAddress() == null) {
      return a.getHostString() + ":" + a.getPort();
    }
    return PeerAddress.of(a).toString();
  }

  private static HostPort literal(String host, int port, String whole, boolean six) {
    byte[] ip = six == (host.indexOf(':') >= 0) ? PeerAddress.literal(host) : null;
    if (ip == null) {
      throw new IllegalArgumentException(
          "not an IPv" + (six ? "6" : "4") + " address: '" + host + "' in '" + whole + "'");
    }
    return new HostPort(host, port, PeerAddress.of(ip, port));
  }

  private static int port(String text, String whole, boolean zeroAllowed) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("bad port '" + text + "' in '" + whole + "' (expected 1..65535)");
    }
    int p = Integer.parseInt(text);
    if (p > 65535 || (p == 0 && !zeroAllowed)) {
      throw new IllegalArgumentException("port out of range in '" + whole + "': " + p + " (expected "
          + (zeroAllowed ? "0" : "1") + "..65535)");
    }
    return p;
  }

  private static boolean looksNumeric(String host) {
    return host.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
  }

  private static void checkHostName(String host, String whole) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    boolean ok = !h.isEmpty() && h.length() <= 253;
    if (ok) {
      for (String label : h.split("\\.", -1)) {
        if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
            || !label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
          ok = false;
          break;
        }
      }
    }
    if (!ok) {
      throw new IllegalArgumentException("not a host name: '" + host + "' in '" + whole + "'");
    }
  }
}
