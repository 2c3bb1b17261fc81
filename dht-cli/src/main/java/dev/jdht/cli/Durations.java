package dev.jdht.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * Parses and prints the durations users type and read: {@code 30}, {@code 30s}, {@code 500ms},
 * {@code 1.5s}, {@code 2m}, {@code 1h} (a bare number is seconds). Stateless and thread-safe.
 */
public final class Durations {
  private Durations() {}

  /**
   * The duration in {@code s}: a non-negative number (decimals allowed) followed by {@code ms},
   * {@code s}, {@code m} or {@code h}, or nothing (seconds).
   *
   * @throws IllegalArgumentException with a one-line message otherwise
   */
  public static Duration parse(String s) {
    String t = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
      i++;
    }
    String number = t.substring(0, i);
    String unit = t.substring(i).strip();
    long nanosPerUnit;
    switch (unit) {
      case "ms" -> nanosPerUnit = 1_000_000L;
      case "", "s" -> nanosPerUnit = 1_000_000_000L;
      case "m", "min" -> nanosPerUnit = 60_000_000_000L;
      case "h" -> nanosPerUnit = 3_600_000_000_000L;
      default -> throw new IllegalArgumentException(
          "'" + s + "' is not a duration (expected e.g. 30s, 500ms, 2m, 1h)");
    }
    double value;
    try {
      if (number.isEmpty() || number.chars().filter(c -> c == '.').count() > 1) {
        throw new NumberFormatException();
      }
      value = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a duration (expected e.g. 30s, 500ms, 2m, 1h)");
    }
    double nanos = value * nanosPerUnit;
    if (nanos > Duration.ofDays(365).toNanos()) {
      throw new IllegalArgumentException("'" + s + "' is too long (at most a year)");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /** Human form: {@code 0.4 ms}, {@code 12 ms}, {@code 1.42 s}, {@code 2 min 5 s}. */
  public static String format(Duration d) {
    if (d == null) {
      return "-";
    }
    long nanos = d.toNanos();
    if (nanos < 10_000_000L) {
      return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    if (nanos < 1_000_000_000L) {
      return (nanos / 1_000_000L) + " ms";
    }
    if (nanos < 60_000_000_000L) {
      return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
    long seconds = d.getSeconds();
    return (seconds / 60) + " min " + (seconds % 60) + " s";
  }

  /** Milliseconds with one decimal, for JSON; null stays null. */
  public static Double millis(Duration d) {
    return d == null ? null : Math.round(d.toNanos() / 1e5) / 10.0;
  }
}
