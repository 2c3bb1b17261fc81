package dev.jdht.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
  private static final double MS = 1e6;

  @Test
  void realisticRoundTripsHaveAMedianAround80msAndALongTail() {
    LatencyModel m = LatencyModel.realistic(1);
    Random r = new Random(2);
    long[] rtt = new long[20_000];
    for (int i = 0; i < rtt.length; i++) {
      int a = r.nextInt(10_000);
      int b = r.nextInt(10_000);
      rtt[i] = m.delayNanos(a, b, r) + m.delayNanos(b, a, r);
    }
    Arrays.sort(rtt);
    double median = rtt[rtt.length / 2] / MS;
    double p90 = rtt[rtt.length * 9 / 10] / MS;
    assertTrue(median > 70 && median < 95, "median " + median);
    assertTrue(p90 > 140 && p90 < 220, "p90 " + p90);
    assertTrue(rtt[0] > 0 && rtt[rtt.length - 1] / MS < 2 * 8 * 35 + 200, "bounded");
  }

  @Test
  void aLinkKeepsItsBaseDelayInBothDirections() {
    PerLinkLognormal m = new PerLinkLognormal(7, 35, 0.6, 0);
    Random r = new Random(3);
    long ab = m.delayNanos(3, 9, r);
    assertEquals(ab, m.delayNanos(9, 3, r));
    assertEquals(ab, new PerLinkLognormal(7, 35, 0.6, 0).delayNanos(3, 9, new Random(4)));
    assertNotEquals(ab, m.delayNanos(3, 10, r));
    assertNotEquals(ab, new PerLinkLognormal(8, 35, 0.6, 0).delayNanos(3, 9, r));
  }

  @Test
  void fixedAndExponentialModels() {
    Random r = new Random(5);
    assertEquals(20_000_000L, LatencyModel.fixed(20).delayNanos(1, 2, r));
    LatencyModel m = LatencyModel.fixedPlusExponential(10, 30);
    double sum = 0;
    for (int i = 0; i < 10_000; i++) {
      long d = m.delayNanos(1, 2, r);
      assertTrue(d >= 10_000_000L);
      sum += d;
    }
    double mean = sum / 10_000 / MS;
    assertTrue(mean > 38 && mean < 42, "mean " + mean);
  }
}
