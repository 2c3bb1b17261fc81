package dev.jdht.core.lookup;

import static dev.jdht.core.lookup.Fixtures.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.NodeInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnounceRoundTest {
  /** d1..d12, best first; d2, d5 and d9 gave no token. */
  private static List<ClosestNode> closest() {
    List<ClosestNode> out = new ArrayList<>();
    for (int d = 1; d <= 12; d++) {
      byte[] token = d == 2 || d == 5 || d == 9 ? null : new byte[] {(byte) d};
      out.add(new ClosestNode(node(d), token, d));
    }
    return out;
  }

  private static List<NodeInfo> nodesOf(List<ClosestNode> l) {
    return l.stream().map(ClosestNode::node).toList();
  }

  @Test
  void picksTheKClosestWithTokens() {
    AnnounceRound r = new AnnounceRound(closest(), 8);
    assertEquals(Fixtures.nodes(1, 3, 4, 6, 7, 8, 10, 11), nodesOf(r.targets()));
    assertTrue(r.targets().stream().allMatch(ClosestNode::hasToken));
    assertEquals(3, new AnnounceRound(closest(), 3).targets().size());
  }

  @Test
  void ordersByDistanceWhenGivenTheInfohash() {
    List<ClosestNode> shuffled = new ArrayList<>(closest());
    Collections.shuffle(shuffled, new java.util.Random(3));
    AnnounceRound r = new AnnounceRound(Fixtures.TARGET, shuffled, 4);
    assertEquals(Fixtures.nodes(1, 3, 4, 6), nodesOf(r.targets()));
  }

  @Test
  void tracksAcksAndFailures() {
    AnnounceRound r = new AnnounceRound(closest(), 3); // d1, d3, d4
    assertFalse(r.isDone());
    r.onAck(node(3));
    r.onAck(node(3)); // duplicate
    r.onAck(node(2)); // not a target
    r.onFailure(node(3)); // already settled
    assertEquals(1, r.acked());
    r.onFailure(node(4));
    assertFalse(r.isDone());
    r.onAck(node(1));
    assertTrue(r.isDone());
    assertEquals(2, r.acked());
    assertEquals(1, r.failed());
    assertEquals(Fixtures.nodes(3, 1), r.ackedNodes());
  }

  @Test
  void noTokenMeansNothingToDo() {
    AnnounceRound r = new AnnounceRound(List.of(new ClosestNode(node(1), null, 0)), 8);
    assertTrue(r.targets().isEmpty());
    assertTrue(r.isDone());
    assertThrows(IllegalArgumentException.class, () -> new AnnounceRound(List.of(), 0));
  }
}
