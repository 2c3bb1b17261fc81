package dev.jdht.core.node;

import dev.jdht.core.api.DhtStats;
import dev.jdht.core.io.Transport;
import dev.jdht.core.lookup.AnnounceRound;
import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.core.lookup.Lookup;
import dev.jdht.core.lookup.LookupKind;
import dev.jdht.core.lookup.LookupListener;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.lookup.RttEstimator;
import dev.jdht.core.routing.AddressFilter;
import dev.jdht.core.routing.NodeEntry;
import dev.jdht.core.routing.NodeState;
import dev.jdht.core.routing.RoutingTable;
import dev.jdht.core.rpc.TokenIssuer;
import dev.jdht.core.rpc.Transaction;
import dev.jdht.core.rpc.TransactionTable;
import dev.jdht.core.server.PeerStore;
import dev.jdht.core.server.RateLimiter;
import dev.jdht.core.time.Clock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.BencodeWriter;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.codec.KrpcDecoder;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logic of one DHT node: server side, transactions, routing table maintenance, bootstrap and
 * lookups. It never touches a socket or the system clock: datagrams arrive through {@link
 * #onDatagram}, leave through a {@link Transport}, and time comes from a {@link Clock} with timers
 * in a {@link TimerQueue}. The same code runs on the UDP event loop and in the simulated network.
 *
 * <p>Threading: NOT thread-safe. Every method must be called on the one thread that owns the node
 * (the event loop thread, or the simulator), and every callback is invoked on that thread.
 */
public final class DhtNode {
  private static final Logger log = LoggerFactory.getLogger(DhtNode.class);
  private static final int K = RoutingTable.K;
  private static final int MAX_BOOTSTRAP_CONTACTS = 64;
  private static final int MAX_SAMPLES = 20;
  private static final long SAMPLE_INTERVAL_SECONDS = 6 * 3600;

  /** Owner of one in-flight query. */
  private interface Pending {
    void onResponse(Response r, long rttNanos);

    void onError(ErrorMessage e);

    void onTimeout();
  }

  private final NodeId id;
  private final NodeConfig config;
  private final Transport transport;
  private final TimerQueue timers;
  private final Clock clock;
  private final Random random;
  private final RoutingTable routing;
  private final TransactionTable<Pending> transactions;
  private final TokenIssuer tokens;
  private final PeerStore peers;
  private final RateLimiter limiter;
  private final RttEstimator rtt = new RttEstimator(256);
  private final Set<LookupRun> lookups = new LinkedHashSet<>();
  private final Counters counters = new Counters();
  private final BencodeWriter writer = new BencodeWriter(2048);
  private final KrpcDecoder decoder = new KrpcDecoder();
  private final QueryMeta meta;
  private TimerQueue.Timer expiryTimer;
  private TimerQueue.Timer maintenanceTimer;
  private boolean started;
  private boolean closed;
  private boolean bootstrapDone;
  private final List<Consumer<String>> readyWaiters = new ArrayList<>();
  private boolean ready;
  private List<NodeId> sampleCache;
  private long sampleCachedAt;
  private static final long SAMPLE_CACHE_NANOS = TimeUnit.SECONDS.toNanos(60);

  public DhtNode(
      NodeId id, NodeConfig config, Transport transport, TimerQueue timers, Clock clock, Random random) {
    this.id = id;
    this.config = config;
    this.transport = transport;
    this.timers = timers;
    this.clock = clock;
    this.random = random;
    long now = clock.nanos();
    this.routing = new RoutingTable(id, config.routing(), random);
    this.transactions = new TransactionTable<>(config.maxInFlight(), random);
    this.tokens = new TokenIssuer(random, config.tokenRotateNanos(), now);
    this.peers =
        new PeerStore(
            config.maxPeersPerInfoHash(), config.maxInfoHashes(), config.maxStoredPeers(), config.peerTtlNanos());
    this.limiter =
        new RateLimiter(
            config.perIpRate(), config.perIpBurst(), config.globalRate(), config.globalBurst(), 65_536);
    this.meta = QueryMeta.of(config.version(), false);
  }

  /** This node's id. */
  public NodeId id() {
    return id;
  }

  /** The configuration this node was built with. */
  public NodeConfig config() {
    return config;
  }

  /** The routing table (read it only on the node's thread). */
  public RoutingTable routingTable() {
    return routing;
  }

  /** The peer store (read it only on the node's thread). */
  public PeerStore peerStore() {
    return peers;
  }

  // ------------------------------------------------------------------------------------------
  // lifecycle

  /**
   * Starts maintenance, then bootstraps: a find_node for our own id to every bootstrap address and
   * saved node, a lookup of our own id from what they return, then refreshes of the far buckets.
   */
  public void start(Collection<NodeInfo> savedNodes, Collection<PeerAddress> bootstrap) {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    scheduleMaintenance();
    bootstrap(savedNodes, bootstrap);
  }

  /** Runs (again) the bootstrap sequence from the given contacts. */
  public void bootstrap(Collection<NodeInfo> savedNodes, Collection<PeerAddress> addresses) {
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
      Pending p =
          new Pending() {
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
      if (!sendQuery(Query.FIND_NODE, a, t -> new Query.FindNode(t, id, id, meta), config.queryTimeoutNanos(), p)) {
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
    startLookup(LookupKind.FIND_NODE, id, seeds, new LookupObserver() {
      @Override
      public void onDone(LookupResult result, String error) {
        bootstrapDone = true;
        refreshFarBuckets();
        checkReady();
      }
    });
  }

  private void refreshFarBuckets() {
    int buckets = Math.min(routing.bucketCount(), 10);
    for (int i = 0; i < buckets && lookups.size() < config.maxLookups() / 2; i++) {
      NodeId target = id.flipBit(i).withRandomSuffix(i + 1, random);
      startLookup(LookupKind.FIND_NODE, target, routing.closest(target, 3 * K), null);
    }
  }

  /**
   * Calls {@code callback} once, with null when the routing table holds enough good nodes (or
   * bootstrap finished with at least one), or with an error message after {@code timeoutNanos}.
   */
  public void whenReady(long timeoutNanos, Consumer<String> callback) {
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

  /** True once the ready condition has been met. */
  public boolean isReady() {
    return ready;
  }

  private void checkReady() {
    if (ready || !started) {
      return;
    }
    int good = routing.goodCount(clock.nanos());
    if (good >= config.readyMinGoodNodes() || (bootstrapDone && good > 0)) {
      ready = true;
      List<Consumer<String>> w = new ArrayList<>(readyWaiters);
      readyWaiters.clear();
      for (Consumer<String> c : w) {
        c.accept(null);
      }
    }
  }

  /** Cancels every lookup and timer; the node then ignores input. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (LookupRun run : new ArrayList<>(lookups)) {
      run.cancel("node closed");
    }
    if (maintenanceTimer != null) {
      maintenanceTimer.cancel();
    }
    if (expiryTimer != null) {
      expiryTimer.cancel();
    }
    for (Consumer<String> c : new ArrayList<>(readyWaiters)) {
      c.accept("node closed");
    }
    readyWaiters.clear();
  }

  /** True once {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  private void scheduleMaintenance() {
    maintenanceTimer =
        timers.schedule(clock.nanos() + config.maintenanceIntervalNanos(), this::maintenance);
  }

  private void maintenance() {
    if (closed) {
      return;
    }
    long now = clock.nanos();
    try {
      RoutingTable.Maintenance m = routing.maintenance(now);
      for (NodeInfo n : m.toPing()) {
        ping(n.address(), n, null);
      }
      for (NodeId target : m.refreshTargets()) {
        if (lookups.size() < config.maxLookups() / 2) {
          startLookup(LookupKind.FIND_NODE, target, routing.closest(target, 3 * K), null);
        }
      }
      peers.expire(now);
      checkReady();
    } catch (RuntimeException e) {
      counters.handlerFailures++;
      log.debug("maintenance failed", e);
    }
    scheduleMaintenance();
  }

  // ------------------------------------------------------------------------------------------
  // incoming

  /**
   * Handles one datagram. The bytes are copied before decoding, so the caller may reuse its buffer
   * when this returns. Never throws: problems are counted.
   */
  public void onDatagram(PeerAddress from, byte[] buf, int off, int len) {
    if (closed) {
      return;
    }
    counters.datagramsIn++;
    counters.bytesIn += len;
    try {
      if (len < 2 || buf[off] != 'd' || buf[off + len - 1] != 'e' || from.port() == 0) {
        counters.droppedMalformed++;
        return;
      }
      long now = clock.nanos();
      if (!limiter.tryAcquire(from, now)) {
        counters.droppedRateLimited++;
        return;
      }
      byte[] copy = Arrays.copyOfRange(buf, off, off + len);
      KrpcMessage msg;
      try {
        msg = decoder.decode(copy, 0, len);
      } catch (DecodeException e) {
        counters.droppedMalformed++;
        if (e.messageType() == 'q' && e.transactionId() != null) {
          sendError(from, TransactionId.of(e.transactionId()), ErrorMessage.PROTOCOL, e.reason());
        }
        if (log.isDebugEnabled()) {
          log.debug("malformed datagram from {}: {}", from, e.getMessage());
        }
        return;
      }
      if (msg instanceof Query q) {
        handleQuery(q, from, now);
      } else if (msg instanceof Response r) {
        handleReply(r.transactionId(), from, r, null, now);
      } else if (msg instanceof ErrorMessage e) {
        handleReply(e.transactionId(), from, null, e, now);
      }
    } catch (RuntimeException e) {
      counters.handlerFailures++;
      log.debug("failed to handle a datagram from {}", from, e);
    }
  }

  private void handleReply(TransactionId t, PeerAddress from, Response r, ErrorMessage e, long now) {
    Transaction<Pending> tx = transactions.complete(t, from);
    if (tx == null) {
      counters.droppedUnknownTransaction++;
      return;
    }
    long rttNanos = tx.rttNanos(now);
    if (r != null) {
      counters.responsesIn++;
      if (!r.id().equals(id)) {
        routing.onResponse(new NodeInfo(r.id(), from), now, rttNanos);
      }
      tx.owner().onResponse(r, rttNanos);
      if (!ready) {
        checkReady();
      }
    } else {
      counters.errorsIn++;
      tx.owner().onError(e);
    }
  }

  private void handleQuery(Query q, PeerAddress from, long now) {
    String method = q instanceof Query.Unknown ? "other" : q.method();
    Counters.inc(counters.queriesIn, method);
    if (q.id() != null && !q.readOnly() && !q.id().equals(id)) {
      routing.onQuery(new NodeInfo(q.id(), from), now);
    }
    TransactionId t = q.transactionId();
    if (q instanceof Query.Ping) {
      reply(from, base(t, from));
    } else if (q instanceof Query.FindNode fn) {
      reply(from, base(t, from).nodes(routing.closest(fn.target(), K)));
    } else if (q instanceof Query.GetPeers gp) {
      Response.Builder b = base(t, from).token(tokens.issue(from.ipBytes(), now));
      List<PeerAddress> found = peers.get(gp.infoHash(), 2 * config.maxReplyBytes() / 8, random, now);
      if (found.isEmpty()) {
        b.nodes(routing.closest(gp.infoHash(), K));
        reply(from, b);
      } else {
        replyWithValues(from, b, found);
      }
    } else if (q instanceof Query.AnnouncePeer ap) {
      if (!tokens.validate(ap.token(), from.ipBytes(), now)) {
        sendError(from, t, ErrorMessage.PROTOCOL, "bad token");
        return;
      }
      int port = ap.impliedPort() ? from.port() : ap.port();
      if (port <= 0) {
        sendError(from, t, ErrorMessage.PROTOCOL, "bad port");
        return;
      }
      BValue seed = ap.meta().argExtras().get("seed");
      boolean isSeed = seed instanceof BValue.BInteger i && i.value() != 0;
      peers.announce(ap.infoHash(), from.withPort(port), isSeed, now);
      reply(from, base(t, from));
    } else if (q instanceof Query.SampleInfohashes si) {
      if (sampleCache == null || now - sampleCachedAt > SAMPLE_CACHE_NANOS) {
        sampleCache = peers.infoHashes(MAX_SAMPLES, random);
        sampleCachedAt = now;
      }
      List<NodeId> sample = sampleCache;
      byte[] s = new byte[sample.size() * NodeId.LENGTH];
      for (int i = 0; i < sample.size(); i++) {
        sample.get(i).writeTo(s, i * NodeId.LENGTH);
      }
      reply(
          from,
          base(t, from)
              .samples(s)
              .interval(SAMPLE_INTERVAL_SECONDS)
              .num((long) peers.infoHashCount())
              .nodes(routing.closest(si.target(), K)));
    } else {
      sendError(from, t, ErrorMessage.METHOD_UNKNOWN, "Method Unknown");
    }
  }

  private Response.Builder base(TransactionId t, PeerAddress requester) {
    return Response.builder(t, id).version(config.version()).externalIp(requester);
  }

  /** Adds as many peers as fit under maxReplyBytes. */
  private void replyWithValues(PeerAddress to, Response.Builder b, List<PeerAddress> found) {
    b.values(List.of());
    writer.reset();
    KrpcCodec.encode(b.build(), writer);
    int budget = config.maxReplyBytes() - writer.size();
    List<PeerAddress> chosen = new ArrayList<>();
    for (PeerAddress p : found) {
      int cost = p.compactLength() + (p.isIpv6() ? 3 : 2);
      if (budget < cost) {
        break;
      }
      budget -= cost;
      chosen.add(p);
    }
    reply(to, b.values(chosen));
  }

  private void reply(PeerAddress to, Response.Builder b) {
    writer.reset();
    KrpcCodec.encode(b.build(), writer);
    send(to);
  }

  private void sendError(PeerAddress to, TransactionId t, int code, String message) {
    counters.errorsOut++;
    writer.reset();
    KrpcCodec.encode(new ErrorMessage(t, code, message, config.version()), writer);
    send(to);
  }

  private void send(PeerAddress to) {
    int n = writer.size();
    if (transport.send(to, writer.buffer(), 0, n)) {
      counters.datagramsOut++;
      counters.bytesOut += n;
    } else {
      counters.sendFailures++;
    }
  }

  // ------------------------------------------------------------------------------------------
  // outgoing queries

  /** Builds a query once the transaction id is known. */
  private interface QueryFactory {
    Query build(TransactionId t);
  }

  /**
   * Registers a transaction and sends the query; false if the in-flight table is full. Without an
   * answer by the adaptive soft timeout (p90 of recent RTTs, clamped), the identical datagram
   * (same transaction id) goes out once more, if the timeout leaves room for a second round trip:
   * one lost datagram then no longer drops a node from a whole lookup or announce.
   */
  private boolean sendQuery(String method, PeerAddress to, QueryFactory f, long timeoutNanos, Pending owner) {
    if (closed) {
      return false;
    }
    long now = clock.nanos();
    Transaction<Pending> tx = transactions.register(method, to, now, now + timeoutNanos, owner);
    if (tx == null) {
      return false;
    }
    Counters.inc(counters.queriesOut, method);
    writer.reset();
    KrpcCodec.encode(f.build(tx.id()), writer);
    send(to);
    armExpiry(tx.deadline());
    long resendDelay = config.lookup().softTimeoutNanos(rtt);
    if (resendDelay <= timeoutNanos / 2) {
      byte[] datagram = Arrays.copyOf(writer.buffer(), writer.size());
      timers.schedule(now + resendDelay, () -> resend(tx, datagram));
    }
    return true;
  }

  private void resend(Transaction<Pending> tx, byte[] datagram) {
    if (closed || transactions.peek(tx.id()) != tx) {
      return; // answered, expired or closed meanwhile
    }
    if (transport.send(tx.destination(), datagram, 0, datagram.length)) {
      counters.datagramsOut++;
      counters.bytesOut += datagram.length;
    } else {
      counters.sendFailures++;
    }
  }

  private void armExpiry(long deadline) {
    if (expiryTimer != null && !expiryTimer.isCancelled() && expiryTimer.deadline() <= deadline) {
      return;
    }
    if (expiryTimer != null) {
      expiryTimer.cancel();
    }
    expiryTimer = timers.schedule(deadline, this::expireTransactions);
  }

  private void expireTransactions() {
    expiryTimer = null;
    long now = clock.nanos();
    for (Transaction<Pending> tx : transactions.expire(now)) {
      counters.timeouts++;
      try {
        tx.owner().onTimeout();
      } catch (RuntimeException e) {
        counters.handlerFailures++;
        log.debug("timeout handler failed", e);
      }
    }
    long next = transactions.nextDeadline();
    if (next != Long.MAX_VALUE && !closed) {
      armExpiry(next);
    }
  }

  /**
   * Pings an address. {@code known} (may be null) is the routing entry being checked: a timeout
   * counts as its failure. {@code callback} (may be null) gets the result.
   */
  public void ping(PeerAddress to, NodeInfo known, Consumer<PingResult> callback) {
    Pending p =
        new Pending() {
          @Override
          public void onResponse(Response r, long rttNanos) {
            if (callback != null) {
              callback.accept(new PingResult(to, r.id(), rttNanos, r.version(), null));
            }
          }

          @Override
          public void onError(ErrorMessage e) {
            if (callback != null) {
              callback.accept(new PingResult(to, null, -1, e.version(), "error " + e.code() + ": " + e.message()));
            }
          }

          @Override
          public void onTimeout() {
            if (known != null) {
              routing.onFailure(known, clock.nanos());
            }
            if (callback != null) {
              callback.accept(new PingResult(to, null, -1, null, "timeout"));
            }
          }
        };
    if (!sendQuery(Query.PING, to, t -> new Query.Ping(t, id, meta), config.queryTimeoutNanos(), p)
        && callback != null) {
      callback.accept(new PingResult(to, null, -1, null, closed ? "node closed" : "too many queries in flight"));
    }
  }

  // ------------------------------------------------------------------------------------------
  // lookups

  /** A running lookup. */
  public interface LookupHandle {
    /** Stops the lookup; its observer gets onDone with a cancelled result. Idempotent. */
    void cancel();
  }

  /** Starts a get_peers lookup for {@code infoHash}. */
  public LookupHandle getPeers(NodeId infoHash, LookupObserver observer) {
    return startLookup(LookupKind.GET_PEERS, infoHash, routing.closest(infoHash, 3 * K), observer);
  }

  /** Starts a find_node lookup for {@code target}. */
  public LookupHandle findNode(NodeId target, LookupObserver observer) {
    return startLookup(LookupKind.FIND_NODE, target, routing.closest(target, 3 * K), observer);
  }

  /** Number of lookups running. */
  public int activeLookups() {
    return lookups.size();
  }

  private LookupHandle startLookup(
      LookupKind kind, NodeId target, Collection<NodeInfo> seeds, LookupObserver observer) {
    if (closed || lookups.size() >= config.maxLookups()) {
      if (observer != null) {
        Lookup lookup = new Lookup(kind, target, config.lookup(), rtt, new LookupListener() {});
        lookup.cancel(clock.nanos());
        observer.onDone(lookup.result(), closed ? "node closed" : "too many lookups (limit " + config.maxLookups() + ")");
      }
      return () -> {};
    }
    LookupRun run = new LookupRun(kind, target, observer);
    lookups.add(run);
    run.begin(seeds);
    return run;
  }

  /** Drives one {@link Lookup}: sends its queries and feeds it replies, failures and ticks. */
  private final class LookupRun implements LookupHandle, LookupListener {
    private final Lookup lookup;
    private final LookupObserver observer;
    private final LookupKind kind;
    private final ArrayDeque<NodeInfo> toSend = new ArrayDeque<>();
    private TimerQueue.Timer tick;
    private boolean finished;
    private boolean stepping;

    LookupRun(LookupKind kind, NodeId target, LookupObserver observer) {
      this.kind = kind;
      this.observer = observer;
      boolean allowLocal = config.routing().allowLoopbackAndPrivate();
      this.lookup =
          new Lookup(kind, target, config.lookup(), rtt, this, id,
              n -> AddressFilter.isAcceptable(n.address(), allowLocal));
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

    /** Sends the queries the lookup asked for; a query that cannot be sent fails at once. */
    private void step(List<NodeInfo> next) {
      toSend.addAll(next);
      if (stepping) {
        return;
      }
      stepping = true;
      try {
        while (!toSend.isEmpty() && !finished) {
          NodeInfo n = toSend.poll();
          if (!sendTo(n)) {
            toSend.addAll(lookup.onFailure(n, clock.nanos()));
          }
        }
      } finally {
        stepping = false;
      }
      after();
    }

    private boolean sendTo(NodeInfo n) {
      Pending p =
          new Pending() {
            @Override
            public void onResponse(Response r, long rttNanos) {
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
      if (kind == LookupKind.GET_PEERS) {
        return sendQuery(Query.GET_PEERS, n.address(), t -> new Query.GetPeers(t, id, target, meta), timeout, p);
      }
      return sendQuery(Query.FIND_NODE, n.address(), t -> new Query.FindNode(t, id, target, meta), timeout, p);
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
      lookups.remove(this);
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

  /**
   * Announces that a peer listens on {@code port} for {@code infoHash} (or on our UDP source port
   * when {@code impliedPort}): a get_peers lookup, then announce_peer to the K closest responders
   * that gave a token. {@code onPeer} (may be null) also receives the peers found on the way.
   */
  public LookupHandle announce(
      NodeId infoHash, int port, boolean impliedPort, Consumer<PeerAddress> onPeer, Consumer<AnnounceResult> done) {
    return getPeers(
        infoHash,
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
            announceRound(infoHash, port, impliedPort, result, done);
          }
        });
  }

  private void announceRound(
      NodeId infoHash, int port, boolean impliedPort, LookupResult result, Consumer<AnnounceResult> done) {
    AnnounceRound round = new AnnounceRound(result.closest(), K);
    List<NodeInfo> targets = new ArrayList<>();
    for (ClosestNode c : round.targets()) {
      targets.add(c.node());
    }
    if (targets.isEmpty()) {
      done.accept(new AnnounceResult(result, targets, List.of(), 0, null));
      return;
    }
    boolean[] reported = {false};
    Runnable maybeDone =
        () -> {
          if (round.isDone() && !reported[0]) {
            reported[0] = true;
            done.accept(new AnnounceResult(result, targets, round.ackedNodes(), round.failed(), null));
          }
        };
    for (ClosestNode c : round.targets()) {
      NodeInfo n = c.node();
      Pending p =
          new Pending() {
            @Override
            public void onResponse(Response r, long rttNanos) {
              round.onAck(n);
              maybeDone.run();
            }

            @Override
            public void onError(ErrorMessage e) {
              round.onFailure(n);
              maybeDone.run();
            }

            @Override
            public void onTimeout() {
              round.onFailure(n);
              maybeDone.run();
            }
          };
      byte[] token = c.token();
      if (!sendQuery(
          Query.ANNOUNCE_PEER,
          n.address(),
          t -> new Query.AnnouncePeer(t, id, infoHash, port, impliedPort, token, meta),
          config.queryTimeoutNanos(),
          p)) {
        round.onFailure(n);
      }
    }
    maybeDone.run();
  }

  // ------------------------------------------------------------------------------------------
  // timers for the API layer

  /** Schedules a task on this node's timer queue, {@code delayNanos} from now. */
  public TimerQueue.Timer schedule(long delayNanos, Runnable task) {
    return timers.schedule(clock.nanos() + delayNanos, task);
  }

  /** The node's source of randomness (for jitter in the API layer; node thread only). */
  public Random random() {
    return random;
  }

  // ------------------------------------------------------------------------------------------
  // stats and state

  /** An immutable snapshot of the counters. */
  public DhtStats stats() {
    long now = clock.nanos();
    return new DhtStats(
        counters.datagramsIn,
        counters.bytesIn,
        counters.datagramsOut,
        counters.bytesOut,
        counters.sendFailures,
        counters.queriesIn,
        counters.queriesOut,
        counters.responsesIn,
        counters.errorsIn,
        counters.errorsOut,
        counters.timeouts,
        counters.droppedMalformed,
        counters.droppedUnknownTransaction,
        counters.droppedRateLimited,
        counters.handlerFailures,
        routing.size(),
        routing.goodCount(now),
        transactions.size(),
        lookups.size(),
        peers.peerCount(),
        peers.infoHashCount());
  }

  /** Nodes worth saving: every entry that is not bad, good ones first. */
  public List<NodeInfo> nodesToSave(int max) {
    long now = clock.nanos();
    List<NodeInfo> good = new ArrayList<>();
    List<NodeInfo> rest = new ArrayList<>();
    for (NodeEntry e : routing.entries()) {
      NodeState s = e.state(now);
      if (s == NodeState.GOOD) {
        good.add(e.node());
      } else if (s == NodeState.QUESTIONABLE) {
        rest.add(e.node());
      }
    }
    good.addAll(rest);
    return good.size() > max ? new ArrayList<>(good.subList(0, max)) : good;
  }

  /** Ids of every node in the routing table (for tests). */
  public Set<NodeId> routingIds() {
    Set<NodeId> s = new HashSet<>();
    for (NodeEntry e : routing.entries()) {
      s.add(e.node().id());
    }
    return s;
  }
}
