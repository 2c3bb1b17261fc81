package dev.jdht.bench.sim;

import java.util.Arrays;

/** Nearest-rank percentiles and millisecond formatting for the simulation benchmarks' tables. */
final class Percentiles {
  private Percentiles() {}

  /** Nearest-rank percentile; Long.MAX_VALUE entries (e.g. no peer) sort last. 0 when empty. */
  static long percentile(long[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    long[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, rank))];
  }

  /** Nanoseconds as whole milliseconds, "-" for Long.MAX_VALUE. */
  static String ms(long nanos) {
    return nanos == Long.MAX_VALUE ? "-" : String.valueOf(Math.round(nanos / 1e6));
  }
}
