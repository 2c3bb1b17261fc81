package dev.jdht.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Amplification: for every query type we answer, the reply (UDP payload bytes) over the query
 * that caused it, with the node in the state that makes the reply largest (full routing tables of
 * both families, a full peer store, 20 infohashes to sample) and the query as small as the
 * protocol allows (1-byte transaction id, no version, no extras). Prints the table that
 * docs/security.md quotes and asserts every ratio under {@link #BOUND} and every reply under the
 * node's maxReplyBytes.
 *
 * <p>New query types (BEP 44 get/put is being added) belong in {@link #cases}: one line each, with
 * the node state that maximises the reply prepared in {@link #fill}.
 */
class AmplificationTest {
  /** The stated bound on reply bytes / query bytes. */
  static final double BOUND = 16.0;

  private final ManualClock clock = new ManualClock();
  private final TimerQueue timers = new TimerQueue();
  private final List<byte[]> sent = new ArrayList<>();
  private final Random random = new Random(14);
  private final NodeId self = NodeId.random(random);
  private final NodeId ih = NodeId.random(random);
  private final NodeId aliceId = NodeId.random(random);
  private int sources;
  private final NodeConfig config = NodeConfig.builder().routing(RoutingConfig.defaults()).build();
  private DhtNode node4;
  private DhtNode node6;

  record Case(String name, boolean ipv6, Function<TransactionId, byte[]> query) {
    static Case of(String name, boolean ipv6, Function<TransactionId, Query> q) {
      return new Case(name, ipv6, t -> KrpcCodec.encode(q.apply(t)));
    }

    /** A raw datagram; "%t" stands for the 1-byte transaction id. */
    static Case raw(String name, String datagram) {
      return new Case(name, false, t -> datagram.replace("%t", new String(t.toBytes(), StandardCharsets.ISO_8859_1))
          .getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  private List<Case> cases() {
    QueryMeta both = new QueryMeta(null, false, List.of("n4", "n6"), null, null);
    NodeId empty = NodeId.random(random);
    byte[] token = new byte[8];
    return List.of(
        Case.of("ping", false, t -> new Query.Ping(t, aliceId, QueryMeta.NONE)),
        Case.of("find_node", false, t -> new Query.FindNode(t, aliceId, NodeId.random(random), QueryMeta.NONE)),
        Case.of("find_node want n4+n6", false, t -> new Query.FindNode(t, aliceId, NodeId.random(random), both)),
        Case.of("find_node (IPv6)", true, t -> new Query.FindNode(t, aliceId, NodeId.random(random), QueryMeta.NONE)),
        Case.of("get_peers, nodes", false, t -> new Query.GetPeers(t, aliceId, empty, QueryMeta.NONE)),
        Case.of("get_peers, nodes+nodes6", false, t -> new Query.GetPeers(t, aliceId, empty, both)),
        Case.of("get_peers, values", false, t -> new Query.GetPeers(t, aliceId, ih, QueryMeta.NONE)),
        Case.of("get_peers, values (IPv6)", true, t -> new Query.GetPeers(t, aliceId, ih, QueryMeta.NONE)),
        Case.of("announce_peer (bad token: error)", false,
            t -> new Query.AnnouncePeer(t, aliceId, ih, 1, true, token, QueryMeta.NONE)),
        Case.of("sample_infohashes", false, t -> new Query.SampleInfohashes(t, aliceId, NodeId.random(random), QueryMeta.NONE)),
        Case.of("sample_infohashes want n4+n6", false,
            t -> new Query.SampleInfohashes(t, aliceId, NodeId.random(random), both)),
        // errors: the smallest datagrams that get an answer at all
        Case.raw("unknown method (error 204)", "d1:ad2:id20:" + "a".repeat(20) + "e1:q1:x1:t1:%t1:y1:qe"),
        Case.raw("ping without id (error 203)", "d1:q4:ping1:t1:%t1:y1:qe"),
        // BEP 44: a get for the largest item there can be, and a get and put that find nothing
        Case.of("get, 1,000-byte mutable item, nodes+nodes6", false,
            t -> new Query.Get(t, aliceId, bigItem.target(), null, both)),
        Case.of("get, no item, nodes+nodes6", false, t -> new Query.Get(t, aliceId, empty, null, both)),
        Case.of("put (bad token: error)", false,
            t -> new Query.Put(t, aliceId, token, "1:x".getBytes(StandardCharsets.US_ASCII), null, null, null, null, null,
                QueryMeta.NONE)));
  }

  private void fill() {
    node4 = new DhtNode(self, config, this::send, timers, clock, random, false, null, null, true);
    node6 = new DhtNode(self, config, this::send, timers, clock, random, true, node4.peerStore(), null, true);
    node4.pairWith(node6);
    long now = clock.nanos();
    for (int i = 0; i < 2000; i++) {
      node4.routingTable().onResponse(new NodeInfo(NodeId.random(random),
          PeerAddress.parse((1 + i % 200) + "." + (i / 200) + ".0.1:6881")), now, -1);
      node6.routingTable().onResponse(new NodeInfo(NodeId.random(random),
          PeerAddress.parse("[2001:db8:" + Integer.toHexString(i) + "::1]:6881")), now, -1);
    }
    for (int i = 0; i < 300; i++) {
      node4.peerStore().announce(ih, PeerAddress.parse("203.0." + (i / 200) + "." + (i % 200) + ":6881"), false, now);
      node4.peerStore().announce(ih, PeerAddress.parse("[2001:db8:aaaa::" + Integer.toHexString(i + 1) + "]:6881"), false, now);
    }
    for (int i = 0; i < 100; i++) {
      node4.peerStore().announce(NodeId.random(random), PeerAddress.parse("203.1.0." + (i + 1) + ":6881"), false, now);
    }
    node4.itemServer().store().put(bigItem, now);
  }

  /** A mutable item as large as BEP 44 allows: a 1,000-byte bencoded value and a 64-byte salt. */
  private final dev.jdht.core.bep44.Item bigItem = dev.jdht.core.bep44.Item.signed(
      dev.jdht.core.bep44.KeyPair.fromSecret(new byte[32]), new byte[64], Long.MAX_VALUE,
      ("995:" + "v".repeat(995)).getBytes(StandardCharsets.US_ASCII));

  private boolean send(PeerAddress to, byte[] d, int off, int len) {
    return sent.add(Arrays.copyOfRange(d, off, off + len));
  }

  @Test
  void everyReplyIsABoundedMultipleOfItsQuery() throws Exception {
    fill();
    StringBuilder table = new StringBuilder("| query | query bytes | reply bytes | ratio |\n|---|---|---|---|\n");
    double worst = 0;
    String worstName = null;
    for (Case c : cases()) {
      double caseWorst = 0;
      int qBytes = 0;
      int rBytes = 0;
      for (int rep = 0; rep < 20; rep++) { // random targets: keep the largest
        byte[] q = c.query().apply(TransactionId.of(new byte[] {(byte) ('a' + rep)}));
        sent.clear();
        // a fresh source each time, so the rate limits do not get in the way of the measurement
        sources++;
        PeerAddress from = c.ipv6()
            ? PeerAddress.parse("[2001:db8:ffff:" + Integer.toHexString(sources) + "::1]:5000")
            : PeerAddress.parse("198.51." + (sources >> 8 & 0xff) + "." + (sources & 0xff) + ":5000");
        (c.ipv6() ? node6 : node4).onDatagram(from, q, 0, q.length);
        assertEquals(1, sent.size(), c.name() + ": one reply per query");
        byte[] r = sent.get(0);
        KrpcMessage reply = KrpcCodec.decode(r);
        assertTrue(reply instanceof Response || reply instanceof ErrorMessage);
        // a get reply that carries a full BEP 44 item is the one that cannot stay under
        // maxReplyBytes (the item alone is about 1,230 bytes); it then carries no nodes and
        // still fits the 1,500 bytes libtorrent accepts
        int limit = c.name().startsWith("get, 1,000-byte") ? 1500 : config.maxReplyBytes();
        assertTrue(r.length <= limit, c.name() + ": " + r.length + " bytes");
        double ratio = (double) r.length / q.length;
        if (ratio > caseWorst) {
          caseWorst = ratio;
          qBytes = q.length;
          rBytes = r.length;
        }
      }
      table.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f |%n", c.name(), qBytes, rBytes, caseWorst));
      if (caseWorst > worst) {
        worst = caseWorst;
        worstName = c.name();
      }
    }
    System.out.print(table);
    System.out.printf(Locale.ROOT, "worst: %s, %.2fx (bound %.0fx)%n", worstName, worst, BOUND);
    assertTrue(worst < BOUND, worstName + " amplifies " + worst + "x");
    assertTrue(new String(KrpcCodec.encode(new Query.Ping(TransactionId.of(new byte[] {1}), aliceId, QueryMeta.NONE)),
        StandardCharsets.ISO_8859_1).contains("1:t1:"), "the queries measured use a 1-byte transaction id");
  }
}
