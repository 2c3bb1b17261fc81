package dev.jdht.core.node;

import dev.jdht.core.lookup.LookupResult;
import dev.jdht.krpc.wire.NodeInfo;
import java.util.List;

/**
 * The outcome of an announce: the get_peers lookup that found the closest nodes, then the
 * announce_peer round.
 *
 * @param lookup the get_peers lookup
 * @param targets nodes we sent announce_peer to (the K closest that gave a token)
 * @param acked nodes that acknowledged
 * @param failed announce_peer queries that timed out or were answered with an error
 * @param error set when the announce could not run
 */
public record AnnounceResult(
    LookupResult lookup, List<NodeInfo> targets, List<NodeInfo> acked, int failed, String error) {
  public AnnounceResult {
    targets = List.copyOf(targets);
    acked = List.copyOf(acked);
  }
}
