package dev.jdht.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.node.ScrapeResult;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.ScrapeBloom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * BEP 33 scrape over a simulated network: the swarm is scattered over the nodes closest to the
 * infohash (each holds only part of it), and the querier's union of their filters estimates the
 * whole swarm.
 */
class ScrapeSimulationTest {
  private static PeerAddress peer(int i) {
    return PeerAddress.of(new byte[] {77, 1, (byte) (i >>> 8), (byte) i}, 6881);
  }

  @Test
  void theUnionOfTheClosestNodesFiltersEstimatesTheWholeSwarm() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(33).build());
    List<SimNode> all = net.buildPreseeded(500);
    Random rnd = new Random(3);
    NodeId ih = NodeId.random(rnd);
    List<SimNode> closest = net.closestOnline(ih, 8, null);
    int seeds = 12;
    int downloaders = 40;
    ScrapeBloom singleBest = null;
    for (SimNode n : closest) {
      ScrapeBloom own = ScrapeBloom.empty();
      for (int i = 0; i < seeds + downloaders; i++) {
        if (rnd.nextInt(100) < 40) { // each node holds ~40% of the swarm
          n.node().peerStore().announce(ih, peer(i), i < seeds, net.now());
          if (i >= seeds) {
            own.insert(peer(i));
          }
        }
      }
      if (singleBest == null || own.estimate() > singleBest.estimate()) {
        singleBest = own;
      }
    }
    SimNode asker = all.get(0) == closest.get(0) ? all.get(1) : all.get(0);
    ScrapeResult[] out = new ScrapeResult[1];
    asker.node().scrape(ih, r -> out[0] = r);
    assertTrue(net.runUntil(() -> out[0] != null, net.now() + TimeUnit.MINUTES.toNanos(5)));
    ScrapeResult r = out[0];
    assertNull(r.error());
    assertEquals(8, r.filters(), "the 8 closest responders' filters are combined");
    assertEquals(seeds, r.estimatedSeeds(), 2.0);
    assertEquals(downloaders, r.estimatedPeers(), 3.0);
    assertNotNull(singleBest);
    assertTrue(singleBest.estimate() < downloaders - 8,
        "no single node knows the whole swarm: " + singleBest.estimate());
    assertTrue(r.lookup().peers().size() >= seeds + downloaders - 5, "values still arrive as in get_peers");
  }

  @Test
  void aScrapeOfAnUnknownInfohashEstimatesZero() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(34).build());
    List<SimNode> all = net.buildPreseeded(200);
    ScrapeResult[] out = new ScrapeResult[1];
    all.get(5).node().scrape(NodeId.random(new Random(1)), r -> out[0] = r);
    assertTrue(net.runUntil(() -> out[0] != null, net.now() + TimeUnit.MINUTES.toNanos(5)));
    assertEquals(8, out[0].filters());
    assertEquals(0.0, out[0].estimatedSeeds());
    assertEquals(0.0, out[0].estimatedPeers());
  }
}
