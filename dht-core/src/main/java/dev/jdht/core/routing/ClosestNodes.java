package dev.jdht.core.routing;

import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the live nodes of a {@link RoutingTable} to hand out in replies and to seed lookups with:
 * the closest GOOD nodes to a target, topped up with the closest QUESTIONABLE ones (see {@link
 * RoutingTable#closest} and {@link RoutingTable#closestVerified}). It reads the table's buckets and
 * never changes them. Not thread-safe: owned by the table's thread, and it reuses two scratch lists
 * across calls.
 */
final class ClosestNodes {
  private final RoutingTable table;
  private final List<Bucket> buckets;
  private final List<NodeEntry> scratchGood = new ArrayList<>();
  private final List<NodeEntry> scratchQuestionable = new ArrayList<>();

  /**
   * @param table the table whose own id, size and BEP 42 policy decide the choice
   * @param buckets the table's bucket list (read only)
   */
  ClosestNodes(RoutingTable table, List<Bucket> buckets) {
    this.table = table;
    this.buckets = buckets;
  }

  /**
   * Up to {@code n} live nodes closest to {@code target}, closest first, with states judged at
   * {@code now}; only nodes that have answered us when {@code verifiedOnly}.
   */
  List<NodeInfo> closest(NodeId target, int n, boolean verifiedOnly, long now) {
    int liveCount = table.size();
    List<NodeInfo> out = new ArrayList<>(Math.max(0, Math.min(n, liveCount)));
    if (n <= 0 || liveCount == 0) {
      return out;
    }
    // scratch lists reused by every call (the table is owned by one thread): a server calls this
    // for every find_node and get_peers, and growing two fresh lists over the table was a third
    // of its allocation per reply (ServerPath benchmark)
    List<NodeEntry> good = scratchGood;
    List<NodeEntry> questionable = scratchQuestionable;
    good.clear();
    questionable.clear();
    try {
      return closestInto(out, target, n, now, verifiedOnly, good, questionable);
    } finally {
      good.clear(); // keep no references to entries that may leave the table
      questionable.clear();
    }
  }

  private List<NodeInfo> closestInto(List<NodeInfo> out, NodeId target, int n, long now, boolean verifiedOnly,
      List<NodeEntry> good, List<NodeEntry> questionable) {
    int last = buckets.size() - 1;
    int c = Math.min(table.self().commonPrefixLength(target), last);
    // Group order by distance: bucket c; then buckets c+1..last (all differ from target first at
    // bit c); then c-1, c-2, ..., 0 (each strictly farther than the previous group).
    collect(buckets.get(c), now, verifiedOnly, good, questionable);
    for (int i = c + 1; i <= last; i++) {
      collect(buckets.get(i), now, verifiedOnly, good, questionable);
    }
    for (int i = c - 1; i >= 0 && good.size() < n; i--) {
      collect(buckets.get(i), now, verifiedOnly, good, questionable);
    }
    List<NodeEntry> picked = nearest(good, target, n);
    if (picked.size() < n) {
      picked.addAll(nearest(questionable, target, n - picked.size()));
      picked.sort((a, b) -> target.compareDistance(a.id(), b.id()));
    }
    for (NodeEntry e : picked) {
      out.add(e.node());
    }
    return out;
  }

  /** The {@code n} entries of {@code from} nearest to {@code target}, nearest first. */
  private static List<NodeEntry> nearest(List<NodeEntry> from, NodeId target, int n) {
    if (from.size() <= n || n > 32) {
      from.sort((a, b) -> target.compareDistance(a.id(), b.id()));
      return new ArrayList<>(from.subList(0, Math.min(n, from.size())));
    }
    // bounded insertion: O(size) for the usual small n, no full sort
    NodeEntry[] best = new NodeEntry[n];
    int count = 0;
    for (NodeEntry e : from) {
      if (count == n && target.compareDistance(e.id(), best[n - 1].id()) >= 0) {
        continue;
      }
      int i = count < n ? count++ : n - 1;
      while (i > 0 && target.compareDistance(e.id(), best[i - 1].id()) < 0) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = e;
    }
    List<NodeEntry> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(best[i]);
    }
    return out;
  }

  /**
   * Sorts live entries by tier (only those that have answered us when {@code verifiedOnly}); under
   * BEP 42 PREFER/ENFORCE a mismatching GOOD node ranks as QUESTIONABLE.
   */
  private void collect(
      Bucket b, long now, boolean verifiedOnly, List<NodeEntry> good, List<NodeEntry> questionable) {
    boolean demote = table.idPolicy() != SecureIdPolicy.OFF;
    for (NodeEntry e : b.live) {
      if (verifiedOnly && !e.hasResponded()) {
        continue;
      }
      NodeState s = e.state(now);
      if (s == NodeState.GOOD && !(demote && e.idMismatch())) {
        good.add(e);
      } else if (s != NodeState.BAD) {
        questionable.add(e);
      }
    }
  }
}
