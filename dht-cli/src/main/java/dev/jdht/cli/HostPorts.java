package dev.jdht.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code host:port} arguments without any DNS lookup: IPv4 literals and bracketed IPv6
 * literals ({@code [2001:db8::1]:6881}) become resolved addresses, host names become {@link
 * InetSocketAddress#createUnresolved unresolved} ones (the node resolves them later, off the
 * command thread). Every error is an {@link IllegalArgumentException} with a one-line message.
 * Stateless and thread-safe.
 */
public final class HostPorts {
  private HostPorts() {}

  /**
   * A comma-separated list of {@code host:port} / {@code [ipv6]:port} (spaces around entries
   * allowed), ports 1..65535, at least one entry.
   */
  public static List<InetSocketAddress> parse(String list) {
    if (list == null || list.isBlank()) {
      throw new IllegalArgumentException("empty address list (expected host:port,...)");
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      if (part.isBlank()) {
        throw new IllegalArgumentException("empty entry in address list '" + list.strip() + "'");
      }
      out.add(parseOne(part));
    }
    return out;
  }

  /** One {@code host:port} or {@code [ipv6]:port}, port 1..65535. */
  public static InetSocketAddress parseOne(String hostPort) {
    String s = hostPort == null ? "" : hostPort.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty address (expected host:port)");
    }
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("expected [IPv6]:port, got '" + s + "'");
      }
      host = s.substring(1, close);
      portText = s.substring(close + 2);
      return new InetSocketAddress(ipv6(host, s), port(portText, s, false));
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("missing port in '" + s + "' (expected host:port)");
    }
    host = s.substring(0, colon);
    portText = s.substring(colon + 1);
    if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("IPv6 addresses need brackets: '[" + host + "]:port', got '" + s + "'");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("missing host in '" + s + "' (expected host:port)");
    }
    int port = port(portText, s, false);
    if (looksNumeric(host)) {
      return new InetSocketAddress(ipv4(host, s), port);
    }
    checkHostName(host, s);
    return InetSocketAddress.createUnresolved(host, port);
  }

  /**
   * A local address to bind: {@code ip}, {@code ip:port}, {@code [ipv6]}, {@code [ipv6]:port} or
   * {@code :port} (all interfaces). IP literals only; the port defaults to 0 (any free port).
   */
  public static InetSocketAddress parseBind(String ipPort) {
    String s = ipPort == null ? "" : ipPort.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty bind address (expected ip[:port])");
    }
    if (s.startsWith(":")) {
      return new InetSocketAddress(port(s.substring(1), s, true));
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("expected [IPv6][:port], got '" + s + "'");
      }
      InetAddress a = ipv6(s.substring(1, close), s);
      if (close + 1 == s.length()) {
        return new InetSocketAddress(a, 0);
      }
      if (s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("expected [IPv6][:port], got '" + s + "'");
      }
      return new InetSocketAddress(a, port(s.substring(close + 2), s, true));
    }
    int colon = s.indexOf(':');
    if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("IPv6 addresses need brackets: '[" + s + "]', got '" + s + "'");
    }
    String host = colon < 0 ? s : s.substring(0, colon);
    if (!looksNumeric(host)) {
      throw new IllegalArgumentException("bind needs an IP address, not a host name: '" + s + "'");
    }
    int port = colon < 0 ? 0 : port(s.substring(colon + 1), s, true);
    return new InetSocketAddress(ipv4(host, s), port);
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

  private static InetAddress ipv4(String host, String whole) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: '" + host + "' in '" + whole + "'");
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
        throw new IllegalArgumentException("not an IPv4 address: '" + host + "' in '" + whole + "'");
      }
      b[i] = (byte) Integer.parseInt(p);
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // 4 bytes is always a valid length
    }
  }

  private static InetAddress ipv6(String host, String whole) {
    // hex digits, ':' and '.' (embedded IPv4), and '%' with an ASCII scope such as eth0
    boolean chars = host.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z') || c == ':' || c == '.' || c == '%');
    if (host.indexOf(':') < 0 || !chars) {
      throw new IllegalArgumentException("not an IPv6 address: '" + host + "' in '" + whole + "'");
    }
    try {
      // a bracketed literal is parsed, never looked up
      return InetAddress.getByName("[" + host + "]");
    } catch (UnknownHostException | SecurityException e) {
      throw new IllegalArgumentException("not an IPv6 address: '" + host + "' in '" + whole + "'");
    }
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
