package dev.jdht.crawl;

/**
 * A snapshot of a crawl.
 *
 * @param knownNodes nodes learned (in this crawler's shard)
 * @param sampledNodes nodes that answered sample_infohashes with samples at least once
 * @param samples infohash samples received (with repeats)
 * @param distinctInfohashes distinct infohashes seen (samples and incoming queries)
 * @param packetsOut crawl queries sent
 * @param packetsIn crawl replies received (responses and errors)
 * @param timeouts crawl queries unanswered
 * @param noBep51 nodes that answered without samples or with an error
 * @param droppedReplies malformed sample_infohashes replies (counted, dropped, nothing stored)
 * @param harvested infohashes taken from get_peers / announce_peer queries that reached us
 * @param estimatedDhtSize estimated number of nodes in the whole DHT (0 while unknown)
 * @param coverage sampledNodes / (estimatedDhtSize / shard count), 0 while unknown
 */
public record CrawlStats(
    long knownNodes,
    long sampledNodes,
    long samples,
    long distinctInfohashes,
    long packetsOut,
    long packetsIn,
    long timeouts,
    long noBep51,
    long droppedReplies,
    long harvested,
    long peers,
    long estimatedDhtSize,
    double coverage) {}
