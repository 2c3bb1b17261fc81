package dev.jdht.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.PeerAddress;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long SEC = 1_000_000_000L;
  private static final PeerAddress A = PeerAddress.parse("1.2.3.4:1000");
  private static final PeerAddress B = PeerAddress.parse("5.6.7.8:1000");

  private static int drain(RateLimiter l, PeerAddress from, long now) {
    int n = 0;
    while (l.tryAcquire(from, now)) {
      n++;
      if (n > 1_000_000) {
        throw new AssertionError("never limited");
      }
    }
    return n;
  }

  @Test
  void perIpBurstThenRefill() {
    RateLimiter l = new RateLimiter(10, 5, 1000, 1000, 100);
    assertEquals(5, drain(l, A, 0));
    assertFalse(l.tryAcquire(A, SEC / 10 - 1), "not yet a whole token");
    assertTrue(l.tryAcquire(A, SEC / 10));
    assertFalse(l.tryAcquire(A, SEC / 10));
    assertEquals(5, drain(l, A, 100 * SEC), "refill is capped at the burst");
    assertEquals(5, drain(l, B, 100 * SEC), "other sources have their own bucket");
  }

  @Test
  void portDoesNotMatter() {
    RateLimiter l = new RateLimiter(1, 3, 1000, 1000, 100);
    assertTrue(l.tryAcquire(A, 0));
    assertTrue(l.tryAcquire(A.withPort(2000), 0));
    assertTrue(l.tryAcquire(A.withPort(3000), 0));
    assertFalse(l.tryAcquire(A.withPort(4000), 0));
  }

  @Test
  void ipv6SourcesShareTheirSlash64() {
    RateLimiter l = new RateLimiter(1, 2, 1000, 1000, 100);
    assertTrue(l.tryAcquire(PeerAddress.parse("[2001:db8:1:2::1]:1"), 0));
    assertTrue(l.tryAcquire(PeerAddress.parse("[2001:db8:1:2:ffff::9]:1"), 0));
    assertFalse(l.tryAcquire(PeerAddress.parse("[2001:db8:1:2::77]:1"), 0));
    assertTrue(l.tryAcquire(PeerAddress.parse("[2001:db8:1:3::1]:1"), 0));
  }

  @Test
  void globalBucketBoundsAllSources() {
    RateLimiter l = new RateLimiter(100, 100, 10, 20, 1000);
    int passed = 0;
    for (int i = 0; i < 100; i++) {
      PeerAddress src = PeerAddress.of(new byte[] {9, 0, 0, (byte) i}, 1);
      passed += l.tryAcquire(src, 0) ? 1 : 0;
    }
    assertEquals(20, passed);
    // one second later: exactly 10 more, whoever asks
    passed = 0;
    for (int i = 0; i < 100; i++) {
      passed += l.tryAcquire(PeerAddress.of(new byte[] {9, 0, 1, (byte) i}, 1), SEC) ? 1 : 0;
    }
    assertEquals(10, passed);
  }

  @Test
  void refusedPacketsTakeNoTokens() {
    RateLimiter l = new RateLimiter(1, 1, 1, 1, 10);
    assertTrue(l.tryAcquire(A, 0));
    assertFalse(l.tryAcquire(B, 0), "global empty");
    assertFalse(l.tryAcquire(A, SEC / 2));
    assertTrue(l.tryAcquire(B, SEC), "B's own bucket was not charged by the refusal");
  }

  @Test
  void trackedIpsAreBoundedLeastRecentlySeenDropped() {
    RateLimiter l = new RateLimiter(1, 1, 1e9, 1_000_000, 3);
    PeerAddress c = PeerAddress.parse("9.9.9.9:1");
    PeerAddress d = PeerAddress.parse("8.8.8.8:1");
    assertTrue(l.tryAcquire(A, 0));
    assertTrue(l.tryAcquire(B, 0));
    assertTrue(l.tryAcquire(c, 0));
    assertFalse(l.tryAcquire(A, 0)); // A is now the most recently seen; B the least
    assertTrue(l.tryAcquire(d, 0)); // evicts B
    assertEquals(3, l.trackedIps());
    assertFalse(l.tryAcquire(A, 0), "A was kept");
    assertFalse(l.tryAcquire(c, 0), "c was kept");
    assertTrue(l.tryAcquire(B, 0), "B was forgotten and starts full");
    for (int i = 0; i < 10_000; i++) {
      l.tryAcquire(PeerAddress.of(new byte[] {7, 0, (byte) (i >>> 8), (byte) i}, 1), i);
      assertTrue(l.trackedIps() <= 3);
    }
  }

  @Test
  void timeGoingBackwardsRefillsNothing() {
    RateLimiter l = new RateLimiter(10, 1, 1000, 1000, 10);
    assertTrue(l.tryAcquire(A, 10 * SEC));
    assertFalse(l.tryAcquire(A, 0));
    assertFalse(l.tryAcquire(A, 10 * SEC));
    assertTrue(l.tryAcquire(A, 10 * SEC + SEC / 10));
  }

  @Test
  void aReserveStandsInOnlyForTheGlobalBucket() {
    RateLimiter l = new RateLimiter(10, 5, 1000, 3, 100);
    RateLimiter.Reserve reserve = new RateLimiter.Reserve(100, 2, a -> a.equals(A));
    assertEquals(3, drain(l, B, 0), "the global burst");
    assertFalse(l.tryAcquire(A, 0), "global empty, no reserve");
    assertFalse(l.tryAcquire(B, 0, reserve), "global empty, B is not eligible for the reserve");
    assertTrue(l.tryAcquire(A, 0, reserve));
    assertTrue(l.tryAcquire(A, 0, reserve));
    assertFalse(l.tryAcquire(A, 0, reserve), "the reserve's burst is spent too");
    // the per-IP budget still holds with a reserve: A has 3 of its 5 tokens left
    assertTrue(l.tryAcquire(A, 1_000_000_000L, reserve));
    RateLimiter fresh = new RateLimiter(10, 2, 1000, 1000, 100);
    assertEquals(2, drain(fresh, A, 0));
    assertFalse(fresh.tryAcquire(A, 0, new RateLimiter.Reserve(100, 100, a -> true)), "a reserve does not lift the per-IP limit");
  }

  @Test
  void sourcesWhoseBucketIsFullAgainAreForgottenWithoutChangingDecisions() {
    // the 24-hour soak (dht-bench SoakBench) saw the table keep every responder ever seen, up to
    // the cap; a refilled bucket carries no information, so it is dropped
    RateLimiter l = new RateLimiter(10, 5, 1e9, 1_000_000, 100_000);
    for (int i = 0; i < 1_000; i++) {
      assertTrue(l.tryAcquire(source(i), 0));
    }
    assertEquals(1_000, l.trackedIps());
    for (int i = 0; i < 600; i++) { // half a second later every bucket is full again
      assertTrue(l.tryAcquire(source(1_000 + i), SEC / 2));
    }
    assertEquals(600, l.trackedIps(), "the 1,000 refilled sources are forgotten, the 600 new ones kept");
    assertEquals(5, drain(l, A, SEC));
    for (int i = 0; i < 50; i++) {
      assertTrue(l.tryAcquire(source(2_000 + i), SEC + SEC / 10));
    }
    assertEquals(1, drain(l, A, SEC + SEC / 10), "a source still short of tokens is remembered");
    for (int i = 0; i < 300; i++) { // refused packets forget refilled sources too
      l.tryAcquire(B, SEC + SEC / 10);
    }
    assertEquals(52, l.trackedIps(), "left: A, B and the 50 sources seen at 1.1 s");
  }

  private static PeerAddress source(int i) {
    return PeerAddress.of(new byte[] {7, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, 1);
  }
}
