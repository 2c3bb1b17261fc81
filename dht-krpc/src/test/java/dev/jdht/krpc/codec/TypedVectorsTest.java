package dev.jdht.krpc.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import dev.jdht.testdata.KrpcVectors;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Field-by-field checks of the decoded golden vectors: the BEP 5 examples and the extensions. */
class TypedVectorsTest {
  private static final NodeId A = NodeId.of(ascii("abcdefghij0123456789"));
  private static final NodeId M = NodeId.of(ascii("mnopqrstuvwxyz123456"));
  private static final TransactionId AA = TransactionId.of(ascii("aa"));

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static KrpcMessage decode(String vector) throws DecodeException {
    return KrpcCodec.decode(KrpcVectors.valid(vector).bytes());
  }

  private static Response response(String vector) throws DecodeException {
    return assertInstanceOf(Response.class, decode(vector));
  }

  @Test
  void bep5Ping() throws DecodeException {
    Query.Ping q = assertInstanceOf(Query.Ping.class, decode("bep5_ping_query"));
    assertEquals(AA, q.transactionId());
    assertEquals(A, q.id());
    assertEquals("ping", q.method());
    assertNull(q.version());
    assertFalse(q.readOnly());
    assertNull(q.meta().want());
    assertTrue(q.extras().isEmpty());
    assertTrue(q.meta().argExtras().isEmpty());

    Response r = response("bep5_ping_response");
    assertEquals(AA, r.transactionId());
    assertEquals(M, r.id());
    assertFalse(r.hasNodes());
    assertFalse(r.hasNodes6());
    assertFalse(r.hasValues());
    assertTrue(r.nodes().isEmpty());
    assertTrue(r.values().isEmpty());
    assertNull(r.token());
    assertNull(r.externalIp());
    assertNull(r.version());
    assertTrue(r.extras().isEmpty());
    assertTrue(r.bodyExtras().isEmpty());
  }

  @Test
  void bep5FindNode() throws DecodeException {
    Query.FindNode q = assertInstanceOf(Query.FindNode.class, decode("bep5_find_node_query"));
    assertEquals(A, q.id());
    assertEquals(M, q.target());
    assertEquals("find_node", q.method());

    byte[] in = KrpcVectors.valid("bep5_find_node_response_real_nodes").bytes();
    Response r = assertInstanceOf(Response.class, KrpcCodec.decode(in));
    assertEquals(NodeId.of(ascii("0123456789abcdefghij")), r.id());
    assertEquals(1, r.nodes().size());
    // the one node is the 26 bytes after "5:nodes26:"
    int at = indexOf(in, ascii("5:nodes26:")) + 10;
    NodeInfo n = r.nodes().get(0);
    assertEquals(NodeId.of(in, at), n.id());
    assertArrayEquals(Arrays.copyOfRange(in, at + 20, at + 24), n.address().ipBytes());
    assertEquals((in[at + 24] & 0xff) << 8 | (in[at + 25] & 0xff), n.address().port());
    assertEquals(n.id(), r.nodes().idAt(0));
    assertEquals(n.address().port(), r.nodes().portAt(0));
  }

  @Test
  void bep5GetPeers() throws DecodeException {
    Query.GetPeers q = assertInstanceOf(Query.GetPeers.class, decode("bep5_get_peers_query"));
    assertEquals(A, q.id());
    assertEquals(M, q.infoHash());

    Response r = response("bep5_get_peers_response_values");
    assertEquals(A, r.id());
    assertArrayEquals(ascii("aoeusnth"), r.token());
    // "axje.u" is 97.120.106.101 port 0x2e75, "idhtnm" is 105.100.104.116 port 0x6e6d
    assertEquals(List.of(PeerAddress.parse("97.120.106.101:11893"),
        PeerAddress.parse("105.100.104.116:28269")), List.copyOf(r.values()));
    assertFalse(r.hasNodes());

    Response withNodes = response("bep5_get_peers_response_real_nodes");
    assertEquals(1, withNodes.nodes().size());
    assertArrayEquals(ascii("aoeusnth"), withNodes.token());
    assertFalse(withNodes.hasValues());
  }

