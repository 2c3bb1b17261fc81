package dev.jdht.core.lookup;

import java.util.Arrays;

/**
 * The most recent round-trip times (a bounded ring) with percentiles on demand. Shared by all
 * lookups of a node. Not thread-safe: used only on the loop thread.
 */
public final class RttEstimator {
  private final long[] ring;
  private int next;
  private int count;
  private long[] sorted; // cache, null when stale

  /** Keeps the last {@code window} samples (1..65536). */
  public RttEstimator(int window) {
    if (window < 1 || window > 1 << 16) {
      throw new IllegalArgumentException("window must be in 1..65536: " + window);
    }
    ring = new long[window];
  }

  /** Records one sample (nanoseconds, not negative); the oldest falls out when full. */
  public void add(long rttNanos) {
    if (rttNanos < 0) {
      throw new IllegalArgumentException("negative rtt " + rttNanos);
    }
    ring[next] = rttNanos;
    next = (next + 1) % ring.length;
    if (count < ring.length) {
      count++;
    }
    sorted = null;
  }

  /**
   * The {@code p}-quantile (0..1, nearest rank) of the samples held, or {@code fallbackNanos}
   * when there are none.
   */
  public long percentile(double p, long fallbackNanos) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be in 0..1: " + p);
    }
    if (count == 0) {
      return fallbackNanos;
    }
    if (sorted == null) {
      sorted = Arrays.copyOf(ring, count); // when not full, the samples are ring[0..count)
      Arrays.sort(sorted);
    }
    int rank = (int) Math.ceil(p * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, rank))];
  }

  /** Samples held (at most the window). */
  public int count() {
    return count;
  }
}
