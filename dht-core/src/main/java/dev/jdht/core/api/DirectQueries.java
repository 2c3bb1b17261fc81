package dev.jdht.core.api;

import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.QueryCallback;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What a crawler needs beyond lookups: one query to one address (no lookup, no routing), and the
 * stream of get_peers / announce_peer queries that reach this node. Obtained from {@link
 * Dht#direct()}. Thread-safe; futures and listeners complete on the DHT's callback executor.
 */
public final class DirectQueries {
  /** Incoming-query notifications waiting for the callback executor; beyond this they are dropped. */
  static final int MAX_PENDING_NOTIFICATIONS = 10_000;

  private final java.util.List<DhtNode> nodes;
  private final Threads threads;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();

  /** {@code nodes}: one per family served; a query goes out through the node of its address's family. */
  DirectQueries(java.util.List<DhtNode> nodes, Threads threads) {
    this.nodes = java.util.List.copyOf(nodes);
    this.threads = threads;
  }

  /**
   * Sends one {@code method} query for {@code target} to {@code to}. The future always completes
   * normally, with the response, the error, a timeout (the node's query timeout) or NOT_SENT.
   */
  public CompletableFuture<HopReply> query(SingleHopMethod method, PeerAddress to, NodeId target) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(target, "target");
    CompletableFuture<HopReply> f = new CompletableFuture<>();
    QueryCallback cb =
        new QueryCallback() {
          @Override
          public void onResponse(Response r, long rttNanos) {
            complete(f, HopReply.of(r));
          }

          @Override
          public void onError(ErrorMessage e) {
            complete(f, HopReply.of(e));
          }

          @Override
          public void onTimeout() {
            complete(f, HopReply.TIMEOUT);
          }
        };
    try {
      threads.loop.execute(() -> {
        DhtNode node = nodes.stream().filter(n -> n.isIpv6() == to.isIpv6()).findFirst().orElse(null);
        if (node == null || !node.query(method, to, target, cb)) {
          complete(f, HopReply.NOT_SENT);
        }
      });
    } catch (RejectedExecutionException e) {
      f.complete(HopReply.NOT_SENT);
    }
    return f;
  }

  /**
   * Sets (null clears) the listener for incoming get_peers and announce_peer queries. It runs on
   * the callback executor; when it falls more than {@value #MAX_PENDING_NOTIFICATIONS} behind,
   * notifications are dropped and counted ({@link #droppedNotifications()}).
   */
  public void onInfohashQuery(Consumer<InfohashQuery> listener) {
    Consumer<InfohashQuery> onLoop =
        listener == null
            ? null
            : q -> {
              if (pending.incrementAndGet() > MAX_PENDING_NOTIFICATIONS) {
                pending.decrementAndGet();
                dropped.incrementAndGet();
                return;
              }
              threads.callback(() -> {
                pending.decrementAndGet();
                listener.accept(q);
              });
            };
    threads.post(() -> nodes.forEach(n -> n.onInfohashQuery(onLoop)));
  }

  /** Incoming-query notifications dropped because the listener fell behind. */
  public int droppedNotifications() {
    return dropped.get();
  }

  private void complete(CompletableFuture<HopReply> f, HopReply r) {
    threads.complete(f, null, r);
  }
}
