package dev.jdht.crawl.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How the store queues and writes.
 *
 * @param queueCapacity events held in memory at most; when full, the oldest is dropped and counted
 * @param batchSize events written per transaction at most
 * @param maxDelay how long an event may wait for its batch to fill before it is written anyway
 * @param minBackoff first wait after a failed write, doubled on each further failure
 * @param maxBackoff longest wait between two attempts
 * @param closeTimeout how long {@code close()} keeps trying to write what is queued
 */
public record StoreOptions(
    int queueCapacity, int batchSize, Duration maxDelay, Duration minBackoff, Duration maxBackoff,
    Duration closeTimeout) {
  /** The defaults: 200,000 events queued, batches of up to 20,000 (docs/bench-crawl.md), 1 s delay, 100 ms to 10 s backoff, 30 s to close. */
  public static final StoreOptions DEFAULTS = new StoreOptions(
      200_000, 20_000, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(30));

  public StoreOptions {
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(minBackoff, "minBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (batchSize < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity and batchSize must be positive");
    }
    if (maxDelay.isNegative() || minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0
        || closeTimeout.isNegative()) {
      throw new IllegalArgumentException("delays must be >= 0 and maxBackoff >= minBackoff");
    }
  }

  public StoreOptions withQueueCapacity(int n) {
    return new StoreOptions(n, batchSize, maxDelay, minBackoff, maxBackoff, closeTimeout);
  }

  public StoreOptions withBatchSize(int n) {
    return new StoreOptions(queueCapacity, n, maxDelay, minBackoff, maxBackoff, closeTimeout);
  }

  public StoreOptions withMaxDelay(Duration d) {
    return new StoreOptions(queueCapacity, batchSize, d, minBackoff, maxBackoff, closeTimeout);
  }

  public StoreOptions withBackoff(Duration min, Duration max) {
    return new StoreOptions(queueCapacity, batchSize, maxDelay, min, max, closeTimeout);
  }

  public StoreOptions withCloseTimeout(Duration d) {
    return new StoreOptions(queueCapacity, batchSize, maxDelay, minBackoff, maxBackoff, d);
  }
}
