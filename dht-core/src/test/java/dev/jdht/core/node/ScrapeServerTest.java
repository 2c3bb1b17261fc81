package dev.jdht.core.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.routing.RoutingConfig;
import dev.jdht.core.time.ManualClock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.ScrapeBloom;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BEP 33 on the server side: announce_peer's seed flag and get_peers with scrape=1 or noseed=1. */
class ScrapeServerTest {
  private final ManualClock clock = new ManualClock();
  private final List<DhtNodeServerTest.Sent> sent = new ArrayList<>();
  private final Random random = new Random(7);
  private DhtNode node;
  private int tx;

  @BeforeEach
  void setUp() {
    NodeConfig cfg =
        NodeConfig.builder().routing(RoutingConfig.defaults().withAllowLoopbackAndPrivate(true)).build();
    node = new DhtNode(NodeId.random(random), cfg,
        (to, d, off, len) -> sent.add(new DhtNodeServerTest.Sent(to, java.util.Arrays.copyOfRange(d, off, off + len))),
        new TimerQueue(), clock, random);
    node.start(List.of(), List.of());
  }

  private Response ask(PeerAddress from, Query q) {
    sent.clear();
    byte[] b = KrpcCodec.encode(q);
    node.onDatagram(from, b, 0, b.length);
    // one reply; a new querier also gets the ping that verifies it
    List<DhtNodeServerTest.Sent> replies = sent.stream().filter(x -> !(x.decode() instanceof Query)).toList();
    assertEquals(1, replies.size());
    return assertInstanceOf(Response.class, replies.get(0).decode());
  }

  private TransactionId t() {
    return TransactionId.ofLong(++tx, 2);
  }

  private void announce(NodeId ih, PeerAddress from, boolean seed) {
    NodeId id = NodeId.random(random);
    Response gp = ask(from, new Query.GetPeers(t(), id, ih, QueryMeta.NONE));
    QueryMeta meta = seed ? QueryMeta.NONE.withArg("seed", 1) : QueryMeta.NONE;
    ask(from, new Query.AnnouncePeer(t(), id, ih, 6881, false, gp.token(), meta));
  }

  @Test
  void scrapeRepliesCarrySeedAndPeerFiltersOfTheAnnouncedIps() {
    NodeId ih = NodeId.random(random);
    ScrapeBloom seeds = ScrapeBloom.empty();
    ScrapeBloom downloaders = ScrapeBloom.empty();
    for (int i = 1; i <= 30; i++) {
      PeerAddress from = PeerAddress.parse("10.3.0." + i + ":4000");
      boolean seed = i <= 10;
      announce(ih, from, seed);
      (seed ? seeds : downloaders).insert(from);
    }
    PeerAddress asker = PeerAddress.parse("10.9.9.9:4000");
    Response r = ask(asker, new Query.GetPeers(t(), NodeId.random(random), ih, QueryMeta.NONE.withArg("scrape", 1)));
    assertArrayEquals(seeds.toBytes(), r.seedsBloom());
    assertArrayEquals(downloaders.toBytes(), r.peersBloom());
    assertEquals(10, ScrapeBloom.of(r.seedsBloom()).estimate(), 1.0);
    assertEquals(20, ScrapeBloom.of(r.peersBloom()).estimate(), 1.5);
    assertTrue(r.hasValues(), "values are still given");
    assertTrue(r.token() != null);
  }

  @Test
  void withoutScrapeNoFiltersAndAnUnknownSwarmGivesEmptyFilters() {
    NodeId ih = NodeId.random(random);
    announce(ih, PeerAddress.parse("10.3.0.1:4000"), true);
    Response plain = ask(PeerAddress.parse("10.9.9.9:4000"), new Query.GetPeers(t(), NodeId.random(random), ih, QueryMeta.NONE));
    assertNull(plain.seedsBloom());
    assertNull(plain.peersBloom());
    Response unknown = ask(PeerAddress.parse("10.9.9.9:4000"),
        new Query.GetPeers(t(), NodeId.random(random), NodeId.random(random), QueryMeta.NONE.withArg("scrape", 1)));
    assertTrue(ScrapeBloom.of(unknown.seedsBloom()).isEmpty());
    assertTrue(ScrapeBloom.of(unknown.peersBloom()).isEmpty());
    assertFalse(unknown.hasValues());
  }

