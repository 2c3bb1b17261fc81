package dev.jdht.core.routing;

/**
 * Tuning of a {@link RoutingTable}. Immutable and thread-safe.
 *
 * @param k bucket capacity (BEP 5: 8)
 * @param goodWindowNanos how long a response (or a query from a node that has responded before)
 *     keeps a node good (BEP 5: 15 minutes)
 * @param maxFailures consecutive failures after which a node is bad
 * @param replacementCacheSize replacement candidates kept per bucket
 * @param refreshIntervalNanos a bucket unchanged for this long gets a refresh target (BEP 5: 15
 *     minutes)
 * @param pingIntervalNanos minimum time between two pings of the same questionable node
 * @param allowLoopbackAndPrivate accept loopback and link-local addresses (for testnets on one
 *     machine); private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) are always
 *     accepted
 */
public record RoutingConfig(
    int k,
    long goodWindowNanos,
    int maxFailures,
    int replacementCacheSize,
    long refreshIntervalNanos,
    long pingIntervalNanos,
    boolean allowLoopbackAndPrivate) {

  private static final long MINUTE = 60_000_000_000L;

  /** Validates the arguments. */
  public RoutingConfig {
    if (k < 1 || k > 1024) {
      throw new IllegalArgumentException("k must be in 1..1024: " + k);
    }
    if (goodWindowNanos <= 0 || refreshIntervalNanos <= 0 || pingIntervalNanos <= 0) {
      throw new IllegalArgumentException("intervals must be positive");
    }
    if (maxFailures < 1) {
      throw new IllegalArgumentException("maxFailures must be at least 1: " + maxFailures);
    }
    if (replacementCacheSize < 0 || replacementCacheSize > 1024) {
      throw new IllegalArgumentException("replacementCacheSize must be in 0..1024: " + replacementCacheSize);
    }
  }

  /**
   * BEP 5 defaults for the public internet: k 8, good window 15 min, bad after 3 failures, 8
   * replacements per bucket, refresh after 15 min, ping a questionable node at most once a minute,
   * loopback and link-local addresses refused.
   */
  public static RoutingConfig defaults() {
    return new RoutingConfig(RoutingTable.K, 15 * MINUTE, 3, 8, 15 * MINUTE, MINUTE, false);
  }

  /** A copy with {@code allowLoopbackAndPrivate} set (true for loopback testnets). */
  public RoutingConfig withAllowLoopbackAndPrivate(boolean allow) {
    return new RoutingConfig(
        k, goodWindowNanos, maxFailures, replacementCacheSize, refreshIntervalNanos, pingIntervalNanos, allow);
  }
}
