package dev.jdht.core.node;

import dev.jdht.core.api.LookupSummary;
import dev.jdht.core.lookup.AnnounceRound;
import dev.jdht.core.lookup.ClosestAdmission;
import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.core.lookup.Lookup;
import dev.jdht.core.lookup.LookupKind;
import dev.jdht.core.lookup.LookupListener;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.lookup.RttEstimator;
import dev.jdht.core.routing.AddressFilter;
import dev.jdht.core.routing.RoutingTable;
import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.core.secure.SecureIds;
import dev.jdht.core.time.Clock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The lookups of one node: starts them within the configured bound, drives each {@link Lookup}
 * (sends its queries, feeds it replies, failures and ticks), and runs announce rounds. Node thread
 * only.
 */
final class Lookups {
  private static final int K = RoutingTable.K;
  /** How long a query parked for a full in-flight table waits before it is tried again. */
  private static final long UNPARK_NANOS = 10_000_000L;

  private NodeId id;
  private final NodeConfig config;
  private final QueryMeta meta;
  private final Rpc rpc;
  private final RoutingTable routing;
  private final RttEstimator rtt;
  private final TimerQueue timers;
  private final Clock clock;
  private final Telemetry telemetry;
  private final boolean ipv6;
  private final Consumer<NodeInfo> otherFamily;
  private final Set<LookupRun> running = new LinkedHashSet<>();
  private boolean closed;

  Lookups(
      NodeId id,
      NodeConfig config,
      QueryMeta meta,
      Rpc rpc,
      RoutingTable routing,
      RttEstimator rtt,
      TimerQueue timers,
      Clock clock,
      Telemetry telemetry,
      boolean ipv6,
      Consumer<NodeInfo> otherFamily) {
    this.id = id;
    this.ipv6 = ipv6;
    this.otherFamily = otherFamily;
    this.config = config;
    this.meta = meta;
    this.rpc = rpc;
    this.routing = routing;
    this.rtt = rtt;
    this.timers = timers;
    this.clock = clock;
    this.telemetry = telemetry;
  }

  /** Lookups running. */
  int active() {
    return running.size();
  }

  /** The running lookups as a snapshot lists them, oldest first, at most {@code max}. */
  List<LookupSummary> running(int max) {
    long now = clock.nanos();
    List<LookupSummary> out = new ArrayList<>();
    for (LookupRun run : running) {
      if (out.size() == max) {
        break;
      }
      out.add(Telemetry.running(run.lookup, now));
    }
    return out;
  }

  /** True while fewer than half the lookup slots are taken (room for maintenance lookups). */
  boolean hasRoomForMaintenance() {
    return running.size() < config.maxLookups() / 2;
  }

  /** A lookup seeded from the routing table's closest nodes to {@code target}. */
  DhtNode.LookupHandle start(LookupKind kind, NodeId target, LookupObserver observer) {
    return start(kind, target, routing.closest(target, 3 * K), observer);
  }

  /** A lookup from explicit seeds; when the bound is reached, the observer gets an error at once. */
  DhtNode.LookupHandle start(LookupKind kind, NodeId target, Collection<NodeInfo> seeds, LookupObserver observer) {
    return start(kind, target, seeds, observer, null, meta);
  }

  /**
   * BEP 33: a get_peers lookup whose queries carry {@code scrape=1}; {@code done} gets the union
   * of the closest responders' filters.
   */
  DhtNode.LookupHandle scrape(NodeId infoHash, Consumer<ScrapeResult> done) {
    ScrapeCollector collector = new ScrapeCollector(infoHash, K, config.lookup().maxQueries());
    LookupObserver observer = new LookupObserver() {
      @Override
      public void onDone(LookupResult result, String error) {
        done.accept(collector.result(result, error));
      }
    };
    return start(LookupKind.GET_PEERS, infoHash, routing.closest(infoHash, 3 * K), observer, collector,
        meta.withArg("scrape", 1));
  }

  /** {@code queryMeta}: the extra arguments of the lookup's queries (e.g. {@code scrape=1}). */
  private DhtNode.LookupHandle start(LookupKind kind, NodeId target, Collection<NodeInfo> seeds,
      LookupObserver observer, ScrapeCollector scrape, QueryMeta queryMeta) {
    if (closed || running.size() >= config.maxLookups()) {
      if (observer != null) {
        Lookup lookup = new Lookup(kind, target, config.lookup(), rtt, new LookupListener() {});
        lookup.cancel(clock.nanos());
        observer.onDone(lookup.result(), closed ? "node closed" : "too many lookups (limit " + config.maxLookups() + ")");
      }
      return () -> {};
    }
    LookupRun run = new LookupRun(kind, target, observer, scrape, queryMeta);
    running.add(run);
    run.begin(seeds);
    return run;
  }

