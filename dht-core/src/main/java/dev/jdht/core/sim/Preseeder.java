package dev.jdht.core.sim;

import dev.jdht.core.routing.RoutingTable;
import dev.jdht.krpc.wire.NodeId;
import java.util.Random;

/**
 * Fills a node's routing table from the sorted list of every node id, the way a long-running node
 * would have filled it: ids sharing exactly d leading bits with ours form one contiguous run of
 * the sorted list, so each bucket's candidates are found by two binary searches. Stateless.
 */
final class Preseeder {
  private static final int PER_BUCKET = RoutingTable.K;

  private Preseeder() {}

  /**
   * Offers {@code node} up to 8 random contacts per depth, from the far half of the id space down
   * to its nearest neighbours, as nodes that have just answered.
   *
   * @param ids every node id, sorted; {@code nodes[i]} has {@code ids[i]}
   */
  static void seed(SimNode node, NodeId[] ids, SimNode[] nodes, Random random, long now) {
    RoutingTable table = node.node().routingTable();
    byte[] self = node.id().toBytes();
    int[] pick = new int[PER_BUCKET];
    for (int d = 0; d < NodeId.BITS; d++) {
      int ownFrom = lowerBound(ids, prefixBound(self, d + 1, false, false));
      int ownTo = upperBound(ids, prefixBound(self, d + 1, false, true));
      int sibFrom = lowerBound(ids, prefixBound(self, d + 1, true, false));
      int sibTo = upperBound(ids, prefixBound(self, d + 1, true, true));
      int size = sibTo - sibFrom;
      int k = Math.min(PER_BUCKET, size);
      for (int i = 0; i < k; i++) { // k distinct indexes of [sibFrom, sibTo) (Floyd's sampling)
        int candidate;
        int j = size - k + i;
        int r = random.nextInt(j + 1);
        candidate = contains(pick, i, r) ? j : r;
        pick[i] = candidate;
      }
      for (int i = 0; i < k; i++) {
        table.onResponse(nodes[sibFrom + pick[i]].info(), now, -1);
      }
      if (ownTo - ownFrom <= 1) {
        break; // nobody else shares d + 1 bits with us
      }
    }
  }

  private static boolean contains(int[] a, int n, int v) {
    for (int i = 0; i < n; i++) {
      if (a[i] == v) {
        return true;
      }
    }
    return false;
  }

  /**
   * The smallest ({@code ones} false) or largest id whose first {@code bits} bits are those of
   * {@code self}, except that bit {@code bits - 1} is flipped when {@code flipLast}.
   */
  private static NodeId prefixBound(byte[] self, int bits, boolean flipLast, boolean ones) {
    byte[] b = self.clone();
    if (flipLast) {
      int d = bits - 1;
      b[d >>> 3] ^= (byte) (0x80 >>> (d & 7));
    }
    for (int i = bits; i < NodeId.BITS; i++) {
      int mask = 0x80 >>> (i & 7);
      if (ones) {
        b[i >>> 3] |= (byte) mask;
      } else {
        b[i >>> 3] &= (byte) ~mask;
      }
    }
    return NodeId.of(b);
  }

  /** The first index whose id is >= {@code key}. */
  private static int lowerBound(NodeId[] ids, NodeId key) {
    int lo = 0;
    int hi = ids.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ids[mid].compareTo(key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first index whose id is > {@code key}. */
  private static int upperBound(NodeId[] ids, NodeId key) {
    int lo = 0;
    int hi = ids.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ids[mid].compareTo(key) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
