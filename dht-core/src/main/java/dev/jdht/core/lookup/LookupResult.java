package dev.jdht.core.lookup;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.List;
import java.util.Set;

/**
 * The outcome of a {@link Lookup}, partial while it runs and final once it is done. Immutable
 * (the collections are unmodifiable copies).
 *
 * @param target the searched id or infohash
 * @param kind find_node or get_peers
 * @param queriesSent queries handed to the caller to send
 * @param responses answers received (including late answers after a soft timeout)
 * @param timeouts queries that failed (hard timeout or KRPC error)
 * @param softTimeouts queries whose soft timeout expired (they may still have answered later)
 * @param startedAt the {@code now} given to {@code start}
 * @param firstPeerAt when the first peer arrived, or -1
 * @param doneAt when the lookup finished, or -1 while it runs
 * @param peers distinct peers, in arrival order
 * @param closest the K closest responded nodes, best first, with tokens (get_peers)
 * @param cancelled true when the caller cancelled the lookup
 */
public record LookupResult(
    NodeId target,
    LookupKind kind,
    int queriesSent,
    int responses,
    int timeouts,
    int softTimeouts,
    long startedAt,
    long firstPeerAt,
    long doneAt,
    Set<PeerAddress> peers,
    List<ClosestNode> closest,
    boolean cancelled) {

  /** Makes the collections unmodifiable copies. */
  public LookupResult {
    peers = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(peers));
    closest = List.copyOf(closest);
  }

  /** True once the lookup has finished (normally or cancelled). */
  public boolean isDone() {
    return doneAt >= 0;
  }

  /** Nanoseconds from start to done, or -1 while running. */
  public long durationNanos() {
    return doneAt < 0 ? -1 : doneAt - startedAt;
  }

  /** Nanoseconds from start to the first peer, or -1 if none. */
  public long timeToFirstPeerNanos() {
    return firstPeerAt < 0 ? -1 : firstPeerAt - startedAt;
  }
}
