package dev.jdht.core.secure;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * BEP 42 node ids bound to IP addresses. The first 21 bits of a secure id are the top 21 bits of
 * {@code crc32c((ip & mask) | r << 29)} (IPv4, mask {@code 0x030f3fff}) or of the crc32c of the
 * first 8 bytes of the address masked with {@code 0x0103070f1f3f7fff}, the top 3 bits of the first
 * byte replaced by {@code r} (IPv6); {@code r} (0..7) is the low 3 bits of the id's last byte.
 *
 * <p>Local addresses are exempt (any id matches them): IPv4 10/8, 172.16/12, 192.168/16,
 * 169.254/16, 127/8 as the BEP lists; and, by the same reasoning, IPv6 {@code ::1}, fc00::/7 and
 * fe80::/10. Pure and thread-safe.
 */
public final class SecureIds {
  private static final int V4_MASK = 0x030f3fff;
  private static final byte[] V6_MASK = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};

  private SecureIds() {}

  /** The crc32c of the masked address with {@code r} (0..7) in its top 3 bits. */
  public static int crc(byte[] ip, int r) {
    if (r < 0 || r > 7) {
      throw new IllegalArgumentException("r must be 0..7: " + r);
    }
    byte[] masked;
    if (ip.length == 4) {
      int v = ((ip[0] & 0xff) << 24 | (ip[1] & 0xff) << 16 | (ip[2] & 0xff) << 8 | (ip[3] & 0xff)) & V4_MASK;
      v |= r << 29;
      masked = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    } else if (ip.length == 16) {
      masked = new byte[8];
      for (int i = 0; i < 8; i++) {
        masked[i] = (byte) (ip[i] & V6_MASK[i]);
      }
      masked[0] |= (byte) (r << 5);
    } else {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + ip.length);
    }
    CRC32C c = new CRC32C();
    c.update(masked, 0, masked.length);
    return (int) c.getValue();
  }

  /**
   * The BEP 42 id for {@code ip} with the given {@code r} (0..7) and {@code rand} supplying the
   * 3 free bits of byte 2, bytes 3..18 and the high 5 bits of byte 19.
   */
  public static NodeId generate(byte[] ip, int r, Random rand) {
    int crc = crc(ip, r);
    byte[] id = new byte[NodeId.LENGTH];
    rand.nextBytes(id);
    id[0] = (byte) (crc >>> 24);
    id[1] = (byte) (crc >>> 16);
    id[2] = (byte) (((crc >>> 8) & 0xf8) | (id[2] & 0x07));
    id[19] = (byte) ((id[19] & 0xf8) | r);
    return NodeId.of(id);
  }

  /** A BEP 42 id for {@code ip} with a random {@code r}. */
  public static NodeId generate(byte[] ip, Random rand) {
    return generate(ip, rand.nextInt(8), rand);
  }

  /**
   * True if {@code id} is a BEP 42 id for {@code ip}: its top 21 bits match the crc of the
   * address with {@code r} taken from the id's last byte. Exempt (local) addresses always match.
   */
  public static boolean matches(NodeId id, byte[] ip) {
    if (isExempt(ip)) {
      return true;
    }
    byte[] b = id.toBytes();
    int crc = crc(ip, b[19] & 0x07);
    return b[0] == (byte) (crc >>> 24)
        && b[1] == (byte) (crc >>> 16)
        && (b[2] & 0xf8) == ((crc >>> 8) & 0xf8);
  }

  /** {@link #matches(NodeId, byte[])} for a node's address. */
  public static boolean matches(NodeId id, PeerAddress address) {
    return matches(id, address.ipBytes());
  }

  /** True for the local addresses BEP 42 exempts (see the class comment). */
  public static boolean isExempt(byte[] ip) {
    if (ip.length == 4) {
      int a = ip[0] & 0xff;
      int b = ip[1] & 0xff;
      return a == 10 || a == 127 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)
          || (a == 169 && b == 254);
    }
    boolean loopback = ip[15] == 1;
    for (int i = 0; i < 15 && loopback; i++) {
      loopback = ip[i] == 0;
    }
    int a = ip[0] & 0xff;
    return loopback || (a & 0xfe) == 0xfc || (a == 0xfe && (ip[1] & 0xc0) == 0x80);
  }

  /** {@link #isExempt(byte[])} for a node's address. */
  public static boolean isExempt(PeerAddress address) {
    return isExempt(address.ipBytes());
  }

  /**
   * The address prefix that BEP 42 style diversity counts by: the /24 of an IPv4 address, the /64
   * of an IPv6 one, as a hex string (for sets and maps).
   */
  public static String prefix(PeerAddress address) {
    byte[] ip = address.ipBytes();
    int n = ip.length == 4 ? 3 : 8;
    StringBuilder s = new StringBuilder(2 * n + 1).append(ip.length == 4 ? '4' : '6');
    for (int i = 0; i < n; i++) {
      s.append(Character.forDigit((ip[i] >> 4) & 0xf, 16)).append(Character.forDigit(ip[i] & 0xf, 16));
    }
    return s.toString();
  }
}