  /** Cancels every lookup; later starts fail at once. */
  void close() {
    closed = true;
    for (LookupRun run : new ArrayList<>(running)) {
      run.cancel("node closed");
    }
  }

  /** Drives one {@link Lookup}: sends its queries and feeds it replies, failures and ticks. */
  private final class LookupRun implements DhtNode.LookupHandle, LookupListener {
    private final Lookup lookup;
    private final LookupObserver observer;
    private final LookupKind kind;
    private final ScrapeCollector scrape;
    private final QueryMeta queryMeta;
    private final ArrayDeque<NodeInfo> toSend = new ArrayDeque<>();
    /** Queries waiting for room in the node's full in-flight table (bounded by the lookup's own). */
    private final ArrayDeque<NodeInfo> parked = new ArrayDeque<>();
    private TimerQueue.Timer tick;
    private TimerQueue.Timer unpark;
    private boolean finished;
    private boolean stepping;

    LookupRun(LookupKind kind, NodeId target, LookupObserver observer, ScrapeCollector scrape, QueryMeta queryMeta) {
      this.kind = kind;
      this.scrape = scrape;
      this.queryMeta = queryMeta;
      this.observer = observer;
      boolean allowLocal = config.routing().allowLoopbackAndPrivate();
      boolean enforce = config.secureIds() == SecureIdPolicy.ENFORCE;
      this.lookup =
          new Lookup(kind, target, config.lookup(), rtt, this, id,
              n -> n.address().isIpv6() == ipv6 && AddressFilter.isAcceptable(n.address(), allowLocal)
                  && (!enforce || SecureIds.matches(n.id(), n.address())));
      lookup.setAdmission(ClosestAdmission.of(config.secureIds()));
      if (config.lookup().fastFirstRound()) {
        lookup.setSeedRtt(routing::rttAt);
      }
    }

    void begin(Collection<NodeInfo> seeds) {
      step(lookup.start(seeds, clock.nanos()));
    }

    @Override
    public void onPeer(PeerAddress peer) {
      if (observer != null && !finished) {
        observer.onPeer(peer);
      }
    }

    @Override
    public void onNodeLearned(NodeInfo node) {
      routing.offer(node, clock.nanos());
    }

    /**
     * Sends the queries the lookup asked for. When the node's in-flight table is full a query
     * waits (retried every {@link #UNPARK_NANOS}) instead of failing: many concurrent lookups then
     * slow down rather than lose candidates; one that cannot be sent for another reason fails.
     */
    private void step(List<NodeInfo> next) {
      toSend.addAll(next);
      if (stepping) {
        return;
      }
      stepping = true;
      try {
        while (!toSend.isEmpty() && !finished) {
          NodeInfo n = toSend.poll();
          if (!parked.isEmpty() || rpc.isFull()) {
            park(n);
          } else if (!sendTo(n)) {
            toSend.addAll(lookup.onFailure(n, clock.nanos()));
          }
        }
      } finally {
        stepping = false;
      }
      after();
    }

    private void park(NodeInfo n) {
      parked.add(n);
      if (unpark == null) {
        unpark =
            timers.schedule(
                clock.nanos() + UNPARK_NANOS,
                () -> {
                  unpark = null;
                  if (!finished) {
                    List<NodeInfo> again = new ArrayList<>(parked);
                    parked.clear();
                    step(again);
                  }
                });
      }
    }

    private boolean sendTo(NodeInfo n) {
      QueryCallback p =
          new QueryCallback() {
            @Override
            public void onResponse(Response r, long rttNanos) {
              handOverOtherFamily(r);
              if (scrape != null && !finished) {
                scrape.onResponse(new NodeInfo(r.id(), n.address()), r);
              }
              if (!finished && observer != null) {
                observer.onResponse(n, r);
              }
              if (!finished) {
                step(lookup.onResponse(n, r, clock.nanos()));
              }
            }

            @Override
            public void onError(ErrorMessage e) {
              if (!finished) {
                step(lookup.onFailure(n, clock.nanos()));
              }
            }

            @Override
            public void onTimeout() {
              routing.onFailure(n, clock.nanos());
              if (!finished) {
                step(lookup.onFailure(n, clock.nanos()));
              }
            }
          };
      NodeId target = lookup.target();
      long timeout = config.lookup().hardTimeoutNanos();
      if (kind == LookupKind.GET) {
        return rpc.query(Query.GET, n.address(), t -> new Query.Get(t, id, target, null, meta), timeout, p);
      }
      if (kind == LookupKind.GET_PEERS) {
        return rpc.query(Query.GET_PEERS, n.address(), t -> new Query.GetPeers(t, id, target, queryMeta), timeout, p);
      }
      return rpc.query(Query.FIND_NODE, n.address(), t -> new Query.FindNode(t, id, target, meta), timeout, p);
    }

