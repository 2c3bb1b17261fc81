package dev.jdht.http;

import dev.jdht.core.api.DhtSnapshot;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the node for a snapshot at a fixed interval (the node computes it on its own thread and
 * hands it over immutable) and publishes it with the crawl's and a bounded history. HTTP threads
 * only read {@link #current()}: they never call into the node, so no request can slow the node's
 * thread, and scraping more often than the interval costs nothing. Thread-safe.
 */
public final class SnapshotPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

  private final Supplier<CompletableFuture<DhtSnapshot>> source;
  private final Supplier<CrawlSnapshot> crawl;
  private final int historySize;
  private final LongSupplier wallClock;
  private final long startedMillis;
  private final ScheduledExecutorService timer;
  private final AtomicReference<MonitorState> current = new AtomicReference<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  // touched only by the completion of one snapshot at a time (pending guards it)
  private final ArrayDeque<MonitorState.Point> history = new ArrayDeque<>();
  private long sequence;

  /**
   * @param source asks the node for a snapshot (e.g. {@code dht::snapshot})
   * @param crawl the crawl's snapshot, or null without a crawl
   * @param interval how often to publish
   * @param historySize how many points the history keeps (e.g. 10 minutes at 1 s: 600)
   * @param wallClock epoch milliseconds (for the page's time axis)
   */
  public SnapshotPublisher(
      Supplier<CompletableFuture<DhtSnapshot>> source,
      Supplier<CrawlSnapshot> crawl,
      Duration interval,
      int historySize,
      LongSupplier wallClock) {
    this.source = Objects.requireNonNull(source);
    this.crawl = crawl;
    if (historySize < 1 || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("need a positive interval and history size");
    }
    this.historySize = historySize;
    this.wallClock = wallClock;
    this.startedMillis = wallClock.getAsLong();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dht-http-publisher");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The latest published state, or null before the first snapshot arrived. */
  public MonitorState current() {
    return current.get();
  }

  /** Waits (up to {@code timeout}) for the first publication; false on timeout. */
  public boolean awaitFirst(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (current.get() == null) {
      if (System.nanoTime() - end > 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  private void tick() {
    if (!pending.compareAndSet(false, true)) {
      return; // the node has not answered the previous request yet: never queue up more
    }
    CompletableFuture<DhtSnapshot> f;
    try {
      f = source.get();
    } catch (RuntimeException e) {
      pending.set(false);
      log.debug("no snapshot: {}", e.toString());
      return;
    }
    f.orTimeout(10, TimeUnit.SECONDS).whenComplete((s, e) -> {
      try {
        if (e == null && s != null) {
          publish(s);
        } else {
          log.debug("no snapshot: {}", String.valueOf(e));
        }
      } finally {
        pending.set(false);
      }
    });
  }

  private void publish(DhtSnapshot s) {
    CrawlSnapshot c = null;
    if (crawl != null) {
      try {
        c = crawl.get();
      } catch (RuntimeException e) {
        log.debug("crawl snapshot failed: {}", e.toString());
      }
    }
    long now = wallClock.getAsLong();
    history.addLast(MonitorState.Point.of(now, s, c));
    while (history.size() > historySize) {
      history.removeFirst();
    }
    current.set(new MonitorState(++sequence, now, startedMillis, s, c, history.stream().toList()));
  }

  /** Stops publishing (the last state stays readable). */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
