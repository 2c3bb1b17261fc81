package dev.jdht.core.routing;

import dev.jdht.krpc.wire.PeerAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Caps how much of a {@link RoutingTable} one network can hold, so that one host, or one operator
 * with a /24 (IPv4) or a /64 (IPv6), cannot fill the table with ids of its choosing. In the spirit
 * of libtorrent's {@code restrict_routing_ips}, which admits one node per /24 (v4) or /64 (v6) per
 * bucket and one node per IP in the table:
 *
 * <ul>
 *   <li>at most {@code perIp} entries (live and replacement) per IP address in the whole table;
 *   <li>at most {@code perPrefixPerBucket} entries per prefix in one bucket (live and replacement
 *       lists together);
 *   <li>at most {@code perPrefixPerTable} entries per prefix in the whole table.
 * </ul>
 *
 * <p>Loopback, link-local and private addresses (127/8, 169.254/16, 10/8, 172.16/12, 192.168/16,
 * 100.64/10, ::1, fe80::/10, fc00::/7) are exempt when {@code exemptLocal} is set: testnets and
 * simulations put hundreds of nodes in one such /24. {@link RoutingTable} sets it from {@link
 * RoutingConfig#allowLoopbackAndPrivate()} unless told otherwise, so on the public internet every
 * address is capped.
 *
 * <p>The table tells the cap about every entry it indexes and unindexes ({@link #added}, {@link
 * #removed}); the counts are therefore exact and bounded by the table's own size. <b>Threading:</b>
 * not thread-safe; owned with its table by the loop thread.
 */
public final class PrefixCap {
  /** libtorrent-like defaults: one per IP, one per prefix per bucket, eight per prefix overall. */
  public static final int DEFAULT_PER_IP = 1;
  public static final int DEFAULT_PER_PREFIX_PER_BUCKET = 1;
  public static final int DEFAULT_PER_PREFIX_PER_TABLE = 8;

  private final int perIp;
  private final int perPrefixPerBucket;
  private final int perPrefixPerTable;
  private final boolean exemptLocal;
  private final Map<PeerAddress, Integer> byIp = new HashMap<>();
  private final Map<PeerAddress, Integer> byPrefix = new HashMap<>();
  private long refused;

  /**
   * @param perIp entries per IP in the table, at least 1
   * @param perPrefixPerBucket entries per /24 or /64 in one bucket, at least 1
   * @param perPrefixPerTable entries per /24 or /64 in the table, at least 1
   * @param exemptLocal loopback, link-local and private addresses are not capped
   */
  public PrefixCap(int perIp, int perPrefixPerBucket, int perPrefixPerTable, boolean exemptLocal) {
    if (perIp < 1 || perPrefixPerBucket < 1 || perPrefixPerTable < 1) {
      throw new IllegalArgumentException("prefix caps must be at least 1");
    }
    this.perIp = perIp;
    this.perPrefixPerBucket = perPrefixPerBucket;
    this.perPrefixPerTable = perPrefixPerTable;
    this.exemptLocal = exemptLocal;
  }

  /** The defaults, exempting local addresses as given. */
  public static PrefixCap defaults(boolean exemptLocal) {
    return new PrefixCap(DEFAULT_PER_IP, DEFAULT_PER_PREFIX_PER_BUCKET, DEFAULT_PER_PREFIX_PER_TABLE, exemptLocal);
  }

  /** A cap that admits everything (for comparisons; not for the public internet). */
  public static PrefixCap unlimited() {
    return new PrefixCap(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, true);
  }

  /**
   * True if an entry at {@code address} may join the bucket whose current entries are {@code
   * live} and {@code replacements}. A refusal is counted.
   */
  boolean admits(PeerAddress address, List<NodeEntry> live, List<NodeEntry> replacements) {
    if (exemptLocal && isLocal(address)) {
      return true;
    }
    PeerAddress prefix = prefixOf(address);
    boolean ok = byIp.getOrDefault(address.withPort(0), 0) < perIp
        && byPrefix.getOrDefault(prefix, 0) < perPrefixPerTable
        && inBucket(prefix, live) + inBucket(prefix, replacements) < perPrefixPerBucket;
    if (!ok) {
      refused++;
    }
    return ok;
  }

  void added(PeerAddress address) {
    byIp.merge(address.withPort(0), 1, Integer::sum);
    byPrefix.merge(prefixOf(address), 1, Integer::sum);
  }

  void removed(PeerAddress address) {
    decrement(byIp, address.withPort(0));
    decrement(byPrefix, prefixOf(address));
  }

  /** Newcomers refused so far. */
  public long refused() {
    return refused;
  }

  /** Distinct prefixes with at least one entry (bounded by the table size). */
  public int trackedPrefixes() {
    return byPrefix.size();
  }

  /** The /24 (IPv4) or /64 (IPv6) of an address, as an address with port 0. */
  public static PeerAddress prefixOf(PeerAddress address) {
    byte[] ip = address.ipBytes();
    int keep = address.isIpv6() ? 8 : 3;
    for (int i = keep; i < ip.length; i++) {
      ip[i] = 0;
    }
    return PeerAddress.of(ip, 0);
  }

  /** Loopback, link-local or private (see the class comment). */
  public static boolean isLocal(PeerAddress address) {
    byte[] ip = address.ipBytes();
    int a = ip[0] & 0xff;
    int b = ip[1] & 0xff;
    if (!address.isIpv6()) {
      return a == 127 || a == 10 || (a == 169 && b == 254) || (a == 172 && (b & 0xf0) == 16)
          || (a == 192 && b == 168) || (a == 100 && (b & 0xc0) == 64);
    }
    boolean loopback = ip[15] == 1;
    for (int i = 0; i < 15 && loopback; i++) {
      loopback = ip[i] == 0;
    }
    return loopback || (a == 0xfe && (b & 0xc0) == 0x80) || (a & 0xfe) == 0xfc;
  }

  private int inBucket(PeerAddress prefix, List<NodeEntry> entries) {
    int n = 0;
    for (NodeEntry e : entries) {
      if (prefixOf(e.address()).equals(prefix)) {
        n++;
      }
    }
    return n;
  }

  private static void decrement(Map<PeerAddress, Integer> m, PeerAddress key) {
    m.computeIfPresent(key, (k, v) -> v <= 1 ? null : v - 1);
  }
}
