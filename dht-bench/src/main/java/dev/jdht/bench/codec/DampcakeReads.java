package dev.jdht.bench.codec;

import com.dampcake.bencode.Bencode;
import com.dampcake.bencode.Type;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Baseline: decodes with dampcake bencode 1.4.2 in byte mode ({@code new Bencode(true)}, so byte
 * strings come back as {@link ByteBuffer}s instead of UTF-8-mangled Strings; dictionaries are
 * {@code Map<String, Object>}, lists {@code List<Object>}, integers {@code Long}) and reads the
 * same fields into the same values as {@link JdhtReads}, with our wire types ({@link
 * TransactionId#of}, {@link NodeId}, {@link PeerAddress#fromCompact}) on the arrays behind the
 * buffers. Stateless and thread-safe (the {@code Bencode} instance is immutable).
 */
public final class DampcakeReads {
  /** Byte mode: strings are decoded to ByteBuffers. */
  static final Bencode BENCODE = new Bencode(true);

  private DampcakeReads() {}

  private static Map<String, Object> decode(byte[] data) {
    return BENCODE.decode(data, Type.DICTIONARY);
  }

  /** The bytes of a decoded string: the wrapped array itself when it is exactly the string. */
  private static byte[] str(Map<String, Object> m, String key) {
    return bytes((ByteBuffer) m.get(key));
  }

  private static byte[] bytes(ByteBuffer bb) {
    byte[] a = bb.array();
    if (bb.arrayOffset() == 0 && bb.position() == 0 && bb.remaining() == a.length) {
      return a;
    }
    return Arrays.copyOfRange(a, bb.arrayOffset() + bb.position(), bb.arrayOffset() + bb.limit());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> dict(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.get(key);
  }

  private static char y(byte[] y) {
    if (y.length != 1) {
      throw new IllegalArgumentException("bad y");
    }
    return (char) y[0];
  }

  /** ping query: t, v, y, q, id. */
  public static void ping(byte[] data, Sink s) {
    Map<String, Object> m = decode(data);
    s.consume(TransactionId.of(str(m, "t")));
    version(m, s);
    s.consume(y(str(m, "y")));
    s.consume(Methods.of(str(m, "q")));
    Map<String, Object> a = dict(m, "a");
    s.consume(NodeId.of(str(a, "id")));
  }

  /** find_node response: t, v, y, id, every node. */
  public static void findNodeResponse(byte[] data, Sink s) {
    Map<String, Object> m = decode(data);
    s.consume(TransactionId.of(str(m, "t")));
    version(m, s);
    s.consume(y(str(m, "y")));
    Map<String, Object> r = dict(m, "r");
    s.consume(NodeId.of(str(r, "id")));
    nodes(str(r, "nodes"), s);
  }

  /** get_peers response: t, v, y, id, token, every node, every peer. */
  public static void getPeersResponse(byte[] data, Sink s) {
    Map<String, Object> m = decode(data);
    s.consume(TransactionId.of(str(m, "t")));
    version(m, s);
    s.consume(y(str(m, "y")));
    Map<String, Object> r = dict(m, "r");
    s.consume(NodeId.of(str(r, "id")));
    s.consume(str(r, "token"));
    nodes(str(r, "nodes"), s);
    for (Object v : (List<?>) r.get("values")) {
      byte[] p = bytes((ByteBuffer) v);
      s.consume(PeerAddress.fromCompact(p, 0, p.length));
    }
  }

  /** announce_peer query: t, v, y, q, id, implied_port, info_hash, port, token. */
  public static void announcePeer(byte[] data, Sink s) {
    Map<String, Object> m = decode(data);
    s.consume(TransactionId.of(str(m, "t")));
    version(m, s);
    s.consume(y(str(m, "y")));
    s.consume(Methods.of(str(m, "q")));
    Map<String, Object> a = dict(m, "a");
    s.consume(NodeId.of(str(a, "id")));
    Long implied = (Long) a.get("implied_port");
    s.consume(implied != null && implied != 0);
    s.consume(NodeId.of(str(a, "info_hash")));
    long port = (Long) a.get("port");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("bad port");
    }
    s.consume((int) port);
    s.consume(str(a, "token"));
  }

  private static void version(Map<String, Object> m, Sink s) {
    Object v = m.get("v");
    if (v != null) {
      s.consume(bytes((ByteBuffer) v));
    }
  }

  private static void nodes(byte[] b, Sink s) {
    if (b.length % NodeInfo.COMPACT_V4 != 0) {
      throw new IllegalArgumentException("bad nodes");
    }
    for (int off = 0; off < b.length; off += NodeInfo.COMPACT_V4) {
      s.consume(NodeId.of(b, off));
      PeerAddress a = PeerAddress.fromCompact(b, off + NodeId.LENGTH, PeerAddress.COMPACT_V4);
      s.consume(a.ipv4Int());
      s.consume(a.port());
    }
  }
}
