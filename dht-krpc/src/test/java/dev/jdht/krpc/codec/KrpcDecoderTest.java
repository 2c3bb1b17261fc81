package dev.jdht.krpc.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import dev.jdht.testdata.KrpcVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reusable decoder, the direct Response factory and the inline transaction ids. */
class KrpcDecoderTest {
  private static String outcome(KrpcDecoder d, byte[] b) {
    try {
      KrpcMessage m = d == null ? KrpcCodec.decode(b) : d.decode(b);
      return m.getClass().getSimpleName() + ":" + Arrays.toString(KrpcCodec.encode(m));
    } catch (DecodeException e) {
      return "error:" + e.getMessage() + ":" + Arrays.toString(e.transactionId()) + ":" + (int) e.messageType();
    }
  }

  @Test
  void oneReusedDecoderGivesTheSameResultsAsTheStaticCodecInAnyOrder() {
    List<byte[]> inputs = new ArrayList<>();
    KrpcVectors.valid().forEach(v -> inputs.add(v.bytes()));
    KrpcVectors.validNonCanonical().forEach(v -> inputs.add(v.bytes()));
    KrpcVectors.invalid().forEach(v -> inputs.add(v.bytes()));
    java.util.Collections.shuffle(inputs, new Random(5));
    KrpcDecoder d = new KrpcDecoder();
    for (int round = 0; round < 2; round++) {
      for (byte[] in : inputs) {
        assertEquals(outcome(null, in), outcome(d, in));
      }
    }
  }

  @Test
  void decodingASliceLeavesEarlierMessagesIntact() throws Exception {
    KrpcDecoder d = new KrpcDecoder();
    byte[] a = KrpcVectors.valid("get_peers_response_309").bytes();
    KrpcMessage first = d.decode(a);
    byte[] before = KrpcCodec.encode(first);
    for (KrpcVectors.Vector v : KrpcVectors.valid()) {
      d.decode(v.bytes());
    }
    assertArrayEquals(before, KrpcCodec.encode(first));
    byte[] padded = new byte[a.length + 10];
    System.arraycopy(a, 0, padded, 5, a.length);
    assertArrayEquals(before, KrpcCodec.encode(d.decode(padded, 5, a.length)));
    assertThrows(IllegalArgumentException.class, () -> d.decode(padded, 20, padded.length));
  }

  @Test
  void responseOfEqualsTheBuilder() {
    Random r = new Random(9);
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      nodes.add(new NodeInfo(NodeId.random(r), PeerAddress.parse("10.0.0." + (i + 1) + ":" + (6881 + i))));
    }
    List<PeerAddress> peers = List.of(PeerAddress.parse("1.2.3.4:5"), PeerAddress.parse("[2001:db8::1]:6"));
    TransactionId t = TransactionId.ofLong(0x6162, 2);
    NodeId id = NodeId.random(r);
    byte[] token = {1, 2, 3, 4};
    byte[] v = {'J', 'D', 0, 1};
    Response direct =
        Response.of(t, v, PeerAddress.parse("9.9.9.9:9"), id, CompactNodes.of(nodes, false), null,
            CompactPeers.of(peers), token);
    Response built =
        Response.builder(t, id).version(v).externalIp(PeerAddress.parse("9.9.9.9:9"))
            .nodes(CompactNodes.of(nodes, false)).values(peers).token(token).build();
    assertArrayEquals(KrpcCodec.encode(built), KrpcCodec.encode(direct));
    assertEquals(nodes, List.copyOf(direct.nodes()));
    assertEquals(peers, List.copyOf(direct.values()));
  }

  @Test
  void transactionIdsOfEveryLengthKeepTheirBytesAndValueEquality() {
    Random r = new Random(3);
    for (int len = 0; len <= 12; len++) {
      byte[] b = new byte[len];
      r.nextBytes(b);
      TransactionId a = TransactionId.of(b);
      byte[] padded = new byte[len + 4];
      System.arraycopy(b, 0, padded, 2, len);
      TransactionId c = TransactionId.of(padded, 2, len);
      assertArrayEquals(b, a.toBytes());
      assertArrayEquals(b, a.unsafeBytes());
      assertEquals(len, a.length());
      assertEquals(a, c);
      assertEquals(a.hashCode(), c.hashCode());
      assertEquals(java.util.HexFormat.of().formatHex(b), a.toHex());
    }
    // a shorter id is never equal to a longer one with the same leading bytes, even all-zero ones
    assertNotEquals(TransactionId.of(new byte[] {0}), TransactionId.of(new byte[] {0, 0}));
    assertNotEquals(TransactionId.of(new byte[0]), TransactionId.of(new byte[] {0}));
    assertEquals(TransactionId.ofLong(0x0102, 2), TransactionId.of(new byte[] {1, 2}));
  }
}
