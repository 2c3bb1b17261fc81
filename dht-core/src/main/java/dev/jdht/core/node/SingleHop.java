package dev.jdht.core.node;

import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;

/**
 * One query to one address, outside any lookup (what a crawler sends): sample_infohashes,
 * find_node or get_peers. The reply goes to the caller's {@link QueryCallback} on the node's
 * thread; the routing table learns the responder as for any reply. Node thread only.
 */
final class SingleHop {
  private NodeId id;
  private final QueryMeta meta;
  private final Rpc rpc;
  private final long timeoutNanos;

  SingleHop(NodeId id, QueryMeta meta, Rpc rpc, long timeoutNanos) {
    this.id = id;
    this.meta = meta;
    this.rpc = rpc;
    this.timeoutNanos = timeoutNanos;
  }

  boolean send(SingleHopMethod m, PeerAddress to, NodeId target, QueryCallback callback) {
    return switch (m) {
      case SAMPLE_INFOHASHES -> rpc.query(
          Query.SAMPLE_INFOHASHES, to, t -> new Query.SampleInfohashes(t, id, target, meta), timeoutNanos, callback);
      case FIND_NODE -> rpc.query(
          Query.FIND_NODE, to, t -> new Query.FindNode(t, id, target, meta), timeoutNanos, callback);
      case GET_PEERS -> rpc.query(
          Query.GET_PEERS, to, t -> new Query.GetPeers(t, id, target, meta), timeoutNanos, callback);
    };
  }

  /** BEP 42: our id changed (regenerated from our external IP); later messages carry {@code newId}. */
  void setId(NodeId newId) {
    this.id = newId;
  }
}
