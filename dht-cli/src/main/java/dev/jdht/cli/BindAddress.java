package dev.jdht.cli;

import dev.jdht.krpc.wire.HostPort;
import java.net.InetSocketAddress;

/**
 * What {@code --bind} asked for: an address, and whether the user gave the port (a missing port
 * means "6881, or any free port if 6881 is taken"). Immutable.
 *
 * @param address the local address; port 0 when none was given or {@code :0} was
 * @param portGiven true when the text named a port
 */
public record BindAddress(InetSocketAddress address, boolean portGiven) {
  /** The port every node tries first when none is given. */
  public static final int DEFAULT_PORT = 6881;

  /** All interfaces, default port. */
  public static BindAddress defaults() {
    return new BindAddress(new InetSocketAddress(0), false);
  }

  /** Parses {@code ip}, {@code ip:port}, {@code [ipv6]}, {@code [ipv6]:port} or {@code :port}. */
  public static BindAddress parse(String s) {
    InetSocketAddress a = HostPort.parseBind(s).toSocketAddress();
    String t = s.strip();
    boolean portGiven;
    if (t.startsWith("[")) {
      portGiven = t.indexOf("]:") >= 0;
    } else {
      portGiven = t.indexOf(':') >= 0;
    }
    return new BindAddress(a, portGiven);
  }

  @Override
  public String toString() {
    String host = address.getAddress() == null ? "0.0.0.0" : address.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return portGiven ? host + ":" + address.getPort() : host;
  }
}
