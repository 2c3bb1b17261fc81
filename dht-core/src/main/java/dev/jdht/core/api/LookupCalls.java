package dev.jdht.core.api;

import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.LookupObserver;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BinaryOperator;
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
  private final List<DhtNode> nodes;

  /** {@code nodes}: one per family served, IPv4 first. */
  LookupCalls(Threads threads, List<DhtNode> nodes) {
    this.threads = threads;
    this.nodes = List.copyOf(nodes);
  }

  static Duration requirePositive(Duration d) {
    Objects.requireNonNull(d, "deadline");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + d);
    }
    return d;
  }

  /**
   * One lookup per family (BEP 32), run side by side: peers are deduplicated across them and
   * streamed once, progress is the sum, the report merges both (with each family's report). With
   * a {@code deadline} (may be null) every family stops then and the future completes with the
   * partial report.
   */
  CompletableFuture<LookupReport> lookup(
      NodeId target,
      boolean peers,
      Consumer<PeerAddress> onPeer,
      Consumer<LookupProgress> onProgress,
      Duration deadline) {
    CompletableFuture<LookupReport> f = new CompletableFuture<>();
    boolean[] hitDeadline = {false}; // loop thread only
    Joined<LookupReport> joined = new Joined<>(f, LookupReport::merge);
    Set<PeerAddress> seen = new HashSet<>(); // loop thread only
    LookupResult[] latest = new LookupResult[nodes.size()];
    long[] lastProgress = {Long.MIN_VALUE};
    threads.post(
        () -> {
          List<DhtNode.LookupHandle> handles = new ArrayList<>();
          for (int i = 0; i < nodes.size(); i++) {
            int family = i;
            LookupObserver obs =
                new LookupObserver() {
                  @Override
                  public void onPeer(PeerAddress peer) {
                    if (onPeer != null && seen.add(peer)) {
                      threads.callback(() -> onPeer.accept(peer));
                    }
                  }

                  @Override
                  public void onProgress(LookupResult p) {
                    latest[family] = p;
                    if (onProgress == null) {
                      return;
                    }
                    long now = threads.loop.clock().nanos();
                    if (lastProgress[0] != Long.MIN_VALUE && now - lastProgress[0] < PROGRESS_INTERVAL_NANOS) {
                      return;
                    }
                    lastProgress[0] = now;
                    LookupProgress lp = sum(latest, now);
                    threads.callback(() -> onProgress.accept(lp));
                  }

                  @Override
                  public void onDone(LookupResult result, String error) {
                    joined.done(family, error, LookupReport.of(result, hitDeadline[0]));
                  }
                };
            DhtNode n = nodes.get(i);
            handles.add(peers ? n.getPeers(target, obs) : n.findNode(target, obs));
          }
          TimerQueue.Timer timer =
              deadline == null
                  ? null
                  : nodes.get(0).schedule(deadline.toNanos(), () -> {
                      hitDeadline[0] = true;
                      handles.forEach(DhtNode.LookupHandle::cancel);
                    });
          f.whenComplete((r, e) -> {
            if (timer != null) {
              threads.post(timer::cancel);
            }
            if (f.isCancelled()) {
              threads.post(() -> handles.forEach(DhtNode.LookupHandle::cancel));
            }
          });
        });
    return f;
  }

  private static LookupProgress sum(LookupResult[] latest, long now) {
    int q = 0;
    int r = 0;
    int t = 0;
    int peers = 0;
    long started = Long.MAX_VALUE;
    for (LookupResult p : latest) {
      if (p != null) {
        q += p.queriesSent();
        r += p.responses();
        t += p.timeouts();
        peers += p.peers().size(); // an upper bound when both families found the same peer
        started = Math.min(started, p.startedAt());
      }
    }
    return new LookupProgress(q, r, t, peers, Duration.ofNanos(now - started));
  }

  CompletableFuture<AnnounceReport> announce(NodeId infoHash, int port, boolean impliedPort) {
    return announce(infoHash, port, impliedPort, false);
  }

  /** With {@code seed}, the announces carry BEP 33's {@code seed=1}. */
  CompletableFuture<AnnounceReport> announce(NodeId infoHash, int port, boolean impliedPort, boolean seed) {
    CompletableFuture<AnnounceReport> f = new CompletableFuture<>();
    Joined<AnnounceReport> joined = new Joined<>(f, AnnounceReport::merge);
    threads.post(() -> {
      for (int i = 0; i < nodes.size(); i++) {
        int family = i;
        nodes.get(i).announce(infoHash, port, impliedPort, seed, null,
            r -> joined.done(family, r.error(), AnnounceReport.of(r)));
      }
    });
    return f;
  }

  /** BEP 33: one scrape per family, the filters combined. */
  CompletableFuture<ScrapeReport> scrape(NodeId infoHash) {
    CompletableFuture<ScrapeReport> f = new CompletableFuture<>();
    Joined<ScrapeReport> joined = new Joined<>(f, ScrapeReport::merge);
    threads.post(() -> {
      for (int i = 0; i < nodes.size(); i++) {
        int family = i;
        nodes.get(i).scrape(infoHash, r -> joined.done(family, r.error(), ScrapeReport.of(r)));
      }
    });
    return f;
  }

  /** Each family announces on its own schedule; closing the handle stops all of them. */
  Dht.KeepAlive keepAnnouncing(
      NodeId infoHash, int port, boolean impliedPort, boolean seed, Consumer<AnnounceReport> onEach) {
    List<Dht.KeepAlive> all = new ArrayList<>();
    for (DhtNode n : nodes) {
      all.add(keepAnnouncing(n, infoHash, port, impliedPort, seed, onEach));
    }
    return () -> all.forEach(Dht.KeepAlive::close);
  }

  private Dht.KeepAlive keepAnnouncing(
      DhtNode node, NodeId infoHash, int port, boolean impliedPort, boolean seed, Consumer<AnnounceReport> onEach) {
    AtomicBoolean stopped = new AtomicBoolean();
    TimerQueue.Timer[] timer = new TimerQueue.Timer[1];
    Runnable[] round = new Runnable[1];
    round[0] =
        () -> {
          if (stopped.get() || node.isClosed()) {
            return;
          }
          node.announce(infoHash, port, impliedPort, seed, null, r -> {
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

  /**
   * Waits on the loop thread for one result per family: the future gets the merge of those that
   * succeeded, or the first error when every family failed.
   */
  private final class Joined<T> {
    private final CompletableFuture<T> future;
    private final BinaryOperator<T> merge;
    private final List<T> ok = new ArrayList<>(java.util.Collections.nCopies(nodes.size(), null));
    private String error;
    private int pending = nodes.size();

    Joined(CompletableFuture<T> future, BinaryOperator<T> merge) {
      this.future = future;
      this.merge = merge;
    }

    void done(int family, String err, T value) {
      if (err == null) {
        ok.set(family, value); // by family, so that the merge sees IPv4 first
      } else if (error == null) {
        error = err;
      }
      if (--pending > 0) {
        return;
      }
      List<T> succeeded = ok.stream().filter(java.util.Objects::nonNull).toList();
      if (succeeded.isEmpty()) {
        threads.complete(future, new DhtException(error), null);
      } else {
        threads.complete(future, null, succeeded.stream().reduce(merge).orElseThrow());
      }
    }
  }

  static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

}
