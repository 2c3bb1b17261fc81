package dev.jdht.core.node;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;

/**
 * A query that reached us carrying an infohash: get_peers or announce_peer ({@code method} is
 * the KRPC method name), with the querier's id and address.
 */
public record InfohashQuery(String method, NodeId infoHash, NodeId querierId, PeerAddress from) {}
