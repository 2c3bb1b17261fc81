package dev.jdht.core.node;

import dev.jdht.core.lookup.LookupKind;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.routing.RoutingTable;
import dev.jdht.core.time.Clock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Joining the DHT and the {@code ready} signal: a find_node for our own id to every contact, a
 * lookup of our own id from what they return, refreshes of the far buckets, then ready once the
 * routing table holds enough good nodes (or bootstrap finished with at least one). Node thread only.
 */
final class Bootstrap {
  private static final int K = RoutingTable.K;
  private static final int MAX_BOOTSTRAP_CONTACTS = 64;

  private NodeId id;
  private final NodeConfig config;
  private final QueryMeta meta;
  private final Rpc rpc;
  private final Lookups lookups;
  private final RoutingTable routing;
  private final TimerQueue timers;
  private final Clock clock;
  private final Random random;
  private final List<Consumer<String>> readyWaiters = new ArrayList<>();
  private boolean started;
  private boolean done;
  private boolean ready;
  private boolean closed;

  Bootstrap(
      NodeId id,
      NodeConfig config,
      QueryMeta meta,
      Rpc rpc,
      Lookups lookups,
      RoutingTable routing,
      TimerQueue timers,
      Clock clock,
      Random random) {
    this.id = id;
    this.config = config;
    this.meta = meta;
    this.rpc = rpc;
    this.lookups = lookups;
    this.routing = routing;
    this.timers = timers;
    this.clock = clock;
    this.random = random;
  }

  /** Marks the node started: from now on the ready condition is checked. */
  void markStarted() {
    started = true;
  }

  /** Runs (again) the bootstrap sequence from the given contacts. */
  void run(Collection<NodeInfo> savedNodes, Collection<PeerAddress> addresses) {
    Set<PeerAddress> contacts = new LinkedHashSet<>();
    for (NodeInfo n : savedNodes) {
      if (contacts.size() < MAX_BOOTSTRAP_CONTACTS) {
        contacts.add(n.address());
      }
    }
    contacts.addAll(addresses); // every configured address; saved nodes are capped above
    List<NodeInfo> learned = new ArrayList<>(savedNodes);
    int[] outstanding = {0};
    Runnable next =
        () -> {
          if (--outstanding[0] == 0) {
            selfLookup(learned);
          }
        };
    for (PeerAddress a : contacts) {
      QueryCallback p =
          new QueryCallback() {
            @Override
            public void onResponse(Response r, long rttNanos) {
              for (NodeInfo n : r.allNodes()) {
                if (learned.size() < 4 * MAX_BOOTSTRAP_CONTACTS) {
                  learned.add(n);
                }
                routing.offer(n, clock.nanos());
              }
              learned.add(new NodeInfo(r.id(), a));
              next.run();
            }

            @Override
            public void onError(ErrorMessage e) {
              next.run();
            }

            @Override
            public void onTimeout() {
              next.run();
            }
          };
      outstanding[0]++;
      if (!rpc.query(Query.FIND_NODE, a, t -> new Query.FindNode(t, id, id, meta), config.queryTimeoutNanos(), p)) {
        outstanding[0]--;
      }
    }
    if (outstanding[0] == 0) {
      selfLookup(learned);
    }
  }

  private void selfLookup(List<NodeInfo> learned) {
    if (closed) {
      return;
    }
    Set<NodeInfo> seeds = new LinkedHashSet<>(routing.closest(id, 3 * K));
    seeds.addAll(learned);
    lookups.start(LookupKind.FIND_NODE, id, seeds, new LookupObserver() {
      @Override
      public void onDone(LookupResult result, String error) {
        done = true;
        refreshFarBuckets();
        checkReady();
      }
    });
  }

  private void refreshFarBuckets() {
    int buckets = Math.min(routing.bucketCount(), 10);
    for (int i = 0; i < buckets && lookups.hasRoomForMaintenance(); i++) {
      NodeId target = id.flipBit(i).withRandomSuffix(i + 1, random);
      lookups.start(LookupKind.FIND_NODE, target, null);
    }
  }

  /**
   * Calls {@code callback} once, with null when the node is ready, or with an error message after
   * {@code timeoutNanos}.
   */
  void whenReady(long timeoutNanos, Consumer<String> callback) {
    if (ready) {
      callback.accept(null);
      return;
    }
    readyWaiters.add(callback);
    timers.schedule(
        clock.nanos() + timeoutNanos,
        () -> {
          if (readyWaiters.remove(callback)) {
            callback.accept(
                "no DHT node answered within "
                    + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos)
                    + " s ("
                    + routing.size()
                    + " nodes known, "
                    + routing.goodCount(clock.nanos())
                    + " good)");
          }
        });
    checkReady();
  }

  boolean isReady() {
    return ready;
  }

  /** Checks the ready condition and releases the waiters when it is met. */
  void checkReady() {
    if (ready || !started) {
      return;
    }
    int good = routing.goodCount(clock.nanos());
    if (good >= config.readyMinGoodNodes() || (done && good > 0)) {
      ready = true;
      List<Consumer<String>> w = new ArrayList<>(readyWaiters);
      readyWaiters.clear();
      for (Consumer<String> c : w) {
        c.accept(null);
      }
    }
  }

  /** Fails every waiter with "node closed". */
  void close() {
    closed = true;
    for (Consumer<String> c : new ArrayList<>(readyWaiters)) {
      c.accept("node closed");
    }
    readyWaiters.clear();
  }

  /** BEP 42: our id changed (regenerated from our external IP); later messages carry {@code newId}. */
  void setId(NodeId newId) {
    this.id = newId;
  }
}
