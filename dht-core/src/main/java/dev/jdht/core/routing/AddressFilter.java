package dev.jdht.core.routing;

import dev.jdht.krpc.wire.PeerAddress;

/**
 * Decides which node addresses are worth keeping. Stateless and thread-safe.
 *
 * <p>Always refused: port 0; IPv4 0.0.0.0/8, 224.0.0.0/4 (multicast), 240.0.0.0/4 (reserved,
 * including 255.255.255.255); IPv6 {@code ::} (unspecified), ff00::/8 (multicast) and
 * ::ffff:0:0/96 (IPv4-mapped: such a node must use its IPv4 address). None of these can ever be a
 * unicast UDP destination.
 *
 * <p>Refused unless loopback is allowed (testnets on one machine): IPv4 127.0.0.0/8 and
 * 169.254.0.0/16 (link-local); IPv6 {@code ::1} and fe80::/10 (link-local).
 *
 * <p>Private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) are always accepted: a node
 * on a LAN may legitimately talk to another there, and refusing them buys little.
 */
public final class AddressFilter {
  private AddressFilter() {}

  /**
   * True if a node at {@code address} may enter a routing table or a lookup.
   *
   * @param allowLoopback accept loopback and link-local addresses
   */
  public static boolean isAcceptable(PeerAddress address, boolean allowLoopback) {
    if (address == null || address.port() == 0) {
      return false;
    }
    return address.isIpv6() ? acceptV6(address.ipBytes(), allowLoopback) : acceptV4(address.ipv4Int(), allowLoopback);
  }

  private static boolean acceptV4(int ip, boolean allowLoopback) {
    int a = ip >>> 24;
    int b = (ip >>> 16) & 0xff;
    if (a == 0 || a >= 224) {
      return false;
    }
    if (a == 127 || (a == 169 && b == 254)) {
      return allowLoopback;
    }
    return true;
  }

  private static boolean acceptV6(byte[] ip, boolean allowLoopback) {
    if ((ip[0] & 0xff) == 0xff) {
      return false; // multicast
    }
    boolean firstTenZero = true;
    for (int i = 0; i < 10; i++) {
      firstTenZero &= ip[i] == 0;
    }
    if (firstTenZero && (ip[10] & 0xff) == 0xff && (ip[11] & 0xff) == 0xff) {
      return false; // IPv4-mapped
    }
    boolean firstFifteenZero = firstTenZero && ip[10] == 0 && ip[11] == 0 && ip[12] == 0 && ip[13] == 0 && ip[14] == 0;
    if (firstFifteenZero && ip[15] == 0) {
      return false; // unspecified
    }
    if (firstFifteenZero && ip[15] == 1) {
      return allowLoopback;
    }
    if ((ip[0] & 0xff) == 0xfe && (ip[1] & 0xc0) == 0x80) {
      return allowLoopback; // link-local
    }
    return true;
  }
}
