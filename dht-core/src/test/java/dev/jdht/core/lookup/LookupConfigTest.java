package dev.jdht.core.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LookupConfigTest {
  private static final long MS = 1_000_000L;

  @Test
  void defaults() {
    LookupConfig c = LookupConfig.defaults();
    assertEquals(new LookupConfig(5, 8, 128, 256, 2000 * MS, 100 * MS, 1000 * MS), c);
  }

  @Test
  void withersChangeOneField() {
    LookupConfig c = LookupConfig.defaults().withAlpha(5).withK(10).withMaxCandidates(50).withMaxQueries(9)
        .withTimeouts(3000 * MS, 100 * MS, 500 * MS);
    assertEquals(new LookupConfig(5, 10, 50, 9, 3000 * MS, 100 * MS, 500 * MS), c);
  }

  @Test
  void rejectsOutOfRangeValues() {
    LookupConfig d = LookupConfig.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withAlpha(0));
    assertThrows(IllegalArgumentException.class, () -> d.withK(0));
    assertThrows(IllegalArgumentException.class, () -> d.withMaxCandidates(7));
    assertThrows(IllegalArgumentException.class, () -> d.withMaxQueries(0));
    assertThrows(IllegalArgumentException.class, () -> d.withTimeouts(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> d.withTimeouts(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> d.withTimeouts(10, 5, 4));
  }

  @Test
  void softTimeoutIsTheP90ClampedToFloorAndCap() {
    LookupConfig c = LookupConfig.defaults();
    RttEstimator rtt = new RttEstimator(10);
    assertEquals(1000 * MS, c.softTimeoutNanos(rtt));
    for (int i = 0; i < 10; i++) {
      rtt.add(5000 * MS);
    }
    assertEquals(1000 * MS, c.softTimeoutNanos(rtt));
    for (int i = 1; i <= 10; i++) {
      rtt.add(i * 50 * MS);
    }
    assertEquals(450 * MS, c.softTimeoutNanos(rtt));
  }
}
