package dev.jdht.core.time;

/**
 * The source of time for all DHT logic. Core state machines receive a Clock (or the current time
 * as an argument) and never read the system clock themselves, so tests can run them under a fake
 * or virtual clock.
 */
@FunctionalInterface
public interface Clock {
  /** Monotonic time in nanoseconds; only differences are meaningful. */
  long nanos();

  /** Monotonic time in milliseconds. */
  default long millis() {
    return nanos() / 1_000_000L;
  }

  /** The real monotonic clock ({@link System#nanoTime()}); used only by the I/O layer. */
  static Clock system() {
    return System::nanoTime;
  }
}
