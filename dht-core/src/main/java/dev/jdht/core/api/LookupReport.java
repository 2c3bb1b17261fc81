package dev.jdht.core.api;

import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a lookup did and found. Immutable and thread-safe.
 *
 * @param target the infohash or node id looked up
 * @param queriesSent queries sent
 * @param responses responses received
 * @param timeouts queries that failed (hard timeout or KRPC error)
 * @param timeToFirstPeer from start to the first peer, or null if none was found
 * @param timeToDone from start to completion
 * @param peers distinct peers found (get_peers)
 * @param closest the K closest nodes that answered, best first, with the token each gave
 * @param cancelled whether the lookup was cancelled before it finished
 * @param timedOut whether the lookup was stopped at its deadline: the report then holds what was
 *     found until then (a partial result, not a failure)
 * @param byFamily on a dual-stack DHT, the report of each family's lookup ("IPv4", "IPv6"), whose
 *     sums and union this report is; empty for a single-stack lookup
 */
public record LookupReport(
    NodeId target,
    int queriesSent,
    int responses,
    int timeouts,
    Duration timeToFirstPeer,
    Duration timeToDone,
    Set<PeerAddress> peers,
    List<ClosestNode> closest,
    boolean cancelled,
    boolean timedOut,
    Map<String, LookupReport> byFamily) {

  public LookupReport {
    peers = Set.copyOf(peers);
    closest = List.copyOf(closest);
    byFamily = Map.copyOf(byFamily);
  }

  /** A report that did not hit a deadline. */
  public LookupReport(
      NodeId target,
      int queriesSent,
      int responses,
      int timeouts,
      Duration timeToFirstPeer,
      Duration timeToDone,
      Set<PeerAddress> peers,
      List<ClosestNode> closest,
      boolean cancelled) {
    this(target, queriesSent, responses, timeouts, timeToFirstPeer, timeToDone, peers, closest, cancelled, false);
  }

  /** A single-stack report. */
  public LookupReport(
      NodeId target,
      int queriesSent,
      int responses,
      int timeouts,
      Duration timeToFirstPeer,
      Duration timeToDone,
      Set<PeerAddress> peers,
      List<ClosestNode> closest,
      boolean cancelled,
      boolean timedOut) {
    this(target, queriesSent, responses, timeouts, timeToFirstPeer, timeToDone, peers, closest, cancelled, timedOut,
        Map.of());
  }

  /** Number of distinct peers. */
  public int distinctPeers() {
    return peers.size();
  }

  /** Converts the core result (nanosecond timestamps) into a report. */
  public static LookupReport of(LookupResult r) {
    return of(r, false);
  }

  /** Converts the core result; {@code timedOut} when it was stopped at its deadline. */
  public static LookupReport of(LookupResult r, boolean timedOut) {
    Duration first = r.firstPeerAt() < 0 ? null : Duration.ofNanos(r.firstPeerAt() - r.startedAt());
    Duration done = r.doneAt() < 0 ? Duration.ZERO : Duration.ofNanos(r.doneAt() - r.startedAt());
    return new LookupReport(
        r.target(), r.queriesSent(), r.responses(), r.timeouts(), first, done, r.peers(), r.closest(),
        r.cancelled() && !timedOut, timedOut, Map.of());
  }

  /**
   * One report for the lookups of both families: counts added, peers merged (deduplicated),
   * closest nodes of each family, earliest first peer, latest done.
   */
  public static LookupReport merge(LookupReport v4, LookupReport v6) {
    Set<PeerAddress> peers = new java.util.HashSet<>(v4.peers);
    peers.addAll(v6.peers);
    List<ClosestNode> closest = new java.util.ArrayList<>(v4.closest);
    closest.addAll(v6.closest);
    Duration first = v4.timeToFirstPeer == null ? v6.timeToFirstPeer
        : v6.timeToFirstPeer == null ? v4.timeToFirstPeer
        : v4.timeToFirstPeer.compareTo(v6.timeToFirstPeer) <= 0 ? v4.timeToFirstPeer : v6.timeToFirstPeer;
    Duration done = v4.timeToDone.compareTo(v6.timeToDone) >= 0 ? v4.timeToDone : v6.timeToDone;
    return new LookupReport(v4.target, v4.queriesSent + v6.queriesSent, v4.responses + v6.responses,
        v4.timeouts + v6.timeouts, first, done, peers, closest, v4.cancelled || v6.cancelled,
        v4.timedOut || v6.timedOut, Map.of("IPv4", v4, "IPv6", v6));
  }
}
