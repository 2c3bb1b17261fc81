package dev.jdht.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.routing.RoutingConfig;
import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.core.secure.SecureIds;
import dev.jdht.core.time.ManualClock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BEP 42: the node learns its external IP from replies and takes a matching id. */
class IdRegenerationTest {
  private static final PeerAddress EXTERNAL = PeerAddress.parse("81.2.3.4:6881");
  private final ManualClock clock = new ManualClock();
  private final List<DhtNodeServerTest.Sent> sent = new ArrayList<>();
  private final Random random = new Random(3);

  private DhtNode node(SecureIdPolicy policy) {
    NodeConfig cfg = NodeConfig.builder().secureIds(policy)
        .routing(RoutingConfig.defaults().withAllowLoopbackAndPrivate(true)).build();
    DhtNode n = new DhtNode(NodeId.random(random), cfg,
        (to, d, off, len) -> sent.add(new DhtNodeServerTest.Sent(to, java.util.Arrays.copyOfRange(d, off, off + len))),
        new TimerQueue(), clock, random);
    n.start(List.of(), List.of());
    return n;
  }

  /** Pings {@code from}, which answers that we are {@code ours}. */
  private NodeId pingAnswered(DhtNode n, PeerAddress from, PeerAddress ours) {
    sent.clear();
    n.ping(from, null, null);
    Query.Ping q = assertInstanceOf(Query.Ping.class, sent.get(0).decode());
    NodeId responder = NodeId.random(random);
    byte[] r = KrpcCodec.encode(Response.builder(q.transactionId(), responder).externalIp(ours).build());
    n.onDatagram(from, r, 0, r.length);
    return responder;
  }

  private static PeerAddress publicResponder(int i) {
    return PeerAddress.parse("70." + i + ".0.9:6881");
  }

  @Test
  void fiveDistinctNetworksVotingForOurAddressGiveUsAMatchingId() {
    DhtNode n = node(SecureIdPolicy.PREFER);
    NodeId before = n.id();
    assertFalse(SecureIds.matches(before, EXTERNAL));
    List<NodeId> responders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      responders.add(pingAnswered(n, publicResponder(i), EXTERNAL));
    }
    assertEquals(before, n.id(), "four votes do not settle");
    responders.add(pingAnswered(n, publicResponder(4), EXTERNAL));
    assertNotEquals(before, n.id());
    assertTrue(SecureIds.matches(n.id(), EXTERNAL));
    assertEquals(1, n.stats().idRegenerations());
    assertEquals(n.id(), n.routingTable().self(), "the table is re-keyed");
    for (NodeId r : responders) {
      assertTrue(n.routingTable().contains(r), "the responders stay in the table");
    }
    // later messages carry the new id
    sent.clear();
    n.ping(publicResponder(9), null, null);
    assertEquals(n.id(), assertInstanceOf(Query.Ping.class, sent.get(0).decode()).id());
    sent.clear();
    byte[] q = KrpcCodec.encode(new Query.Ping(dev.jdht.krpc.wire.TransactionId.ofLong(1, 2), NodeId.random(random), QueryMeta.NONE));
    n.onDatagram(publicResponder(20), q, 0, q.length);
    assertEquals(n.id(), assertInstanceOf(Response.class, sent.get(0).decode()).id());
  }

  @Test
  void offNeverChangesTheIdAndLoopbackVotesDoNotCount() {
    DhtNode off = node(SecureIdPolicy.OFF);
    NodeId before = off.id();
    for (int i = 0; i < 8; i++) {
      pingAnswered(off, publicResponder(i), EXTERNAL);
    }
    assertEquals(before, off.id());
    assertEquals(0, off.stats().idRegenerations());

    DhtNode loop = node(SecureIdPolicy.ENFORCE);
    NodeId id = loop.id();
    for (int i = 0; i < 8; i++) {
      pingAnswered(loop, PeerAddress.parse("127.0.0." + (i + 2) + ":6881"), PeerAddress.parse("127.0.0.1:6881"));
    }
    assertEquals(id, loop.id(), "a loopback testnet keeps its ids");
  }

  @Test
  void anIdThatAlreadyMatchesIsKept() {
    DhtNode n = node(SecureIdPolicy.PREFER);
    NodeId matching = SecureIds.generate(EXTERNAL.ipBytes(), random);
    n.changeId(matching, clock.nanos());
    for (int i = 0; i < 6; i++) {
      pingAnswered(n, publicResponder(i), EXTERNAL);
    }
    assertEquals(matching, n.id());
    assertEquals(1, n.stats().idRegenerations(), "only the explicit change");
  }
}
