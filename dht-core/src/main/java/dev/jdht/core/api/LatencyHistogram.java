package dev.jdht.core.api;

import java.util.List;

/**
 * A cumulative latency distribution with fixed buckets, as a Prometheus classic histogram holds it.
 * Immutable.
 *
 * @param upperBoundsSeconds the finite upper bounds, ascending (an implicit +Inf bucket follows)
 * @param counts observations per bucket, NOT cumulative; one more entry than the bounds (the last
 *     one counts observations above the largest bound)
 * @param count all observations
 * @param sumSeconds the sum of all observations, in seconds
 */
public record LatencyHistogram(List<Double> upperBoundsSeconds, List<Long> counts, long count, double sumSeconds) {

  public LatencyHistogram {
    upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
    counts = List.copyOf(counts);
    if (counts.size() != upperBoundsSeconds.size() + 1) {
      throw new IllegalArgumentException("need one count per bound plus one for +Inf");
    }
  }

  /**
   * The value below which a fraction {@code q} of the observations fall, estimated as the upper
   * bound of the bucket holding it (the largest finite bound when it falls in +Inf); NaN if empty.
   */
  public double quantileUpperBound(double q) {
    if (count == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(q * count);
    long seen = 0;
    for (int i = 0; i < upperBoundsSeconds.size(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return upperBoundsSeconds.get(i);
      }
    }
    return upperBoundsSeconds.get(upperBoundsSeconds.size() - 1);
  }
}
