package dev.jdht.core.node;

import dev.jdht.core.routing.PrefixCap;
import java.util.concurrent.TimeUnit;

/**
 * The node's defences against floods and table poisoning (docs/security.md). Immutable.
 *
 * @param dosRate sustained datagrams per second per source IP (/64 for IPv6) above which the
 *     source is blocked; 0 turns the blocker off
 * @param dosWindowNanos the window the rate is averaged over
 * @param dosBlockNanos how long a blocked source is ignored
 * @param dosMaxTracked sources the blocker counts (and blocks) at once
 * @param prefixPerIp routing table entries per IP
 * @param prefixPerBucket routing table entries per /24 (v4) or /64 (v6) in one bucket
 * @param prefixPerTable routing table entries per /24 or /64 in the whole table
 */
public record SecurityConfig(
    double dosRate,
    long dosWindowNanos,
    long dosBlockNanos,
    int dosMaxTracked,
    int prefixPerIp,
    int prefixPerBucket,
    int prefixPerTable) {

  /** Validates the arguments. */
  public SecurityConfig {
    if (dosRate < 0 || dosWindowNanos <= 0 || dosBlockNanos <= 0 || dosMaxTracked < 1) {
      throw new IllegalArgumentException("DoS blocker settings must be positive (rate 0: off)");
    }
    new PrefixCap(prefixPerIp, prefixPerBucket, prefixPerTable, false); // validates
  }

  /**
   * Defaults: block a source that averages more than 50 datagrams/s (the per-IP rate limit) over
   * 10 s, for 5 minutes, tracking 4,096 sources; routing table caps as {@link PrefixCap#defaults}.
   */
  public static SecurityConfig defaults() {
    return new SecurityConfig(50, TimeUnit.SECONDS.toNanos(10), TimeUnit.MINUTES.toNanos(5), 4096,
        PrefixCap.DEFAULT_PER_IP, PrefixCap.DEFAULT_PER_PREFIX_PER_BUCKET, PrefixCap.DEFAULT_PER_PREFIX_PER_TABLE);
  }

  /** A copy with another DoS rate (0: off). */
  public SecurityConfig withDosRate(double rate) {
    return new SecurityConfig(rate, dosWindowNanos, dosBlockNanos, dosMaxTracked, prefixPerIp, prefixPerBucket, prefixPerTable);
  }

  /** A copy with other routing table caps. */
  public SecurityConfig withPrefixCaps(int perIp, int perBucket, int perTable) {
    return new SecurityConfig(dosRate, dosWindowNanos, dosBlockNanos, dosMaxTracked, perIp, perBucket, perTable);
  }

  /** The routing table cap; local addresses exempt as given. */
  public PrefixCap prefixCap(boolean exemptLocal) {
    return new PrefixCap(prefixPerIp, prefixPerBucket, prefixPerTable, exemptLocal);
  }
}
