package dev.jdht.crawl;

import dev.jdht.krpc.wire.NodeId;
import java.util.Arrays;
import java.util.List;

/**
 * Estimates the number of nodes in the DHT from the id density around lookup targets: for the k
 * nodes closest to a target, at normalised XOR distances d_1 <= ... <= d_k (distance / 2^160), a
 * uniform id space gives d_i ~ i / N; the least-squares fit is N = sum(i^2) / sum(i * d_i). Each
 * reply gives one estimate; the result is the median of the last {@code window} ones. Pure.
 */
final class SizeEstimator {
  private final double[] recent;
  private int count;
  private int next;

  SizeEstimator(int window) {
    this.recent = new double[window];
  }

  /** Adds the estimate from the nodes a reply returned for {@code target}. */
  void add(NodeId target, List<NodeId> closest) {
    int k = closest.size();
    if (k < 4) {
      return;
    }
    double[] d = new double[k];
    for (int i = 0; i < k; i++) {
      d[i] = fraction(target.xor(closest.get(i)));
    }
    Arrays.sort(d);
    double num = 0;
    double den = 0;
    for (int i = 0; i < k; i++) {
      num += (double) (i + 1) * (i + 1);
      den += (i + 1) * d[i];
    }
    if (den <= 0) {
      return;
    }
    recent[next] = num / den;
    next = (next + 1) % recent.length;
    count = Math.min(count + 1, recent.length);
  }

  /** The distance as a fraction of the keyspace, from its top 64 bits. */
  static double fraction(NodeId distance) {
    long top = Shard.top64(distance);
    return (top >>> 11) * 0x1.0p-53;
  }

  /** The median estimate, 0 while there is none. */
  long estimate() {
    if (count == 0) {
      return 0;
    }
    double[] c = Arrays.copyOf(recent, count);
    Arrays.sort(c);
    return Math.round(c[count / 2]);
  }
}