  @Test
  void bep5AnnouncePeer() throws DecodeException {
    Query.AnnouncePeer q =
        assertInstanceOf(Query.AnnouncePeer.class, decode("bep5_announce_peer_query"));
    assertEquals(A, q.id());
    assertEquals(M, q.infoHash());
    assertEquals(6881, q.port());
    assertTrue(q.impliedPort());
    assertArrayEquals(ascii("aoeusnth"), q.token());
    assertTrue(q.meta().argExtras().isEmpty());
    assertEquals(M, response("bep5_announce_peer_response").id());
  }

  @Test
  void bep5Error() throws DecodeException {
    ErrorMessage e = assertInstanceOf(ErrorMessage.class, decode("bep5_error"));
    assertEquals(AA, e.transactionId());
    assertEquals(201, e.code());
    assertEquals("A Generic Error Ocurred", e.message());
    assertNull(e.version());
  }

  @Test
  void theBenchmarkResponse() throws DecodeException {
    byte[] in = KrpcVectors.valid("get_peers_response_309").bytes();
    assertEquals(309, in.length);
    Response r = assertInstanceOf(Response.class, KrpcCodec.decode(in));
    assertEquals(8, r.nodes().size());
    assertEquals(2, r.values().size());
    assertEquals(8, r.token().length);
    for (NodeInfo n : r.nodes()) {
      assertFalse(n.address().isIpv6());
    }
  }

  @Test
  void ipv6NodesAndPeers() throws DecodeException {
    Response r = response("find_node_response_nodes6");
    assertEquals(3, r.nodes().size());
    assertEquals(4, r.nodes6().size());
    assertTrue(r.nodes6().isIpv6());
    for (NodeInfo n : r.nodes6()) {
      assertTrue(n.address().isIpv6());
      assertEquals(16, n.address().ipBytes().length);
      assertTrue(n.address().toString().startsWith("["), n.toString());
    }
    assertEquals(7, r.allNodes().size());

    Response only6 = response("find_node_response_only_nodes6");
    assertFalse(only6.hasNodes());
    assertEquals(2, only6.allNodes().size());

    Response v6 = response("get_peers_response_values_ipv6");
    assertEquals(3, v6.values().size());
    for (PeerAddress p : v6.values()) {
      assertTrue(p.isIpv6());
      assertEquals(PeerAddress.COMPACT_V6, p.compactLength());
    }
    Response mixed = response("get_peers_response_mixed");
    assertEquals(List.of(false, true, false),
        mixed.values().stream().map(PeerAddress::isIpv6).toList());
    assertEquals(3, mixed.allNodes().size());
    assertFalse(mixed.externalIp().isIpv6());
  }

  @Test
  void bep42Ip() throws DecodeException {
    byte[] in = KrpcVectors.valid("ping_response_ip4").bytes();
    Response r = assertInstanceOf(Response.class, KrpcCodec.decode(in));
    int at = indexOf(in, ascii("2:ip6:")) + 6;
    assertEquals(PeerAddress.fromCompact(in, at, 6), r.externalIp());
    assertArrayEquals(ascii("UT\u00b5\u0012"), r.version());
    Response r6 = response("ping_response_ip6");
    assertTrue(r6.externalIp().isIpv6());
  }

  @Test
  void bep32WantAndBep43ReadOnly() throws DecodeException {
    Query.FindNode q = assertInstanceOf(Query.FindNode.class, decode("find_node_query_want"));
    assertEquals(List.of("n4", "n6"), q.meta().want());
    assertTrue(q.meta().wants("n6"));
    assertFalse(q.readOnly());
    assertArrayEquals(ascii("LT\u0001\u0002"), q.version());

    Query ro = assertInstanceOf(Query.FindNode.class, decode("find_node_query_ro"));
    assertTrue(ro.readOnly());
    assertEquals(List.of("n6"), ro.meta().want());
    assertFalse(ro.meta().wants("n4"));
    assertTrue(assertInstanceOf(Query.GetPeers.class, decode("get_peers_query_ro")).readOnly());

    Query ro0 = assertInstanceOf(Query.Ping.class, decode("ping_query_ro_0"));
    assertFalse(ro0.readOnly());
    assertEquals(BValue.BInteger.of(0).value(),
        ((BValue.BInteger) ro0.extras().get("ro")).value());
  }

