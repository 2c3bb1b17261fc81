package dev.jdht.core.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {
  @Test
  void emptyGivesTheFallback() {
    RttEstimator e = new RttEstimator(8);
    assertEquals(0, e.count());
    assertEquals(77, e.percentile(0.9, 77));
  }

  @Test
  void nearestRankPercentiles() {
    RttEstimator e = new RttEstimator(256);
    for (int i = 100; i >= 1; i--) {
      e.add(i);
    }
    assertEquals(100, e.count());
    assertEquals(90, e.percentile(0.9, -1));
    assertEquals(50, e.percentile(0.5, -1));
    assertEquals(1, e.percentile(0, -1));
    assertEquals(100, e.percentile(1, -1));
    e.add(1000);
    assertEquals(1000, e.percentile(1, -1), "the cache is refreshed after add");
  }

  @Test
  void keepsOnlyTheLastWindow() {
    RttEstimator e = new RttEstimator(4);
    for (int i = 1; i <= 10; i++) {
      e.add(i);
    }
    assertEquals(4, e.count());
    assertEquals(7, e.percentile(0, -1));
    assertEquals(10, e.percentile(1, -1));
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> new RttEstimator(0));
    RttEstimator e = new RttEstimator(4);
    assertThrows(IllegalArgumentException.class, () -> e.add(-1));
    assertThrows(IllegalArgumentException.class, () -> e.percentile(1.5, 0));
    assertThrows(IllegalArgumentException.class, () -> e.percentile(Double.NaN, 0));
  }
}
