package dev.jdht.crawl.store;

import dev.jdht.crawl.InfohashSeen;
import dev.jdht.crawl.NodeSeen;
import dev.jdht.crawl.PeerSeen;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.ByteBuffer;

/** Deterministic ids and events for the store tests. */
final class Events {
  private Events() {}

  /** An id whose last eight bytes are {@code n} and first byte {@code tag}. */
  static NodeId id(int tag, long n) {
    ByteBuffer b = ByteBuffer.allocate(NodeId.LENGTH);
    b.put((byte) tag);
    b.position(12);
    b.putLong(n);
    return NodeId.of(b.array());
  }

  static NodeId infohash(long n) {
    return id(0x1a, n);
  }

  static NodeId node(long n) {
    return id(0x2b, n);
  }

  static PeerAddress addr(long n) {
    return PeerAddress.parse("10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff) + ":6881");
  }

  static InfohashSeen seen(long infohash, long reporter, long at) {
    return new InfohashSeen(infohash(infohash), node(reporter), addr(reporter), at, InfohashSeen.Source.SAMPLE);
  }

  static NodeSeen nodeSeen(long n, long at, Boolean bep51) {
    return new NodeSeen(node(n), addr(n), at, bep51, bep51 == Boolean.TRUE ? 100L : null,
        bep51 == Boolean.TRUE ? 21600L : null);
  }

  static PeerSeen peer(long infohash, long peer, long at) {
    return new PeerSeen(infohash(infohash), addr(peer), at);
  }
}
