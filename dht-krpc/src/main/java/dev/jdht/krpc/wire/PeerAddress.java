package dev.jdht.krpc.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address and UDP/TCP port, as carried in compact peer info (6 or 18 bytes).
 * Immutable, with value equality: suitable for {@code HashSet} deduplication.
 */
public final class PeerAddress {
  /** Compact IPv4 size: 4 address bytes and a 2-byte port. */
  public static final int COMPACT_V4 = 6;
  /** Compact IPv6 size: 16 address bytes and a 2-byte port. */
  public static final int COMPACT_V6 = 18;

  // big-endian reads of the address and port: one load each (peers are read per value and node)
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle CHAR_BE =
      MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.BIG_ENDIAN);

  private final int v4; // IPv4 address when ip6 == null
  private final byte[] ip6; // IPv6 address, or null
  private final int port;

  private PeerAddress(int v4, byte[] ip6, int port) {
    this.v4 = v4;
    this.ip6 = ip6;
    this.port = port;
  }

  /** From raw address bytes (4 or 16) and a port 0..65535. */
  public static PeerAddress of(byte[] ip, int port) {
    checkPort(port);
    if (ip.length == 4) {
      return new PeerAddress(int4(ip, 0), null, port);
    }
    if (ip.length == 16) {
      return new PeerAddress(0, ip.clone(), port);
    }
    throw new IllegalArgumentException("an IP address is 4 or 16 bytes, got " + ip.length);
  }

  public static PeerAddress of(InetAddress a, int port) {
    return of(a.getAddress(), port);
  }

  /** From a resolved socket address. */
  public static PeerAddress of(InetSocketAddress a) {
    if (a.getAddress() == null) {
      throw new IllegalArgumentException("unresolved address " + a);
    }
    return of(a.getAddress(), a.getPort());
  }

  /** Parses "1.2.3.4:6881" or "[::1]:6881" (literal addresses only, never DNS; port 0 allowed). */
  public static PeerAddress parse(String s) {
    HostPort hp = HostPort.parse(s, true);
    if (!hp.isLiteral()) {
      throw new IllegalArgumentException("not an IP address: '" + hp.host() + "' in '" + s + "'");
    }
    return hp.literal();
  }

  /** The bytes of an IPv4 or IPv6 literal (4 or 16; IPv4-mapped IPv6 stays 16), or null. */
  static byte[] literal(String host) {
    if (host.isEmpty()) {
      return null;
    }
    if (host.indexOf(':') >= 0) {
      try {
        // an IPv6 literal never triggers a DNS lookup
        byte[] a = InetAddress.getByName("[" + host + "]").getAddress();
        if (a.length == 4) { // Java turns ::ffff:a.b.c.d into IPv4: keep the IPv6 form we were given
          byte[] mapped = new byte[16];
          mapped[10] = (byte) 0xff;
          mapped[11] = (byte) 0xff;
          System.arraycopy(a, 0, mapped, 12, 4);
          return mapped;
        }
        return a;
      } catch (UnknownHostException | SecurityException e) {
        return null;
      }
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 3 || !asciiDigits(parts[i])) {
        return null;
      }
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      b[i] = (byte) v;
    }
    return b;
  }

  private static boolean asciiDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Reads compact peer info: 6 bytes (IPv4) or 18 bytes (IPv6) at {@code off}. */
  public static PeerAddress fromCompact(byte[] b, int off, int len) {
    if (len == COMPACT_V4) {
      return new PeerAddress(int4(b, off), null, port(b, off + 4));
    }
    if (len == COMPACT_V6) {
      return new PeerAddress(0, Arrays.copyOfRange(b, off, off + 16), port(b, off + 16));
    }
    throw new IllegalArgumentException("compact peer info is 6 or 18 bytes, got " + len);
  }

  private static int port(byte[] b, int o) {
    return (char) CHAR_BE.get(b, o);
  }

  private static int int4(byte[] b, int o) {
    return (int) INT_BE.get(b, o);
  }

  private static void checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public boolean isIpv6() {
    return ip6 != null;
  }

  /** True for an IPv6 address of the form {@code ::ffff:a.b.c.d} (an IPv4 address in IPv6 form). */
  public boolean isIpv4Mapped() {
    if (ip6 == null || (ip6[10] & 0xff) != 0xff || (ip6[11] & 0xff) != 0xff) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (ip6[i] != 0) {
        return false;
      }
    }
    return true;
  }

  public int port() {
    return port;
  }

  /** This address with another port. */
  public PeerAddress withPort(int p) {
    checkPort(p);
    return new PeerAddress(v4, ip6, p);
  }

  /** Address bytes (4 or 16). */
  public byte[] ipBytes() {
    if (ip6 != null) {
      return ip6.clone();
    }
    return new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
  }

  /** The IPv4 address as an int (meaningless for IPv6). */
  public int ipv4Int() {
    return v4;
  }

  /** Compact size: 6 or 18. */
  public int compactLength() {
    return ip6 == null ? COMPACT_V4 : COMPACT_V6;
  }

  /** Writes compact peer info at {@code off}; returns the offset after it. */
  public int writeCompact(byte[] dst, int off) {
    if (ip6 == null) {
      dst[off] = (byte) (v4 >>> 24);
      dst[off + 1] = (byte) (v4 >>> 16);
      dst[off + 2] = (byte) (v4 >>> 8);
      dst[off + 3] = (byte) v4;
      off += 4;
    } else {
      System.arraycopy(ip6, 0, dst, off, 16);
      off += 16;
    }
    dst[off] = (byte) (port >>> 8);
    dst[off + 1] = (byte) port;
    return off + 2;
  }

  public byte[] toCompact() {
    byte[] b = new byte[compactLength()];
    writeCompact(b, 0);
    return b;
  }

  public InetAddress inetAddress() {
    try {
      return InetAddress.getByAddress(ipBytes());
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(inetAddress(), port);
  }

  /**
   * The address without port, as text: "1.2.3.4", or IPv6 in RFC 5952 form ("::1",
   * "2001:db8::1", "::ffff:1.2.3.4" for an IPv4-mapped address).
   */
  public String hostString() {
    if (ip6 == null) {
      return (v4 >>> 24) + "." + ((v4 >>> 16) & 0xff) + "." + ((v4 >>> 8) & 0xff) + "." + (v4 & 0xff);
    }
    return formatIpv6(ip6);
  }

  /** RFC 5952: lowercase hex, the longest run (2+ groups, first on a tie) of zeros as "::". */
  private static String formatIpv6(byte[] a) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
    }
    boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
    int groups = mapped ? 6 : 8;
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < groups; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < groups && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(45);
    for (int i = 0; i < groups; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    if (mapped) {
      if (sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(a[12] & 0xff).append('.').append(a[13] & 0xff).append('.')
          .append(a[14] & 0xff).append('.').append(a[15] & 0xff);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerAddress p && p.port == port && p.v4 == v4 && Arrays.equals(p.ip6, ip6);
  }

  @Override
  public int hashCode() {
    // spread consecutive addresses over all bits (HashMap buckets use the low bits): a plain
    // linear combination clusters 10,000 consecutive IPs into a few hundred buckets
    int h = (ip6 == null ? v4 : Arrays.hashCode(ip6)) * 0x9E3779B9 + port * 0x85EBCA6B;
    h ^= h >>> 15;
    h *= 0x2C1B3C6D;
    return h ^ (h >>> 13);
  }

  /** "1.2.3.4:6881" or "[::1]:6881". */
  @Override
  public String toString() {
    return ip6 == null ? hostString() + ":" + port : "[" + hostString() + "]:" + port;
  }

  /** True for 4-byte addresses; convenience for {@code InetAddress} users. */
  public static boolean isV4(InetAddress a) {
    return a instanceof Inet4Address;
  }

  public static boolean isV6(InetAddress a) {
    return a instanceof Inet6Address;
  }
}
