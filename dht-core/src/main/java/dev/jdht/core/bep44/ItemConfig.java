package dev.jdht.core.bep44;

import java.util.concurrent.TimeUnit;

/**
 * Limits of the BEP 44 item store. Immutable.
 *
 * @param maxItems items stored at most (default 10,000)
 * @param maxBytes bytes of values stored at most (default 8 MiB; a value is at most 1,000 bytes)
 * @param ttlNanos how long an item is kept after its last put (default 2 hours, as BEP 44 suggests)
 * @param maxItemsPerSource items one source (IP, or /64 for IPv6) may hold; a source at its cap
 *     replaces its own oldest (default 100: a node holds only the items whose targets are near its
 *     id, so even a publisher of many keys puts few on any one node)
 */
public record ItemConfig(int maxItems, long maxBytes, long ttlNanos, int maxItemsPerSource) {
  /** The default per-source cap. */
  public static final int DEFAULT_MAX_ITEMS_PER_SOURCE = 100;

  public ItemConfig {
    if (maxItems < 1 || maxBytes < Item.MAX_VALUE_BYTES || ttlNanos <= 0 || maxItemsPerSource < 1) {
      throw new IllegalArgumentException(
          "maxItems, maxItemsPerSource and ttl must be positive, maxBytes at least " + Item.MAX_VALUE_BYTES);
    }
  }

  /** The default per-source cap, or maxItems if that is smaller. */
  public ItemConfig(int maxItems, long maxBytes, long ttlNanos) {
    this(maxItems, maxBytes, ttlNanos, Math.min(maxItems, DEFAULT_MAX_ITEMS_PER_SOURCE));
  }

  public static ItemConfig defaults() {
    return new ItemConfig(10_000, 8L << 20, TimeUnit.HOURS.toNanos(2));
  }

  /** A copy with another per-source cap. */
  public ItemConfig withMaxItemsPerSource(int n) {
    return new ItemConfig(maxItems, maxBytes, ttlNanos, n);
  }

  /** A new, empty store with these limits. */
  public ItemStore newStore() {
    return new ItemStore(maxItems, maxBytes, maxItemsPerSource, ttlNanos);
  }
}
