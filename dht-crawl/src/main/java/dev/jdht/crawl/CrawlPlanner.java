package dev.jdht.crawl;

import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The crawl's brain, pure: fed with replies, incoming queries and the current time, it decides
 * which query to send next and when. It never reads a clock, never sends and never blocks.
 *
 * <p>Three kinds of work share the budget (a {@link TokenBucket}) fairly, each kind getting its
 * turn in proportion to what it has sent so far: sampling (sample_infohashes to every node in the
 * shard once, again only after its {@code interval} and only when its {@code num} says there is
 * more than it showed), discovery (a find_node sweep over targets spread across the shard: the
 * bit-reversed sweep index as the top bits, a random rest, sent to the known node closest to the
 * target), and peer queries (get_peers for new infohashes, with {@code peers} on). A {@link
 * PerIpLimiter} spaces packets to any one IP. Replies are validated; malformed sample replies are
 * counted and dropped whole. Not thread-safe: one thread drives it.
 */
public final class CrawlPlanner {
  /** One query to send. {@code token} identifies it in {@link #onReply}. */
  public record Action(SingleHopMethod method, NodeInfo to, NodeId target, long token) {}

  private enum State { FRESH, IN_FLIGHT, WAITING, DONE, DEAD }

  private static final class Known {
    final NodeId id;
    final PeerAddress address;
    State state = State.FRESH;
    long nextSampleAt;
    int failures;
    long samplesTaken;
    boolean sampled;

    Known(NodeId id, PeerAddress address) {
      this.id = id;
      this.address = address;
    }
  }

  private record Pending(SingleHopMethod method, Known node, NodeId target) {}

  private record PeerRequest(NodeId infohash, Known node) {}

  private static final int KIND_SAMPLE = 0;
  private static final int KIND_DISCOVER = 1;
  private static final int KIND_PEERS = 2;
  /** Items examined per call when the per-IP limit holds the head of a queue back. */
  private static final int MAX_SKIPS = 16;

  private final NodeId self;
  private final CrawlConfig config;
  private final CrawlListener listener;
  private final Random random;
  private final TokenBucket budget;
  private final PerIpLimiter perIp;
  private final SizeEstimator size = new SizeEstimator(128);
  private final Map<NodeId, Known> known = new HashMap<>();
  private final TreeMap<NodeId, Known> byId = new TreeMap<>();
  private final ArrayDeque<Known> fresh = new ArrayDeque<>();
  private final PriorityQueue<Known> reask =
      new PriorityQueue<>((a, b) -> Long.compare(a.nextSampleAt, b.nextSampleAt));
  private final ArrayDeque<PeerRequest> peerRequests = new ArrayDeque<>();
  private final Set<NodeId> distinct = new HashSet<>();
  private final Map<Long, Pending> inFlight = new HashMap<>();
  private final long[] sentByKind = new long[3];
  private long nextToken;
  private long sweepIndex;

  private long sampledNodes;
  private long samples;
  private long packetsOut;
  private long packetsIn;
  private long timeouts;
  private long noBep51;
  private long droppedReplies;
  private long harvested;
  private long peers;
  private long ignoredNodes;
  private long distinctCount;

  public CrawlPlanner(NodeId self, CrawlConfig config, CrawlListener listener, Random random, long now) {
    this.self = self;
    this.config = config;
    this.listener = listener;
    this.random = random;
    this.budget = new TokenBucket(config.ratePerSecond(), now);
    this.perIp = new PerIpLimiter(config.perIpRate(), 65_536);
  }

  // ------------------------------------------------------------------------------------------
  // input

  /** Adds a node to start from (a bootstrap contact or a routing-table entry). */
  public void addSeed(NodeInfo n) {
    learn(n.id(), n.address(), true);
  }

