package dev.jdht.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.api.HopReply;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.core.sim.InfohashSeeder;
import dev.jdht.core.sim.SimConfig;
import dev.jdht.core.sim.SimNode;
import dev.jdht.core.sim.SimulatedNetwork;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** End to end on the simulated network: real DhtNodes answering BEP 51 from their peer stores. */
class SimCrawlTest {
  private static final long S = 1_000_000_000L;

  /** Records every query the crawler sends, then passes it on. */
  private static final class Recording extends ForwardingCrawlNode {
    final ArrayDeque<Long> window = new ArrayDeque<>();
    final Map<NodeId, Integer> samplesAsked = new HashMap<>();
    int maxInWindow;
    long sent;

    Recording(CrawlNode inner) {
      super(inner);
    }

    @Override
    public void query(SingleHopMethod m, PeerAddress to, NodeId target, Consumer<HopReply> reply) {
      long now = nanos();
      window.add(now);
      while (window.peekFirst() <= now - S) {
        window.pollFirst();
      }
      maxInWindow = Math.max(maxInWindow, window.size());
      sent++;
      inner.query(m, to, target, r -> {
        if (m == SingleHopMethod.SAMPLE_INFOHASHES && r.response() != null && r.response().samples() != null) {
          samplesAsked.merge(r.response().id(), 1, Integer::sum);
        }
        reply.accept(r);
      });
    }
  }

  @Test
  void aCrawlOfTwoThousandNodesFindsNinetyPercentOfTheirInfohashesWithinTheBudget() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(41).deadFraction(0.05).build());
    List<SimNode> nodes = net.buildPreseeded(2_000);
    Set<NodeId> truth = InfohashSeeder.seed(net, 10_000, 8, new Random(5));
    SimNode crawlerNode = net.addNode();
    net.start(crawlerNode, List.of(), List.of());
    Recording rec = new Recording(new SimCrawlNode(net, crawlerNode));
    Set<NodeId> found = new HashSet<>();
    CrawlListener l =
        new CrawlListener() {
          @Override
          public void onInfohash(InfohashSeen s) {
            found.add(s.infohash());
          }
        };
    int rate = 400;
    Crawler c =
        Crawler.start(rec, CrawlConfig.builder().rate(rate).build(), l, List.of(nodes.get(0).info(), nodes.get(1).info()), 0, new Random(3));
    assertTrue(net.runUntil(() -> found.size() >= 0.9 * truth.size(), 60 * S), "90% not reached: " + c.stats());
    long packetsAt90 = rec.sent;
    net.runFor(60 * S - net.now());
    c.stop();
    net.runFor(S);
    CrawlStats s = c.stopped().getNow(null);
    assertTrue(truth.containsAll(found), "only infohashes the network holds");
    assertTrue(rec.maxInWindow <= rate, "max " + rec.maxInWindow + " packets in a 1 s window");
    // nodes answer with interval 6 h: nobody is sampled twice in a minute
    assertEquals(1, rec.samplesAsked.values().stream().mapToInt(Integer::intValue).max().orElse(0));
    assertTrue(packetsAt90 < 3 * 2_000, "packets to reach 90%: " + packetsAt90);
    assertTrue(s.estimatedDhtSize() > 1_000 && s.estimatedDhtSize() < 4_000, "size estimate " + s.estimatedDhtSize());
  }

  @Test
  void infohashesInQueriesReachingTheCrawlerAreHarvested() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(42).build());
    List<SimNode> nodes = net.buildPreseeded(300);
    SimNode crawlerNode = net.addNode();
    net.start(crawlerNode, List.of(), List.of(nodes.get(0).address()));
    Set<InfohashSeen> seen = new HashSet<>();
    CrawlListener l =
        new CrawlListener() {
          @Override
          public void onInfohash(InfohashSeen s) {
            if (s.source() != InfohashSeen.Source.SAMPLE) {
              seen.add(s);
            }
          }
        };
    Crawler c = Crawler.start(new SimCrawlNode(net, crawlerNode), CrawlConfig.defaults(), l, List.of(nodes.get(0).info()), 0, new Random(1));
    net.runFor(5 * S);
    // a lookup for an infohash close to the crawler's id passes through it
    NodeId ih = crawlerNode.id().flipBit(159);
    net.getPeers(nodes.get(5), ih);
    c.stop();
    net.runFor(S);
    assertTrue(seen.stream().anyMatch(x -> x.infohash().equals(ih)), "harvested " + seen);
  }
}
