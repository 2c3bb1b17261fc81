package dev.jdht.crawl;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.Objects;

/** A peer for an infohash, found by a get_peers lookup during a crawl. */
public record PeerSeen(NodeId infohash, PeerAddress peer, long atMillis) {
  public PeerSeen {
    Objects.requireNonNull(infohash, "infohash");
    Objects.requireNonNull(peer, "peer");
  }
}
