package dev.jdht.core.server;

import dev.jdht.krpc.wire.PeerAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Token-bucket rate limits on incoming packets: one bucket per source IP and one global bucket. A
 * packet passes only if both buckets hold a token, and then takes one from each; a refused packet
 * takes nothing. Buckets start full and refill continuously at their rate up to their burst.
 *
 * <p>The source port is ignored. IPv6 sources are keyed by their /64 prefix (one host usually owns
 * a whole /64). At most {@code maxTrackedIps} sources are tracked; the least recently seen one is
 * forgotten to make room (so it starts full again when it returns; the global bucket still bounds
 * the total). A source whose bucket has refilled to full is forgotten too (a few per packet,
 * least recently seen first): it would start full anyway, so no decision changes, and the table
 * holds only the sources seen within about {@code perIpBurst / perIpPerSecond} instead of every
 * source ever seen up to the cap.
 *
 * <p>Times are monotonic nanoseconds; time going backwards refills nothing. <b>Threading:</b> not
 * thread-safe; owned by the loop thread.
 */
public final class RateLimiter {
  private static final double NANOS_PER_SECOND = 1e9;
  /** Refilled sources forgotten per packet: more than one, so the stale ones drain while new ones arrive. */
  private static final int FORGET_PER_PACKET = 2;

  /** A token bucket. */
  private static final class Bucket {
    double tokens;
    long last;

    Bucket(double tokens, long last) {
      this.tokens = tokens;
      this.last = last;
    }

    void refill(long now, double perSecond, int burst) {
      long elapsed = now - last;
      if (elapsed > 0) {
        tokens = Math.min(burst, tokens + elapsed * perSecond / NANOS_PER_SECOND);
        last = now;
      }
    }
  }

  private final double perIpPerSecond;
  private final int perIpBurst;
  private final double globalPerSecond;
  private final int globalBurst;
  private final int maxTrackedIps;
  private final LinkedHashMap<PeerAddress, Bucket> perIp;
  private Bucket global;

  /**
   * @param perIpPerSecond sustained packets per second per source, positive
   * @param perIpBurst bucket size per source, at least 1
   * @param globalPerSecond sustained packets per second over all sources, positive
   * @param globalBurst global bucket size, at least 1
   * @param maxTrackedIps sources tracked at once, positive
   */
  public RateLimiter(double perIpPerSecond, int perIpBurst, double globalPerSecond, int globalBurst, int maxTrackedIps) {
    if (!(perIpPerSecond > 0) || !(globalPerSecond > 0)) {
      throw new IllegalArgumentException("rates must be positive");
    }
    if (perIpBurst < 1 || globalBurst < 1 || maxTrackedIps < 1) {
      throw new IllegalArgumentException("bursts and maxTrackedIps must be at least 1");
    }
    this.perIpPerSecond = perIpPerSecond;
    this.perIpBurst = perIpBurst;
    this.globalPerSecond = globalPerSecond;
    this.globalBurst = globalBurst;
    this.maxTrackedIps = maxTrackedIps;
    this.perIp =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<PeerAddress, Bucket> eldest) {
            return size() > RateLimiter.this.maxTrackedIps;
          }
        };
  }

  /**
   * A global budget held in reserve for some sources (the node's verified contacts): a packet
   * within its per-IP budget that the global bucket refuses may take a token from here instead,
   * if its source is {@code eligible}. Eligibility is asked only then, so the common case (global
   * tokens left) costs nothing.
   */
  public static final class Reserve {
    private final double perSecond;
    private final int burst;
    private final Predicate<PeerAddress> eligible;
    private Bucket bucket;

    /**
     * @param perSecond sustained packets per second, positive
     * @param burst bucket size, at least 1
     * @param eligible the sources that may draw on the reserve
     */
    public Reserve(double perSecond, int burst, Predicate<PeerAddress> eligible) {
      if (!(perSecond > 0) || burst < 1) {
        throw new IllegalArgumentException("reserve rate must be positive and burst at least 1");
      }
      this.perSecond = perSecond;
      this.burst = burst;
      this.eligible = Objects.requireNonNull(eligible, "eligible");
    }

    private Bucket at(long now) {
      if (bucket == null) {
        bucket = new Bucket(burst, now);
      } else {
        bucket.refill(now, perSecond, burst);
      }
      return bucket;
    }
  }

  /** Takes a token for a packet from {@code source} at {@code now}; false means drop the packet. */
  public boolean tryAcquire(PeerAddress source, long now) {
    return tryAcquire(source, now, null);
  }

  /**
   * As {@link #tryAcquire(PeerAddress, long)}, but when the per-IP bucket has a token and only the
   * global one is empty, the global token may come from {@code reserve} (null: none) if the source
   * is eligible for it.
   */
  public boolean tryAcquire(PeerAddress source, long now, Reserve reserve) {
    if (global == null) {
      global = new Bucket(globalBurst, now);
    } else {
      global.refill(now, globalPerSecond, globalBurst);
    }
    forgetRefilled(now);
    PeerAddress key = key(source);
    Bucket b = perIp.get(key);
    if (b == null) {
      b = new Bucket(perIpBurst, now);
      perIp.put(key, b);
    } else {
      b.refill(now, perIpPerSecond, perIpBurst);
    }
    if (b.tokens < 1) {
      return false;
    }
    Bucket from = global;
    if (from.tokens < 1) {
      from = reserve == null || !reserve.eligible.test(source) ? null : reserve.at(now);
      if (from == null || from.tokens < 1) {
        return false;
      }
    }
    b.tokens -= 1;
    from.tokens -= 1;
    return true;
  }

  /**
   * Drops up to {@link #FORGET_PER_PACKET} least recently seen sources whose bucket is full again at
   * {@code now}; stops at the first one that is not.
   */
  private void forgetRefilled(long now) {
    Iterator<Bucket> it = perIp.values().iterator();
    for (int i = 0; i < FORGET_PER_PACKET && it.hasNext(); i++) {
      Bucket b = it.next();
      long elapsed = Math.max(0, now - b.last);
      if (b.tokens + elapsed * perIpPerSecond / NANOS_PER_SECOND < perIpBurst) {
        return;
      }
      it.remove();
    }
  }

  /** Number of sources currently tracked (at most {@code maxTrackedIps}). */
  public int trackedIps() {
    return perIp.size();
  }

  /**
   * The key a source is counted under: its IP (port 0), or its /64 for IPv6. The DoS blocker and
   * the BEP 44 store's per-source cap count by the same key.
   */
  public static PeerAddress key(PeerAddress source) {
    if (!source.isIpv6()) {
      return source.port() == 0 ? source : source.withPort(0);
    }
    byte[] ip = source.ipBytes();
    for (int i = 8; i < 16; i++) {
      ip[i] = 0;
    }
    return PeerAddress.of(ip, 0);
  }
}
