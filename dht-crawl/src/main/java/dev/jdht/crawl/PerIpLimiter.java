package dev.jdht.crawl;

import dev.jdht.krpc.wire.PeerAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one packet per {@code spacingNanos} to any one IP address (all ports together). Keeps
 * the last send time of at most {@code maxIps} addresses; the oldest is forgotten first, which is
 * harmless once its spacing has passed (at crawl rates the live set is far smaller). Not
 * thread-safe.
 */
final class PerIpLimiter {
  private final long spacingNanos;
  private final LinkedHashMap<ByteBuffer, Long> lastSend;

  PerIpLimiter(double perIpRate, int maxIps) {
    this.spacingNanos = (long) (1e9 / perIpRate);
    this.lastSend =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Long> eldest) {
            return size() > maxIps;
          }
        };
  }

  private static ByteBuffer key(PeerAddress a) {
    return ByteBuffer.wrap(a.ipBytes());
  }

  /** Nanoseconds until {@code to} may get a packet (0: now). */
  long nanosUntilAllowed(PeerAddress to, long now) {
    Long last = lastSend.get(key(to));
    if (last == null) {
      return 0;
    }
    return Math.max(0, last + spacingNanos - now);
  }

  void recordSend(PeerAddress to, long now) {
    lastSend.put(key(to), now);
  }
}
