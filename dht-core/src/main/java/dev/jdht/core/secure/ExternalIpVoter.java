package dev.jdht.core.secure;

import dev.jdht.krpc.wire.PeerAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Learns our external IP from the BEP 42 {@code ip} field of replies. Each responder's /24 (IPv4)
 * or /64 (IPv6) has one vote, its latest (many nodes of one network count once); responders at
 * local addresses and votes for local addresses are ignored. The address is settled when it has
 * at least {@code minVotes} votes and more than half of all votes held; it can change later the
 * same way (a new address after a reconnect). Bounded: the {@code maxVoters} most recent voting
 * prefixes are kept. Pure: no clock, no I/O; not thread-safe (node thread).
 */
public final class ExternalIpVoter {
  private final int minVotes;
  private final int maxVoters;
  /** Voter prefix to the IP it voted for, least recent first. */
  private final LinkedHashMap<String, String> votes = new LinkedHashMap<>();
  private final Map<String, byte[]> ips = new HashMap<>();
  private final Map<String, Integer> tally = new HashMap<>();
  private byte[] settled;

  /**
   * @param minVotes votes from distinct prefixes an address needs, at least 1
   * @param maxVoters prefixes remembered, at least {@code minVotes}
   */
  public ExternalIpVoter(int minVotes, int maxVoters) {
    if (minVotes < 1 || maxVoters < minVotes) {
      throw new IllegalArgumentException("need 1 <= minVotes <= maxVoters");
    }
    this.minVotes = minVotes;
    this.maxVoters = maxVoters;
  }

  /** Default: 5 distinct prefixes, 64 remembered. */
  public static ExternalIpVoter defaults() {
    return new ExternalIpVoter(5, 64);
  }

  /**
   * {@code responder} told us we are {@code externalIp} (its port is ignored). Returns the newly
   * settled IP (4 or 16 bytes) when this vote settled a different address than before, else null.
   */
  public byte[] vote(PeerAddress responder, PeerAddress externalIp) {
    if (externalIp == null || responder == null || externalIp.isIpv6() != responder.isIpv6()
        || SecureIds.isExempt(responder) || SecureIds.isExempt(externalIp)) {
      return null;
    }
    byte[] ip = externalIp.ipBytes();
    String key = java.util.HexFormat.of().formatHex(ip);
    String voter = SecureIds.prefix(responder);
    String before = votes.remove(voter);
    if (before != null) {
      untally(before);
    } else if (votes.size() >= maxVoters) {
      Iterator<Map.Entry<String, String>> it = votes.entrySet().iterator();
      String oldest = it.next().getValue();
      it.remove();
      untally(oldest);
    }
    votes.put(voter, key);
    ips.putIfAbsent(key, ip);
    int n = tally.merge(key, 1, Integer::sum);
    if (n >= minVotes && 2 * n > votes.size() && (settled == null || !java.util.Arrays.equals(settled, ip))) {
      settled = ip.clone();
      return ip.clone();
    }
    return null;
  }

  /** The settled external IP, or null. */
  public byte[] settled() {
    return settled == null ? null : settled.clone();
  }

  /** Voting prefixes held now. */
  public int voters() {
    return votes.size();
  }

  private void untally(String key) {
    int left = tally.merge(key, -1, Integer::sum);
    if (left <= 0) {
      tally.remove(key);
      ips.remove(key);
    }
  }
}
