package dev.jdht.core.server;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.ScrapeBloom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Peers announced to us with {@code announce_peer}, by infohash. Entries expire {@code ttlNanos}
 * (BEP 5 practice: 30 minutes) after their last announce.
 *
 * <p>Bounded three ways; at a cap the oldest goes to make room for the newcomer:
 *
 * <ul>
 *   <li>{@code maxPeersPerInfoHash}: the peer of that infohash announced least recently is evicted;
 *   <li>{@code maxInfoHashes}: the whole infohash (with its peers) announced to least recently is
 *       evicted;
 *   <li>{@code maxTotalPeers}: the peer announced least recently, of any infohash, is evicted.
 * </ul>
 *
 * A re-announce of a known (infohash, IP:port) refreshes its time and seed flag and counts as
 * new for eviction order. The peer address is stored as given: resolving {@code implied_port}
 * (using the UDP source port) is the caller's job.
 *
 * <p>Times are monotonic nanoseconds and must not go backwards between calls (the eviction order
 * assumes it). <b>Threading:</b> not thread-safe; owned by the loop thread.
 */
public final class PeerStore {
  /** One announced peer; also a node of the global list in announce order. */
  private static final class Entry {
    final NodeId infoHash;
    final PeerAddress peer;
    boolean seed;
    long announced;
    Entry prev;
    Entry next;

    Entry(NodeId infoHash, PeerAddress peer) {
      this.infoHash = infoHash;
      this.peer = peer;
    }
  }

  private final int maxPeersPerInfoHash;
  private final int maxInfoHashes;
  private final int maxTotalPeers;
  private final long ttlNanos;
  /** Infohash to its peers; both maps in announce order (least recent first). */
  private final LinkedHashMap<NodeId, LinkedHashMap<PeerAddress, Entry>> swarms = new LinkedHashMap<>();
  private Entry head; // least recently announced
  private Entry tail;
  private int total;

  /**
   * @param maxPeersPerInfoHash peers kept per infohash, positive
   * @param maxInfoHashes infohashes kept, positive
   * @param maxTotalPeers peers kept over all infohashes, positive
   * @param ttlNanos lifetime of an announce, positive
   */
  public PeerStore(int maxPeersPerInfoHash, int maxInfoHashes, int maxTotalPeers, long ttlNanos) {
    if (maxPeersPerInfoHash <= 0 || maxInfoHashes <= 0 || maxTotalPeers <= 0 || ttlNanos <= 0) {
      throw new IllegalArgumentException("caps and ttl must be positive");
    }
    this.maxPeersPerInfoHash = maxPeersPerInfoHash;
    this.maxInfoHashes = maxInfoHashes;
    this.maxTotalPeers = maxTotalPeers;
    this.ttlNanos = ttlNanos;
  }

  /** Records (or refreshes) {@code peer} for {@code infoHash}; at a cap evicts the oldest (see class doc). */
  public void announce(NodeId infoHash, PeerAddress peer, boolean seed, long now) {
    LinkedHashMap<PeerAddress, Entry> swarm = swarms.get(infoHash);
    Entry e = swarm == null ? null : swarm.get(peer);
    if (e != null) {
      e.seed = seed;
      e.announced = now;
      swarm.remove(peer);
      swarm.put(peer, e);
      unlink(e);
      append(e);
      touchSwarm(infoHash, swarm);
      return;
    }
    if (total >= maxTotalPeers) {
      evict(head);
    }
    swarm = swarms.get(infoHash); // the eviction may have emptied and removed it
    if (swarm == null) {
      if (swarms.size() >= maxInfoHashes) {
        evictSwarm(swarms.keySet().iterator().next());
      }
      swarm = new LinkedHashMap<>();
      swarms.put(infoHash, swarm);
    } else {
      touchSwarm(infoHash, swarm);
      if (swarm.size() >= maxPeersPerInfoHash) {
        evict(swarm.values().iterator().next());
      }
    }
    e = new Entry(infoHash, peer);
    e.seed = seed;
    e.announced = now;
    swarm.put(peer, e);
    append(e);
    total++;
  }

  /**
   * Up to {@code max} unexpired peers of {@code infoHash}: all of them if there are at most {@code
   * max}, else a uniformly random subset. Empty if none.
   */
  public List<PeerAddress> get(NodeId infoHash, int max, Random random, long now) {
    return get(infoHash, max, random, now, null);
  }

