package dev.jdht.core.api;

import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.time.Duration;
import java.util.List;
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
    boolean timedOut) {

  public LookupReport {
    peers = Set.copyOf(peers);
    closest = List.copyOf(closest);
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
        r.cancelled() && !timedOut, timedOut);
  }
}