  @Test
  void bep51SampleInfohashes() throws DecodeException {
    Query.SampleInfohashes q =
        assertInstanceOf(Query.SampleInfohashes.class, decode("sample_infohashes_query"));
    assertEquals("sample_infohashes", q.method());
    assertTrue(q.target() != null);

    byte[] in = KrpcVectors.valid("sample_infohashes_response").bytes();
    Response r = assertInstanceOf(Response.class, KrpcCodec.decode(in));
    assertEquals(21600L, r.interval());
    assertEquals(1234L, r.num());
    assertEquals(100, r.samples().length);
    assertEquals(5, r.sampleIds().size());
    int at = indexOf(in, ascii("7:samples100:")) + 13;
    assertEquals(NodeId.of(in, at + 40), r.sampleIds().get(2));
    assertEquals(2, r.nodes().size());

    Response empty = response("sample_infohashes_response_empty");
    assertEquals(0, empty.samples().length);
    assertEquals(List.of(), empty.sampleIds());
    assertEquals(0L, empty.interval());
  }

  @Test
  void bep44GetResponses() throws DecodeException {
    Response r = response("bep44_get_response_mutable");
    assertEquals(32, r.key().length);
    assertEquals(64, r.signature().length);
    assertEquals(4L, r.seq());
    assertArrayEquals(ascii("12:Hello World!"), r.value()); // the raw bencoded bytes
    assertEquals(4, r.token().length);

    byte[] in = KrpcVectors.valid("bep44_get_response_immutable").bytes();
    Response imm = assertInstanceOf(Response.class, KrpcCodec.decode(in));
    byte[] raw = ascii("l4:spami42ed1:a1:b1:cli1ei2eeee");
    assertArrayEquals(raw, imm.value());
    assertTrue(indexOf(in, raw) > 0);
    assertNull(imm.key());
    assertNull(imm.seq());
  }

  @Test
  void bep33Scrape() throws DecodeException {
    Query.GetPeers q = assertInstanceOf(Query.GetPeers.class, decode("get_peers_query_scrape"));
    assertEquals(Set.of("noseed", "scrape"), q.meta().argExtras().keySet());
    Response r = response("get_peers_response_bep33");
    assertEquals(256, r.seedsBloom().length);
    assertEquals(256, r.peersBloom().length);
  }

  @Test
  void announceVariants() throws DecodeException {
    Query.AnnouncePeer p =
        assertInstanceOf(Query.AnnouncePeer.class, decode("announce_peer_query_port"));
    assertEquals(51413, p.port());
    assertFalse(p.impliedPort());

    Query.AnnouncePeer zero =
        assertInstanceOf(Query.AnnouncePeer.class, decode("announce_peer_query_implied_port_0"));
    assertFalse(zero.impliedPort());
    assertEquals(6881, zero.port());

    Query.AnnouncePeer noPort = assertInstanceOf(
        Query.AnnouncePeer.class, decode("announce_peer_query_implied_port_no_port"));
    assertTrue(noPort.impliedPort());
    assertEquals(-1, noPort.port());

    Query.AnnouncePeer seed =
        assertInstanceOf(Query.AnnouncePeer.class, decode("announce_peer_query_seed"));
    assertEquals(Set.of("seed"), seed.meta().argExtras().keySet());
    assertEquals(65535,
        assertInstanceOf(Query.AnnouncePeer.class, decode("announce_peer_port_bounds")).port());
  }

  @Test
  void unknownMethodsAreKept() throws DecodeException {
    Query.Unknown vote = assertInstanceOf(Query.Unknown.class, decode("unknown_method_query"));
    assertEquals("vote", vote.method());
    assertTrue(vote.id() != null);
    assertEquals(5L, ((BValue.BInteger) vote.args().get("vote")).value());

    Query.Unknown noId = assertInstanceOf(Query.Unknown.class, decode("unknown_method_query_no_id"));
    assertEquals("frobnicate", noId.method());
    assertNull(noId.id());
  }

