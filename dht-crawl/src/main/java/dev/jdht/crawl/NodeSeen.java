package dev.jdht.crawl;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.Objects;

/**
 * A node the crawl heard from. {@code bep51} is null when unknown (never asked), true when it
 * answered sample_infohashes, false when it answered without samples or with an error;
 * {@code num} and {@code intervalSeconds} are its BEP 51 reply fields, or null.
 */
public record NodeSeen(
    NodeId id, PeerAddress address, long atMillis, Boolean bep51, Long num, Long intervalSeconds) {
  public NodeSeen {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
  }
}
