package dev.jdht.core.routing;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Plans the periodic work of a {@link RoutingTable} (see {@link RoutingTable#maintenance(long,
 * int)}): which QUESTIONABLE entries to ping and which buckets to refresh, with random refresh
 * targets inside a bucket's range. What it hands out is recorded on the entries and buckets (ping
 * requested, refresh requested) so it is not handed out again too soon; it adds or removes no
 * entry. Not thread-safe: owned by the table's thread.
 */
final class MaintenancePlanner {
  private final RoutingTable table;
  private final List<Bucket> buckets;
  private final Random random;

  /**
   * @param table the table whose own id and configuration the plan follows
   * @param buckets the table's bucket list
   * @param random randomness for refresh targets
   */
  MaintenancePlanner(RoutingTable table, List<Bucket> buckets, Random random) {
    this.table = table;
    this.buckets = buckets;
    this.random = random;
  }

  /** The pings and refresh targets due at {@code now}, at most {@code maxPings} pings. */
  RoutingTable.Maintenance plan(long now, int maxPings) {
    RoutingConfig config = table.config();
    List<NodeEntry> due = new ArrayList<>();
    for (Bucket b : buckets) {
      for (NodeEntry e : b.live) {
        if (e.state(now) == NodeState.QUESTIONABLE && e.pingDue(now, config.pingIntervalNanos())) {
          due.add(e);
        }
      }
    }
    due.sort(
        Comparator.comparing((NodeEntry e) -> !e.evictionCandidate())
            .thenComparing((a, b) -> Long.compare(a.lastSeen() - now, b.lastSeen() - now)));
    List<NodeInfo> toPing = new ArrayList<>(Math.min(due.size(), Math.max(0, maxPings)));
    for (NodeEntry e : due) {
      if (toPing.size() >= maxPings) {
        break;
      }
      e.markPingRequested(now);
      toPing.add(e.node());
    }
    List<NodeId> targets = new ArrayList<>();
    int last = buckets.size() - 1;
    for (int i = 0; i <= last; i++) {
      Bucket b = buckets.get(i);
      if (b.refreshDue(now, config.refreshIntervalNanos())) {
        b.refreshRequested = true;
        b.lastRefreshRequest = now;
        targets.add(randomIdInBucket(i));
      }
    }
    return new RoutingTable.Maintenance(toPing, targets);
  }

  /**
   * A uniformly random id inside bucket {@code index}'s range.
   *
   * @throws IndexOutOfBoundsException if there is no such bucket
   */
  NodeId randomIdInBucket(int index) {
    int last = buckets.size() - 1;
    if (index < 0 || index > last) {
      throw new IndexOutOfBoundsException(index);
    }
    NodeId self = table.self();
    if (index == last) {
      return self.withRandomSuffix(index, random);
    }
    return self.flipBit(index).withRandomSuffix(index + 1, random);
  }
}
