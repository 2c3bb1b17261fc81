package dev.jdht.krpc.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hash quality: rate limiters and peer sets are keyed by addresses that are often consecutive. */
class PeerAddressHashTest {
  private static int bucketsUsed(int n, boolean varyPort) {
    Set<Integer> buckets = new HashSet<>();
    for (int i = 0; i < n; i++) {
      PeerAddress p =
          varyPort
              ? PeerAddress.of(new byte[] {10, 0, 0, 1}, 1024 + i)
              : PeerAddress.of(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, 6881);
      int h = p.hashCode();
      buckets.add((h ^ (h >>> 16)) & 16383); // what a 16384-bucket HashMap uses
    }
    return buckets.size();
  }

  @Test
  void consecutiveAddressesSpreadOverHashMapBuckets() {
    // uniform hashing would use about 7,500 buckets of 16,384 for 10,000 keys
    int used = bucketsUsed(10_000, false);
    assertTrue(used > 6_500, "only " + used + " buckets used");
  }

  @Test
  void consecutivePortsSpreadToo() {
    int used = bucketsUsed(10_000, true);
    assertTrue(used > 6_500, "only " + used + " buckets used");
  }
}
