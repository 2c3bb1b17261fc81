package dev.jdht.bench.codec;

import bt.bencoding.model.BEObject;
import bt.bencoding.serializers.BEParser;
import bt.bencoding.types.BEInteger;
import bt.bencoding.types.BEList;
import bt.bencoding.types.BEMap;
import bt.bencoding.types.BEString;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.Map;

/**
 * Baseline: decodes with bt-bencoding 1.10 ({@code BEParser.readMap()}, a tree of {@code BEMap},
 * {@code BEList}, {@code BEString} and {@code BEInteger}) and reads the same fields into the same
 * values as {@link JdhtReads}: map lookups by key, casts, then our wire types ({@link
 * TransactionId#of}, {@link NodeId}, {@link PeerAddress#fromCompact}) on the byte arrays the tree
 * holds. Stateless and thread-safe.
 */
public final class BtReads {
  private BtReads() {}

  private static Map<String, BEObject<?>> decode(byte[] data) {
    try (BEParser p = new BEParser(data)) {
      return p.readMap().getValue();
    }
  }

  private static byte[] str(Map<String, BEObject<?>> m, String key) {
    return ((BEString) m.get(key)).getValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, BEObject<?>> dict(Map<String, BEObject<?>> m, String key) {
    return ((BEMap) m.get(key)).getValue();
  }

  private static char y(byte[] y) {
    if (y.length != 1) {
      throw new IllegalArgumentException("bad y");
    }
    return (char) y[0];
  }

  /** ping query: t, v, y, q, id. */
  public static void ping(byte[] data, Sink s) {
    Map<String, BEObject<?>> m = decode(data);
    s.consume(TransactionId.of(str(m, "t")));
    version(m, s);
    s.consume(y(str(m, "y")));
    s.consume(Methods.of(str(m, "q")));
    Map<String, BEObject<?>> a = dict(m, "a");
    s.consume(NodeId.of(str(a, "id")));
  }

  /** find_node response: t, v, y, id, every node. */
  public static void findNodeResponse(byte[] data, Sink s) {
    Map<String, BEObject<?>> m = decode(data);
    s.consume(TransactionId.of(str(m, "t")));
    version(m, s);
    s.consume(y(str(m, "y")));
    Map<String, BEObject<?>> r = dict(m, "r");
    s.consume(NodeId.of(str(r, "id")));
    nodes(str(r, "nodes"), s);
  }

  /** get_peers response: t, v, y, id, token, every node, every peer. */
  public static void getPeersResponse(byte[] data, Sink s) {
    Map<String, BEObject<?>> m = decode(data);
    s.consume(TransactionId.of(str(m, "t")));
    version(m, s);
    s.consume(y(str(m, "y")));
    Map<String, BEObject<?>> r = dict(m, "r");
    s.consume(NodeId.of(str(r, "id")));
    s.consume(str(r, "token"));
    nodes(str(r, "nodes"), s);
    for (BEObject<?> v : ((BEList) r.get("values")).getValue()) {
      byte[] p = ((BEString) v).getValue();
      s.consume(PeerAddress.fromCompact(p, 0, p.length));
    }
  }

  /** announce_peer query: t, v, y, q, id, implied_port, info_hash, port, token. */
  public static void announcePeer(byte[] data, Sink s) {
    Map<String, BEObject<?>> m = decode(data);
    s.consume(TransactionId.of(str(m, "t")));
    version(m, s);
    s.consume(y(str(m, "y")));
    s.consume(Methods.of(str(m, "q")));
    Map<String, BEObject<?>> a = dict(m, "a");
    s.consume(NodeId.of(str(a, "id")));
    BEObject<?> implied = a.get("implied_port");
    s.consume(implied != null && ((BEInteger) implied).longValueExact() != 0);
    s.consume(NodeId.of(str(a, "info_hash")));
    long port = ((BEInteger) a.get("port")).longValueExact();
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("bad port");
    }
    s.consume((int) port);
    s.consume(str(a, "token"));
  }

  private static void version(Map<String, BEObject<?>> m, Sink s) {
    BEObject<?> v = m.get("v");
    if (v != null) {
      s.consume(((BEString) v).getValue());
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
