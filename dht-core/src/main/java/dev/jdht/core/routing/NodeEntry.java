package dev.jdht.core.routing;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;

/**
 * One contact known to a {@link RoutingTable}, with what we know of its liveness.
 *
 * <p>Instances handed out by {@link RoutingTable#entries()} are snapshots: they never change
 * afterwards and may be read from any thread. Inside the table, entries are mutated only by the
 * table's owning (loop) thread.
 *
 * <p>Times are monotonic nanoseconds as passed to the table; {@link Long#MIN_VALUE} means "never".
 */
public final class NodeEntry {
  /** The "never" value of {@link #lastResponse()} and {@link #lastQuery()}. */
  public static final long NEVER = Long.MIN_VALUE;

  private final NodeInfo node;
  private final long goodWindowNanos;
  private final int maxFailures;
  private final long addedAt;
  private boolean responded;
  private long lastResponse = NEVER;
  private boolean queried;
  private long lastQuery = NEVER;
  private int failures;
  private long rttNanos = -1;
  private boolean pingRequested;
  private long lastPingRequest;
  private boolean evictionCandidate;
  private final boolean idMismatch;
  /** In the table proper (true) or in a bucket's replacement cache (false). */
  boolean live;

  NodeEntry(NodeInfo node, RoutingConfig config, long addedAt) {
    this(node, config.goodWindowNanos(), config.maxFailures(), addedAt);
  }

  private NodeEntry(NodeInfo node, long goodWindowNanos, int maxFailures, long addedAt) {
    this.node = node;
    this.goodWindowNanos = goodWindowNanos;
    this.maxFailures = maxFailures;
    this.addedAt = addedAt;
    this.idMismatch = !dev.jdht.core.secure.SecureIds.matches(node.id(), node.address());
  }

  /** BEP 42: the id does not match the address (never true for exempt local addresses). */
  public boolean idMismatch() {
    return idMismatch;
  }

  /** The contact (id and address). */
  public NodeInfo node() {
    return node;
  }

  /** Shortcut for {@code node().id()}. */
  public NodeId id() {
    return node.id();
  }

  /** Shortcut for {@code node().address()}. */
  public PeerAddress address() {
    return node.address();
  }

  /** When this entry was created. */
  public long addedAt() {
    return addedAt;
  }

  /** When the node last answered one of our queries, or {@link #NEVER}. */
  public long lastResponse() {
    return lastResponse;
  }

  /** True once the node has answered one of our queries (a verified contact). */
  public boolean hasResponded() {
    return responded;
  }

  /** When the node last sent us a query, or {@link #NEVER}. */
  public long lastQuery() {
    return lastQuery;
  }

  /** Consecutive failures (timeouts or errors) since the last response. */
  public int failures() {
    return failures;
  }

  /** Smoothed round-trip time in nanoseconds (7/8 old, 1/8 new), or -1 if never measured. */
  public long rttNanos() {
    return rttNanos;
  }

  /**
   * BEP 5 state at {@code now}: bad after {@code maxFailures} consecutive failures; otherwise good
   * if it answered within the good window, or if it has ever answered and queried us within the
   * good window; otherwise questionable.
   */
  public NodeState state(long now) {
    if (failures >= maxFailures) {
      return NodeState.BAD;
    }
    if (responded && (now - lastResponse < goodWindowNanos || (queried && now - lastQuery < goodWindowNanos))) {
      return NodeState.GOOD;
    }
    return NodeState.QUESTIONABLE;
  }

  /** The most recent time we heard from the node (response or query), or {@link #addedAt()}. */
  long lastSeen() {
    long t = addedAt;
    if (responded && lastResponse - t > 0) {
      t = lastResponse;
    }
    if (queried && lastQuery - t > 0) {
      t = lastQuery;
    }
    return t;
  }

  void recordResponse(long now, long rtt) {
    responded = true;
    lastResponse = now;
    failures = 0;
    evictionCandidate = false;
    if (rtt >= 0) {
      rttNanos = rttNanos < 0 ? rtt : (7 * rttNanos + rtt) / 8;
    }
  }

  void recordQuery(long now) {
    queried = true;
    lastQuery = now;
  }

  /** Returns the new consecutive failure count. */
  int recordFailure() {
    if (failures < Integer.MAX_VALUE) {
      failures++;
    }
    return failures;
  }

  boolean isBad() {
    return failures >= maxFailures;
  }

  /** True if a ping may be requested at {@code now} (never requested, or not within interval). */
  boolean pingDue(long now, long interval) {
    return !pingRequested || now - lastPingRequest >= interval;
  }

  void markPingRequested(long now) {
    pingRequested = true;
    lastPingRequest = now;
  }

  boolean evictionCandidate() {
    return evictionCandidate;
  }

  void setEvictionCandidate(boolean v) {
    evictionCandidate = v;
  }

  /** An immutable-by-convention copy for snapshots. */
  NodeEntry copy() {
    NodeEntry c = new NodeEntry(node, goodWindowNanos, maxFailures, addedAt);
    c.responded = responded;
    c.lastResponse = lastResponse;
    c.queried = queried;
    c.lastQuery = lastQuery;
    c.failures = failures;
    c.rttNanos = rttNanos;
    c.pingRequested = pingRequested;
    c.lastPingRequest = lastPingRequest;
    c.evictionCandidate = evictionCandidate;
    c.live = live;
    return c;
  }

  @Override
  public String toString() {
    return node + " failures=" + failures + (responded ? " verified" : " unverified");
  }
}
