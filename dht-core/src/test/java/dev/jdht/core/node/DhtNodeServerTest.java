package dev.jdht.core.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.api.DhtStats;
import dev.jdht.core.routing.RoutingConfig;
import dev.jdht.core.time.ManualClock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server side of a node, driven with hand-made datagrams under a fake clock. */
class DhtNodeServerTest {
  record Sent(PeerAddress to, byte[] data) {
    KrpcMessage decode() {
      try {
        return KrpcCodec.decode(data);
      } catch (Exception e) {
        throw new AssertionError("we sent something undecodable", e);
      }
    }
  }

  private final ManualClock clock = new ManualClock();
  private final TimerQueue timers = new TimerQueue();
  private final List<Sent> sent = new ArrayList<>();
  private final Random random = new Random(42);
  private final NodeId self = NodeId.random(random);
  private DhtNode node;
  private final PeerAddress alice = PeerAddress.parse("10.0.0.1:5000");
  private final NodeId aliceId = NodeId.random(random);

  @BeforeEach
  void setUp() {
    NodeConfig cfg =
        NodeConfig.builder().routing(RoutingConfig.defaults().withAllowLoopbackAndPrivate(true))
            // the floods below test the rate limiter; the DoS blocker has its own tests (SecurityTest)
            .security(SecurityConfig.defaults().withDosRate(0)).build();
    node = new DhtNode(self, cfg, (to, d, off, len) -> sent.add(new Sent(to, java.util.Arrays.copyOfRange(d, off, off + len))),
        timers, clock, random);
    node.start(List.of(), List.of());
  }

  private KrpcMessage roundTrip(PeerAddress from, Query q) {
    sent.clear();
    byte[] b = KrpcCodec.encode(q);
    node.onDatagram(from, b, 0, b.length);
    List<Sent> replies = replies();
    assertEquals(1, replies.size(), "exactly one reply");
    assertEquals(from, replies.get(0).to());
    return replies.get(0).decode();
  }

  /** What we sent that is not a query of ours (such as the ping that verifies a new querier). */
  private List<Sent> replies() {
    return sent.stream().filter(s -> !(s.decode() instanceof Query)).toList();
  }

  /**
   * {@code who} queries us, and then answers the ping with which we verify it (a new querier that
   * lands in the table proper is pinged at once; one kept as a replacement is not).
   */
  private void queryAndAnswerOurPing(PeerAddress who, NodeId whoId) {
    roundTrip(who, new Query.Ping(t(7), whoId, QueryMeta.NONE));
    Sent ping = sent.stream().filter(s -> s.decode() instanceof Query.Ping).findFirst().orElse(null);
    if (ping == null) {
      return;
    }
    assertEquals(who, ping.to());
    byte[] answer = KrpcCodec.encode(Response.builder(((Query) ping.decode()).transactionId(), whoId).build());
    node.onDatagram(who, answer, 0, answer.length);
  }

  private static TransactionId t(int i) {
    return TransactionId.ofLong(i, 2);
  }

  @Test
  void pingIsAnsweredWithOurIdVersionAndTheRequesterAddress() {
    Response r = assertInstanceOf(Response.class, roundTrip(alice, new Query.Ping(t(1), aliceId, QueryMeta.NONE)));
    assertEquals(self, r.id());
    assertEquals(t(1), r.transactionId());
    assertArrayEquals(NodeConfig.DEFAULT_VERSION, r.version());
    assertEquals(alice, r.externalIp());
    assertTrue(node.routingTable().contains(aliceId), "the sender is learned");
  }

  @Test
  void readOnlyQueriersAreNotLearned() {
    roundTrip(alice, new Query.Ping(t(1), aliceId, QueryMeta.of(null, true)));
    assertFalse(node.routingTable().contains(aliceId));
  }

  @Test
  void findNodeReturnsClosestKnownNodes() {
    for (int i = 0; i < 30; i++) {
      queryAndAnswerOurPing(PeerAddress.parse("10.0.1." + (i + 1) + ":6881"), NodeId.random(random));
    }
    NodeId target = NodeId.random(random);
    Response r = assertInstanceOf(Response.class, roundTrip(alice, new Query.FindNode(t(99), aliceId, target, QueryMeta.NONE)));
    assertEquals(8, r.nodes().size());
    assertTrue(sent.get(0).data().length < 1200);
  }