  @Test
  void bep44Queries() throws DecodeException {
    Query.Get get = assertInstanceOf(Query.Get.class, decode("bep44_get_query"));
    assertEquals("get", get.method());
    assertEquals(3L, get.seq());
    assertTrue(get.meta().argExtras().isEmpty());
    Query.Get any = assertInstanceOf(Query.Get.class, decode("bep44_get_query_no_seq"));
    assertNull(any.seq());

    Query.Put put = assertInstanceOf(Query.Put.class, decode("bep44_put_query"));
    assertTrue(put.isMutable());
    assertEquals(3L, put.cas());
    assertEquals(4L, put.seq());
    assertEquals(32, put.key().length);
    assertEquals(64, put.signature().length);
    assertEquals(4, put.token().length);
    assertArrayEquals(ascii("12:Hello World!"), put.value()); // raw bencoding, what the sig covers
    assertNull(put.salt());

    Query.Put imm = assertInstanceOf(Query.Put.class, decode("bep44_put_query_immutable"));
    assertFalse(imm.isMutable());
    assertArrayEquals(ascii("d1:ali1ei2ee1:b4:texte"), imm.value());
    assertNull(imm.seq());
    assertNull(imm.cas());

    Query.Put salted = assertInstanceOf(Query.Put.class, decode("bep44_put_query_salt"));
    assertArrayEquals(ascii("foobar"), salted.salt());
    assertEquals(1L, salted.seq());
    assertNull(salted.cas());
  }

  @Test
  void unknownKeysAreKeptEverywhere() throws DecodeException {
    Query top = assertInstanceOf(Query.Ping.class, decode("extras_top_level"));
    assertEquals(Set.of("bs", "p"), top.extras().keySet());
    Query args = assertInstanceOf(Query.GetPeers.class, decode("extras_in_args"));
    assertEquals(Set.of("bs", "noseed", "p", "seed"), args.meta().argExtras().keySet());
    Response r = response("extras_in_response");
    assertEquals(Set.of("bs", "p", "scrape"), r.bodyExtras().keySet());
    assertEquals(Set.of("p"), r.extras().keySet());

    Response stray = response("response_with_stray_keys");
    assertEquals(Set.of("e", "q", "ro"), stray.extras().keySet());
    ErrorMessage e = assertInstanceOf(ErrorMessage.class, decode("error_with_stray_keys"));
    assertEquals(Set.of("a", "q", "ro"), e.extras().keySet());
    Query withIp = assertInstanceOf(Query.Ping.class, decode("query_with_ip"));
    assertEquals(Set.of("ip"), withIp.extras().keySet());
  }

  @Test
  void errorsAndOddTransactionIds() throws DecodeException {
    ErrorMessage e = assertInstanceOf(ErrorMessage.class, decode("error_203_utf8"));
    assertEquals(203, e.code());
    assertEquals("Protocol Error: caf\u00e9", e.message());
    ErrorMessage ip = assertInstanceOf(ErrorMessage.class, decode("error_202_ip"));
    assertEquals(Set.of("ip"), ip.extras().keySet());
    assertEquals("", assertInstanceOf(ErrorMessage.class, decode("error_empty_message")).message());

    assertEquals(TransactionId.of(new byte[] {'e', ':', '1', 0}),
        decode("transaction_id_tricky").transactionId());
    assertEquals(0, decode("transaction_id_empty").transactionId().length());
    assertEquals(NodeId.of(ascii("de:li0e9:d123456789e")),
        assertInstanceOf(Query.Ping.class, decode("id_tricky_bytes")).id());
  }

  @Test
  void integerLimitsSurvive() throws DecodeException {
    Query q = assertInstanceOf(Query.Ping.class, decode("extreme_integers"));
    assertEquals(Long.MAX_VALUE, ((BValue.BInteger) q.meta().argExtras().get("max")).value());
    assertEquals(Long.MIN_VALUE, ((BValue.BInteger) q.meta().argExtras().get("min")).value());
  }

  @Test
  void errorsNameTheMessageType() {
    DecodeException q = assertThrows(DecodeException.class,
        () -> KrpcCodec.decode(KrpcVectors.invalid("id_19_bytes").bytes()));
    assertEquals('q', q.messageType());
    DecodeException r = assertThrows(DecodeException.class,
        () -> KrpcCodec.decode(KrpcVectors.invalid("nodes_25_bytes").bytes()));
    assertEquals('r', r.messageType());
    DecodeException e = assertThrows(DecodeException.class,
        () -> KrpcCodec.decode(KrpcVectors.invalid("error_three_elements").bytes()));
    assertEquals('e', e.messageType());
    DecodeException unknown = assertThrows(DecodeException.class,
        () -> KrpcCodec.decode(KrpcVectors.invalid("unknown_y").bytes()));
    assertEquals(0, unknown.messageType());
    DecodeException early = assertThrows(DecodeException.class,
        () -> KrpcCodec.decode(KrpcVectors.invalid("huge_string_length").bytes()));
    assertEquals(0, early.messageType());
    assertNull(early.transactionId());
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
