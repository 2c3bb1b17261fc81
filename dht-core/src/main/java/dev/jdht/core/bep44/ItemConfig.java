package dev.jdht.core.bep44;

import java.util.concurrent.TimeUnit;

/**
 * Limits of the BEP 44 item store. Immutable.
 *
 * @param maxItems items stored at most (default 10,000)
 * @param maxBytes bytes of values stored at most (default 8 MiB; a value is at most 1,000 bytes)
 * @param ttlNanos how long an item is kept after its last put (default 2 hours, as BEP 44 suggests)
 */
public record ItemConfig(int maxItems, long maxBytes, long ttlNanos) {
  public ItemConfig {
    if (maxItems < 1 || maxBytes < Item.MAX_VALUE_BYTES || ttlNanos <= 0) {
      throw new IllegalArgumentException(
          "maxItems and ttl must be positive, maxBytes at least " + Item.MAX_VALUE_BYTES);
    }
  }

  public static ItemConfig defaults() {
    return new ItemConfig(10_000, 8L << 20, TimeUnit.HOURS.toNanos(2));
  }

  /** A new, empty store with these limits. */
  public ItemStore newStore() {
    return new ItemStore(maxItems, maxBytes, ttlNanos);
  }
}
