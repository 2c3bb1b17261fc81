package dev.jdht.http;

import dev.jdht.core.api.DhtSnapshot;
import java.util.List;

/**
 * One published state: the latest node snapshot, the crawl's (or null), and the history of the
 * last minutes. Immutable; HTTP threads read only this.
 *
 * @param sequence increases by one per publication
 * @param wallMillis when it was taken (epoch milliseconds)
 * @param startedMillis when the publisher started (epoch milliseconds)
 * @param dht the node snapshot
 * @param crawl the crawl snapshot, or null without a crawl
 * @param history one point per publication, oldest first, bounded
 */
public record MonitorState(
    long sequence, long wallMillis, long startedMillis, DhtSnapshot dht, CrawlSnapshot crawl, List<Point> history) {

  public MonitorState {
    history = List.copyOf(history);
  }

  /** Cumulative totals at one moment (the page derives rates from consecutive points). */
  public record Point(
      long wallMillis,
      long datagramsIn,
      long datagramsOut,
      long bytesIn,
      long bytesOut,
      int routingNodes,
      int goodNodes,
      long crawlInfohashes,
      long crawlNodes) {

    static Point of(long wallMillis, DhtSnapshot d, CrawlSnapshot c) {
      return new Point(
          wallMillis,
          d.stats().datagramsIn(),
          d.stats().datagramsOut(),
          d.stats().bytesIn(),
          d.stats().bytesOut(),
          d.stats().routingTableSize(),
          d.stats().goodNodes(),
          c == null ? -1 : c.distinctInfohashes(),
          c == null ? -1 : c.nodesKnown());
    }
  }
}
