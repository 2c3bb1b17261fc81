package dev.jdht.bench.codec;

import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.codec.KrpcDecoder;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import dev.jdht.krpc.wire.PeerAddress;

/**
 * Decodes with our codec and reads every field of the typed message into a sink. Decoding goes
 * through one reusable {@link KrpcDecoder}, as a node's event loop owns one (the same results as
 * the static {@link KrpcCodec#decode(byte[])}; plain responses take the same fast path either
 * way, queries save the reader's allocation).
 *
 * <p>Per field: {@code t} as a {@code TransactionId} (the value a node matches against its
 * transaction table); {@code v}, when present, as its bytes; {@code y} as a char (from the
 * message's type); {@code q} as the method name; {@code id} and {@code info_hash}
 * as a {@code NodeId}; each node as its {@code NodeId} (through {@link CompactNodes#idAt}), its
 * IPv4 address and port as ints (through {@link CompactNodes#addressAt}, whose {@code
 * PeerAddress} is only looked into); {@code token} as its bytes; each peer in {@code values} as a
 * {@code PeerAddress}; {@code port} as an int and {@code implied_port} as a boolean. The baseline
 * readers ({@link BtReads}, {@link DampcakeReads}) produce exactly the same values from their
 * generic trees with the same wire-type code ({@code TransactionId.of}, {@code NodeId.of}, {@code
 * PeerAddress.fromCompact} on their byte arrays); {@code CodecReadsEquivalenceTest} checks it.
 * Not thread-safe: one instance per thread (JMH thread state).
 */
public final class JdhtReads {
  private final KrpcDecoder decoder = new KrpcDecoder();

  /** ping query: t, v, y, q, id. */
  public void ping(byte[] data, Sink s) throws DecodeException {
    KrpcMessage m = decoder.decode(data);
    s.consume(m.transactionId());
    version(m.version(), s);
    Query q = (Query) m;
    s.consume('q');
    s.consume(q.method());
    s.consume(((Query.Ping) q).id());
  }

  /** find_node response: t, v, y, id, every node. */
  public void findNodeResponse(byte[] data, Sink s) throws DecodeException {
    Response r = (Response) decoder.decode(data);
    s.consume(r.transactionId());
    version(r.version(), s);
    s.consume('r');
    s.consume(r.id());
    nodes(r.nodes(), s);
  }

  /** get_peers response: t, v, y, id, token, every node, every peer. */
  public void getPeersResponse(byte[] data, Sink s) throws DecodeException {
    Response r = (Response) decoder.decode(data);
    s.consume(r.transactionId());
    version(r.version(), s);
    s.consume('r');
    s.consume(r.id());
    s.consume(r.token());
    nodes(r.nodes(), s);
    CompactPeers values = r.values();
    for (int i = 0, n = values.size(); i < n; i++) {
      s.consume(values.get(i));
    }
  }

  /** announce_peer query: t, v, y, q, id, implied_port, info_hash, port, token. */
  public void announcePeer(byte[] data, Sink s) throws DecodeException {
    KrpcMessage m = decoder.decode(data);
    s.consume(m.transactionId());
    version(m.version(), s);
    Query q = (Query) m;
    s.consume('q');
    s.consume(q.method());
    Query.AnnouncePeer a = (Query.AnnouncePeer) q;
    s.consume(a.id());
    s.consume(a.impliedPort());
    s.consume(a.infoHash());
    s.consume(a.port());
    s.consume(a.token());
  }

  private static void version(byte[] v, Sink s) {
    if (v != null) {
      s.consume(v);
    }
  }

  private static void nodes(CompactNodes nodes, Sink s) {
    for (int i = 0, n = nodes.size(); i < n; i++) {
      s.consume(nodes.idAt(i));
      PeerAddress a = nodes.addressAt(i);
      s.consume(a.ipv4Int());
      s.consume(a.port());
    }
  }
}
