package dev.jdht.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.api.DhtStats;
import dev.jdht.core.node.NodeSizes;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the resilience and soak benchmarks rely on: Findable, DhtNode.sizes, releaseDeadNodes. */
class SoakSupportTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  @Test
  void findableIsWhatTheClosestLiveNodesHoldAndVanishesWithThem() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(3).build());
    net.buildPreseeded(300);
    NodeId ih = NodeId.random(new Random(30));
    SimNode announcer = net.node(0);
    SimNode asker = net.node(1);
    net.announce(announcer, ih, 7_000, false);
    Set<PeerAddress> peer = Set.of(announcer.address().withPort(7_000));
    assertEquals(peer, Findable.peers(net, ih, asker, null));
    assertEquals(peer, net.getPeers(asker, ih).peers());
    // nothing findable from a side that reaches none of the holders
    assertEquals(Set.of(), Findable.peers(net, ih, asker, n -> n == asker));
    List<SimNode> closest = net.closestOnline(ih, Findable.CLOSEST, n -> n != asker);
    for (SimNode n : closest) {
      net.kill(n);
    }
    assertEquals(Set.of(), Findable.peers(net, ih, asker, null), "the holders are dead");
  }

  @Test
  void sizesCountWhatTheNodeHoldsAndEmptyOutWhenIdle() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(4).build());
    net.buildPreseeded(200);
    SimNode a = net.node(0);
    NodeId ih = a.id().withRandomSuffix(30, new Random(40)); // a is the closest node to it
    SimNode other = net.node(1);
    net.announce(other, ih, 7_001, false);
    NodeSizes s = a.node().sizes();
    DhtStats st = a.node().stats();
    assertEquals(1, s.infoHashes());
    assertEquals(1, s.peers());
    assertEquals(st.routingTableSize(), s.routingTable());
    assertTrue(s.buckets() > 0 && s.routingTable() > 0, s.toString());
    a.node().getPeers(NodeId.random(new Random(41)), (r, e) -> {});
    net.runFor(1_000_000L); // 1 ms: queries sent, no answer yet
    assertEquals(1, a.node().sizes().lookups());
    assertTrue(a.node().sizes().inFlight() > 0);
    assertTrue(net.runUntilIdle(net.now() + 10 * MINUTE));
    NodeSizes idle = a.node().sizes();
    assertEquals(0, idle.lookups());
    assertEquals(0, idle.inFlight());
    assertTrue(idle.replyLimitedIps() > 0, "responders are tracked by the reply limiter");
    net.runFor(31 * MINUTE); // past the peer TTL
    assertEquals(0, a.node().sizes().peers());
  }

  @Test
  void releasedDeadNodesGiveUpTheirNodeAndTheNetworkRunsOn() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(5).build());
    net.buildPreseeded(200);
    SimNode keptWhole = net.node(2);
    net.kill(keptWhole);
    assertTrue(keptWhole.node().isClosed(), "off by default: a dead node keeps its DhtNode");
    net.releaseDeadNodes(true);
    SimNode released = net.node(3);
    net.kill(released);
    assertFalse(released.isOnline());
    assertThrows(IllegalStateException.class, released::node);
    net.startChurn(1, 1, net.now() + MINUTE);
    net.runFor(2 * MINUTE);
    int throwing = 0;
    for (SimNode n : net.nodes()) {
      if (n.isStarted() && !n.isOnline() && n != keptWhole) {
        assertThrows(IllegalStateException.class, n::node);
        throwing++;
      }
    }
    assertTrue(throwing > 10, throwing + " churned nodes released");
    SimNode asker = net.randomOnline();
    assertEquals(Findable.CLOSEST, net.findNode(asker, released.id()).closest().size());
  }
}
