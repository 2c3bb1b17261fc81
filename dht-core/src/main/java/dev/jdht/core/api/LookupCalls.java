package dev.jdht.core.api;

import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.LookupObserver;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The lookup half of the {@link Dht} API: starts lookups and announces on the loop thread and
 * turns their observers into futures and callbacks on the callback executor.
 */
final class LookupCalls {
  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Threads threads;
  private final DhtNode node;

  LookupCalls(Threads threads, DhtNode node) {
    this.threads = threads;
    this.node = node;
  }

  static Duration requirePositive(Duration d) {
    Objects.requireNonNull(d, "deadline");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + d);
    }
    return d;
  }

  /** A lookup; with a {@code deadline} (may be null) it stops then and completes with the partial report. */
  CompletableFuture<LookupReport> lookup(
      NodeId target,
      boolean peers,
      Consumer<PeerAddress> onPeer,
      Consumer<LookupProgress> onProgress,
      Duration deadline) {
    CompletableFuture<LookupReport> f = new CompletableFuture<>();
    boolean[] hitDeadline = {false}; // loop thread only
    LookupObserver obs =
        new LookupObserver() {
          long lastProgress = Long.MIN_VALUE;

          @Override
          public void onPeer(PeerAddress peer) {
            if (onPeer != null) {
              threads.callback(() -> onPeer.accept(peer));
            }
          }

          @Override
          public void onProgress(LookupResult p) {
            if (onProgress == null) {
              return;
            }
            long now = threads.loop.clock().nanos();
            if (lastProgress != Long.MIN_VALUE && now - lastProgress < PROGRESS_INTERVAL_NANOS) {
              return;
            }
            lastProgress = now;
            LookupProgress lp =
                new LookupProgress(
                    p.queriesSent(), p.responses(), p.timeouts(), p.peers().size(), Duration.ofNanos(now - p.startedAt()));
            threads.callback(() -> onProgress.accept(lp));
          }

          @Override
          public void onDone(LookupResult result, String error) {
            threads.complete(f, error == null ? null : new DhtException(error), LookupReport.of(result, hitDeadline[0]));
          }
        };
    threads.post(
        () -> {
          DhtNode.LookupHandle h = peers ? node.getPeers(target, obs) : node.findNode(target, obs);
          TimerQueue.Timer timer =
              deadline == null
                  ? null
                  : node.schedule(deadline.toNanos(), () -> {
                      hitDeadline[0] = true;
                      h.cancel();
                    });
          f.whenComplete((r, e) -> {
            if (timer != null) {
              threads.post(timer::cancel);
            }
            if (f.isCancelled()) {
              threads.post(h::cancel);
            }
          });
        });
    return f;
  }

  CompletableFuture<AnnounceReport> announce(NodeId infoHash, int port, boolean impliedPort) {
    CompletableFuture<AnnounceReport> f = new CompletableFuture<>();
    threads.post(() -> node.announce(infoHash, port, impliedPort, null,
        r -> threads.complete(f, r.error() == null ? null : new DhtException(r.error()), AnnounceReport.of(r))));
    return f;
  }

  Dht.KeepAlive keepAnnouncing(NodeId infoHash, int port, boolean impliedPort, Consumer<AnnounceReport> onEach) {
    AtomicBoolean stopped = new AtomicBoolean();
    TimerQueue.Timer[] timer = new TimerQueue.Timer[1];
    Runnable[] round = new Runnable[1];
    round[0] =
        () -> {
          if (stopped.get() || node.isClosed()) {
            return;
          }
          node.announce(infoHash, port, impliedPort, null, r -> {
            if (onEach != null && r.error() == null) {
              AnnounceReport rep = AnnounceReport.of(r);
              threads.callback(() -> onEach.accept(rep));
            }
            if (!stopped.get()) {
              long base = node.config().announceRepeatNanos();
              long jitter = (long) (node.random().nextDouble() * base / 2);
              timer[0] = node.schedule(base * 3 / 4 + jitter, round[0]);
            }
          });
        };
    threads.post(round[0]);
    return () -> {
      stopped.set(true);
      threads.post(() -> {
        if (timer[0] != null) {
          timer[0].cancel();
        }
      });
    };
  }

  static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

}
