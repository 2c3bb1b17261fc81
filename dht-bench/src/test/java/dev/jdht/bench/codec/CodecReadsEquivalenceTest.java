package dev.jdht.bench.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmark is only fair if ours and the baselines do the same work: this checks that the
 * three readers consume exactly the same values in the same order, that they read what the
 * fixtures contain, and that the three encoders produce the fixture bytes.
 */
class CodecReadsEquivalenceTest {
  /** Records every consumed value as text. */
  private static final class Recorder implements Sink {
    final List<String> values = new ArrayList<>();

    @Override
    public void consume(Object o) {
      if (o instanceof byte[] b) {
        values.add("bytes " + HexFormat.of().formatHex(b));
      } else if (o instanceof TransactionId t) {
        values.add("tid " + t.toHex());
      } else if (o instanceof NodeId id) {
        values.add("id " + id.toHex());
      } else if (o instanceof PeerAddress p) {
        values.add("peer " + p);
      } else if (o instanceof String s) {
        values.add("string " + s);
      } else {
        throw new AssertionError("unexpected type " + o.getClass());
      }
    }

    @Override
    public void consume(int v) {
      values.add("int " + v);
    }

    @Override
    public void consume(char v) {
      values.add("char " + v);
    }

    @Override
    public void consume(boolean v) {
      values.add("boolean " + v);
    }
  }

  private interface Reader {
    void read(byte[] data, Sink s) throws Exception;
  }

  private static List<String> record(Reader r, byte[] data) throws Exception {
    Recorder rec = new Recorder();
    r.read(data, rec);
    return rec.values;
  }

  private static String hex(String ascii) {
    return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The {@code len} bytes that follow the first occurrence of ASCII {@code marker}. */
  private static byte[] after(byte[] data, String marker, int len) {
    byte[] m = marker.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + m.length + len <= data.length; i++) {
      for (int j = 0; j < m.length; j++) {
        if (data[i + j] != m[j]) {
          continue outer;
        }
      }
      return Arrays.copyOfRange(data, i + m.length, i + m.length + len);
    }
    throw new AssertionError("marker not found: " + marker);
  }

  private static void addNodes(List<String> e, byte[] n) {
    assertEquals(8 * 26, n.length);
    for (int off = 0; off < n.length; off += 26) {
      e.add("id " + HexFormat.of().formatHex(n, off, off + 20));
      int ip = (n[off + 20] & 0xff) << 24 | (n[off + 21] & 0xff) << 16 | (n[off + 22] & 0xff) << 8
          | (n[off + 23] & 0xff);
      e.add("int " + ip);
      e.add("int " + ((n[off + 24] & 0xff) << 8 | (n[off + 25] & 0xff)));
    }
  }

  private static void assertAllRead(List<String> expected, byte[] data, Reader ours, Reader bt,
      Reader dampcake) throws Exception {
    assertEquals(expected, record(ours, data), "ours");
    assertEquals(expected, record(bt, data), "bt-bencoding");
    assertEquals(expected, record(dampcake, data), "dampcake");
  }

  @Test
  void getPeersResponseIs309Bytes() {
    assertEquals(309, CodecFixtures.GET_PEERS_RESPONSE.length);
  }

  @Test
  void pingReadsAgree() throws Exception {
    List<String> e = List.of("tid " + hex("aa"), "char q", "string ping",
        "id " + hex("abcdefghij0123456789"));
    assertAllRead(e, CodecFixtures.PING, new JdhtReads()::ping, BtReads::ping, DampcakeReads::ping);
  }

  @Test
  void findNodeResponseReadsAgree() throws Exception {
    byte[] d = CodecFixtures.FIND_NODE_RESPONSE;
    List<String> e = new ArrayList<>(List.of("tid " + hex("`}"), "bytes 5554b512", "char r",
        "id 52c128a0ff8433d6b1efd85ac8ad194e3e5ead0d"));
    addNodes(e, after(d, "5:nodes208:", 208));
    assertEquals(4 + 8 * 3, e.size());
    assertAllRead(e, d, new JdhtReads()::findNodeResponse, BtReads::findNodeResponse,
        DampcakeReads::findNodeResponse);
  }

  @Test
  void getPeersResponseReadsAgree() throws Exception {
    byte[] d = CodecFixtures.GET_PEERS_RESPONSE;
    List<String> e = new ArrayList<>(List.of("tid 06dc", "char r",
        "id " + HexFormat.of().formatHex(after(d, "2:id20:", 20)), "bytes 2476e14793449c93"));
    addNodes(e, after(d, "5:nodes208:", 208));
    e.add("peer " + PeerAddress.fromCompact(HexFormat.of().parseHex("5fdaa1f4cb22"), 0, 6));
    e.add("peer " + PeerAddress.fromCompact(HexFormat.of().parseHex("b2e82783121f"), 0, 6));
    assertEquals(4 + 8 * 3 + 2, e.size());
    assertAllRead(e, d, new JdhtReads()::getPeersResponse, BtReads::getPeersResponse,
        DampcakeReads::getPeersResponse);
  }

  @Test
  void announcePeerReadsAgree() throws Exception {
    List<String> e = List.of("tid " + hex("aa"), "char q", "string announce_peer",
        "id " + hex("abcdefghij0123456789"), "boolean true", "id " + hex("mnopqrstuvwxyz123456"),
        "int 6881", "bytes " + hex("aoeusnth"));
    assertAllRead(e, CodecFixtures.ANNOUNCE_PEER, new JdhtReads()::announcePeer, BtReads::announcePeer,
        DampcakeReads::announcePeer);
  }

  @Test
  void allEncodersProduceTheFixtureBytes() {
    assertArrayEquals(CodecFixtures.PING, KrpcCodec.encode(EncodeInputs.PING));
    assertArrayEquals(CodecFixtures.PING, BtWrites.ping(EncodeInputs.PING));
    assertArrayEquals(CodecFixtures.PING, DampcakeWrites.ping(EncodeInputs.PING));

    byte[] fn = CodecFixtures.FIND_NODE_RESPONSE;
    assertArrayEquals(fn, KrpcCodec.encode(EncodeInputs.FIND_NODE_RESPONSE));
    assertArrayEquals(fn, BtWrites.response(EncodeInputs.FIND_NODE_RESPONSE));
    assertArrayEquals(fn, DampcakeWrites.response(EncodeInputs.FIND_NODE_RESPONSE));

    byte[] gp = CodecFixtures.GET_PEERS_RESPONSE;
    assertArrayEquals(gp, KrpcCodec.encode(EncodeInputs.GET_PEERS_RESPONSE));
    assertArrayEquals(gp, BtWrites.response(EncodeInputs.GET_PEERS_RESPONSE));
    assertArrayEquals(gp, DampcakeWrites.response(EncodeInputs.GET_PEERS_RESPONSE));

    byte[] ap = CodecFixtures.ANNOUNCE_PEER;
    assertArrayEquals(ap, KrpcCodec.encode(EncodeInputs.ANNOUNCE_PEER));
    assertArrayEquals(ap, BtWrites.announcePeer(EncodeInputs.ANNOUNCE_PEER));
    assertArrayEquals(ap, DampcakeWrites.announcePeer(EncodeInputs.ANNOUNCE_PEER));
  }
}
