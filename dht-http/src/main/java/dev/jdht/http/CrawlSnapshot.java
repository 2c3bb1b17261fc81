package dev.jdht.http;

/**
 * What a running crawl reports to the dashboard and to {@code /metrics}. Immutable. A crawler
 * plugs in with a {@code Supplier<CrawlSnapshot>} ({@link MonitorServer.Builder#crawl}); the
 * supplier is called once per publishing interval on the publisher thread, never on an HTTP
 * thread, and must not block.
 *
 * @param samples infohash samples received so far (BEP 51 {@code sample_infohashes} entries)
 * @param samplesPerSecond recent sample rate
 * @param distinctInfohashes distinct infohashes seen
 * @param nodesKnown distinct nodes known to the crawler
 * @param nodesSampled nodes that answered a {@code sample_infohashes} query
 * @param coverageEstimate estimated fraction of the DHT's infohashes seen, 0..1 (NaN if unknown)
 */
public record CrawlSnapshot(
    long samples,
    double samplesPerSecond,
    long distinctInfohashes,
    long nodesKnown,
    long nodesSampled,
    double coverageEstimate) {}
