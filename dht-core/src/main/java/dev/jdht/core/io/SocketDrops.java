package dev.jdht.core.io;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Datagrams the kernel dropped for our own sockets because their receive buffer was full. The
 * node cannot count these: they never reach it. Linux keeps a {@code drops} count per UDP socket
 * in {@code /proc/net/udp} and {@code /proc/net/udp6}; elsewhere the count is unknown (-1).
 * Reading those files costs time in proportion to the machine's UDP sockets, so callers keep it
 * off the loop thread. Stateless and thread-safe.
 */
public final class SocketDrops {
  private static final Path UDP4 = Path.of("/proc/net/udp");
  private static final Path UDP6 = Path.of("/proc/net/udp6");

  private SocketDrops() {}

  /**
   * The kernel's drop counts of the UDP sockets bound to {@code locals}, summed, or -1 where the
   * system does not keep them (not Linux, or no /proc).
   */
  public static long of(List<InetSocketAddress> locals) {
    String v4 = read(UDP4);
    String v6 = read(UDP6);
    if (v4 == null && v6 == null) {
      return -1;
    }
    long sum = 0;
    for (InetSocketAddress a : locals) {
      long d;
      if (a.getAddress() instanceof Inet6Address) {
        d = v6 == null ? -1 : drops(v6, a.getAddress().getAddress(), a.getPort());
      } else {
        d = v4 == null ? -1 : drops(v4, a.getAddress().getAddress(), a.getPort());
        if (d < 0 && v6 != null) { // an IPv6 socket bound to the IPv4-mapped address
          byte[] mapped = new byte[16];
          mapped[10] = (byte) 0xff;
          mapped[11] = (byte) 0xff;
          System.arraycopy(a.getAddress().getAddress(), 0, mapped, 12, 4);
          d = drops(v6, mapped, a.getPort());
        }
      }
      sum += Math.max(0, d);
    }
    return sum;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The {@code drops} column of the line of {@code table} (the text of /proc/net/udp or udp6) for
   * the socket bound to {@code address} (4 or 16 bytes):{@code port}, or -1 if there is none. The
   * kernel prints the address as the hex of its bytes in host order, 32 bits at a time
   * (little-endian on x86 and arm64: 127.0.0.1 is 0100007F), and the port as a big-endian hex
   * number.
   */
  static long drops(String table, byte[] address, int port) {
    String want = hexAddress(address) + ":" + String.format("%04X", port);
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) { // line 0 is the header
      String[] f = lines[i].trim().split("\\s+");
      // "sl:", local address, remote address, ..., drops last (the header names more columns
      // than a line has fields: tx_queue:rx_queue and tr:tm->when are one field each)
      if (f.length > 2 && f[1].equalsIgnoreCase(want)) {
        try {
          return Long.parseLong(f[f.length - 1]);
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** The kernel's spelling of an address: each 4-byte word in host byte order. */
  static String hexAddress(byte[] ip) {
    return hexAddress(ip, java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN);
  }

  /** As {@link #hexAddress(byte[])}; {@code littleEndian}: each 4-byte word's bytes reversed. */
  static String hexAddress(byte[] ip, boolean littleEndian) {
    StringBuilder sb = new StringBuilder(ip.length * 2);
    for (int w = 0; w < ip.length; w += 4) {
      for (int k = 0; k < 4; k++) {
        int b = littleEndian ? w + 3 - k : w + k;
        sb.append(String.format("%02X", ip[b] & 0xff));
      }
    }
    return sb.toString();
  }
}
