package dev.jdht.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.core.secure.SecureIds;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BEP 42 hooks of the routing table: the policy, the mismatch flag and re-keying. */
class RoutingTableSecureIdsTest {
  private static final long NOW = 1_000_000_000L;
  private final Random rnd = new Random(12);
  private final NodeId self = NodeId.zero();
  private int host;

  private PeerAddress nextAddress() {
    host++;
    return PeerAddress.of(new byte[] {50, (byte) (host >>> 8), (byte) host, 1}, 6881);
  }

  /** A node in the far half (first bit 1) whose id does not match its public address. */
  private NodeInfo farMismatching() {
    PeerAddress a = nextAddress();
    NodeId id;
    do {
      id = NodeId.random(rnd);
    } while (!id.bit(0) || SecureIds.matches(id, a));
    return new NodeInfo(id, a);
  }

  /** A node in the far half whose id matches its address. */
  private NodeInfo farMatching() {
    while (true) {
      PeerAddress a = nextAddress();
      NodeId id = SecureIds.generate(a.ipBytes(), rnd);
      if (id.bit(0)) {
        return new NodeInfo(id, a);
      }
    }
  }

  private RoutingTable table(SecureIdPolicy p) {
    RoutingTable t = new RoutingTable(self, RoutingConfig.defaults(), new Random(1));
    t.setIdPolicy(p);
    return t;
  }

  @Test
  void enforceRefusesMismatchingNodesAndEntriesAreFlagged() {
    RoutingTable t = table(SecureIdPolicy.ENFORCE);
    NodeInfo bad = farMismatching();
    NodeInfo good = farMatching();
    assertFalse(t.onResponse(bad, NOW, 1));
    t.offer(farMismatching(), NOW);
    assertTrue(t.onResponse(good, NOW, 1));
    assertEquals(1, t.size());
    assertEquals(0, t.mismatchCount());

    RoutingTable off = table(SecureIdPolicy.OFF);
    off.onResponse(bad, NOW, 1);
    assertTrue(off.entry(bad.id()).idMismatch());
    assertFalse(off.entry(bad.id()) == null);
    assertEquals(1, off.mismatchCount());
  }

  @Test
  void preferLetsAMatchingNewcomerTakeAQuestionableMismatchingSlot() {
    for (SecureIdPolicy p : new SecureIdPolicy[] {SecureIdPolicy.OFF, SecureIdPolicy.PREFER}) {
      RoutingTable t = table(p);
      for (int i = 0; i < 8; i++) {
        t.offer(farMismatching(), NOW);
      }
      NodeInfo newcomer = farMatching();
      t.offer(newcomer, NOW);
      assertEquals(p == SecureIdPolicy.PREFER, t.contains(newcomer.id()), p.label());
      assertEquals(p == SecureIdPolicy.PREFER ? 7 : 8, t.mismatchCount(), p.label());
    }
  }

  @Test
  void aGoodMismatchingEntryIsNotDisplacedButRanksBehindMatchingInClosest() {
    RoutingTable t = table(SecureIdPolicy.PREFER);
    List<NodeInfo> far = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      NodeInfo n = farMismatching();
      far.add(n);
      t.onResponse(n, NOW, 1);
    }
    NodeInfo match = farMatching();
    t.onResponse(match, NOW, 1);
    NodeInfo late = farMatching();
    t.offer(late, NOW);
    assertFalse(t.contains(late.id()), "a GOOD node keeps its slot, mismatching or not");
    NodeId target = far.get(0).id();
    assertEquals(match, t.closest(target, 1).get(0), "the matching GOOD node is preferred");
    t.setIdPolicy(SecureIdPolicy.OFF);
    assertEquals(far.get(0), t.closest(target, 1).get(0), "off: plain XOR order");
  }

  @Test
  void rekeyKeepsTheEntriesAndTheirState() {
    RoutingTable t = table(SecureIdPolicy.PREFER);
    List<NodeInfo> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      PeerAddress a = nextAddress();
      NodeInfo n = new NodeInfo(SecureIds.generate(a.ipBytes(), rnd), a);
      all.add(n);
      t.onResponse(n, NOW, 5);
    }
    int before = t.size();
    NodeId newId = NodeId.random(rnd);
    t.rekey(newId, NOW + 1);
    assertEquals(newId, t.self());
    int kept = 0;
    for (NodeInfo n : all) {
      NodeEntry e = t.entry(n.id());
      if (e != null) {
        kept++;
        assertEquals(NodeState.GOOD, e.state(NOW + 1));
        assertEquals(5, e.rttNanos());
      }
    }
    assertTrue(kept >= before * 3 / 4, "kept " + kept + " of " + before);
    assertEquals(kept, t.size());
  }
}