  /**
   * Like {@link #get(NodeId, int, Random, long)} but only IPv6 peers ({@code ipv6} true) or only
   * IPv4 peers (false), for a reply to one address family; {@code null} means both.
   */
  public List<PeerAddress> get(NodeId infoHash, int max, Random random, long now, Boolean ipv6) {
    return get(infoHash, max, random, now, ipv6, false);
  }

  /**
   * Like {@link #get(NodeId, int, Random, long, Boolean)}; with {@code withoutSeeds} the peers
   * announced as seeds are left out (BEP 33 {@code noseed=1}: a seed asking has no use for them).
   */
  public List<PeerAddress> get(NodeId infoHash, int max, Random random, long now, Boolean ipv6, boolean withoutSeeds) {
    LinkedHashMap<PeerAddress, Entry> swarm = swarms.get(infoHash);
    if (swarm == null || max <= 0) {
      return new ArrayList<>(0);
    }
    List<PeerAddress> live = new ArrayList<>(swarm.size());
    for (Entry e : swarm.values()) {
      if (!expired(e, now) && (ipv6 == null || e.peer.isIpv6() == ipv6) && !(withoutSeeds && e.seed)) {
        live.add(e.peer);
      }
    }
    return sample(live, max, random);
  }

  /** Number of unexpired seeds announced for {@code infoHash} (BEP 33 style statistics). */
  public int seedCount(NodeId infoHash, long now) {
    LinkedHashMap<PeerAddress, Entry> swarm = swarms.get(infoHash);
    int n = 0;
    if (swarm != null) {
      for (Entry e : swarm.values()) {
        if (e.seed && !expired(e, now)) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * BEP 33: inserts the IP of every unexpired peer of {@code infoHash} into {@code seeds} (those
   * announced with {@code seed=1}) or {@code downloaders} (the others).
   */
  public void fillBlooms(NodeId infoHash, long now, ScrapeBloom seeds, ScrapeBloom downloaders) {
    LinkedHashMap<PeerAddress, Entry> swarm = swarms.get(infoHash);
    if (swarm == null) {
      return;
    }
    for (Entry e : swarm.values()) {
      if (!expired(e, now)) {
        (e.seed ? seeds : downloaders).insert(e.peer);
      }
    }
  }

  /** Removes every entry whose last announce is {@code ttlNanos} or more before {@code now}. */
  public void expire(long now) {
    while (head != null && expired(head, now)) {
      evict(head);
    }
  }

  /** Infohashes with at least one stored peer (expired ones count until {@link #expire}). */
  public int infoHashCount() {
    return swarms.size();
  }

  /** Stored peers over all infohashes (expired ones count until {@link #expire}). */
  public int peerCount() {
    return total;
  }

  /** Up to {@code max} stored infohashes, a uniformly random subset if there are more (BEP 51). */
  public List<NodeId> infoHashes(int max, Random random) {
    if (max <= 0) {
      return new ArrayList<>(0);
    }
    return sample(new ArrayList<>(swarms.keySet()), max, random);
  }

  private boolean expired(Entry e, long now) {
    return now - e.announced >= ttlNanos;
  }

  /** Keeps a uniformly random {@code max} of {@code all} (partial Fisher-Yates), in place. */
  private static <X> List<X> sample(List<X> all, int max, Random random) {
    if (all.size() <= max) {
      return all;
    }
    for (int i = 0; i < max; i++) {
      Collections.swap(all, i, i + random.nextInt(all.size() - i));
    }
    return new ArrayList<>(all.subList(0, max));
  }

  private void touchSwarm(NodeId infoHash, LinkedHashMap<PeerAddress, Entry> swarm) {
    swarms.remove(infoHash);
    swarms.put(infoHash, swarm);
  }

  private void evict(Entry e) {
    LinkedHashMap<PeerAddress, Entry> swarm = swarms.get(e.infoHash);
    swarm.remove(e.peer);
    if (swarm.isEmpty()) {
      swarms.remove(e.infoHash);
    }
    unlink(e);
    total--;
  }

  private void evictSwarm(NodeId infoHash) {
    Map<PeerAddress, Entry> swarm = swarms.remove(infoHash);
    for (Entry e : swarm.values()) {
      unlink(e);
      total--;
    }
  }

  private void append(Entry e) {
    e.prev = tail;
    e.next = null;
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
    }
    tail = e;
  }

  private void unlink(Entry e) {
    if (e.prev == null) {
      head = e.next;
    } else {
      e.prev.next = e.next;
    }
    if (e.next == null) {
      tail = e.prev;
    } else {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
  }
}