  @Test
  void aQuerierIsAdvertisedOnlyOnceItHasAnsweredUs() {
    PeerAddress silent = PeerAddress.parse("10.0.3.1:7500");
    NodeId silentId = NodeId.random(random);
    roundTrip(silent, new Query.Ping(t(1), silentId, QueryMeta.NONE));
    assertTrue(node.routingTable().contains(silentId), "kept as a candidate");
    assertEquals(1, sent.stream().filter(s -> s.decode() instanceof Query.Ping && s.to().equals(silent)).count(),
        "and pinged at once to verify it");
    NodeId near = silentId.flipBit(159);
    for (int second = 0; second < 30; second++) {
      Response r = assertInstanceOf(Response.class,
          roundTrip(alice, new Query.FindNode(t(2), aliceId, near, QueryMeta.NONE)));
      assertFalse(r.nodes().contains(new NodeInfo(silentId, silent)), "never advertised while silent");
      Response gp = assertInstanceOf(Response.class,
          roundTrip(alice, new Query.GetPeers(t(3), aliceId, near, QueryMeta.NONE)));
      assertFalse(gp.nodes().contains(new NodeInfo(silentId, silent)));
      clock.advance(1, TimeUnit.SECONDS);
      timers.runDue(clock.nanos());
    }
    // the same kind of querier that does answer our ping is advertised from then on
    PeerAddress bob = PeerAddress.parse("10.0.3.2:7500");
    NodeId bobId = silentId.flipBit(158);
    queryAndAnswerOurPing(bob, bobId);
    Response r = assertInstanceOf(Response.class,
        roundTrip(alice, new Query.FindNode(t(4), aliceId, near, QueryMeta.NONE)));
    assertTrue(r.nodes().contains(new NodeInfo(bobId, bob)), r.nodes().toString());
  }

  @Test
  void announceNeedsAValidTokenAndThenGetPeersReturnsValues() {
    NodeId ih = NodeId.random(random);
    Response first = assertInstanceOf(Response.class, roundTrip(alice, new Query.GetPeers(t(1), aliceId, ih, QueryMeta.NONE)));
    assertNotNull(first.token());
    assertFalse(first.hasValues());
    assertTrue(first.hasNodes());

    ErrorMessage bad = assertInstanceOf(ErrorMessage.class,
        roundTrip(alice, new Query.AnnouncePeer(t(2), aliceId, ih, 7000, false, "nope".getBytes(StandardCharsets.US_ASCII), QueryMeta.NONE)));
    assertEquals(203, bad.code());

    // a token given to alice is no good for bob's IP
    PeerAddress bob = PeerAddress.parse("10.0.0.2:5000");
    ErrorMessage stolen = assertInstanceOf(ErrorMessage.class,
        roundTrip(bob, new Query.AnnouncePeer(t(3), NodeId.random(random), ih, 7000, false, first.token(), QueryMeta.NONE)));
    assertEquals(203, stolen.code());

    assertInstanceOf(Response.class,
        roundTrip(alice, new Query.AnnouncePeer(t(4), aliceId, ih, 7000, false, first.token(), QueryMeta.NONE)));
    Response second = assertInstanceOf(Response.class, roundTrip(bob, new Query.GetPeers(t(5), NodeId.random(random), ih, QueryMeta.NONE)));
    assertEquals(List.of(PeerAddress.parse("10.0.0.1:7000")), List.copyOf(second.values()));
  }

  @Test
  void impliedPortUsesTheSourcePort() {
    NodeId ih = NodeId.random(random);
    Response gp = (Response) roundTrip(alice, new Query.GetPeers(t(1), aliceId, ih, QueryMeta.NONE));
    roundTrip(alice, new Query.AnnouncePeer(t(2), aliceId, ih, 1, true, gp.token(), QueryMeta.NONE));
    assertEquals(List.of(alice), node.peerStore().get(ih, 10, random, clock.nanos()));
  }

  @Test
  void tokenStaysValidAcrossOneRotationButNotTwo() {
    NodeId ih = NodeId.random(random);
    Response gp = (Response) roundTrip(alice, new Query.GetPeers(t(1), aliceId, ih, QueryMeta.NONE));
    clock.advance(6, TimeUnit.MINUTES);
    assertInstanceOf(Response.class, roundTrip(alice, new Query.AnnouncePeer(t(2), aliceId, ih, 7000, false, gp.token(), QueryMeta.NONE)));
    clock.advance(11, TimeUnit.MINUTES);
    assertInstanceOf(ErrorMessage.class, roundTrip(alice, new Query.AnnouncePeer(t(3), aliceId, ih, 7000, false, gp.token(), QueryMeta.NONE)));
  }

