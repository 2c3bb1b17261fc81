package dev.jdht.crawl;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.Objects;

/**
 * One sighting of an infohash: which node reported it (its id may be null for a query without a
 * valid id), from which address, when (milliseconds since the epoch), and how.
 */
public record InfohashSeen(NodeId infohash, NodeId reporterId, PeerAddress reporter, long atMillis, Source source) {
  /** How the infohash reached us. */
  public enum Source {
    /** In the samples of a BEP 51 sample_infohashes reply. */
    SAMPLE,
    /** In a get_peers query some node sent us. */
    GET_PEERS,
    /** In an announce_peer query some node sent us. */
    ANNOUNCE
  }

  public InfohashSeen {
    Objects.requireNonNull(infohash, "infohash");
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(source, "source");
  }
}
