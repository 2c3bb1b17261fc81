package dev.jdht.crawl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  @Test
  void noOneSecondWindowEverSeesMoreThanTheRate() {
    for (int rate : new int[] {2, 10, 200, 2000}) {
      TokenBucket b = new TokenBucket(rate, 0);
      Random r = new Random(rate);
      ArrayDeque<Long> window = new ArrayDeque<>();
      long now = 0;
      long sent = 0;
      while (now < 60_000_000_000L) {
        now += r.nextInt(3_000_000);
        while (b.tryTake(now)) {
          window.add(now);
          sent++;
        }
        while (!window.isEmpty() && window.peekFirst() <= now - 1_000_000_000L) {
          window.pollFirst();
        }
        assertTrue(window.size() <= rate, "rate " + rate + ": " + window.size() + " in a 1 s window");
      }
      assertTrue(sent >= 0.95 * 60 * (rate - Math.max(1, rate / 50)), "rate " + rate + " sent only " + sent);
    }
  }
}