  @Test
  void valuesReplyStaysUnderTheSizeBound() {
    NodeId ih = NodeId.random(random);
    for (int i = 0; i < 400; i++) {
      node.peerStore().announce(ih, PeerAddress.parse("10.1." + (i / 200) + "." + (i % 200) + ":6881"), false, clock.nanos());
    }
    for (int i = 0; i < 50; i++) {
      node.peerStore().announce(ih, PeerAddress.parse("[2001:db8::" + Integer.toHexString(i + 1) + "]:6881"), false, clock.nanos());
    }
    Response r = (Response) roundTrip(alice, new Query.GetPeers(t(1), aliceId, ih, QueryMeta.NONE));
    assertTrue(r.values().size() > 50, "a useful number of peers: " + r.values().size());
    int size = sent.get(0).data().length;
    assertTrue(size <= 1200, "reply of " + size + " bytes");
  }

  @Test
  void unknownMethodGets204AndMalformedQueryGets203() {
    byte[] unknown = "d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q4:vote1:t2:xy1:y1:qe".getBytes(StandardCharsets.ISO_8859_1);
    node.onDatagram(alice, unknown, 0, unknown.length);
    ErrorMessage e = (ErrorMessage) sent.get(0).decode();
    assertEquals(204, e.code());
    assertEquals("xy", new String(e.transactionId().toBytes(), StandardCharsets.ISO_8859_1));

    sent.clear();
    byte[] shortId = "d1:ad2:id3:abce1:q4:ping1:t2:zz1:y1:qe".getBytes(StandardCharsets.ISO_8859_1);
    node.onDatagram(alice, shortId, 0, shortId.length);
    ErrorMessage e2 = (ErrorMessage) sent.get(0).decode();
    assertEquals(203, e2.code());
    assertEquals(1, node.stats().droppedMalformed());
  }

  @Test
  void hostileDatagramsAreCountedAndNeverAnswered() {
    List<byte[]> junk = new ArrayList<>();
    junk.add(new byte[0]);
    junk.add("x".getBytes(StandardCharsets.ISO_8859_1));
    junk.add("d1:t400000000:ae".getBytes(StandardCharsets.ISO_8859_1));
    junk.add("d1:t2:aa1:y1:re".getBytes(StandardCharsets.ISO_8859_1)); // response without r
    junk.add("d1:rd2:id20:aaaaaaaaaaaaaaaaaaaae1:t2:aa1:y1:re".getBytes(StandardCharsets.ISO_8859_1)); // unknown transaction
    junk.add("d1:ei201e1:t2:aa1:y1:ee".getBytes(StandardCharsets.ISO_8859_1)); // 'e' not a list
    byte[] deep = new byte[10_000];
    java.util.Arrays.fill(deep, (byte) 'l');
    deep[0] = 'd';
    deep[deep.length - 1] = 'e';
    junk.add(deep);
    byte[] rnd = new byte[1500];
    random.nextBytes(rnd);
    rnd[0] = 'd';
    rnd[rnd.length - 1] = 'e';
    junk.add(rnd);
    for (byte[] j : junk) {
      node.onDatagram(alice, j, 0, j.length);
    }
    DhtStats s = node.stats();
    assertEquals(junk.size(), s.datagramsIn());
    assertEquals(junk.size() - 1, s.droppedMalformed());
    assertEquals(1, s.droppedUnknownTransaction());
    assertEquals(0, s.handlerFailures());
    assertTrue(sent.isEmpty(), "nothing answered: " + sent.size());
    // port 0 is dropped by the prefilter
    byte[] ping = KrpcCodec.encode(new Query.Ping(t(1), aliceId, QueryMeta.NONE));
    node.onDatagram(alice.withPort(0), ping, 0, ping.length);
    assertTrue(sent.isEmpty());
  }

  @Test
  void responsesAreAcceptedOnlyFromTheQueriedAddressAndTimeoutsAreCounted() {
    List<PingResult> results = new ArrayList<>();
    node.ping(alice, null, results::add);
    Query.Ping q = (Query.Ping) sent.get(0).decode();
    Response reply = Response.builder(q.transactionId(), aliceId).build();
    byte[] b = KrpcCodec.encode(reply);
    PeerAddress spoofer = PeerAddress.parse("10.9.9.9:5000");
    node.onDatagram(spoofer, b, 0, b.length);
    assertTrue(results.isEmpty());
    assertEquals(1, node.stats().droppedUnknownTransaction());
    node.onDatagram(alice, b, 0, b.length);
    assertEquals(1, results.size());
    assertTrue(results.get(0).ok());
    assertEquals(aliceId, results.get(0).id());
    // a late duplicate is unknown now
    node.onDatagram(alice, b, 0, b.length);
    assertEquals(2, node.stats().droppedUnknownTransaction());

    node.ping(alice, null, results::add);
    clock.advance(3, TimeUnit.SECONDS);
    timers.runDue(clock.nanos());
    assertEquals("timeout", results.get(1).error());
    assertEquals(1, node.stats().timeouts());
    assertEquals(0, node.stats().inFlight());
  }

