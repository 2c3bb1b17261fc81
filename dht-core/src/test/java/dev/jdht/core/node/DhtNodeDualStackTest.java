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
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BEP 32 (an IPv4 and an IPv6 node paired on one thread) and BEP 43, with hand-made datagrams. */
class DhtNodeDualStackTest {
  private record Sent(PeerAddress to, byte[] data) {
    KrpcMessage decode() {
      return new DhtNodeServerTest.Sent(to, data).decode();
    }
  }

  private final ManualClock clock = new ManualClock();
  private final TimerQueue timers = new TimerQueue();
  private final List<Sent> sent = new ArrayList<>();
  private final Random random = new Random(32);
  private final NodeId self = NodeId.random(random);
  private final PeerAddress alice4 = PeerAddress.parse("10.0.0.1:5000");
  private final PeerAddress alice6 = PeerAddress.parse("[2001:db8::1]:5000");
  private final NodeId aliceId = NodeId.random(random);
  private DhtNode node4;
  private DhtNode node6;

  private DhtNode node(boolean ipv6, DhtNode share, boolean readOnly) {
    NodeConfig cfg = NodeConfig.builder()
        .routing(RoutingConfig.defaults().withAllowLoopbackAndPrivate(true)).readOnly(readOnly).build();
    return new DhtNode(self, cfg, (to, d, off, len) -> sent.add(new Sent(to, Arrays.copyOfRange(d, off, off + len))),
        timers, clock, random, ipv6, share == null ? null : share.peerStore(), share == null ? null : share.itemStore(), true);
  }

  @BeforeEach
  void setUp() {
    node4 = node(false, null, false);
    node6 = node(true, node4, false);
    node4.pairWith(node6);
    node4.start(List.of(), List.of());
    node6.start(List.of(), List.of());
    for (int i = 1; i <= 8; i++) {
      node4.routingTable().onResponse(
          new NodeInfo(NodeId.random(random), PeerAddress.parse("10.0.1." + i + ":6881")), clock.nanos(), -1);
      node6.routingTable().onResponse(
          new NodeInfo(NodeId.random(random), PeerAddress.parse("[2001:db8:1:" + i + "::1]:6881")), clock.nanos(), -1);
    }
    sent.clear();
  }

  private KrpcMessage roundTrip(DhtNode to, PeerAddress from, Query q) {
    sent.clear();
    byte[] b = KrpcCodec.encode(q);
    to.onDatagram(from, b, 0, b.length);
    List<KrpcMessage> replies =
        sent.stream().map(Sent::decode).filter(m -> !(m instanceof Query)).toList(); // not our pings
    assertEquals(1, replies.size(), "exactly one reply");
    return replies.get(0);
  }

  private static QueryMeta want(String... families) {
    return new QueryMeta(null, false, List.of(families), null, null);
  }

  private static int count(CompactNodes n) {
    return n == null ? 0 : n.size();
  }

  @Test
  void wantPicksTheFamiliesOfTheReply() {
    NodeId target = NodeId.random(random);
    TransactionId t = TransactionId.ofLong(1, 2);
    Response only6 = assertInstanceOf(Response.class,
        roundTrip(node4, alice4, new Query.FindNode(t, aliceId, target, want("n6"))));
    assertEquals(0, count(only6.nodes()));
    assertEquals(8, count(only6.nodes6()));
    Response both = assertInstanceOf(Response.class,
        roundTrip(node4, alice4, new Query.GetPeers(t, aliceId, target, want("n4", "n6"))));
    assertEquals(8, count(both.nodes()));
    assertEquals(8, count(both.nodes6()));
    // no want: the querier's own family
    Response none6 = assertInstanceOf(Response.class,
        roundTrip(node6, alice6, new Query.FindNode(t, aliceId, target, QueryMeta.NONE)));
    assertEquals(0, count(none6.nodes()));
    assertEquals(8, count(none6.nodes6()));
    Response none4 = assertInstanceOf(Response.class,
        roundTrip(node4, alice4, new Query.FindNode(t, aliceId, target, want("n5"))));
    assertEquals(8, count(none4.nodes()));
    assertEquals(0, count(none4.nodes6()));
  }

  @Test
  void bothFamiliesShareThePeerStoreAndV6PeersAreCompact18Bytes() {
    NodeId ih = NodeId.random(random);
    node4.peerStore().announce(ih, PeerAddress.parse("10.9.0.1:6881"), false, clock.nanos());
    node6.peerStore().announce(ih, PeerAddress.parse("[2001:db8:9::1]:6881"), false, clock.nanos());
    Response r = assertInstanceOf(Response.class,
        roundTrip(node6, alice6, new Query.GetPeers(TransactionId.ofLong(2, 2), aliceId, ih, QueryMeta.NONE)));
    assertEquals(List.of(PeerAddress.parse("10.9.0.1:6881"), PeerAddress.parse("[2001:db8:9::1]:6881")).size(),
        r.values().size());
    assertTrue(r.values().contains(PeerAddress.parse("[2001:db8:9::1]:6881")));
    String raw = new String(sent.get(0).data(), StandardCharsets.ISO_8859_1);
    assertTrue(raw.contains("18:"), "an IPv6 peer is 18 bytes: " + raw);
  }

