package dev.jdht.crawl.store;

/**
 * A snapshot of a store for live progress. Row counts are those found when the store was opened
 * plus the rows this process has added since (another crawler writing the same PostgreSQL
 * database is not seen here; {@code dht crawl stats} counts everything).
 *
 * @param infohashes distinct infohashes stored
 * @param nodes distinct nodes stored
 * @param bep51Nodes stored nodes whose last BEP 51 answer had samples
 * @param peers distinct (infohash, peer) pairs stored
 * @param queueDepth events waiting to be written
 * @param dropped events dropped because the queue was full (oldest first)
 * @param written events written (committed)
 * @param batchesWritten transactions committed
 * @param writeErrors failed write attempts (each is retried)
 * @param lastError the last write error as one line, or null when the last attempt worked
 */
public record StoreStats(
    long infohashes, long nodes, long bep51Nodes, long peers, int queueDepth, long dropped, long written,
    long batchesWritten, long writeErrors, String lastError) {}