    /** BEP 32: nodes of the other family (asked for with want, or IPv4-mapped junk) leave this lookup. */
    private void handOverOtherFamily(Response r) {
      if (r.nodes6() != null || ipv6) {
        for (NodeInfo other : r.allNodes()) {
          boolean mapped = other.address().isIpv6() && other.address().isIpv4Mapped();
          if (other.address().isIpv6() != ipv6 || mapped) {
            otherFamily.accept(other);
          }
        }
      }
    }

    private void after() {
      if (finished) {
        return;
      }
      if (lookup.isDone()) {
        finish(null);
        return;
      }
      if (observer != null) {
        observer.onProgress(lookup.result());
      }
      long next = lookup.nextDeadline();
      if (tick != null && (tick.isCancelled() || tick.deadline() != next)) {
        tick.cancel();
        tick = null;
      }
      if (tick == null && next != Long.MAX_VALUE) {
        tick =
            timers.schedule(
                next,
                () -> {
                  tick = null;
                  if (!finished) {
                    step(lookup.onTick(clock.nanos()));
                  }
                });
      }
    }

    private void finish(String error) {
      finished = true;
      if (tick != null) {
        tick.cancel();
      }
      if (unpark != null) {
        unpark.cancel();
      }
      parked.clear();
      running.remove(this);
      telemetry.onLookupDone(lookup.result());
      if (observer != null) {
        observer.onDone(lookup.result(), error);
      }
    }

    void cancel(String why) {
      if (finished) {
        return;
      }
      lookup.cancel(clock.nanos());
      finish(why);
    }

    @Override
    public void cancel() {
      cancel(null);
    }
  }

  // ------------------------------------------------------------------------------------------
  // announce

  /** A get_peers lookup, then announce_peer to the K closest responders that gave a token. */
  DhtNode.LookupHandle announce(
      NodeId infoHash, int port, boolean impliedPort, Consumer<PeerAddress> onPeer, Consumer<AnnounceResult> done) {
    return announce(infoHash, port, impliedPort, false, onPeer, done);
  }

  /**
   * As above; {@code seed} adds BEP 33's {@code seed=1} (the peer has the whole torrent) to the
   * announces and {@code noseed=1} to the get_peers queries before them, so that the peers found
   * are the ones a seed can upload to.
   */
  DhtNode.LookupHandle announce(NodeId infoHash, int port, boolean impliedPort, boolean seed,
      Consumer<PeerAddress> onPeer, Consumer<AnnounceResult> done) {
    return start(
        LookupKind.GET_PEERS,
        infoHash,
        routing.closest(infoHash, 3 * K),
        new LookupObserver() {
          @Override
          public void onPeer(PeerAddress peer) {
            if (onPeer != null) {
              onPeer.accept(peer);
            }
          }

          @Override
          public void onDone(LookupResult result, String error) {
            if (error != null || result.cancelled()) {
              done.accept(new AnnounceResult(result, List.of(), List.of(), 0, error != null ? error : "cancelled"));
              return;
            }
            announceRound(infoHash, port, impliedPort, seed, result, done);
          }
        },
        null,
        seed ? meta.withArg("noseed", 1) : meta);
  }

  private void announceRound(
      NodeId infoHash, int port, boolean impliedPort, boolean seed, LookupResult result, Consumer<AnnounceResult> done) {
    QueryMeta announceMeta = seed ? meta.withArg("seed", 1) : meta;
    AnnounceRound round = new AnnounceRound(result.closest(), K);
    List<NodeInfo> targets = new ArrayList<>();
    for (ClosestNode c : round.targets()) {
      targets.add(c.node());
    }
    if (targets.isEmpty()) {
      done.accept(new AnnounceResult(result, targets, List.of(), 0, null));
      return;
    }
    TokenRound.run(
        round,
        (c, cb) -> rpc.query(
            Query.ANNOUNCE_PEER,
            c.node().address(),
            t -> new Query.AnnouncePeer(t, id, infoHash, port, impliedPort, c.token(), announceMeta),
            config.queryTimeoutNanos(),
            cb),
        TokenRound.Failures.NONE,
        () -> done.accept(new AnnounceResult(result, targets, round.ackedNodes(), round.failed(), null)));
  }

  /** BEP 42: our id changed (regenerated from our external IP); later messages carry {@code newId}. */
  void setId(NodeId newId) {
    this.id = newId;
  }
}
