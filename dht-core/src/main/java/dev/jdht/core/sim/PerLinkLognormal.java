package dev.jdht.core.sim;

import java.util.Random;

/**
 * {@link LatencyModel#perLinkLognormal}: a stable lognormal base delay per unordered node pair,
 * computed from a hash (no per-link memory), plus exponential per-packet jitter. Immutable.
 */
final class PerLinkLognormal implements LatencyModel {
  private static final double TWO_TO_53 = 0x1p53;

  private final long seed;
  private final double medianNanos;
  private final double sigma;
  private final double jitterMeanNanos;
  private final double capNanos;

  PerLinkLognormal(long seed, double medianMillis, double sigma, double jitterMeanMillis) {
    if (!(medianMillis > 0) || !(sigma >= 0) || !(jitterMeanMillis >= 0)) {
      throw new IllegalArgumentException("median must be positive, sigma and jitter not negative");
    }
    this.seed = seed;
    this.medianNanos = medianMillis * 1e6;
    this.sigma = sigma;
    this.jitterMeanNanos = jitterMeanMillis * 1e6;
    this.capNanos = 8 * medianNanos;
  }

  @Override
  public long delayNanos(int from, int to, Random random) {
    double base = baseNanos(Math.min(from, to), Math.max(from, to));
    double jitter = jitterMeanNanos == 0 ? 0 : -jitterMeanNanos * Math.log(1 - random.nextDouble());
    return (long) (base + jitter);
  }

  /** The stable delay of the link a-b (a <= b). */
  double baseNanos(int a, int b) {
    long h = mix(seed ^ mix(((long) a << 32) | (b & 0xffffffffL)));
    double u1 = ((h >>> 11) + 1) / (TWO_TO_53 + 1); // (0, 1)
    double u2 = (mix(h) >>> 11) / TWO_TO_53; // [0, 1)
    double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2); // Box-Muller
    return Math.min(capNanos, medianNanos * Math.exp(sigma * z));
  }

  /** The 64-bit finaliser of SplitMix64. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
