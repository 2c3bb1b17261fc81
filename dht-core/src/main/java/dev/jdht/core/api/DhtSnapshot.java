package dev.jdht.core.api;

import dev.jdht.krpc.wire.NodeId;
import java.util.List;
import java.util.Map;

/**
 * Everything a monitoring page or a metrics exporter shows about a node, computed on the node's
 * thread in one go and handed over immutable ({@link Dht#snapshot()}). Thread-safe.
 *
 * @param nodeId our id
 * @param stats the counters and sizes
 * @param buckets the routing table, one entry per (bucket, family) holding any node, shallow first
 * @param nodeRtt round trips of our queries that were answered
 * @param lookupDone lookup time to done, by kind ("get_peers", "find_node"); cancelled lookups excluded
 * @param lookupFirstPeer get_peers time to first peer, by kind (lookups that found one)
 * @param lookupsRunning lookups in progress (at most {@link #MAX_LISTED}, oldest first)
 * @param recentLookups the last finished lookups, newest first (at most {@link #MAX_LISTED})
 * @param socketReceiveDrops datagrams the kernel dropped for our sockets (receive buffer full;
 *     {@link Dht#socketReceiveDrops()}), or -1 when unknown
 */
public record DhtSnapshot(
    NodeId nodeId,
    DhtStats stats,
    List<BucketStats> buckets,
    LatencyHistogram nodeRtt,
    Map<String, LatencyHistogram> lookupDone,
    Map<String, LatencyHistogram> lookupFirstPeer,
    List<LookupSummary> lookupsRunning,
    List<LookupSummary> recentLookups,
    long socketReceiveDrops) {

  /** How many running and recent lookups a snapshot lists. */
  public static final int MAX_LISTED = 20;

  public DhtSnapshot {
    buckets = List.copyOf(buckets);
    lookupDone = Map.copyOf(lookupDone);
    lookupFirstPeer = Map.copyOf(lookupFirstPeer);
    lookupsRunning = List.copyOf(lookupsRunning);
    recentLookups = List.copyOf(recentLookups);
  }

  /** A snapshot whose kernel drop count is unknown (-1). */
  public DhtSnapshot(NodeId nodeId, DhtStats stats, List<BucketStats> buckets, LatencyHistogram nodeRtt,
      Map<String, LatencyHistogram> lookupDone, Map<String, LatencyHistogram> lookupFirstPeer,
      List<LookupSummary> lookupsRunning, List<LookupSummary> recentLookups) {
    this(nodeId, stats, buckets, nodeRtt, lookupDone, lookupFirstPeer, lookupsRunning, recentLookups, -1);
  }

  /** A copy with this kernel drop count. */
  public DhtSnapshot withSocketReceiveDrops(long drops) {
    return new DhtSnapshot(nodeId, stats, buckets, nodeRtt, lookupDone, lookupFirstPeer, lookupsRunning,
        recentLookups, drops);
  }
}
