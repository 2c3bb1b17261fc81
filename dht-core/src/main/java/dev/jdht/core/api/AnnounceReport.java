package dev.jdht.core.api;

import dev.jdht.core.node.AnnounceResult;
import dev.jdht.krpc.wire.NodeInfo;
import java.util.List;

/**
 * The outcome of an announce. Immutable and thread-safe.
 *
 * @param lookup the get_peers lookup that found the closest nodes
 * @param targets nodes sent announce_peer (the K closest responders that gave a token)
 * @param acknowledged nodes that acknowledged the announce
 * @param failed announce_peer queries that timed out or got an error
 */
public record AnnounceReport(
    LookupReport lookup, List<NodeInfo> targets, List<NodeInfo> acknowledged, int failed) {
  public AnnounceReport {
    targets = List.copyOf(targets);
    acknowledged = List.copyOf(acknowledged);
  }

  /** One report for the announces of both families (see {@link LookupReport#merge}). */
  public static AnnounceReport merge(AnnounceReport v4, AnnounceReport v6) {
    List<NodeInfo> targets = new java.util.ArrayList<>(v4.targets);
    targets.addAll(v6.targets);
    List<NodeInfo> acked = new java.util.ArrayList<>(v4.acknowledged);
    acked.addAll(v6.acknowledged);
    return new AnnounceReport(LookupReport.merge(v4.lookup, v6.lookup), targets, acked, v4.failed + v6.failed);
  }

  /** Converts the node's result (nanosecond timestamps) into a report. */
  public static AnnounceReport of(AnnounceResult r) {
    return new AnnounceReport(LookupReport.of(r.lookup()), r.targets(), r.acked(), r.failed());
  }
}
