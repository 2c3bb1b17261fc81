package dev.jdht.crawl;

/**
 * The global outgoing budget: a token bucket fed by virtual or real nanoseconds (never reads a
 * clock itself). To keep every 1 s window at or under {@code ratePerSecond}, the bucket refills at
 * {@code ratePerSecond - burst} tokens per second and holds at most {@code burst}: a window then
 * sees at most {@code burst + (rate - burst)} sends. Not thread-safe.
 */
public final class TokenBucket {
  private final double refillPerNano;
  private final double burst;
  private double tokens;
  private long last;

  /** {@code burst} is max(1, rate / 50) packets. */
  public TokenBucket(int ratePerSecond, long now) {
    if (ratePerSecond < 2) {
      throw new IllegalArgumentException("rate must be >= 2 packets per second");
    }
    this.burst = Math.max(1, ratePerSecond / 50);
    this.refillPerNano = (ratePerSecond - burst) / 1e9;
    this.tokens = burst;
    this.last = now;
  }

  private void refill(long now) {
    if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) * refillPerNano);
      last = now;
    }
  }

  /** Takes one token if there is one. */
  public boolean tryTake(long now) {
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Nanoseconds from {@code now} until a token is available (0 if one is). */
  public long nanosUntilToken(long now) {
    refill(now);
    if (tokens >= 1) {
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / refillPerNano);
  }
}
