package dev.jdht.core.lookup;

import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayList;
import java.util.List;

/** Small builders for lookup tests: ids at a chosen XOR distance from the zero target. */
final class Fixtures {
  static final NodeId TARGET = NodeId.zero();
  static final long MS = 1_000_000L;

  private Fixtures() {}

  /** The id at XOR distance {@code d} from {@link #TARGET}. */
  static NodeId id(long d) {
    byte[] b = new byte[NodeId.LENGTH];
    for (int i = 0; i < 8; i++) {
      b[12 + i] = (byte) (d >>> (56 - 8 * i));
    }
    return NodeId.of(b);
  }

  /** An IPv4 address 10.x.y.z:port derived from {@code i} (0..2^24). */
  static PeerAddress addr(int i, int port) {
    return PeerAddress.of(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, port);
  }

  /** Node at distance {@code d} with an address derived from {@code d}. */
  static NodeInfo node(long d) {
    return new NodeInfo(id(d), addr((int) d, 6881));
  }

  static List<NodeInfo> nodes(long... ds) {
    List<NodeInfo> out = new ArrayList<>();
    for (long d : ds) {
      out.add(node(d));
    }
    return out;
  }

  static List<NodeInfo> range(long fromInclusive, long toExclusive) {
    List<NodeInfo> out = new ArrayList<>();
    for (long d = fromInclusive; d < toExclusive; d++) {
      out.add(node(d));
    }
    return out;
  }

  static PeerAddress peer(int i) {
    return PeerAddress.of(new byte[] {(byte) 192, (byte) 168, (byte) (i >>> 8), (byte) i}, 6000 + i % 1000);
  }

  static Response response(NodeId id, List<NodeInfo> nodes, List<PeerAddress> values, byte[] token) {
    Response.Builder b = Response.builder(TransactionId.ofLong(1, 2), id);
    if (nodes != null) {
      b.nodes(nodes);
    }
    if (values != null) {
      b.values(values);
    }
    if (token != null) {
      b.token(token);
    }
    return b.build();
  }

  static Response nodesResponse(NodeInfo from, List<NodeInfo> nodes) {
    return response(from.id(), nodes, null, null);
  }

  static List<NodeId> ids(List<ClosestNode> closest) {
    return closest.stream().map(c -> c.node().id()).toList();
  }

  static List<NodeId> idsOf(List<NodeInfo> nodes) {
    return nodes.stream().map(NodeInfo::id).toList();
  }

  /** Records every listener callback. */
  static final class Recorder implements LookupListener {
    final List<PeerAddress> peers = new ArrayList<>();
    final List<NodeInfo> responded = new ArrayList<>();
    final List<Long> rtts = new ArrayList<>();
    final List<NodeInfo> learned = new ArrayList<>();

    @Override
    public void onPeer(PeerAddress peer) {
      peers.add(peer);
    }

    @Override
    public void onNodeResponded(NodeInfo node, long rttNanos) {
      responded.add(node);
      rtts.add(rttNanos);
    }

    @Override
    public void onNodeLearned(NodeInfo node) {
      learned.add(node);
    }
  }
}
