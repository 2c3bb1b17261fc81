package dev.jdht.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.api.BucketStats;
import dev.jdht.core.api.DhtSnapshot;
import dev.jdht.core.api.LatencyHistogram;
import dev.jdht.core.api.LookupSummary;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.sim.SimConfig;
import dev.jdht.core.sim.SimNode;
import dev.jdht.core.sim.SimulatedNetwork;
import dev.jdht.krpc.wire.NodeId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link DhtNode#snapshot()} on a simulated network: buckets, histograms, lookups. */
class DhtSnapshotTest {

  @Test
  void snapshotMatchesTheNodeAfterLookups() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(11).build());
    List<SimNode> nodes = net.build(300);
    SimNode asker = nodes.get(7);
    NodeId ih = NodeId.random(new Random(3));
    net.announce(nodes.get(20), ih, 4000, false);

    DhtSnapshot before = asker.node().snapshot();
    LookupResult r = net.getPeers(asker, ih);
    net.findNode(asker, NodeId.random(new Random(4)));
    DhtSnapshot s = asker.node().snapshot();

    assertEquals(asker.id(), s.nodeId());
    int live = s.buckets().stream().mapToInt(BucketStats::live).sum();
    int good = s.buckets().stream().mapToInt(BucketStats::good).sum();
    assertEquals(s.stats().routingTableSize(), live);
    assertEquals(s.stats().goodNodes(), good);
    assertEquals(asker.node().routingTable().replacementCount(),
        s.buckets().stream().mapToInt(BucketStats::replacements).sum());
    assertTrue(s.buckets().stream().allMatch(b -> b.family().equals("ipv4")));
    for (int i = 1; i < s.buckets().size(); i++) {
      assertTrue(s.buckets().get(i - 1).depth() < s.buckets().get(i).depth(), "shallow buckets first, one per depth");
    }

    // every query we received got a response or an error
    assertTrue(s.stats().totalQueriesIn() > 0);
    assertEquals(s.stats().totalQueriesIn(),
        s.stats().queriesAnswered().values().stream().mapToLong(Long::longValue).sum() + s.stats().errorsOut());

    // every answered query is one RTT observation
    LatencyHistogram rtt = s.nodeRtt();
    assertEquals(s.stats().responsesIn(), rtt.count());
    assertEquals(rtt.count(), rtt.counts().stream().mapToLong(Long::longValue).sum());
    assertTrue(rtt.sumSeconds() > 0);
    assertEquals(rtt.upperBoundsSeconds().size() + 1, rtt.counts().size());

    LatencyHistogram gp = s.lookupDone().get("get_peers");
    long gpBefore = before.lookupDone().containsKey("get_peers") ? before.lookupDone().get("get_peers").count() : 0;
    assertEquals(gpBefore + 1, gp.count());
    assertTrue(s.lookupDone().containsKey("find_node"));
    assertEquals(1, s.lookupFirstPeer().get("get_peers").count() - count(before.lookupFirstPeer().get("get_peers")));

    LookupSummary last = s.recentLookups().get(1); // newest first: the find_node, then our get_peers
    assertEquals("get_peers", last.kind());
    assertEquals(ih, last.target());
    assertFalse(last.running());
    assertEquals(r.queriesSent(), last.queries());
    assertEquals(r.peers().size(), last.peers());
    assertEquals(r.durationNanos() / 1_000_000, last.elapsedMillis());
    assertEquals(r.timeToFirstPeerNanos() / 1_000_000, last.firstPeerMillis());
    assertTrue(s.recentLookups().size() <= DhtSnapshot.MAX_LISTED);
  }

  @Test
  void runningLookupsAreListedAndRecentOnesBounded() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(12).build());
    List<SimNode> nodes = net.build(200);
    SimNode asker = nodes.get(3);
    for (int i = 0; i < DhtSnapshot.MAX_LISTED + 5; i++) {
      net.findNode(asker, NodeId.random(new Random(100 + i)));
    }
    NodeId target = NodeId.random(new Random(99));
    asker.node().findNode(target, null);
    DhtSnapshot s = asker.node().snapshot();
    assertEquals(DhtSnapshot.MAX_LISTED, s.recentLookups().size());
    assertTrue(s.lookupsRunning().stream().anyMatch(l -> l.target().equals(target) && l.running()));
    net.runFor(60_000_000_000L);
    assertTrue(asker.node().snapshot().lookupsRunning().stream().noneMatch(l -> l.target().equals(target)));
  }

  @Test
  void histogramBucketsAndQuantile() {
    Telemetry.Histogram h = new Telemetry.Histogram(new double[] {0.01, 0.1, 1});
    h.observe(5_000_000); // 5 ms
    h.observe(10_000_000); // exactly on a bound: le="0.01"
    h.observe(50_000_000);
    h.observe(3_000_000_000L); // above every bound
    LatencyHistogram s = h.snapshot();
    assertEquals(List.of(2L, 1L, 0L, 1L), s.counts());
    assertEquals(4, s.count());
    assertEquals(3.065, s.sumSeconds(), 1e-9);
    assertEquals(0.01, s.quantileUpperBound(0.5));
    assertEquals(1.0, s.quantileUpperBound(0.99));
  }

  private static long count(LatencyHistogram h) {
    return h == null ? 0 : h.count();
  }
}
