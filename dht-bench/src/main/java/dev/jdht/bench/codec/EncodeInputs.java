package dev.jdht.bench.codec;

import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed messages the encode benchmarks serialise: the four messages of {@link CodecFixtures},
 * rebuilt through the public constructors and builders the way a node builds a message it sends
 * (nodes from a list of {@link NodeInfo}, peers from a list of {@link PeerAddress}, fresh arrays
 * that do not point into the fixture bytes). Encoding any of them with any of the three encoders
 * gives the fixture bytes exactly. Immutable; thread-safe.
 */
public final class EncodeInputs {
  public static final Query.Ping PING;
  public static final Response FIND_NODE_RESPONSE;
  public static final Response GET_PEERS_RESPONSE;
  public static final Query.AnnouncePeer ANNOUNCE_PEER;

  static {
    try {
      Query.Ping p = (Query.Ping) KrpcCodec.decode(CodecFixtures.PING.clone());
      PING = new Query.Ping(p.transactionId(), p.id(), QueryMeta.NONE);
      FIND_NODE_RESPONSE = rebuild((Response) KrpcCodec.decode(CodecFixtures.FIND_NODE_RESPONSE.clone()));
      GET_PEERS_RESPONSE = rebuild((Response) KrpcCodec.decode(CodecFixtures.GET_PEERS_RESPONSE.clone()));
      Query.AnnouncePeer a = (Query.AnnouncePeer) KrpcCodec.decode(CodecFixtures.ANNOUNCE_PEER.clone());
      ANNOUNCE_PEER = new Query.AnnouncePeer(a.transactionId(), a.id(), a.infoHash(), a.port(),
          a.impliedPort(), a.token().clone(), QueryMeta.NONE);
    } catch (DecodeException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private EncodeInputs() {}

  private static Response rebuild(Response r) {
    Response.Builder b = Response.builder(r.transactionId(), r.id());
    if (r.version() != null) {
      b.version(r.version().clone());
    }
    if (r.hasNodes()) {
      b.nodes(new ArrayList<>(r.nodes()));
    }
    if (r.token() != null) {
      b.token(r.token().clone());
    }
    if (r.hasValues()) {
      List<PeerAddress> peers = new ArrayList<>(r.values());
      b.values(peers);
    }
    return b.build();
  }
}