  @Test
  void perIpRateLimitDropsAFlood() {
    byte[] ping = KrpcCodec.encode(new Query.Ping(t(1), aliceId, QueryMeta.NONE));
    for (int i = 0; i < 1000; i++) {
      node.onDatagram(alice, ping, 0, ping.length);
    }
    DhtStats s = node.stats();
    assertTrue(s.droppedRateLimited() > 800, "dropped " + s.droppedRateLimited());
    assertEquals(1000 - s.droppedRateLimited(), replies().size());
  }

  @Test
  void aQueryFloodDoesNotStarveAnswersToOurOwnQueries() {
    // alice floods us past the per-IP budget, then answers our ping: the answer still gets in
    byte[] ping = KrpcCodec.encode(new Query.Ping(t(1), aliceId, QueryMeta.NONE));
    for (int i = 0; i < 1000; i++) {
      node.onDatagram(alice, ping, 0, ping.length);
    }
    long dropped = node.stats().droppedRateLimited();
    assertTrue(dropped > 800, "dropped " + dropped);
    sent.clear();
    List<PingResult> results = new ArrayList<>();
    node.ping(alice, null, results::add);
    Query.Ping q = (Query.Ping) sent.get(0).decode();
    byte[] reply = KrpcCodec.encode(Response.builder(q.transactionId(), aliceId).build());
    node.onDatagram(alice, reply, 0, reply.length);
    assertEquals(1, results.size());
    assertTrue(results.get(0).ok(), results.get(0).toString());
    assertEquals(dropped, node.stats().droppedRateLimited());
  }

  @Test
  void aGlobalFloodFromUnknownSourcesLeavesAReserveForVerifiedNodes() {
    // alice is a verified contact (she answered our ping); then 20,000 unknown sources, one query
    // each, spend the whole global budget (burst 20,000 by default)
    queryAndAnswerOurPing(alice, aliceId);
    assertTrue(node.routingTable().isVerifiedAt(alice));
    byte[] flood = KrpcCodec.encode(new Query.Ping(t(2), NodeId.random(random), QueryMeta.NONE));
    int n = node.config().globalBurst() + 100;
    for (int i = 0; i < n; i++) {
      node.onDatagram(PeerAddress.of(new byte[] {10, 9, (byte) (i >> 8), (byte) i}, 7000 + (i >> 16)), flood, 0,
          flood.length);
    }
    long dropped = node.stats().droppedRateLimited();
    assertTrue(dropped >= 100, "the global budget was spent: " + dropped);
    // a new unknown source is refused, alice is still answered from the reserve, within her per-IP budget
    sent.clear();
    byte[] ping = KrpcCodec.encode(new Query.Ping(t(3), NodeId.random(random), QueryMeta.NONE));
    node.onDatagram(PeerAddress.parse("10.8.0.1:7000"), ping, 0, ping.length);
    assertEquals(0, replies().size(), "unknown source over the global budget");
    byte[] alicePing = KrpcCodec.encode(new Query.Ping(t(4), aliceId, QueryMeta.NONE));
    node.onDatagram(alice, alicePing, 0, alicePing.length);
    assertEquals(1, replies().size(), "the verified node is answered");
    int answered = 0;
    for (int i = 0; i < 1000; i++) {
      sent.clear();
      node.onDatagram(alice, alicePing, 0, alicePing.length);
      answered += replies().size();
    }
    assertTrue(answered < node.config().perIpBurst(), "still within her own per-IP budget: " + answered);
  }

  @Test
  void queriesAreToldApartFromAnswersByTheirYKey() {
    byte[] ping = KrpcCodec.encode(new Query.Ping(t(1), aliceId, QueryMeta.NONE));
    byte[] answer = KrpcCodec.encode(Response.builder(t(1), aliceId).build());
    assertTrue(DhtNode.looksLikeQuery(ping, 0, ping.length));
    assertFalse(DhtNode.looksLikeQuery(answer, 0, answer.length));
    assertFalse(DhtNode.looksLikeQuery(ping, 0, 5));
  }

  @Test
  void savedStateRoundTrips() throws Exception {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      nodes.add(new NodeInfo(NodeId.random(random), PeerAddress.parse("10.0.2." + i + ":6881")));
    }
    nodes.add(new NodeInfo(NodeId.random(random), PeerAddress.parse("[2001:db8::1]:6881")));
    SavedState s = new SavedState(self, nodes);
    SavedState back = SavedState.decode(s.encode());
    assertEquals(self, back.id());
    assertEquals(new java.util.HashSet<>(nodes), new java.util.HashSet<>(back.nodes()));
  }
}
