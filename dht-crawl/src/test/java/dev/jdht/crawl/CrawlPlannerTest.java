package dev.jdht.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrawlPlannerTest {
  private static final long S = 1_000_000_000L;
  private final Random random = new Random(7);
  private final NodeId self = NodeId.random(random);
  private final List<InfohashSeen> seen = new ArrayList<>();
  private final List<NodeSeen> nodes = new ArrayList<>();
  private final List<PeerSeen> peers = new ArrayList<>();
  private final CrawlListener listener =
      new CrawlListener() {
        @Override
        public void onPeer(PeerSeen p) {
          peers.add(p);
        }

        @Override
        public void onInfohash(InfohashSeen s) {
          seen.add(s);
        }

        @Override
        public void onNode(NodeSeen n) {
          nodes.add(n);
        }
      };

  private static NodeInfo node(int i) {
    return new NodeInfo(NodeId.random(new Random(0x9E3779B97F4A7C15L * (i + 1))), PeerAddress.parse("10.9." + (i / 250) + "." + (i % 250 + 1) + ":6881"));
  }

  private static byte[] samples(int n, Random r) {
    byte[] b = new byte[n * 20];
    r.nextBytes(b);
    return b;
  }

  private static Response sampleReply(NodeInfo from, byte[] samples, Long num, Long interval) {
    return Response.builder(TransactionId.ofLong(1, 2), from.id()).samples(samples).num(num).interval(interval).build();
  }

  private CrawlPlanner planner(CrawlConfig c) {
    return new CrawlPlanner(self, c, listener, random, 0);
  }

  /** Takes the next action, moving time on in small steps until the budget allows one. */
  private static CrawlPlanner.Action nextAt(CrawlPlanner p, long[] now) {
    for (int i = 0; i < 10_000; i++) {
      CrawlPlanner.Action a = p.next(now[0]);
      if (a != null) {
        return a;
      }
      now[0] += p.nanosUntilNext(now[0]);
    }
    return null;
  }

  @Test
  void aNodeIsAskedAgainOnlyAfterItsIntervalAndOnlyWhileNumSaysThereIsMore() {
    CrawlPlanner p = planner(CrawlConfig.builder().rate(100).build());
    NodeInfo a = node(1);
    p.addSeed(a);
    long[] now = {0};
    CrawlPlanner.Action first = p.next(now[0]);
    assertEquals(SingleHopMethod.SAMPLE_INFOHASHES, first.method());
    assertEquals(a, first.to());
    p.onResponse(first.token(), sampleReply(a, samples(5, random), 50L, 600L), now[0], 0);
    assertEquals(5, seen.size());
    assertEquals(Boolean.TRUE, nodes.get(0).bep51());

    // for 600 s only find_node sweeps go to the node, never sample_infohashes
    while (now[0] < 599 * S) {
      CrawlPlanner.Action x = nextAt(p, now);
      if (now[0] >= 600 * S) {
        break;
      }
      assertEquals(SingleHopMethod.FIND_NODE, x.method(), "at " + now[0] / S + " s");
      p.onTimeout(x.token(), now[0]);
    }
    now[0] = 600 * S;
    CrawlPlanner.Action again = null;
    for (int i = 0; i < 10 && again == null; i++) {
      CrawlPlanner.Action x = nextAt(p, now);
      if (x.method() == SingleHopMethod.SAMPLE_INFOHASHES) {
        again = x;
      } else {
        p.onTimeout(x.token(), now[0]);
      }
    }
    assertNotNull(again, "asked again once the interval passed");
    // now num equals what it showed: never again
    p.onResponse(again.token(), sampleReply(a, samples(3, random), 3L, 0L), now[0], 0);
    long until = now[0] + 7 * 3600 * S;
    while (now[0] < until) {
      CrawlPlanner.Action x = nextAt(p, now);
      assertEquals(SingleHopMethod.FIND_NODE, x.method());
      p.onTimeout(x.token(), now[0]);
      now[0] += 10 * S;
    }
  }

  @Test
  void aResumedCrawlWaitsOutEachStoredNodesIntervalAndSkipsNodesWithoutBep51() {
    CrawlPlanner p = planner(CrawlConfig.builder().rate(100).build());
    long wallNow = 10_000_000L; // ms since the epoch, as the store keeps them
    NodeInfo recent = node(1); // sampled 100 s ago with interval 600: not before 500 s from now
    NodeInfo old = node(2); // sampled an hour ago with interval 600: at once
    NodeInfo noBep51 = node(3); // answered without samples: never asked for samples
    NodeInfo unknown = node(4); // never asked: fresh work
    p.addResumed(new NodeSeen(recent.id(), recent.address(), wallNow - 100_000, true, 40L, 600L), 0, wallNow);
    p.addResumed(new NodeSeen(old.id(), old.address(), wallNow - 3_600_000, true, 40L, 600L), 0, wallNow);
    p.addResumed(new NodeSeen(noBep51.id(), noBep51.address(), wallNow - 1000, false, null, null), 0, wallNow);
    p.addResumed(new NodeSeen(unknown.id(), unknown.address(), wallNow - 1000, null, null, null), 0, wallNow);
    p.addSeed(recent); // the saved routing table may hold it too: it stays as resumed
    long[] now = {0};
    List<NodeInfo> sampled = new ArrayList<>();
    long recentAskedAt = -1;
    while (now[0] < 700 * S && recentAskedAt < 0) {
      CrawlPlanner.Action x = nextAt(p, now);
      if (x.method() == SingleHopMethod.SAMPLE_INFOHASHES) {
        sampled.add(x.to());
        if (x.to().equals(recent)) {
          recentAskedAt = now[0];
        }
      }
      p.onTimeout(x.token(), now[0]);
      now[0] += S;
    }
    assertEquals(List.of(old, unknown), sampled.subList(0, 2), "the due and the fresh nodes first");
    assertFalse(sampled.contains(noBep51));
    assertTrue(recentAskedAt >= 500 * S, "asked at " + recentAskedAt / S + " s");
  }

  @Test
  void malformedSampleRepliesAreCountedAndDroppedWithNothingStored() {
    CrawlPlanner p = planner(CrawlConfig.builder().rate(1000).perIpRate(1000).build());
    List<Response> bad = new ArrayList<>();
    List<NodeInfo> from = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      from.add(node(i));
      p.addSeed(from.get(i));
    }
    byte[] notMultiple = new byte[45];
    bad.add(sampleReply(from.get(0), notMultiple, 10L, 60L));
    bad.add(sampleReply(from.get(1), samples(4, random), -1L, 60L));
    bad.add(sampleReply(from.get(2), samples(4, random), 2L, 60L)); // num below what it sent
    bad.add(sampleReply(from.get(3), samples(4, random), 10L, 10L * 365 * 24 * 3600));
    bad.add(sampleReply(from.get(4), samples(500, random), 1000L, 60L)); // a flood
    long now = 0;
    for (int i = 0; i < 5; i++) {
      CrawlPlanner.Action x = p.next(now);
      while (x.method() != SingleHopMethod.SAMPLE_INFOHASHES) {
        p.onTimeout(x.token(), now);
        x = p.next(now += S);
      }
      p.onResponse(x.token(), bad.get(from.indexOf(x.to())), now, 0);
    }
    CrawlStats s = p.stats();
    assertEquals(5, s.droppedReplies());
    assertEquals(0, s.samples());
    assertEquals(0, s.sampledNodes());
    assertTrue(seen.isEmpty());
    assertTrue(nodes.isEmpty());
  }

  @Test
  void aReplyWithoutSamplesMarksTheNodeAsNotBep51AndItsNodesAreLearned() {
    CrawlPlanner p = planner(CrawlConfig.builder().rate(1000).build());
    NodeInfo a = node(1);
    p.addSeed(a);
    CrawlPlanner.Action x = p.next(0);
    List<NodeInfo> more = List.of(node(2), node(3));
    p.onResponse(x.token(), Response.builder(TransactionId.ofLong(1, 2), a.id()).nodes(more).build(), 0, 0);
    assertEquals(Boolean.FALSE, nodes.get(0).bep51());
    assertEquals(1, p.stats().noBep51());
    assertEquals(3, p.stats().knownNodes());
  }

  @Test
  void samplingAndDiscoveryShareTheBudgetEvenly() {
    CrawlPlanner p = planner(CrawlConfig.builder().rate(200).perIpRate(1000).build());
    for (int i = 0; i < 500; i++) {
      p.addSeed(node(i));
    }
    long[] now = {0};
    int sample = 0;
    int find = 0;
    for (int i = 0; i < 400; i++) {
      CrawlPlanner.Action x = nextAt(p, now);
      if (x.method() == SingleHopMethod.SAMPLE_INFOHASHES) {
        sample++;
      } else {
        find++;
      }
      p.onTimeout(x.token(), now[0]);
    }
    assertEquals(200, sample, 1);
    assertEquals(200, find, 1);
    // 400 packets at 200 pkt/s with a 4-packet burst: about 2 s
    assertTrue(now[0] >= 1.9 * S && now[0] <= 2.1 * S, "took " + now[0]);
  }

  @Test
  void thePerIpLimitSpacesPacketsToOneAddress() {
    CrawlPlanner p = planner(CrawlConfig.builder().rate(1000).perIpRate(2).build());
    p.addSeed(node(1));
    long now = 0;
    assertNotNull(p.next(now));
    assertNull(p.next(now + S / 4), "same IP within 0.5 s");
    assertNotNull(p.next(now + S / 2 + 1));
  }

  @Test
  void aShardSamplesOnlyItsNodesAndSweepsOnlyItsRange() {
    Shard shard = new Shard(1, 4);
    CrawlPlanner p = planner(CrawlConfig.builder().rate(1000).perIpRate(1000).shard(shard).build());
    for (int i = 0; i < 2000; i++) {
      assertTrue(shard.contains(p.sweepTarget()));
    }
    NodeInfo seed = node(1);
    p.addSeed(seed);
    CrawlPlanner.Action x = p.next(0);
    List<NodeInfo> learned = new ArrayList<>();
    for (int i = 2; i < 200; i++) {
      learned.add(node(i));
    }
    p.onResponse(x.token(), Response.builder(TransactionId.ofLong(1, 2), seed.id()).nodes(learned).build(), 0, 0);
    long inShard = learned.stream().filter(n -> shard.contains(n.id())).count();
    assertTrue(inShard > 20 && inShard < 80);
    assertEquals(1 + inShard, p.stats().knownNodes());
    long now = 0;
    for (int i = 0; i < 400; i++) {
      CrawlPlanner.Action a = p.next(now += S);
      if (a != null && a.method() == SingleHopMethod.SAMPLE_INFOHASHES) {
        assertTrue(shard.contains(a.to().id()), "sampled a node outside the shard");
      }
      if (a != null) {
        p.onTimeout(a.token(), now);
      }
    }
  }

  @Test
  void infohashesOfIncomingQueriesAreHarvestedAndTheQuerierIsLearned() {
    CrawlPlanner p = planner(CrawlConfig.defaults());
    NodeInfo q = node(5);
    NodeId ih = NodeId.random(random);
    p.onIncoming(new InfohashQuery("get_peers", ih, q.id(), q.address()), 42);
    p.onIncoming(new InfohashQuery("announce_peer", ih, q.id(), q.address()), 43);
    assertEquals(2, seen.size());
    assertEquals(InfohashSeen.Source.GET_PEERS, seen.get(0).source());
    assertEquals(InfohashSeen.Source.ANNOUNCE, seen.get(1).source());
    assertEquals(1, p.stats().distinctInfohashes());
    assertEquals(1, p.stats().knownNodes());
    assertEquals(q, p.next(0).to());
  }

  @Test
  void withPeersOnEachNewInfohashGetsOneGetPeersToTheNodeThatSampledIt() {
    CrawlPlanner p = planner(CrawlConfig.builder().rate(1000).perIpRate(1000).peers(true).build());
    NodeInfo a = node(1);
    p.addSeed(a);
    long now = 0;
    CrawlPlanner.Action x = p.next(now);
    byte[] s = samples(3, random);
    p.onResponse(x.token(), sampleReply(a, s, 3L, 60L), now, 0);
    // the same infohashes again from the same reply content: no second round of get_peers
    List<NodeId> asked = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      CrawlPlanner.Action y = p.next(now += S);
      if (y == null) {
        continue;
      }
      if (y.method() == SingleHopMethod.GET_PEERS) {
        assertEquals(a, y.to());
        asked.add(y.target());
        PeerAddress peer = PeerAddress.parse("192.0.2.9:" + (1000 + asked.size()));
        p.onResponse(y.token(), Response.builder(TransactionId.ofLong(1, 2), a.id()).token(new byte[] {1}).values(List.of(peer)).build(), now, 7);
      } else {
        p.onTimeout(y.token(), now);
      }
    }
    assertEquals(List.of(NodeId.of(s, 0), NodeId.of(s, 20), NodeId.of(s, 40)), asked);
    assertEquals(3, peers.size());
    assertEquals(3, p.stats().peers());
  }

  @Test
  void shardParsingRejectsBadValues() {
    assertEquals(new Shard(2, 8), Shard.parse("2/8"));
    for (String bad : List.of("8/8", "-1/4", "1", "a/b", "0/0", "0/5000")) {
      try {
        Shard.parse(bad);
        throw new AssertionError("accepted " + bad);
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage().contains("shard"));
      }
    }
  }
}
