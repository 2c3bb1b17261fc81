package dev.jdht.core.lookup;

/**
 * Lookup tunables. Immutable and thread-safe.
 *
 * @param alpha queries counted as active at once (slots)
 * @param k size of the closest set that must have responded (BEP 5: 8)
 * @param maxCandidates bound on the candidate set (farthest are dropped)
 * @param maxQueries cap on the total queries one lookup sends
 * @param hardTimeoutNanos after this the caller declares a query failed ({@link Lookup#onFailure})
 * @param softTimeoutFloorNanos lower clamp of the adaptive soft timeout
 * @param softTimeoutCapNanos upper clamp of the adaptive soft timeout (also its value without RTT
 *     samples)
 * @param silentBlocksDone the previous completion rule, kept for comparison in benchmarks: a query
 *     past its soft timeout still blocks completion until it is answered or hard-timed-out. The
 *     default (false) presumes such a node silent 1.25 soft timeouts after sending: the next
 *     closest candidate takes its place,
 *     and a late answer is still used if it arrives before the lookup is done
 * @param fastFirstRound the first round queries, among the K closest seeds, those whose measured
 *     RTT is within 4x of the fastest's (by distance), then the others by RTT, instead of the
 *     alpha closest ({@link Lookup#setSeedRtt}; default true, false for comparison in benchmarks)
 */
public record LookupConfig(
    int alpha,
    int k,
    int maxCandidates,
    int maxQueries,
    long hardTimeoutNanos,
    long softTimeoutFloorNanos,
    long softTimeoutCapNanos,
    boolean silentBlocksDone,
    boolean fastFirstRound) {

  private static final long MS = 1_000_000L;

  /** The current completion rule: a node past its soft timeout no longer blocks completion. */
  public LookupConfig(
      int alpha,
      int k,
      int maxCandidates,
      int maxQueries,
      long hardTimeoutNanos,
      long softTimeoutFloorNanos,
      long softTimeoutCapNanos) {
    this(alpha, k, maxCandidates, maxQueries, hardTimeoutNanos, softTimeoutFloorNanos, softTimeoutCapNanos, false);
  }

  /** With the fast first round on. */
  public LookupConfig(
      int alpha,
      int k,
      int maxCandidates,
      int maxQueries,
      long hardTimeoutNanos,
      long softTimeoutFloorNanos,
      long softTimeoutCapNanos,
      boolean silentBlocksDone) {
    this(alpha, k, maxCandidates, maxQueries, hardTimeoutNanos, softTimeoutFloorNanos, softTimeoutCapNanos,
        silentBlocksDone, true);
  }

  /** Validates the ranges. */
  public LookupConfig {
    check(alpha >= 1 && alpha <= 256, "alpha must be in 1..256: " + alpha);
    check(k >= 1 && k <= 256, "k must be in 1..256: " + k);
    check(maxCandidates >= k && maxCandidates <= 1 << 16, "maxCandidates must be in k..65536: " + maxCandidates);
    check(maxQueries >= 1 && maxQueries <= 1 << 20, "maxQueries must be in 1..1048576: " + maxQueries);
    check(hardTimeoutNanos > 0, "hardTimeoutNanos must be positive");
    check(softTimeoutFloorNanos > 0, "softTimeoutFloorNanos must be positive");
    check(softTimeoutCapNanos >= softTimeoutFloorNanos, "softTimeoutCapNanos must be >= the floor");
  }

  private static void check(boolean ok, String msg) {
    if (!ok) {
      throw new IllegalArgumentException(msg);
    }
  }

  /** alpha 5, k 8, 128 candidates, 256 queries, hard 2 s, soft timeout in [100 ms, 1 s] (see docs/bench-lookup.md). */
  public static LookupConfig defaults() {
    return new LookupConfig(5, 8, 128, 256, 2_000 * MS, 100 * MS, 1_000 * MS);
  }

  /** The soft timeout for a query sent now: the p90 RTT clamped to [floor, cap]. */
  public long softTimeoutNanos(RttEstimator rtt) {
    long p90 = rtt.percentile(0.9, softTimeoutCapNanos);
    return Math.max(softTimeoutFloorNanos, Math.min(softTimeoutCapNanos, p90));
  }

  /** A copy with another alpha. */
  public LookupConfig withAlpha(int a) {
    return new LookupConfig(a, k, maxCandidates, maxQueries, hardTimeoutNanos, softTimeoutFloorNanos, softTimeoutCapNanos, silentBlocksDone, fastFirstRound);
  }

  /** A copy with another k. */
  public LookupConfig withK(int kk) {
    return new LookupConfig(alpha, kk, maxCandidates, maxQueries, hardTimeoutNanos, softTimeoutFloorNanos, softTimeoutCapNanos, silentBlocksDone, fastFirstRound);
  }

  /** A copy with another candidate bound. */
  public LookupConfig withMaxCandidates(int m) {
    return new LookupConfig(alpha, k, m, maxQueries, hardTimeoutNanos, softTimeoutFloorNanos, softTimeoutCapNanos, silentBlocksDone, fastFirstRound);
  }

  /** A copy with another query cap. */
  public LookupConfig withMaxQueries(int m) {
    return new LookupConfig(alpha, k, maxCandidates, m, hardTimeoutNanos, softTimeoutFloorNanos, softTimeoutCapNanos, silentBlocksDone, fastFirstRound);
  }

  /** A copy with the previous completion rule on or off (see {@link #silentBlocksDone}). */
  public LookupConfig withSilentBlocksDone(boolean b) {
    return new LookupConfig(alpha, k, maxCandidates, maxQueries, hardTimeoutNanos, softTimeoutFloorNanos, softTimeoutCapNanos, b, fastFirstRound);
  }

  /** A copy with the fast first round on or off (see {@link #fastFirstRound}). */
  public LookupConfig withFastFirstRound(boolean b) {
    return new LookupConfig(alpha, k, maxCandidates, maxQueries, hardTimeoutNanos, softTimeoutFloorNanos, softTimeoutCapNanos,
        silentBlocksDone, b);
  }

  /** A copy with other timeouts. */
  public LookupConfig withTimeouts(long hard, long softFloor, long softCap) {
    return new LookupConfig(alpha, k, maxCandidates, maxQueries, hard, softFloor, softCap, silentBlocksDone, fastFirstRound);
  }
}
