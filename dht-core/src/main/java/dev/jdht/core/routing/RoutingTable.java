package dev.jdht.core.routing;

import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.core.secure.SecureIds;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BEP 5 routing table: k-buckets over the 160-bit id space, split only when the bucket that
 * covers our own id overflows (so at most 160 buckets), with BEP 5 good/questionable/bad liveness,
 * a bounded replacement cache per bucket, ping-before-evict and bucket refresh.
 *
 * <p><b>Threading:</b> not thread-safe. The table is owned by one thread (the loop thread) and fed
 * with events and the current monotonic time {@code now} in nanoseconds; it never reads a clock,
 * never blocks and never does I/O. {@link #closest} judges liveness at the latest {@code now} it
 * was given.
 *
 * <p><b>Buckets.</b> Bucket {@code i} below the last one holds ids that share exactly {@code i}
 * leading bits with our id; the last bucket holds everything sharing at least {@code
 * bucketCount()-1} bits (the range that contains our id), and only that one splits.
 *
 * <p><b>Uniqueness policy.</b> The table (live entries and replacement caches together) holds at
 * most one entry per id and one per IP:port, and never our own id. Conflicts are resolved so that
 * verified information (a response to our query, which the caller matched against the address it
 * was sent to) beats unverified information (a query to us, a nodes list), and otherwise the
 * incumbent stays:
 *
 * <ul>
 *   <li>a response from a known id at a new address: if the known entry is live and GOOD, the
 *       newcomer is refused (returns false) and the entry keeps its address; otherwise the old
 *       entry is dropped and the node is inserted at its new address;
 *   <li>a response from a known address with a new id: the address now speaks for the new id (a
 *       restarted node), so the old entry is dropped and the new one inserted;
 *   <li>a query or an offered contact that conflicts with a live entry, or with a replacement that
 *       has answered us, is ignored; one that conflicts only with an unverified replacement
 *       replaces it (newest wins).
 * </ul>
 *
 * <p><b>Addresses.</b> Port 0 is never accepted; see {@link AddressFilter} for the address rules
 * ({@link RoutingConfig#allowLoopbackAndPrivate()} admits loopback and link-local; private ranges
 * are always admitted).
 *
 * <p><b>Prefix cap.</b> A newcomer is refused when its IP, or its /24 (v4) or /64 (v6), already
 * holds its share of the table or of its bucket ({@link PrefixCap}, {@link #setPrefixCap}).
 *
 * <p><b>Full bucket.</b> A newcomer for a full bucket first splits it if it is the last bucket;
 * otherwise it replaces a BAD entry at once; otherwise it goes to the replacement cache, and if it
 * is verified the least recently seen QUESTIONABLE entry is marked for a priority ping
 * (ping-before-evict, returned by {@link #maintenance}). A good entry is never evicted. When an
 * entry becomes BAD through {@link #onFailure} and its bucket has a replacement, the best
 * replacement (the newest that has answered us, else the newest) takes its place; without one the
 * bad entry stays (excluded from {@link #closest}) until something replaces it. Bad entries are
 * not pinged.
 *
 * <p><b>Replacement cache.</b> At most {@code replacementCacheSize} per bucket. When full, the
 * oldest unverified candidate makes room; if all are verified, a verified newcomer replaces the
 * oldest and an unverified newcomer is dropped.
 *
 * <p><b>Refresh.</b> A bucket's "last changed" time is set when an entry is added or replaced and
 * when one of its entries answers us. A bucket unchanged for {@code refreshIntervalNanos} (and not
 * handed out for refresh within that interval) yields a random refresh target inside its range.
 * The clock starts at the first {@code now} the table sees, so a new table asks for no refresh
 * before one interval has passed.
 */
public final class RoutingTable {
  /** BEP 5 bucket size. */
  public static final int K = 8;

  private static final Logger LOG = LoggerFactory.getLogger(RoutingTable.class);

  private NodeId self;
  private SecureIdPolicy idPolicy = SecureIdPolicy.OFF;
  private final RoutingConfig config;
  private final List<Bucket> buckets = new ArrayList<>();
  private final Map<NodeId, NodeEntry> byId = new HashMap<>();
  private final Map<PeerAddress, NodeEntry> byAddress = new HashMap<>();
  private final List<Bucket> dirty = new ArrayList<>();
  private final ClosestNodes closestNodes;
  private final MaintenancePlanner planner;
  private PrefixCap prefixCap;
  private int liveCount;
  private boolean started;
  private long latest;

  /**
   * An empty table (one bucket).
   *
   * @param self our node id
   * @param config tuning
   * @param random randomness for refresh targets
   */
  public RoutingTable(NodeId self, RoutingConfig config, Random random) {
    if (self == null || config == null || random == null) {
      throw new NullPointerException();
    }
    this.self = self;
    this.config = config;
    this.prefixCap = PrefixCap.defaults(config.allowLoopbackAndPrivate());
    this.closestNodes = new ClosestNodes(this, buckets);
    this.planner = new MaintenancePlanner(this, buckets, random);
    buckets.add(new Bucket(0));
  }

  /**
   * Replaces the per-IP and per-prefix cap (default: {@link PrefixCap#defaults} exempting local
   * addresses when {@link RoutingConfig#allowLoopbackAndPrivate()}). Only on an empty table.
   */
  public void setPrefixCap(PrefixCap cap) {
    if (!byId.isEmpty()) {
      throw new IllegalStateException("the prefix cap is set before the table is filled");
    }
    this.prefixCap = java.util.Objects.requireNonNull(cap);
  }

  /** The per-IP and per-prefix cap in force. */
  public PrefixCap prefixCap() {
    return prefixCap;
  }

  /** Our own id. */
  public NodeId self() {
    return self;
  }

  /** The configuration. */
  public RoutingConfig config() {
    return config;
  }

  /**
   * BEP 42 (default {@link SecureIdPolicy#OFF} for a bare table): with PREFER or ENFORCE a
   * matching newcomer to a full bucket takes the place of a mismatching entry that is not GOOD,
   * and matching replacements are promoted first; ENFORCE also refuses mismatching nodes.
   */
  public void setIdPolicy(SecureIdPolicy policy) {
    this.idPolicy = policy;
  }

  /** The BEP 42 policy. */
  public SecureIdPolicy idPolicy() {
    return idPolicy;
  }

  /** Live entries whose id does not match their address (BEP 42). */
  public int mismatchCount() {
    int n = 0;
    for (Bucket b : buckets) {
      for (NodeEntry e : b.live) {
        if (e.idMismatch()) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Our id changed (BEP 42: regenerated from our external IP): the buckets are rebuilt around
   * {@code newSelf} and every entry (live ones first, replacements after) is inserted again with
   * its state (liveness, failures, RTT) intact; entries that no longer fit become replacements or
   * are dropped as the caches allow. An entry with the new id is dropped.
   */
  public void rekey(NodeId newSelf, long now) {
    touch(now);
    List<NodeEntry> old = new ArrayList<>(byId.size());
    for (Bucket b : buckets) {
      old.addAll(b.live);
    }
    for (Bucket b : buckets) {
      old.addAll(b.replacements);
    }
    for (NodeEntry e : old) {
      prefixCap.removed(e.address()); // re-counted as each entry is inserted again
    }
    buckets.clear();
    byId.clear();
    byAddress.clear();
    dirty.clear();
    liveCount = 0;
    self = newSelf;
    buckets.add(new Bucket(now));
    for (NodeEntry e : old) {
      e.live = false;
      e.setEvictionCandidate(false);
      if (!e.id().equals(self)) {
        insert(e, now);
      }
    }
    refillDirty(now);
  }

  /**
   * A node answered one of our queries (the caller verified the transaction and source address).
   * Inserts or refreshes it: the node becomes GOOD, its failure count resets.
   *
   * @param rttNanos the measured round trip, or -1 if unknown
   * @return true if the node (this id at this address) is in the table proper afterwards
   */
  public boolean onResponse(NodeInfo node, long now, long rttNanos) {
    touch(now);
    if (!acceptable(node)) {
      return false;
    }
    NodeEntry known = byId.get(node.id());
    NodeEntry removedById = null;
    if (known != null) {
      if (known.address().equals(node.address())) {
        known.recordResponse(now, rttNanos);
        if (known.live) {
          bucketOf(known.id()).lastChanged = now;
          return true;
        }
        unindex(known); // a replacement that answered: try to make it live
        boolean in = insert(known, now);
        refillDirty(now);
        return in;
      }
      if (known.live && known.state(now) == NodeState.GOOD) {
        return false; // keep the good incumbent's address
      }
      unindex(known);
      removedById = known;
    }
    NodeEntry atAddress = byAddress.get(node.address());
    if (atAddress != null) {
      unindex(atAddress);
    }
    NodeEntry e = new NodeEntry(node, config, now);
    e.recordResponse(now, rttNanos);
    boolean in = insert(e, now);
    if (removedById != null) {
      markDirty(bucketOf(removedById.id()));
    }
    if (atAddress != null) {
      markDirty(bucketOf(atAddress.id()));
    }
    refillDirty(now);
    return in;
  }

  /**
   * A node sent us a query. For a known entry at that address this records the query (which keeps
   * a node that has answered before GOOD, per BEP 5). An unknown node is inserted as an unverified
   * (QUESTIONABLE) entry if its bucket has room or a BAD entry, else kept as a replacement
   * candidate. Conflicting claims (known id at another address, known address with another id)
   * are ignored.
   *
   * <p>An unverified entry is never handed out by {@link #closestVerified}; to verify it, the
   * caller should ping it at once when this returns true (the entry is then marked as pinged, so
   * {@link #maintenance} does not ping it again before the ping interval).
   *
   * @return true if the querier became a new live (unverified) entry that should be pinged now
   */
  public boolean onQuery(NodeInfo node, long now) {
    touch(now);
    if (!acceptable(node)) {
      return false;
    }
    NodeEntry known = byId.get(node.id());
    if (known != null && known.address().equals(node.address())) {
      known.recordQuery(now);
      return false;
    }
    NodeEntry e = new NodeEntry(node, config, now);
    e.recordQuery(now);
    addUnverified(e, now);
    if (e.live && byId.get(e.id()) == e) {
      e.markPingRequested(now);
      return true;
    }
    return false;
  }

  /**
   * Our query to this node (this id at this address) timed out or returned an error. Counts a
   * consecutive failure; on reaching {@code maxFailures} the node is BAD and, if its bucket has a
   * replacement, replaced at once. Unknown nodes, or a known id at another address, are ignored.
   */
  public void onFailure(NodeInfo node, long now) {
    touch(now);
    NodeEntry e = byId.get(node.id());
    if (e == null || !e.address().equals(node.address())) {
      return;
    }
    e.recordFailure();
    if (!e.isBad()) {
      return;
    }
    if (!e.live) {
      unindex(e); // a failed candidate is worthless
      return;
    }
    Bucket b = bucketOf(e.id());
    NodeEntry repl = b.bestReplacement(idPolicy != SecureIdPolicy.OFF);
    if (repl != null) {
      promote(b, e, repl, now);
      LOG.debug("evicted bad {} for {}", e.node(), repl.node());
    }
  }

  /** Replaces the live entry {@code bad} of {@code b} with its replacement {@code repl}. */
  private void promote(Bucket b, NodeEntry bad, NodeEntry repl, long now) {
    unindex(bad);
    unindex(repl);
    addLive(b, repl, now);
  }

  /**
   * An unverified contact (from a nodes list, or restored from disk): inserted as QUESTIONABLE if
   * its bucket has room (splitting if allowed) or holds a BAD entry, else kept in the bucket's
   * replacement cache. Never evicts a good (or questionable) node; ignored if it conflicts with a
   * live entry.
   */
  public void offer(NodeInfo node, long now) {
    touch(now);
    if (!acceptable(node)) {
      return;
    }
    NodeEntry known = byId.get(node.id());
    if (known != null && known.address().equals(node.address())) {
      return;
    }
    addUnverified(new NodeEntry(node, config, now), now);
  }

  /**
   * True if an entry at {@code address}, live or in a replacement cache, has answered one of our
   * queries and is not BAD: a known good contact (the server gives its queries a reserved budget,
   * so a flood from unknown sources cannot starve the nodes the DHT is made of). A node that
   * answered but found its bucket full still counts: it is as real as the live ones.
   */
  public boolean isVerifiedAt(PeerAddress address) {
    NodeEntry e = byAddress.get(address);
    return e != null && e.hasResponded() && !e.isBad();
  }

  /**
   * The smoothed round trip of the entry (live or replacement) at {@code address} in nanoseconds,
   * or -1 when there is no entry or it never answered a timed query.
   */
  public long rttAt(PeerAddress address) {
    NodeEntry e = byAddress.get(address);
    return e == null ? -1 : e.rttNanos();
  }

  /** The id of the entry (live or replacement) at {@code address}, or null. */
  public NodeId idAt(PeerAddress address) {
    NodeEntry e = byAddress.get(address);
    return e == null ? null : e.id();
  }

  /**
   * True if the entry at {@code address} has failed often enough to be BAD: a node answering
   * from there with a new id may then replace it (until then the known id is kept).
   */
  public boolean isBadAt(PeerAddress address) {
    NodeEntry e = byAddress.get(address);
    return e != null && e.isBad();
  }

  /**
   * Up to {@code n} live nodes closest (XOR) to {@code target}, sorted closest first. BAD nodes are
   * excluded; GOOD nodes are preferred: the result is the {@code n} closest GOOD nodes, topped up
   * with the closest QUESTIONABLE nodes when there are fewer than {@code n} good ones (under a BEP
   * 42 policy other than OFF, GOOD nodes whose id does not match rank with the QUESTIONABLE ones).
   * States are judged at the latest {@code now} the table has seen.
   */
  public List<NodeInfo> closest(NodeId target, int n) {
    return closestNodes.closest(target, n, false, latest);
  }

  /**
   * Like {@link #closest}, but only nodes that have answered one of our queries: the contacts we
   * may hand out in {@code nodes} replies (BEP 5 returns good nodes only). A node that has only
   * queried us, or was learned from someone's nodes list or a state file, is never returned here
   * until it answers a ping or lookup of ours; otherwise one spoofed query would make us advertise
   * any address to everyone who asks.
   */
  public List<NodeInfo> closestVerified(NodeId target, int n) {
    return closestNodes.closest(target, n, true, latest);
  }

  /** Periodic work to do now: nodes to ping and buckets to refresh. Never blocks. */
  public record Maintenance(List<NodeInfo> toPing, List<NodeId> refreshTargets) {
    /** Defensive copies. */
    public Maintenance {
      toPing = List.copyOf(toPing);
      refreshTargets = List.copyOf(refreshTargets);
    }
  }

  /** {@link #maintenance(long, int)} without a bound on the number of pings. */
  public Maintenance maintenance(long now) {
    return maintenance(now, Integer.MAX_VALUE);
  }

  /**
   * Maintenance at {@code now}:
   *
   * <ul>
   *   <li>{@code toPing}: live QUESTIONABLE entries not handed out within {@code
   *       pingIntervalNanos}, at most {@code maxPings}; entries facing eviction by a verified
   *       newcomer come first, then the least recently seen. Entries left out remain due.
   *   <li>{@code refreshTargets}: one random id inside each bucket unchanged (and not refreshed) for
   *       {@code refreshIntervalNanos}; the caller should run a find_node lookup for it.
   *   <li>BAD live entries whose bucket has a replacement are replaced (a safety net: this normally
   *       happens at once in {@link #onFailure}).
   * </ul>
   */
  public Maintenance maintenance(long now, int maxPings) {
    touch(now);
    // the safety net changes the table, so it stays here; the planner only picks pings and refreshes
    for (Bucket b : buckets) {
      NodeEntry bad;
      while (!b.replacements.isEmpty() && (bad = b.worstBad()) != null) {
        promote(b, bad, b.bestReplacement(idPolicy != SecureIdPolicy.OFF), now);
      }
    }
    return planner.plan(now, maxPings);
  }

  /**
   * A uniformly random id inside bucket {@code index}'s range.
   *
   * @throws IndexOutOfBoundsException if there is no such bucket
   */
  public NodeId randomIdInBucket(int index) {
    return planner.randomIdInBucket(index);
  }

  /** The index of the bucket whose range contains {@code id}. */
  public int bucketIndex(NodeId id) {
    return Math.min(self.commonPrefixLength(id), buckets.size() - 1);
  }

  /** Number of live entries (replacement caches not counted). */
  public int size() {
    return liveCount;
  }

  /** Number of live entries that are GOOD at {@code now}. */
  public int goodCount(long now) {
    int n = 0;
    for (Bucket b : buckets) {
      for (NodeEntry e : b.live) {
        if (e.state(now) == NodeState.GOOD) {
          n++;
        }
      }
    }
    return n;
  }

  /** Number of buckets (1..160). */
  public int bucketCount() {
    return buckets.size();
  }

  /** Number of replacement candidates over all buckets. */
  public int replacementCount() {
    return byId.size() - liveCount;
  }

  /** Snapshot of every live entry (bucket order), for persistence and statistics. */
  public List<NodeEntry> entries() {
    List<NodeEntry> out = new ArrayList<>(liveCount);
    for (Bucket b : buckets) {
      for (NodeEntry e : b.live) {
        out.add(e.copy());
      }
    }
    return out;
  }

  /** Snapshot of every replacement candidate (bucket order, oldest first within a bucket). */
  public List<NodeEntry> replacementEntries() {
    List<NodeEntry> out = new ArrayList<>();
    for (Bucket b : buckets) {
      for (NodeEntry e : b.replacements) {
        out.add(e.copy());
      }
    }
    return out;
  }

  /** Snapshot of the live entry with this id, or null. */
  public NodeEntry entry(NodeId id) {
    NodeEntry e = byId.get(id);
    return e != null && e.live ? e.copy() : null;
  }

  /** True if a live entry has this id (replacement candidates do not count). */
  public boolean contains(NodeId id) {
    NodeEntry e = byId.get(id);
    return e != null && e.live;
  }

  // ---------------------------------------------------------------- internals

  private void touch(long now) {
    if (!started) {
      started = true;
      latest = now;
      for (Bucket b : buckets) {
        b.lastChanged = now;
      }
    } else if (now - latest > 0) {
      latest = now;
    }
  }

  private boolean acceptable(NodeInfo node) {
    return node != null
        && !node.id().equals(self)
        && AddressFilter.isAcceptable(node.address(), config.allowLoopbackAndPrivate())
        && (idPolicy != SecureIdPolicy.ENFORCE || SecureIds.matches(node.id(), node.address()));
  }

  private Bucket bucketOf(NodeId id) {
    return buckets.get(bucketIndex(id));
  }

  /** Unverified newcomer (query or offer): follows the uniqueness policy, then inserts. */
  private void addUnverified(NodeEntry e, long now) {
    NodeEntry sameId = byId.get(e.id());
    NodeEntry sameAddr = byAddress.get(e.address());
    if (!yieldsToUnverified(sameId) || !yieldsToUnverified(sameAddr)) {
      return;
    }
    if (sameId != null) {
      unindex(sameId);
    }
    if (sameAddr != null && sameAddr != sameId) {
      unindex(sameAddr);
    }
    insert(e, now);
    refillDirty(now);
  }

  private static boolean yieldsToUnverified(NodeEntry incumbent) {
    return incumbent == null || (!incumbent.live && !incumbent.hasResponded());
  }

  /**
   * Inserts a new (unindexed) entry: into its bucket if there is room (splitting our own bucket as
   * needed) or a BAD entry to replace, else into the replacement cache. Returns true if live.
   */
  private boolean insert(NodeEntry e, long now) {
    Bucket first = bucketOf(e.id());
    if (!prefixCap.admits(e.address(), first.live, first.replacements)) {
      return false;
    }
    Bucket b;
    while (true) {
      int i = bucketIndex(e.id());
      b = buckets.get(i);
      if (b.live.size() < config.k()) {
        addLive(b, e, now);
        return true;
      }
      if (i == buckets.size() - 1 && buckets.size() < NodeId.BITS) {
        split(now);
        continue;
      }
      break;
    }
    NodeEntry bad = b.worstBad();
    if (bad == null && idPolicy != SecureIdPolicy.OFF && !e.idMismatch()) {
      bad = mismatchingNotGood(b);
    }
    if (bad != null) {
      unindex(bad);
      if (bad.idMismatch() && !bad.isBad()) {
        addReplacement(b, bad); // BEP 42 prefer: it yields its slot but may come back
      }
      addLive(b, e, now);
      return true;
    }
    if (e.hasResponded()) {
      markEvictionCandidate(b);
    }
    addReplacement(b, e);
    return false;
  }

  /** A live entry of {@code b} whose id does not match its address and that is not GOOD, or null. */
  private NodeEntry mismatchingNotGood(Bucket b) {
    for (NodeEntry x : b.live) {
      if (x.idMismatch() && x.state(latest) != NodeState.GOOD) {
        return x;
      }
    }
    return null;
  }

  /** Marks the least recently seen QUESTIONABLE entry for a priority ping, if none is marked. */
  private void markEvictionCandidate(Bucket b) {
    NodeEntry oldest = null;
    for (NodeEntry x : b.live) {
      if (x.state(latest) != NodeState.QUESTIONABLE) {
        continue;
      }
      if (x.evictionCandidate()) {
        return;
      }
      if (oldest == null || x.lastSeen() - oldest.lastSeen() < 0) {
        oldest = x;
      }
    }
    if (oldest != null) {
      oldest.setEvictionCandidate(true);
    }
  }

  private void addLive(Bucket b, NodeEntry e, long now) {
    e.live = true;
    e.setEvictionCandidate(false);
    b.live.add(e);
    index(e);
    liveCount++;
    b.lastChanged = now;
  }

  private void addReplacement(Bucket b, NodeEntry e) {
    int cap = config.replacementCacheSize();
    if (cap == 0) {
      return;
    }
    if (b.replacements.size() >= cap) {
      NodeEntry victim = null;
      for (NodeEntry r : b.replacements) {
        if (!r.hasResponded()) {
          victim = r;
          break;
        }
      }
      if (victim == null) {
        if (!e.hasResponded()) {
          return; // all candidates are verified; an unverified one does not displace them
        }
        victim = b.replacements.get(0);
      }
      unindex(victim);
    }
    e.live = false;
    b.replacements.add(e);
    index(e);
  }

  /** Splits the last bucket (the one holding our id) in two. */
  private void split(long now) {
    int last = buckets.size() - 1;
    Bucket old = buckets.get(last);
    Bucket near = new Bucket(now);
    moveFarther(old.live, near.live, last);
    moveFarther(old.replacements, near.replacements, last);
    buckets.add(near);
    old.lastChanged = now;
    markDirty(old);
    markDirty(near);
    LOG.debug("split bucket {}: {} + {} live entries", last, old.live.size(), near.live.size());
  }

  /** Moves entries sharing more than {@code depth} bits with our id from {@code from} to {@code to}. */
  private void moveFarther(List<NodeEntry> from, List<NodeEntry> to, int depth) {
    for (int j = 0; j < from.size(); ) {
      NodeEntry x = from.get(j);
      if (self.commonPrefixLength(x.id()) > depth) {
        to.add(x);
        from.remove(j);
      } else {
        j++;
      }
    }
  }

  private void markDirty(Bucket b) {
    if (!b.dirty) {
      b.dirty = true;
      dirty.add(b);
    }
  }

  /** Promotes replacements into free live slots of buckets that changed shape. */
  private void refillDirty(long now) {
    for (int d = 0; d < dirty.size(); d++) {
      Bucket b = dirty.get(d);
      b.dirty = false;
      while (b.live.size() < config.k() && !b.replacements.isEmpty()) {
        NodeEntry r = b.bestReplacement(idPolicy != SecureIdPolicy.OFF);
        unindex(r);
        addLive(b, r, now);
      }
    }
    dirty.clear();
  }

  private void index(NodeEntry e) {
    byId.put(e.id(), e);
    byAddress.put(e.address(), e);
    prefixCap.added(e.address());
  }

  /** Removes an entry from its bucket (live or replacement) and from the indexes. */
  private void unindex(NodeEntry e) {
    Bucket b = bucketOf(e.id());
    if (e.live) {
      if (b.live.remove(e)) {
        liveCount--;
      }
      e.live = false;
    } else {
      b.replacements.remove(e);
    }
    if (byId.remove(e.id(), e)) {
      prefixCap.removed(e.address());
    }
    byAddress.remove(e.address(), e);
  }
}
