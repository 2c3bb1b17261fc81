package dev.jdht.bench.codec;

import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import dev.jdht.krpc.wire.PeerAddress;

/**
 * Decodes with our {@link KrpcCodec} and reads every field of the typed message into a sink.
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
 * Stateless and thread-safe.
 */
public final class JdhtReads {
  private JdhtReads() {}

  /** ping query: t, v, y, q, id. */
  public static void ping(byte[] data, Sink s) throws DecodeException {
    KrpcMessage m = KrpcCodec.decode(data);
    s.consume(m.transactionId());
    version(m.version(), s);
    Query q = (Query) m;
    s.consume('q');
    s.consume(q.method());
    s.consume(((Query.Ping) q).id());
  }

  /** find_node response: t, v, y, id, every node. */
  public static void findNodeResponse(byte[] data, Sink s) throws DecodeException {
    Response r = (Response) KrpcCodec.decode(data);
    s.consume(r.transactionId());
    version(r.version(), s);
    s.consume('r');
    s.consume(r.id());
    nodes(r.nodes(), s);
  }

  /** get_peers response: t, v, y, id, token, every node, every peer. */
  public static void getPeersResponse(byte[] data, Sink s) throws DecodeException {
    Response r = (Response) KrpcCodec.decode(data);
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
  public static void announcePeer(byte[] data, Sink s) throws DecodeException {
    KrpcMessage m = KrpcCodec.decode(data);
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
