package dev.jdht.crawl;

import dev.jdht.core.api.HopReply;
import dev.jdht.krpc.wire.NodeInfo;
import java.util.Collection;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A BEP 51 crawl: drives a {@link CrawlPlanner} on the {@link CrawlNode}'s thread, sends what it
 * plans, feeds it the replies and the incoming get_peers / announce_peer queries, and streams what
 * it learns to a {@link CrawlListener} (on that same thread). It stops at {@link #stop()} or when
 * {@code maxInfohashes} distinct infohashes were seen; {@link #stopped()} completes then.
 *
 * <pre>{@code
 * try (Dht dht = Dht.builder().start(); DhtCrawlNode node = new DhtCrawlNode(dht)) {
 *   dht.ready().get();
 *   Crawler c = Crawler.start(node, CrawlConfig.defaults(), listener, dht.routingTableNodes().get(), 0, new SecureRandom());
 *   ...
 *   c.stop();
 *   CrawlStats last = c.stopped().get();
 * }
 * }</pre>
 *
 * <p>{@link #stats()} and {@link #stop()} are safe from any thread.
 */
public final class Crawler {
  private final CrawlNode node;
  private final CrawlPlanner planner;
  private final long maxInfohashes;
  private final AtomicReference<CrawlStats> stats = new AtomicReference<>();
  private final CompletableFuture<CrawlStats> stopped = new CompletableFuture<>();
  private volatile boolean stopRequested;
  private boolean pumpScheduled;
  private long pumpAt = Long.MAX_VALUE;

  private Crawler(CrawlNode node, CrawlConfig config, CrawlListener listener, long maxInfohashes, Random random) {
    this.node = node;
    this.maxInfohashes = maxInfohashes;
    this.planner = new CrawlPlanner(node.id(), config, listener, random, node.nanos());
    this.stats.set(planner.stats());
  }

  /**
   * Starts crawling from {@code seeds} (a routing table's nodes, bootstrap contacts).
   * {@code maxInfohashes} 0 means no limit.
   */
  public static Crawler start(
      CrawlNode node, CrawlConfig config, CrawlListener listener, Collection<NodeInfo> seeds, long maxInfohashes, Random random) {
    return start(node, config, listener, seeds, java.util.List.of(), maxInfohashes, random);
  }

  /**
   * Resumes a crawl: as {@link #start(CrawlNode, CrawlConfig, CrawlListener, Collection, long,
   * Random)}, and {@code resumed} are the nodes an earlier run stored (see {@link
   * CrawlPlanner#addResumed}): their BEP 51 {@code interval} is honoured across the restart.
   */
  public static Crawler start(CrawlNode node, CrawlConfig config, CrawlListener listener, Collection<NodeInfo> seeds,
      Collection<NodeSeen> resumed, long maxInfohashes, Random random) {
    Crawler c = new Crawler(node, config, listener, maxInfohashes, random);
    node.schedule(0, () -> {
      for (NodeSeen n : resumed) {
        c.planner.addResumed(n, node.nanos(), node.wallMillis());
      }
      for (NodeInfo n : seeds) {
        c.planner.addSeed(n);
      }
      node.onInfohashQuery(q -> {
        if (!c.stopRequested) {
          c.planner.onIncoming(q, node.wallMillis());
          c.checkLimit();
        }
      });
      c.pump();
    });
    return c;
  }

  /** Asks the crawl to stop; in-flight replies are still delivered. Idempotent, any thread. */
  public void stop() {
    stopRequested = true;
    node.schedule(0, this::finish);
  }

  private void finish() {
    if (stopped.isDone()) {
      return;
    }
    node.onInfohashQuery(null);
    CrawlStats s = planner.stats();
    stats.set(s);
    stopped.complete(s);
  }

  /** Completes with the final stats once the crawl stopped. */
  public CompletableFuture<CrawlStats> stopped() {
    return stopped;
  }

  /** The latest snapshot (refreshed on every pump of the planner). */
  public CrawlStats stats() {
    return stats.get();
  }

  private void checkLimit() {
    if (maxInfohashes > 0 && planner.stats().distinctInfohashes() >= maxInfohashes) {
      stopRequested = true;
      finish();
    }
  }

  private void pump() {
    pumpScheduled = false;
    pumpAt = Long.MAX_VALUE;
    if (stopRequested) {
      finish();
      return;
    }
    long now = node.nanos();
    CrawlPlanner.Action a;
    while ((a = planner.next(now)) != null) {
      send(a);
    }
    stats.set(planner.stats());
    checkLimit();
    if (!stopRequested) {
      schedulePump(planner.nanosUntilNext(now));
    }
  }

  private void schedulePump(long delay) {
    long at = node.nanos() + delay;
    if (pumpScheduled && pumpAt <= at) {
      return;
    }
    pumpScheduled = true;
    pumpAt = at;
    node.schedule(delay, () -> {
      if (pumpAt == at) {
        pump();
      }
    });
  }

  private void send(CrawlPlanner.Action a) {
    long token = a.token();
    node.query(a.method(), a.to().address(), a.target(), r -> onReply(token, r));
  }

  private void onReply(long token, HopReply r) {
    long now = node.nanos();
    switch (r.outcome()) {
      case RESPONSE -> planner.onResponse(token, r.response(), now, node.wallMillis());
      case ERROR -> planner.onError(token, node.wallMillis());
      case TIMEOUT -> planner.onTimeout(token, now);
      case NOT_SENT -> planner.onNotSent(token);
    }
    if (!stopRequested) {
      schedulePump(0);
    }
  }
}
