package dev.jdht.crawl;

import dev.jdht.core.api.Dht;
import dev.jdht.core.api.HopReply;
import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CrawlNode} on a running {@link Dht}: the crawler runs on one thread of its own
 * ("dht-crawl"); replies and incoming queries arrive on the DHT's callback executor and are handed
 * over to that thread. {@link #close()} stops the thread (not the DHT).
 */
public final class DhtCrawlNode implements CrawlNode, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DhtCrawlNode.class);

  private final Dht dht;
  private final ScheduledExecutorService thread;

  public DhtCrawlNode(Dht dht) {
    this.dht = dht;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "dht-crawl");
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public NodeId id() {
    return dht.nodeId();
  }

  @Override
  public long nanos() {
    return System.nanoTime();
  }

  @Override
  public long wallMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public void schedule(long delayNanos, Runnable task) {
    Runnable safe = () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("crawl task failed", e);
      }
    };
    try {
      thread.schedule(safe, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("crawl thread closed; task dropped");
    }
  }

  @Override
  public void query(SingleHopMethod method, PeerAddress to, NodeId target, Consumer<HopReply> reply) {
    dht.direct().query(method, to, target).thenAccept(r -> schedule(0, () -> reply.accept(r)));
  }

  @Override
  public void onInfohashQuery(Consumer<InfohashQuery> listener) {
    dht.direct().onInfohashQuery(listener == null ? null : q -> schedule(0, () -> listener.accept(q)));
  }

  /** Stops the crawler's thread, waiting up to 2 s for the task running. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      thread.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
