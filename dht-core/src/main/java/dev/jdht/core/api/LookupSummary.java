package dev.jdht.core.api;

import dev.jdht.krpc.wire.NodeId;

/**
 * One of our lookups, running or finished, as the dashboard lists it. Immutable.
 *
 * @param kind "get_peers" or "find_node"
 * @param target the infohash or node id looked up
 * @param running true while it runs
 * @param cancelled true when it was cancelled (or the node closed)
 * @param queries queries sent
 * @param responses answers received
 * @param timeouts queries that failed
 * @param peers distinct peers found
 * @param elapsedMillis from start to done, or to the snapshot while it runs
 * @param firstPeerMillis from start to the first peer, or -1
 * @param agoMillis how long before the snapshot it finished (0 while it runs)
 */
public record LookupSummary(
    String kind,
    NodeId target,
    boolean running,
    boolean cancelled,
    int queries,
    int responses,
    int timeouts,
    int peers,
    long elapsedMillis,
    long firstPeerMillis,
    long agoMillis) {}
