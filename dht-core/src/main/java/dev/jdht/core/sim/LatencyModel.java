package dev.jdht.core.sim;

import java.util.Random;

/**
 * One-way delay of a datagram between two simulated nodes. Implementations must be pure functions
 * of their arguments (and of the {@code random} draws they make), so that a seeded simulation is
 * deterministic.
 *
 * <p>Threading: called only on the simulator's thread.
 */
@FunctionalInterface
public interface LatencyModel {
  /**
   * The one-way delay, in nanoseconds (at least 0), of one datagram from node {@code from} to node
   * {@code to} (indexes in the network).
   *
   * @param random the simulation's random source, for per-packet jitter
   */
  long delayNanos(int from, int to, Random random);

  /** Every datagram takes exactly {@code millis} milliseconds. */
  static LatencyModel fixed(double millis) {
    long nanos = (long) (millis * 1e6);
    return (from, to, random) -> nanos;
  }

  /**
   * A fixed part plus an exponentially distributed per-packet part: {@code fixed + Exp(mean)}
   * milliseconds. The median is {@code fixed + mean * ln 2}.
   */
  static LatencyModel fixedPlusExponential(double fixedMillis, double meanExtraMillis) {
    long fixed = (long) (fixedMillis * 1e6);
    double mean = meanExtraMillis * 1e6;
    return (from, to, random) -> fixed + (long) (-mean * Math.log(1 - random.nextDouble()));
  }

  /**
   * A per-link lognormal delay plus per-packet exponential jitter: every pair of nodes gets a
   * stable base delay drawn from a lognormal distribution with median {@code medianMillis} and
   * shape {@code sigma} (derived from a hash of {@code seed} and the unordered pair, so it costs
   * no memory and is the same in both directions), capped at {@code 8 * medianMillis}; each
   * datagram adds {@code Exp(jitterMeanMillis)}.
   *
   * <p>Example: {@code perLinkLognormal(seed, 35, 0.6, 5)} gives one-way delays with a median of
   * about 40 ms and round trips with a median of about 80 ms, a p90 of about 160 ms, a p99 of
   * about 290 ms and a maximum under 600 ms: roughly the public DHT as seen from a well-connected
   * host (minus its slow stragglers, which the dead-node share stands in for).
   */
  static LatencyModel perLinkLognormal(long seed, double medianMillis, double sigma, double jitterMeanMillis) {
    return new PerLinkLognormal(seed, medianMillis, sigma, jitterMeanMillis);
  }

  /** The model used by default: {@code perLinkLognormal(seed, 35, 0.6, 5)}. */
  static LatencyModel realistic(long seed) {
    return perLinkLognormal(seed, 35, 0.6, 5);
  }
}