  @Test
  void reannouncingAsASeedMovesThePeerBetweenFilters() {
    NodeId ih = NodeId.random(random);
    PeerAddress p = PeerAddress.parse("10.3.0.1:4000");
    announce(ih, p, false);
    announce(ih, p, true);
    Response r = ask(PeerAddress.parse("10.9.9.9:4000"), new Query.GetPeers(t(), NodeId.random(random), ih, QueryMeta.NONE.withArg("scrape", 1)));
    assertTrue(ScrapeBloom.of(r.seedsBloom()).mightContain(p.ipBytes()));
    assertTrue(ScrapeBloom.of(r.peersBloom()).isEmpty());
  }

  @Test
  void seedAndScrapeFlagsRoundTripThroughTheCodec() throws Exception {
    NodeId id = NodeId.random(random);
    Query.GetPeers gp = new Query.GetPeers(t(), id, id, QueryMeta.NONE.withArg("scrape", 1));
    Query.GetPeers back = assertInstanceOf(Query.GetPeers.class, KrpcCodec.decode(KrpcCodec.encode(gp)));
    assertTrue(back.scrape());
    assertFalse(new Query.GetPeers(t(), id, id, QueryMeta.NONE.withArg("scrape", 0)).scrape());
    Query.AnnouncePeer ap = new Query.AnnouncePeer(t(), id, id, 1, false, new byte[] {1}, QueryMeta.NONE.withArg("seed", 1));
    assertTrue(assertInstanceOf(Query.AnnouncePeer.class, KrpcCodec.decode(KrpcCodec.encode(ap))).seed());
  }

  @Test
  void noseedLeavesTheSeedsOutOfTheValues() {
    NodeId ih = NodeId.random(random);
    List<PeerAddress> downloaders = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      PeerAddress from = PeerAddress.parse("10.4.0." + i + ":4000");
      announce(ih, from, i <= 8);
      if (i > 8) {
        downloaders.add(from.withPort(6881));
      }
    }
    PeerAddress asker = PeerAddress.parse("10.9.9.8:4000");
    Response all = ask(asker, new Query.GetPeers(t(), NodeId.random(random), ih, QueryMeta.NONE));
    assertEquals(12, all.values().size());
    Response noseed = ask(asker, new Query.GetPeers(t(), NodeId.random(random), ih, QueryMeta.NONE.withArg("noseed", 1)));
    java.util.Set<PeerAddress> got = new java.util.HashSet<>();
    for (int i = 0; i < noseed.values().size(); i++) {
      got.add(noseed.values().get(i));
    }
    assertEquals(new java.util.HashSet<>(downloaders), got);
    assertTrue(noseed.token() != null);
  }

  @Test
  void noseedWithOnlySeedsStoredAnswersWithNodes() throws Exception {
    NodeId ih = NodeId.random(random);
    announce(ih, PeerAddress.parse("10.4.1.1:4000"), true);
    Response r = ask(PeerAddress.parse("10.9.9.7:4000"),
        new Query.GetPeers(t(), NodeId.random(random), ih, QueryMeta.NONE.withArg("noseed", 1)));
    assertFalse(r.hasValues());
    assertTrue(r.token() != null, "still a token: the seed may announce");
    Query.GetPeers gp = new Query.GetPeers(t(), ih, ih, QueryMeta.NONE.withArg("noseed", 1));
    assertTrue(assertInstanceOf(Query.GetPeers.class, KrpcCodec.decode(KrpcCodec.encode(gp))).noseed());
    assertFalse(new Query.GetPeers(t(), ih, ih, QueryMeta.NONE).noseed());
  }
}
