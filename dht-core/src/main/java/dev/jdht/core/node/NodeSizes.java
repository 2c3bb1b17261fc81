package dev.jdht.core.node;

/**
 * How many entries each of a node's growing structures holds now, for leak checks (the soak in
 * dht-bench) and diagnostics. Immutable snapshot from {@link DhtNode#sizes()}. The token issuer
 * and the RTT estimator are not listed: their size is fixed at construction.
 *
 * @param routingTable nodes in the routing table
 * @param replacements nodes in the buckets' replacement caches
 * @param buckets routing table buckets
 * @param infoHashes infohashes in the peer store
 * @param peers peers in the peer store
 * @param items BEP 44 items in the item store
 * @param inFlight transactions in flight
 * @param lookups lookups running
 * @param rateLimitedIps source IPs the query rate limiter tracks
 * @param replyLimitedIps source IPs the reply rate limiter tracks
 * @param dosTracked sources the DoS blocker counts (0 when it is off)
 * @param dosBlocked sources on the DoS blocker's block list (0 when it is off)
 * @param prefixes /24 (IPv4) or /64 (IPv6) prefixes the routing table's prefix cap counts
 * @param externalIpVoters BEP 42 prefixes whose external-IP vote is remembered
 */
public record NodeSizes(
    int routingTable,
    int replacements,
    int buckets,
    int infoHashes,
    int peers,
    int items,
    int inFlight,
    int lookups,
    int rateLimitedIps,
    int replyLimitedIps,
    int dosTracked,
    int dosBlocked,
    int prefixes,
    int externalIpVoters) {}
