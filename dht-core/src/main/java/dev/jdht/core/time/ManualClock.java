package dev.jdht.core.time;

import java.util.concurrent.TimeUnit;

/** A clock that moves only when told to: for tests and the simulated network. Not thread-safe. */
public final class ManualClock implements Clock {
  private long now;

  public ManualClock() {
    this(1_000_000_000L);
  }

  public ManualClock(long startNanos) {
    this.now = startNanos;
  }

  @Override
  public long nanos() {
    return now;
  }

  /** Moves time forward by {@code amount}. */
  public void advance(long amount, TimeUnit unit) {
    if (amount < 0) {
      throw new IllegalArgumentException("time goes forward only");
    }
    now += unit.toNanos(amount);
  }

  /** Moves time forward by {@code ms} milliseconds. */
  public void advanceMillis(long ms) {
    advance(ms, TimeUnit.MILLISECONDS);
  }

  /** Sets the time; it may not move backwards. */
  public void set(long nanos) {
    if (nanos < now) {
      throw new IllegalArgumentException("time goes forward only");
    }
    now = nanos;
  }
}