  /**
   * A node stored by an earlier run of this crawl ({@code atMillis}: when it was last heard from).
   * One that answered sample_infohashes is asked again only once the {@code interval} it gave has
   * passed since then (last heard from is never before its last sample, so this never asks too
   * soon); one that does not speak BEP 51 is known but not asked; one never asked is fresh work.
   */
  public void addResumed(NodeSeen n, long now, long nowMillis) {
    Known k = admit(n.id(), n.address(), true);
    if (k == null || k.state == State.DONE) {
      return;
    }
    if (Boolean.FALSE.equals(n.bep51())) {
      k.state = State.DONE;
      return;
    }
    long waitMillis = 0;
    if (Boolean.TRUE.equals(n.bep51()) && n.intervalSeconds() != null) {
      long interval = Math.min(Math.max(0, n.intervalSeconds()), config.maxIntervalSeconds());
      waitMillis = n.atMillis() + interval * 1000 - nowMillis;
    }
    if (waitMillis <= 0) {
      fresh.add(k);
    } else {
      k.state = State.WAITING;
      k.nextSampleAt = now + waitMillis * 1_000_000L;
      reask.add(k);
    }
  }

  private void learn(NodeId id, PeerAddress address, boolean seed) {
    Known k = admit(id, address, seed);
    if (k != null && k.state == State.FRESH) {
      fresh.add(k);
    }
  }

  /**
   * A new node entry, FRESH (not queued yet) in our shard or DONE outside it (a seed from outside
   * is a way in, not work); null if the node is known, ours, unusable, outside the shard and not a
   * seed, or over the bound.
   */
  private Known admit(NodeId id, PeerAddress address, boolean seed) {
    if (id.equals(self) || address.port() == 0 || known.containsKey(id)) {
      return null;
    }
    if (!seed && !config.shard().contains(id)) {
      return null;
    }
    if (known.size() >= config.maxKnownNodes()) {
      ignoredNodes++;
      return null;
    }
    Known k = new Known(id, address);
    known.put(id, k);
    byId.put(id, k);
    if (!config.shard().contains(id)) {
      k.state = State.DONE;
    }
    return k;
  }

  /** A get_peers or announce_peer query reached our node. */
  public void onIncoming(InfohashQuery q, long atMillis) {
    if (q.querierId() != null) {
      learn(q.querierId(), q.from(), false);
    }
    if (!config.shard().contains(q.infoHash())) {
      return;
    }
    harvested++;
    InfohashSeen.Source src =
        q.method().equals("announce_peer") ? InfohashSeen.Source.ANNOUNCE : InfohashSeen.Source.GET_PEERS;
    listener.onInfohash(new InfohashSeen(q.infoHash(), q.querierId(), q.from(), atMillis, src));
    remember(q.infoHash(), null);
  }

  private void remember(NodeId infohash, Known from) {
    if (distinct.size() < config.maxDistinctInfohashes() && distinct.add(infohash)) {
      distinctCount++;
      if (config.peers() && from != null && peerRequests.size() < config.maxPeerQueue()) {
        peerRequests.add(new PeerRequest(infohash, from));
      }
    }
  }

  /** The reply to the action with {@code token}: a response (or null) and an error flag. */
  public void onResponse(long token, Response r, long now, long atMillis) {
    Pending p = inFlight.remove(token);
    if (p == null) {
      return;
    }
    packetsIn++;
    switch (p.method()) {
      case SAMPLE_INFOHASHES -> onSampleReply(p.node(), r, now, atMillis);
      case FIND_NODE -> {
        listener.onNode(new NodeSeen(r.id(), p.node().address, atMillis, null, null, null));
        learnAll(p.target(), r);
      }
      case GET_PEERS -> {
        for (PeerAddress peer : r.values()) {
          peers++;
          listener.onPeer(new PeerSeen(p.target(), peer, atMillis));
        }
      }
    }
  }

  /** The node answered the action with a KRPC error. */
  public void onError(long token, long atMillis) {
    Pending p = inFlight.remove(token);
    if (p == null) {
      return;
    }
    packetsIn++;
    if (p.method() == SingleHopMethod.SAMPLE_INFOHASHES) {
      noBep51++;
      p.node().state = State.DONE;
      listener.onNode(new NodeSeen(p.node().id, p.node().address, atMillis, false, null, null));
    }
  }

  /** The action got no answer in time. */
  public void onTimeout(long token, long now) {
    Pending p = inFlight.remove(token);
    if (p == null) {
      return;
    }
    timeouts++;
    if (p.method() == SingleHopMethod.SAMPLE_INFOHASHES) {
      Known k = p.node();
      if (++k.failures >= 2) {
        k.state = State.DEAD;
      } else {
        k.state = State.WAITING;
        k.nextSampleAt = now + config.retryNanos();
        reask.add(k);
      }
    }
  }

