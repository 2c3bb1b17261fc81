package dev.jdht.core.lookup;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The announce_peer round that follows a get_peers lookup: one announce to each of the (at most)
 * K closest responders that gave a token, tracking acks and failures. The caller sends the
 * queries (with each target's token) and reports the outcome of each.
 *
 * <p>Threading: not thread-safe; owned by the loop thread.
 */
public final class AnnounceRound {
  private enum Outcome { PENDING, ACKED, FAILED }

  private final List<ClosestNode> targets;
  private final Map<NodeInfo, Outcome> outcomes = new LinkedHashMap<>();
  private final List<NodeInfo> ackedNodes = new ArrayList<>();
  private int acked;
  private int failed;

  /**
   * Chooses, in the given order, the first {@code k} nodes that have a token (one per node).
   *
   * @param targets candidates best first, as in {@link LookupResult#closest()}
   */
  public AnnounceRound(List<ClosestNode> targets, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive: " + k);
    }
    List<ClosestNode> chosen = new ArrayList<>(Math.min(k, targets.size()));
    Set<NodeInfo> seen = new HashSet<>();
    for (ClosestNode c : targets) {
      if (chosen.size() >= k) {
        break;
      }
      if (c.token() != null && seen.add(c.node())) {
        chosen.add(c);
        outcomes.put(c.node(), Outcome.PENDING);
      }
    }
    this.targets = List.copyOf(chosen);
  }

  /**
   * Like {@link #AnnounceRound(List, int)} but first orders {@code targets} by XOR distance to
   * {@code infoHash}, for callers whose list is not already best first.
   */
  public AnnounceRound(NodeId infoHash, List<ClosestNode> targets, int k) {
    this(sorted(infoHash, targets), k);
  }

  private static List<ClosestNode> sorted(NodeId infoHash, List<ClosestNode> targets) {
    List<ClosestNode> copy = new ArrayList<>(targets);
    copy.sort((a, b) -> infoHash.compareDistance(a.node().id(), b.node().id()));
    return copy;
  }

  /** The chosen nodes (all with a token), best first; unmodifiable. */
  public List<ClosestNode> targets() {
    return targets;
  }

  /** {@code node} acknowledged its announce; ignored for unknown or already settled nodes. */
  public void onAck(NodeInfo node) {
    if (outcomes.get(node) == Outcome.PENDING) {
      outcomes.put(node, Outcome.ACKED);
      acked++;
      ackedNodes.add(node);
    }
  }

  /** The announce to {@code node} failed; ignored for unknown or already settled nodes. */
  public void onFailure(NodeInfo node) {
    if (outcomes.get(node) == Outcome.PENDING) {
      outcomes.put(node, Outcome.FAILED);
      failed++;
    }
  }

  /** True when every target has acked or failed (at once if there is no target). */
  public boolean isDone() {
    return acked + failed == targets.size();
  }

  /** Acks so far. */
  public int acked() {
    return acked;
  }

  /** Failures so far. */
  public int failed() {
    return failed;
  }

  /** The nodes that acked, in ack order; an unmodifiable snapshot. */
  public List<NodeInfo> ackedNodes() {
    return Collections.unmodifiableList(new ArrayList<>(ackedNodes));
  }
}