  @Test
  void anItemPutOverIpv4IsGotOverIpv6() {
    byte[] value = "12:shared store".getBytes(StandardCharsets.UTF_8);
    dev.jdht.core.bep44.Item item = dev.jdht.core.bep44.Item.immutable(value);
    Response forToken = assertInstanceOf(Response.class,
        roundTrip(node4, alice4, new Query.Get(TransactionId.ofLong(5, 2), aliceId, item.target(), null, QueryMeta.NONE)));
    assertInstanceOf(Response.class, roundTrip(node4, alice4, new Query.Put(TransactionId.ofLong(6, 2), aliceId,
        forToken.token(), value, null, null, null, null, null, QueryMeta.NONE)));
    Response got = assertInstanceOf(Response.class,
        roundTrip(node6, alice6, new Query.Get(TransactionId.ofLong(7, 2), aliceId, item.target(), null, QueryMeta.NONE)));
    assertArrayEquals(value, got.value(), "one item store behind both families");
    assertEquals(1, node4.stats().plus(node6.stats()).storedItems(), "counted once, not once per family");
  }

  @Test
  void readOnlyQueriersAreNeverLearnedOnEitherFamily() {
    TransactionId t = TransactionId.ofLong(3, 2);
    QueryMeta ro = QueryMeta.of(null, true);
    roundTrip(node4, alice4, new Query.FindNode(t, aliceId, NodeId.random(random), ro));
    roundTrip(node6, alice6, new Query.GetPeers(t, aliceId, NodeId.random(random), ro));
    assertFalse(node4.routingTable().contains(aliceId));
    assertFalse(node6.routingTable().contains(aliceId));
    roundTrip(node6, alice6, new Query.Ping(t, aliceId, QueryMeta.NONE));
    assertTrue(node6.routingTable().contains(aliceId), "without ro the querier is learned");
  }

  /** Starts a find_node and returns the query it sent to the first node asked. */
  private Sent firstQuery(DhtNode n) {
    sent.clear();
    n.findNode(NodeId.random(random), (result, error) -> {});
    assertFalse(sent.isEmpty());
    return sent.get(0);
  }

  @Test
  void queriesCarryWantAndReadOnly() {
    Query q = assertInstanceOf(Query.class, firstQuery(node4).decode());
    assertEquals(List.of("n4", "n6"), q.meta().want());
    assertFalse(q.meta().readOnly());
    DhtNode ro4 = node(false, null, true);
    ro4.start(List.of(), List.of());
    ro4.routingTable().onQuery(new NodeInfo(NodeId.random(random), PeerAddress.parse("10.0.2.1:6881")), clock.nanos());
    Query roQuery = assertInstanceOf(Query.class, firstQuery(ro4).decode());
    assertTrue(roQuery.meta().readOnly(), "ro=1 in queries of a read-only node");
  }

  private static byte[] response(TransactionId t, NodeId id, String body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("d1:rd2:id20:".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(id.toBytes());
    out.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(("e1:t" + t.length() + ":").getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(t.toBytes());
    out.writeBytes("1:y1:re".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static NodeId idOf(DhtNode n, PeerAddress a) {
    return n.routingTable().idAt(a);
  }

  @Test
  void nodes6InAnIpv4ReplyFillTheIpv6TableAndMappedOnesAreDropped() {
    Sent q = firstQuery(node4);
    Query query = (Query) q.decode();
    NodeInfo v6 = new NodeInfo(NodeId.random(random), PeerAddress.parse("[2001:db8:7::7]:6881"));
    NodeInfo mapped = new NodeInfo(NodeId.random(random), PeerAddress.parse("[::ffff:10.7.7.7]:6881"));
    Response r = Response.builder(query.transactionId(), idOf(node4, q.to()))
        .nodes(List.of(v6, mapped)).build();
    byte[] b = KrpcCodec.encode(r);
    long before = node4.stats().droppedWrongFamily();
    node4.onDatagram(q.to(), b, 0, b.length);
    assertTrue(node6.routingTable().idAt(v6.address()) != null, "the v6 contact went to the IPv6 table");
    assertNull(node6.routingTable().idAt(mapped.address()));
    assertNull(node4.routingTable().idAt(mapped.address()));
    assertEquals(before + 1, node4.stats().droppedWrongFamily(), "the IPv4-mapped entry was counted");
  }

  @Test
  void datagramsOfTheWrongFamilyAreCountedAndDropped() {
    byte[] b = KrpcCodec.encode(new Query.Ping(TransactionId.ofLong(4, 2), aliceId, QueryMeta.NONE));
    node6.onDatagram(alice4, b, 0, b.length);
    node4.onDatagram(alice6, b, 0, b.length);
    assertTrue(sent.isEmpty());
    assertEquals(1, node6.stats().droppedWrongFamily());
    assertEquals(1, node4.stats().droppedWrongFamily());
    assertFalse(node4.routingTable().contains(aliceId) || node6.routingTable().contains(aliceId));
  }

  @Test
  void truncatedAndOddLengthNodes6AreCountedAsMalformed() {
    for (String body : List.of("6:nodes637:" + "n".repeat(37), "6:nodes677:" + "n".repeat(77))) {
      Sent q = firstQuery(node6);
      Query query = (Query) q.decode();
      byte[] b = response(query.transactionId(), idOf(node6, q.to()), body);
      long before = node6.stats().droppedMalformed();
      node6.onDatagram(q.to(), b, 0, b.length);
      assertEquals(before + 1, node6.stats().droppedMalformed(), body);
      assertEquals(0, node6.stats().responsesIn(), "not taken as a response");
    }
  }

  @Test
  void anIdThatChangesForTheSameAddressIsCountedAndTheTableKeepsTheOldOne() {
    Sent q = firstQuery(node4);
    Query query = (Query) q.decode();
    NodeId known = idOf(node4, q.to());
    NodeId other = NodeId.random(random);
    byte[] b = KrpcCodec.encode(Response.builder(query.transactionId(), other).build());
    node4.onDatagram(q.to(), b, 0, b.length);
    assertEquals(1, node4.stats().droppedIdChanged());
    assertEquals(known, idOf(node4, q.to()));
    assertFalse(node4.routingTable().contains(other));
  }
}
