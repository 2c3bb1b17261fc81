package dev.jdht.core.server;

import dev.jdht.core.time.Clock;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ignores a source that stays over its budget, in the spirit of libtorrent's {@code dos_blocker}:
 * a source (its IP, or its /64 for IPv6, as in {@link RateLimiter}) that sends more than {@code
 * rate} datagrams per second averaged over a window of {@code windowNanos} is blocked for {@code
 * blockNanos}: every datagram from it is dropped before decoding. When the block ends the source
 * starts with a fresh window; a source that keeps flooding is blocked again after one more window.
 *
 * <p>Where {@link RateLimiter} sheds the excess of a burst packet by packet, the blocker stops
 * spending anything on a source that floods for a sustained period. Bounded: at most {@code
 * maxTracked} sources are counted and at most {@code maxTracked} are blocked at once; when full,
 * the least recently seen counted source, or the oldest block, is forgotten. Sources whose window
 * has passed and blocks that have ended are forgotten as well, a few per datagram, oldest first:
 * either would be started afresh on the source's next datagram anyway, so no decision changes.
 *
 * <p>Fed with a {@link Clock} (monotonic nanoseconds); never reads the system clock.
 * <b>Threading:</b> not thread-safe; owned by the loop thread.
 */
public final class DosBlocker {
  /** Passed windows and ended blocks forgotten per datagram (more than one, so they drain). */
  private static final int FORGET_PER_DATAGRAM = 2;

  private static final class Window {
    long start;
    long count;

    Window(long start) {
      this.start = start;
    }
  }

  private final Clock clock;
  private final long windowNanos;
  private final long maxPerWindow;
  private final long blockNanos;
  private final LinkedHashMap<PeerAddress, Window> counting;
  private final LinkedHashMap<PeerAddress, Long> blockedUntil;
  private long blocks;
  private long dropped;

  /**
   * @param clock time source
   * @param rate sustained datagrams per second a source may send, positive
   * @param windowNanos the averaging window, positive
   * @param blockNanos how long a source over budget is ignored, positive
   * @param maxTracked sources counted (and blocked) at once, positive
   */
  public DosBlocker(Clock clock, double rate, long windowNanos, long blockNanos, int maxTracked) {
    if (!(rate > 0) || windowNanos <= 0 || blockNanos <= 0 || maxTracked < 1) {
      throw new IllegalArgumentException("rate, window, block time and maxTracked must be positive");
    }
    this.clock = clock;
    this.windowNanos = windowNanos;
    this.maxPerWindow = Math.max(1, (long) Math.ceil(rate * windowNanos / 1e9));
    this.blockNanos = blockNanos;
    this.counting = bounded(maxTracked, true);
    this.blockedUntil = bounded(maxTracked, false);
  }

  private static <V> LinkedHashMap<PeerAddress, V> bounded(int max, boolean accessOrder) {
    return new LinkedHashMap<>(16, 0.75f, accessOrder) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<PeerAddress, V> eldest) {
        return size() > max;
      }
    };
  }

  /** Counts a datagram from {@code source}; false means drop it (the source is blocked). */
  public boolean allow(PeerAddress source) {
    long now = clock.nanos();
    forgetPassed(now);
    PeerAddress key = RateLimiter.key(source);
    Long until = blockedUntil.get(key);
    if (until != null) {
      if (now - until < 0) {
        dropped++;
        return false;
      }
      blockedUntil.remove(key);
    }
    Window w = counting.get(key);
    if (w == null || now - w.start >= windowNanos) {
      w = new Window(now);
      counting.put(key, w);
    }
    if (++w.count <= maxPerWindow) {
      return true;
    }
    counting.remove(key);
    blockedUntil.put(key, now + blockNanos);
    blocks++;
    dropped++;
    return false;
  }

  /**
   * Drops up to {@link #FORGET_PER_DATAGRAM} least recently seen sources whose window has passed
   * and as many ended blocks (oldest first); each stops at the first entry still current.
   */
  private void forgetPassed(long now) {
    Iterator<Window> w = counting.values().iterator();
    for (int i = 0; i < FORGET_PER_DATAGRAM && w.hasNext() && now - w.next().start >= windowNanos; i++) {
      w.remove();
    }
    Iterator<Long> b = blockedUntil.values().iterator();
    for (int i = 0; i < FORGET_PER_DATAGRAM && b.hasNext() && now - b.next() >= 0; i++) {
      b.remove();
    }
  }

  /** True if {@code source} is blocked now. */
  public boolean isBlocked(PeerAddress source) {
    Long until = blockedUntil.get(RateLimiter.key(source));
    return until != null && clock.nanos() - until < 0;
  }

  /** Times a source was blocked. */
  public long blocks() {
    return blocks;
  }

  /** Datagrams dropped because their source was blocked. */
  public long dropped() {
    return dropped;
  }

  /** Sources currently counted (at most maxTracked). */
  public int tracked() {
    return counting.size();
  }

  /** Entries in the block list, some possibly expired (at most maxTracked). */
  public int blockListSize() {
    return blockedUntil.size();
  }

  /** Datagrams a source may send in one window. */
  public long maxPerWindow() {
    return maxPerWindow;
  }
}