  /** The action could not be sent (the node's query table was full): it goes back in line. */
  public void onNotSent(long token) {
    Pending p = inFlight.remove(token);
    if (p == null) {
      return;
    }
    packetsOut--;
    if (p.method() == SingleHopMethod.SAMPLE_INFOHASHES) {
      p.node().state = State.FRESH;
      fresh.addFirst(p.node());
    }
  }

  private void onSampleReply(Known k, Response r, long now, long atMillis) {
    byte[] s = r.samples();
    if (s == null) {
      noBep51++;
      k.state = State.DONE;
      listener.onNode(new NodeSeen(r.id(), k.address, atMillis, false, null, null));
      learnAll(null, r);
      return;
    }
    Long num = r.num();
    Long interval = r.interval();
    int count = s.length / NodeId.LENGTH;
    if (s.length % NodeId.LENGTH != 0
        || count > config.maxSamplesPerReply()
        || (num != null && (num < count || num > config.maxNum()))
        || (interval != null && (interval < 0 || interval > config.maxIntervalSeconds()))) {
      droppedReplies++;
      k.state = State.DONE;
      return;
    }
    if (!k.sampled) {
      k.sampled = true;
      sampledNodes++;
    }
    k.failures = 0;
    listener.onNode(new NodeSeen(r.id(), k.address, atMillis, true, num, interval));
    for (int i = 0; i < count; i++) {
      NodeId ih = NodeId.of(s, i * NodeId.LENGTH);
      samples++;
      listener.onInfohash(new InfohashSeen(ih, r.id(), k.address, atMillis, InfohashSeen.Source.SAMPLE));
      remember(ih, k);
    }
    k.samplesTaken += count;
    learnAll(null, r);
    boolean more = num != null && num > count && k.samplesTaken < config.maxSamplesPerNode();
    if (more) {
      long wait = Math.max(config.minReaskNanos(), (interval == null ? config.maxIntervalSeconds() : interval) * 1_000_000_000L);
      k.state = State.WAITING;
      k.nextSampleAt = now + wait;
      reask.add(k);
    } else {
      k.state = State.DONE;
    }
  }

  private void learnAll(NodeId target, Response r) {
    List<NodeInfo> nodes = r.allNodes();
    if (target != null && !nodes.isEmpty()) {
      List<NodeId> ids = new ArrayList<>(nodes.size());
      for (NodeInfo n : nodes) {
        ids.add(n.id());
      }
      size.add(target, ids);
    }
    for (NodeInfo n : nodes) {
      learn(n.id(), n.address(), false);
    }
  }

  // ------------------------------------------------------------------------------------------
  // output

  /**
   * The next query to send now, or null when the budget, the in-flight limit or the per-IP limit
   * hold everything back or there is nothing to do. Call repeatedly until null, then again at
   * {@link #nanosUntilNext}.
   */
  public Action next(long now) {
    if (inFlight.size() >= config.maxInFlight() || budget.nanosUntilToken(now) > 0) {
      return null;
    }
    int[] order = kindsByTurn();
    for (int kind : order) {
      Action a =
          switch (kind) {
            case KIND_SAMPLE -> nextSample(now);
            case KIND_DISCOVER -> nextDiscovery(now);
            default -> nextPeers(now);
          };
      if (a != null) {
        budget.tryTake(now);
        perIp.recordSend(a.to().address(), now);
        sentByKind[kind]++;
        packetsOut++;
        return a;
      }
    }
    return null;
  }

  /** Kinds ordered by fewest packets sent so far (peer queries weigh double: half a share). */
  private int[] kindsByTurn() {
    long s = sentByKind[KIND_SAMPLE];
    long d = sentByKind[KIND_DISCOVER];
    long p = sentByKind[KIND_PEERS] * 2;
    int[] order = {KIND_SAMPLE, KIND_DISCOVER, KIND_PEERS};
    long[] w = {s, d, p};
    for (int i = 0; i < 3; i++) {
      for (int j = i + 1; j < 3; j++) {
        if (w[j] < w[i]) {
          long t = w[i];
          w[i] = w[j];
          w[j] = t;
          int o = order[i];
          order[i] = order[j];
          order[j] = o;
        }
      }
    }
    return order;
  }

