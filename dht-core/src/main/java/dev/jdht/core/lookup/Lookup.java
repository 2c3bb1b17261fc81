package dev.jdht.core.lookup;

import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The iterative search state machine of BEP 5 (find_node or get_peers towards a target id).
 *
 * <p>Candidates are kept in XOR-distance order to the target, bounded by {@link
 * LookupConfig#maxCandidates()}; each is Pending, Querying (in flight) or Responded. A failed
 * candidate (hard timeout or KRPC error) leaves the set at once; its address and id are
 * remembered so that it is never queried again. There is one candidate per IP:port and one per
 * id; contacts with port 0, our own id, or rejected by the optional contact filter are ignored.
 *
 * <p>Scheduling: the lookup queries the closest Pending candidates among the K closest viable
 * ones (Pending, active Querying or Responded), with at most {@code alpha} active queries. A query
 * whose soft timeout (the p90 RTT clamped to [floor, cap], fixed when it is sent) has expired
 * stops counting against alpha and stops counting as viable, but stays in flight: a late answer is
 * still used. Hard timeouts are the caller's job ({@link #onFailure}).
 *
 * <p>Done when the K closest candidates have all Responded and nothing closer is Pending or
 * actively in flight; or when no candidate is Pending and nothing is actively in flight; or when
 * {@code maxQueries} queries were sent and nothing closer than the K-th responder is still actively
 * in flight (Pending ones can no longer be queried then). Never "after any K responses". A query
 * past its soft timeout frees its slot (the next closest candidate is queried); 1.25 soft timeouts
 * after it was sent its node is presumed silent and no longer blocks completion, but its answer is
 * still used if it arrives before the lookup is done. {@link LookupConfig#silentBlocksDone} restores the previous
 * rule, where it blocked completion until its hard timeout.
 *
 * <p>Node id changes: if a node answers with an id other than the one we had for it, the answer
 * is taken under the reported id only when that id is sane: not our own id, accepted by the
 * contact filter, and not the id of another candidate or of a node already queried. The
 * candidate is then re-sorted under the reported id. Otherwise the answer still counts in
 * {@code responses} and its RTT, peers and nodes are used, but the node is treated as failed: it
 * never enters the closest set, its token is not kept and {@link
 * LookupListener#onNodeResponded} is not called.
 *
 * <p>After the lookup is done (or cancelled) its result is final: later answers only feed the
 * RTT estimator and {@link LookupListener#onNodeResponded}, and leave {@link #inFlight()}.
 *
 * <p>Every method returns the nodes the caller must query now (an unmodifiable list, usually
 * empty or up to alpha); the caller sends them at once with the same {@code now}, since the RTT
 * is measured from it.
 *
 * <p>Threading: not thread-safe; a lookup is owned by the loop thread. It never reads a clock,
 * never blocks, never does I/O. Listener callbacks run synchronously inside these methods.
 */
public final class Lookup {
  /** Bound on the distinct peers one lookup keeps; further new peers are ignored. */
  public static final int MAX_PEERS = 65_536;
  /** Tokens longer than this are ignored (BEP 5 tokens are a few bytes). */
  public static final int MAX_TOKEN_LENGTH = 128;

  private enum State { PENDING, QUERYING, RESPONDED }

  private static final class Candidate {
    NodeInfo node;
    State state = State.PENDING;
    long sentAt;
    long softDeadline;
    boolean softExpired;
    long silentDeadline;
    boolean silent;
    byte[] token;
    long rtt;
    ClosestAdmission.Facts facts;

    Candidate(NodeInfo node, ClosestAdmission admission) {
      this.node = node;
      this.facts = admission.facts(node);
    }
  }

  private final LookupKind kind;
  private final NodeId target;
  private final LookupConfig config;
  private final RttEstimator rtt;
  private final LookupListener listener;
  private final NodeId selfId;
  private final Predicate<? super NodeInfo> contactFilter;
  private ClosestAdmission admission = ClosestAdmission.ALL;

  private final TreeSet<Candidate> candidates;
  private final Map<PeerAddress, Candidate> byAddress = new HashMap<>();
  private final Map<NodeId, Candidate> byId = new HashMap<>();
  // everything ever queried (bounded by maxQueries, plus re-keyed ids): never queried twice
  private final Set<PeerAddress> queriedAddresses = new HashSet<>();
  private final Set<NodeId> queriedIds = new HashSet<>();
  private final Map<PeerAddress, Candidate> inFlight = new LinkedHashMap<>();
  private final LinkedHashSet<PeerAddress> peers = new LinkedHashSet<>();

  private int active; // in flight and soft timeout not expired
  private int respondedInSet;
  private boolean started;
  private java.util.function.ToLongFunction<PeerAddress> seedRtt;
  private boolean done;
  private boolean cancelled;
  private int queriesSent;
  private int responses;
  private int timeouts;
  private int softTimeouts;
  private long startedAt = -1;
  private long firstPeerAt = -1;
  private long doneAt = -1;
  private LookupResult finalResult;

  /**
   * A lookup without a self filter or contact filter: only port-0 contacts are dropped.
   *
   * @param listener callbacks, or null for none
   */
  public Lookup(LookupKind kind, NodeId target, LookupConfig config, RttEstimator rtt, LookupListener listener) {
    this(kind, target, config, rtt, listener, null, null);
  }

  /**
   * A lookup that also ignores contacts with our own id and contacts the filter rejects (e.g. our
   * own address, martian addresses, the other address family).
   *
   * @param selfId our node id, or null
   * @param contactFilter accepts contacts worth querying, or null to accept all
   */
  public Lookup(
      LookupKind kind,
      NodeId target,
      LookupConfig config,
      RttEstimator rtt,
      LookupListener listener,
      NodeId selfId,
      Predicate<? super NodeInfo> contactFilter) {
    if (kind == null || target == null || config == null || rtt == null) {
      throw new NullPointerException("kind, target, config and rtt are required");
    }
    this.kind = kind;
    this.target = target;
    this.config = config;
    this.rtt = rtt;
    this.listener = listener == null ? LookupListener.NONE : listener;
    this.selfId = selfId;
    this.contactFilter = contactFilter;
    this.candidates = new TreeSet<>((a, b) -> target.compareDistance(a.node.id(), b.node.id()));
  }

  /**
   * BEP 42 and address diversity (default {@link ClosestAdmission#ALL}): which candidates may take
   * a place among the K closest; the others are neither queried nor counted. Call before {@link
   * #start}.
   */
  public void setAdmission(ClosestAdmission admission) {
    if (started) {
      throw new IllegalStateException("set the admission rule before start");
    }
    this.admission = admission;
  }

  /**
   * Lets the first round prefer fast seeds: {@code rtt} gives a seed's measured round trip in
   * nanoseconds (-1 when unknown), e.g. from the routing table. {@link #start} then queries, of
   * the K closest seeds, first the fast tier (an RTT within 4x of the
   * fastest one's) by distance, then the others by RTT (seeds with no measurement last, by
   * distance), alpha in all, instead of the alpha closest; every later query goes by distance, and
   * the seeds passed over stay among the K closest, so they are still queried before the lookup
   * is done. The first peer then comes from the fastest close nodes; which nodes the lookup must
   * hear from to finish is unchanged. Call before {@link #start}.
   */
  public void setSeedRtt(java.util.function.ToLongFunction<PeerAddress> rtt) {
    if (started) {
      throw new IllegalStateException("set the seed RTTs before start");
    }
    this.seedRtt = rtt;
  }

  /**
   * Seeds the lookup (typically the routing table's closest nodes) and returns the first queries
   * (at most alpha). With no usable seed the lookup is done at once with an empty result. Seeds
   * are not reported to {@link LookupListener#onNodeLearned}.
   *
   * @throws IllegalStateException if called twice
   */
  public List<NodeInfo> start(Collection<NodeInfo> seeds, long now) {
    if (started) {
      throw new IllegalStateException("lookup already started");
    }
    started = true;
    startedAt = now;
    if (done) { // cancelled before start
      return List.of();
    }
    for (NodeInfo seed : seeds) {
      addCandidate(seed);
    }
    return seedRtt == null ? advance(now) : firstRound(now);
  }

  /**
   * The node we queried answered; the caller matched the transaction to {@code queried} (one of
   * the nodes this lookup returned). Ignored if {@code queried} is not in flight.
   */
  public List<NodeInfo> onResponse(NodeInfo queried, Response response, long now) {
    Candidate c = inFlight.remove(queried.address());
    if (c == null) {
      return List.of();
    }
    if (!c.softExpired) {
      active--;
    }
    long rttNanos = Math.max(0, now - c.sentAt);
    rtt.add(rttNanos);
    NodeId reported = response.id();
    boolean sane = isSaneId(c, reported);
    if (done) {
      if (sane) {
        listener.onNodeResponded(new NodeInfo(reported, c.node.address()), rttNanos);
      }
      return List.of();
    }
    responses++;
    if (sane) {
      if (!reported.equals(c.node.id())) {
        rekey(c, reported);
      }
      c.state = State.RESPONDED;
      c.rtt = rttNanos;
      respondedInSet++;
      byte[] token = response.token();
      if (kind != LookupKind.FIND_NODE && token != null && token.length <= MAX_TOKEN_LENGTH) {
        c.token = token.clone();
      }
      listener.onNodeResponded(c.node, rttNanos);
    } else {
      remove(c); // treated as failed: stays in queriedAddresses/queriedIds
    }
    if (kind == LookupKind.GET_PEERS) {
      for (PeerAddress p : response.values()) {
        addPeer(p, now);
      }
    }
    for (NodeInfo n : response.allNodes()) {
      if (addCandidate(n)) {
        listener.onNodeLearned(n);
      }
    }
    return advance(now);
  }

  /** Our query to {@code queried} failed (hard timeout or KRPC error): it is dropped for good. */
  public List<NodeInfo> onFailure(NodeInfo queried, long now) {
    Candidate c = inFlight.remove(queried.address());
    if (c == null) {
      return List.of();
    }
    if (!c.softExpired) {
      active--;
    }
    if (done) {
      return List.of();
    }
    timeouts++;
    remove(c);
    return advance(now);
  }

  /**
   * Time passed: queries whose soft timeout expired free their slot (they stay in flight). Returns
   * the queries to send now.
   */
  public List<NodeInfo> onTick(long now) {
    if (done) {
      return List.of();
    }
    for (Candidate c : inFlight.values()) {
      if (!c.softExpired && c.softDeadline <= now) {
        c.softExpired = true;
        active--;
        softTimeouts++;
      }
      if (!c.silent && c.silentDeadline <= now) {
        c.silent = true;
      }
    }
    return advance(now);
  }

  /**
   * The earliest soft-timeout deadline among active queries, or {@link Long#MAX_VALUE} (also once
   * done). Hard timeouts are not included: the caller arms those per transaction.
   */
  public long nextDeadline() {
    if (done) {
      return Long.MAX_VALUE;
    }
    long min = Long.MAX_VALUE;
    for (Candidate c : inFlight.values()) {
      if (!c.softExpired && c.softDeadline < min) {
        min = c.softDeadline;
      }
      if (!c.silent && !config.silentBlocksDone() && c.silentDeadline < min) {
        min = c.silentDeadline;
      }
    }
    return min;
  }

  /** True once finished or cancelled. */
  public boolean isDone() {
    return done;
  }

  /** find_node or get_peers. */
  public LookupKind kind() {
    return kind;
  }

  /** The searched id. */
  public NodeId target() {
    return target;
  }

  /**
   * Nodes queried without an answer or failure yet (including soft-timed-out ones), also after
   * the lookup is done: the caller releases their transactions on cancel or close. An unmodifiable
   * snapshot.
   */
  public Collection<NodeInfo> inFlight() {
    List<NodeInfo> out = new ArrayList<>(inFlight.size());
    for (Candidate c : inFlight.values()) {
      out.add(c.node);
    }
    return Collections.unmodifiableList(out);
  }

  /** Finishes early; {@link #isDone()} becomes true and the result is marked cancelled. */
  public void cancel(long now) {
    if (done) {
      return;
    }
    cancelled = true;
    finish(now);
  }

  /** The outcome so far; final once {@link #isDone()}. */
  public LookupResult result() {
    if (finalResult != null) {
      return finalResult;
    }
    return snapshot();
  }

  /** Answers received so far. */
  public int responses() {
    return responses;
  }

  /** Queries failed so far. */
  public int timeouts() {
    return timeouts;
  }

  /** The {@code now} given to {@code start}, or -1 before. */
  public long startedAt() {
    return startedAt;
  }

  /** When the first peer arrived, or -1. */
  public long firstPeerAt() {
    return firstPeerAt;
  }

  /** Queries sent so far. */
  public int queriesSent() {
    return queriesSent;
  }

  /** Queries counted against alpha now. */
  public int activeQueries() {
    return active;
  }

  /** Distinct peers found so far. */
  public int peerCount() {
    return peers.size();
  }

  /** Candidates held now (at most maxCandidates). */
  public int candidateCount() {
    return candidates.size();
  }

  // ---- internals ----

  private LookupResult snapshot() {
    List<ClosestNode> closest = new ArrayList<>(config.k());
    ClosestAdmission.Round round = admission.round();
    for (Candidate c : candidates) {
      if (closest.size() >= config.k()) {
        break;
      }
      if (!round.admit(c.facts)) {
        continue;
      }
      if (c.state == State.RESPONDED) {
        closest.add(new ClosestNode(c.node, c.token, c.rtt));
      }
    }
    return new LookupResult(target, kind, queriesSent, responses, timeouts, softTimeouts,
        startedAt, firstPeerAt, doneAt, peers, closest, cancelled);
  }

  private void finish(long now) {
    done = true;
    doneAt = now;
    finalResult = snapshot();
  }

  private boolean isSaneId(Candidate c, NodeId reported) {
    if (reported == null) {
      return false;
    }
    if (reported.equals(c.node.id())) {
      return true;
    }
    if (reported.equals(selfId) || byId.containsKey(reported) || queriedIds.contains(reported)) {
      return false;
    }
    return contactFilter == null || contactFilter.test(new NodeInfo(reported, c.node.address()));
  }

  private void rekey(Candidate c, NodeId reported) {
    candidates.remove(c);
    byId.remove(c.node.id());
    c.node = new NodeInfo(reported, c.node.address());
    c.facts = admission.facts(c.node);
    byId.put(reported, c);
    queriedIds.add(reported);
    candidates.add(c);
  }

  private void remove(Candidate c) {
    candidates.remove(c);
    byAddress.remove(c.node.address());
    byId.remove(c.node.id());
    if (c.state == State.RESPONDED) {
      respondedInSet--;
    }
  }

  private void addPeer(PeerAddress p, long now) {
    if (p.port() == 0 || peers.size() >= MAX_PEERS) {
      return;
    }
    if (peers.add(p)) {
      if (firstPeerAt < 0) {
        firstPeerAt = now;
      }
      listener.onPeer(p);
    }
  }

  /** Adds a new contact; false if it is junk, known, already queried, or too far to keep. */
  private boolean addCandidate(NodeInfo n) {
    PeerAddress a = n.address();
    NodeId id = n.id();
    if (a.port() == 0 || id.equals(selfId)) {
      return false;
    }
    if (byAddress.containsKey(a) || byId.containsKey(id) || queriedAddresses.contains(a) || queriedIds.contains(id)) {
      return false;
    }
    if (contactFilter != null && !contactFilter.test(n)) {
      return false;
    }
    Candidate c = new Candidate(n, admission);
    if (candidates.size() >= config.maxCandidates() && !evictFartherThan(id) && !evictInadmissible(c)) {
      return false;
    }
    candidates.add(c);
    byAddress.put(a, c);
    byId.put(id, c);
    return true;
  }

  /**
   * Drops the farthest candidate that is farther than {@code id} and neither in flight nor among
   * the K closest responders. False if there is none.
   */
  private boolean evictFartherThan(NodeId id) {
    int respondedSeen = 0;
    Iterator<Candidate> it = candidates.descendingIterator();
    while (it.hasNext()) {
      Candidate c = it.next();
      if (target.compareDistance(c.node.id(), id) < 0) {
        return false; // everything left is closer than the newcomer
      }
      if (c.state == State.QUERYING) {
        continue;
      }
      if (c.state == State.RESPONDED) {
        int rankFromNear = respondedInSet - respondedSeen;
        respondedSeen++;
        if (rankFromNear <= config.k()) {
          continue;
        }
      }
      it.remove();
      byAddress.remove(c.node.address());
      byId.remove(c.node.id());
      if (c.state == State.RESPONDED) {
        respondedInSet--;
      }
      return true;
    }
    return false;
  }

  /**
   * BEP 42 prefer: with the set full of closer candidates, a matching newcomer takes the place of
   * the farthest Pending candidate whose id does not match (sybils next to the target must not
   * crowd out the honest nodes). False if the newcomer mismatches or there is none.
   */
  private boolean evictInadmissible(Candidate newcomer) {
    if (admission.admitsAll() || newcomer.facts.mismatch()) {
      return false;
    }
    Iterator<Candidate> it = candidates.descendingIterator();
    while (it.hasNext()) {
      Candidate c = it.next();
      if (c.state == State.PENDING && c.facts.mismatch()) {
        it.remove();
        byAddress.remove(c.node.address());
        byId.remove(c.node.id());
        return true;
      }
    }
    return false;
  }

  /** Seeds whose RTT is within this factor of the fastest seed's form the first round's fast tier. */
  static final long FAST_TIER_FACTOR = 4;

  /** The first queries when seed RTTs are known: the fast tier of the K closest seeds, then the rest by RTT. */
  private List<NodeInfo> firstRound(long now) {
    if (isComplete()) {
      finish(now);
      return List.of();
    }
    List<Candidate> window = new ArrayList<>(config.k());
    ClosestAdmission.Round round = admission.round();
    for (Candidate c : candidates) {
      if (window.size() >= config.k()) {
        break;
      }
      if (round.admit(c.facts)) {
        window.add(c); // all Pending: nothing was sent yet
      }
    }
    // the fast tier: seeds within FAST_TIER_FACTOR of the fastest, kept in distance order (the
    // closest are likeliest to hold what we look for); then the others by RTT, unknown ones last.
    // A stable sort, so ties keep their distance order.
    long fastest = Long.MAX_VALUE;
    for (Candidate c : window) {
      long r = seedRtt.applyAsLong(c.node.address());
      if (r >= 0 && r < fastest) {
        fastest = r;
      }
    }
    long tier = fastest == Long.MAX_VALUE ? -1 : fastest * FAST_TIER_FACTOR;
    window.sort(java.util.Comparator.comparingLong(c -> {
      long r = seedRtt.applyAsLong(c.node.address());
      return r < 0 ? Long.MAX_VALUE : r <= tier ? 0 : r;
    }));
    int n = Math.min(window.size(), Math.min(config.alpha(), config.maxQueries()));
    List<NodeInfo> out = new ArrayList<>(n);
    for (Candidate c : window.subList(0, n)) {
      send(c, now);
      out.add(c.node);
    }
    return Collections.unmodifiableList(out);
  }

  /** Checks completion, then fills free slots. */
  private List<NodeInfo> advance(long now) {
    if (done) {
      return List.of();
    }
    if (isComplete()) {
      finish(now);
      return List.of();
    }
    List<NodeInfo> out = null;
    int viable = 0;
    ClosestAdmission.Round round = admission.round();
    for (Candidate c : candidates) {
      if (viable >= config.k() || active >= config.alpha() || queriesSent >= config.maxQueries()) {
        break;
      }
      if (!round.admit(c.facts)) {
        continue;
      }
      switch (c.state) {
        case RESPONDED -> viable++;
        case QUERYING -> {
          if (!c.softExpired) {
            viable++;
          }
        }
        case PENDING -> {
          send(c, now);
          if (out == null) {
            out = new ArrayList<>(config.alpha());
          }
          out.add(c.node);
          viable++;
        }
        default -> throw new AssertionError(c.state);
      }
    }
    return out == null ? List.of() : Collections.unmodifiableList(out);
  }

  private void send(Candidate c, long now) {
    c.state = State.QUERYING;
    c.sentAt = now;
    long soft = config.softTimeoutNanos(rtt);
    c.softDeadline = now + soft;
    c.softExpired = false;
    // presumed silent a quarter soft timeout after the slot is freed (and the query resent): a
    // measured trade, see docs/bench-lookup.md (1.0x: 476 ms done p50, 1.25x: 493, 1.5x: 516)
    c.silentDeadline = now + Math.min(config.hardTimeoutNanos(), soft + soft / 4);
    c.silent = false;
    queriedAddresses.add(c.node.address());
    queriedIds.add(c.node.id());
    inFlight.put(c.node.address(), c);
    active++;
    queriesSent++;
  }

  private boolean isComplete() {
    boolean exhausted = queriesSent >= config.maxQueries();
    int responded = 0;
    ClosestAdmission.Round round = admission.round();
    for (Candidate c : candidates) {
      if (!round.admit(c.facts)) {
        continue;
      }
      switch (c.state) {
        case RESPONDED -> {
          if (++responded >= config.k()) {
            return true;
          }
        }
        case QUERYING -> {
          if (!c.silent || config.silentBlocksDone()) {
            return false;
          }
          // presumed silent: as if absent, the candidates behind it decide
        }
        case PENDING -> {
          if (!exhausted) {
            return false;
          }
        }
        default -> throw new AssertionError(c.state);
      }
    }
    // no Pending (or no query budget left) and nothing (actively) in flight
    if (config.silentBlocksDone()) {
      return inFlight.isEmpty();
    }
    for (Candidate c : inFlight.values()) {
      if (!c.silent) {
        return false;
      }
    }
    return true;
  }
}