  private Action nextSample(long now) {
    while (!reask.isEmpty() && reask.peek().nextSampleAt <= now) {
      Known k = reask.poll();
      if (k.state == State.WAITING) {
        k.state = State.FRESH;
        fresh.addFirst(k);
      }
    }
    for (int i = 0; i < MAX_SKIPS && !fresh.isEmpty(); i++) {
      Known k = fresh.poll();
      if (k.state != State.FRESH) {
        i--;
        continue;
      }
      if (perIp.nanosUntilAllowed(k.address, now) > 0) {
        fresh.add(k);
        continue;
      }
      k.state = State.IN_FLIGHT;
      return register(SingleHopMethod.SAMPLE_INFOHASHES, k, sweepTarget());
    }
    return null;
  }

  private Action nextDiscovery(long now) {
    if (byId.isEmpty()) {
      return null;
    }
    NodeId target = sweepTarget();
    Known k = closest(target);
    if (perIp.nanosUntilAllowed(k.address, now) > 0) {
      return null;
    }
    return register(SingleHopMethod.FIND_NODE, k, target);
  }

  private Action nextPeers(long now) {
    for (int i = 0; i < MAX_SKIPS && !peerRequests.isEmpty(); i++) {
      PeerRequest pr = peerRequests.poll();
      if (pr.node().state == State.DEAD) {
        continue;
      }
      if (perIp.nanosUntilAllowed(pr.node().address, now) > 0) {
        peerRequests.add(pr);
        continue;
      }
      return register(SingleHopMethod.GET_PEERS, pr.node(), pr.infohash());
    }
    return null;
  }

  private Action register(SingleHopMethod m, Known k, NodeId target) {
    long token = nextToken++;
    inFlight.put(token, new Pending(m, k, target));
    return new Action(m, new NodeInfo(k.id, k.address), target, token);
  }

  /**
   * The next sweep target: the sweep index, bit-reversed, as the top 32 bits of a position inside
   * the shard, and random bits below; consecutive targets land far apart and every prefix is
   * visited in turn.
   */
  NodeId sweepTarget() {
    long rev = Integer.reverse((int) (sweepIndex++)) & 0xffffffffL;
    long pos = (rev << 32) | (random.nextInt() & 0xffffffffL);
    Shard sh = config.shard();
    long top = pos;
    if (sh.count() > 1) {
      long width = Long.divideUnsigned(-1L, sh.count());
      top = width * sh.index() + Math.multiplyHigh(pos, width) + ((pos >> 63) & width);
    }
    byte[] b = new byte[NodeId.LENGTH];
    random.nextBytes(b);
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (top >>> (56 - 8 * i));
    }
    NodeId t = NodeId.of(b);
    return sh.contains(t) ? t : sh.randomId(random);
  }

  /** The known node closest (XOR) to {@code target}: one of its neighbours in id order. */
  private Known closest(NodeId target) {
    Map.Entry<NodeId, Known> up = byId.ceilingEntry(target);
    Map.Entry<NodeId, Known> down = byId.floorEntry(target);
    if (up == null) {
      return down.getValue();
    }
    if (down == null) {
      return up.getValue();
    }
    return target.compareDistance(up.getKey(), down.getKey()) <= 0 ? up.getValue() : down.getValue();
  }

  /** Nanoseconds until {@link #next} may return something (a bounded guess; 0: now). */
  public long nanosUntilNext(long now) {
    long wait = budget.nanosUntilToken(now);
    return wait > 0 ? wait : 10_000_000L; // per-IP spacing, in-flight limit or nothing to do
  }

  /** Queries awaiting an answer. */
  public int inFlight() {
    return inFlight.size();
  }

  /** Nodes ignored because {@code maxKnownNodes} was reached. */
  public long ignoredNodes() {
    return ignoredNodes;
  }

  /** A snapshot of the counters. */
  public CrawlStats stats() {
    long est = size.estimate();
    double coverage = est == 0 ? 0 : sampledNodes / ((double) est / config.shard().count());
    return new CrawlStats(
        known.size(), sampledNodes, samples, distinctCount, packetsOut, packetsIn, timeouts, noBep51,
        droppedReplies, harvested, peers, est, coverage);
  }
}
