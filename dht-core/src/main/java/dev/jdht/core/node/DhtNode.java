package dev.jdht.core.node;

import dev.jdht.core.api.DhtSnapshot;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.io.Transport;
import dev.jdht.core.bep44.Item;
import dev.jdht.core.bep44.ItemServer;
import dev.jdht.core.bep44.ItemStore;
import dev.jdht.core.lookup.LookupKind;
import dev.jdht.core.lookup.RttEstimator;
import dev.jdht.core.routing.NodeEntry;
import dev.jdht.core.routing.NodeState;
import dev.jdht.core.routing.RoutingTable;
import dev.jdht.core.rpc.TokenIssuer;
import dev.jdht.core.secure.ExternalIpVoter;
import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.core.secure.SecureIds;
import dev.jdht.core.rpc.Transaction;
import dev.jdht.core.rpc.TransactionTable;
import dev.jdht.core.server.PeerStore;
import dev.jdht.core.server.QueryHandler;
import dev.jdht.core.server.DosBlocker;
import dev.jdht.core.server.RateLimiter;
import dev.jdht.core.time.Clock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.codec.DecodeException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DHT node: it wires the concerns together and owns the incoming path. The parts, each a
 * plain object on the node's thread: {@link Rpc} (outgoing queries, transactions, resends,
 * expiry), {@link QueryHandler} (the server side), {@link Lookups} (lookups and announces),
 * {@link Bootstrap} (joining and {@code ready}), the {@link RoutingTable}, {@link TokenIssuer},
 * {@link PeerStore} and {@link RateLimiter}. It never touches a socket or the system clock:
 * datagrams arrive through {@link #onDatagram}, leave through a {@link Transport}, and time comes
 * from a {@link Clock} with timers in a {@link TimerQueue}. The same code runs on the UDP event loop
 * and in the simulated network.
 *
 * <p>Threading: NOT thread-safe. Every method must be called on the one thread that owns the node
 * (the event loop thread, or the simulator), and every callback is invoked on that thread.
 */
public final class DhtNode {
  private static final Logger log = LoggerFactory.getLogger(DhtNode.class);

  /** Written on the node thread only (BEP 42 regeneration); volatile for {@link #id()} readers. */
  private volatile NodeId id;
  private final NodeConfig config;
  private final TimerQueue timers;
  private final Clock clock;
  private final Random random;
  private final RoutingTable routing;
  private final PeerStore peers;
  private final RateLimiter limiter;
  /**
   * A separate budget (same rates) for datagrams that are not queries: answers to our own queries
   * must not starve when a flood of queries exhausts {@link #limiter}, or the node's own lookups
   * would fail under load. Answers are further bounded by our in-flight table.
   */
  private final RateLimiter replyLimiter;
  /**
   * A quarter of the global query budget, reserved for verified routing-table nodes
   * ({@link RoutingTable#isVerifiedAt}) within their per-IP budget when the global budget is
   * spent: a flood from unknown sources then sheds the flood and not the DHT's own traffic. The
   * node answers at most 1.25 times its global budget in all.
   */
  private final RateLimiter.Reserve knownReserve;
  /** Sources over their budget for a while are ignored (null: off); see {@link SecurityConfig}. */
  private final DosBlocker dosBlocker;
  private final RttEstimator rtt = new RttEstimator(256);
  private final Counters counters = new Counters();
  private final Telemetry telemetry = new Telemetry();
  private final KrpcDecoder decoder = new KrpcDecoder();
  private final QueryMeta meta;
  private final Rpc rpc;
  private final QueryHandler server;
  private final ItemServer items;
  private final Lookups lookups;
  private final Bootstrap bootstrap;
  private final SingleHop singleHop;
  private final ExternalIpVoter externalIp = ExternalIpVoter.defaults();
  private long idRegenerations;
  private Consumer<InfohashQuery> infohashQueries;
  private final boolean ipv6;
  private DhtNode otherFamily;
  private TimerQueue.Timer maintenanceTimer;
  private boolean started;
  private boolean closed;

  /** A single-stack IPv4 node with its own peer store. */
  public DhtNode(
      NodeId id, NodeConfig config, Transport transport, TimerQueue timers, Clock clock, Random random) {
    this(id, config, transport, timers, clock, random, false, null, null, false);
  }

  /**
   * A node serving one address family (BEP 32). Its stores may be shared with the node of the
   * other family, so that a peer announced or an item put over one family is found over the other.
   *
   * @param ipv6 the family this node serves: it talks to, and keeps in its routing table, only
   *     addresses of that family
   * @param sharedPeers the peer store to share with the node of the other family (null: a new one)
   * @param sharedItems the BEP 44 item store to share with the node of the other family (null: a
   *     new one)
   * @param dualStack true when a node of the other family runs beside this one: queries then carry
   *     {@code want=[n4,n6]} and the other family's nodes in replies go to that node (see {@link
   *     #pairWith})
   */
  public DhtNode(
      NodeId id,
      NodeConfig config,
      Transport transport,
      TimerQueue timers,
      Clock clock,
      Random random,
      boolean ipv6,
      PeerStore sharedPeers,
      ItemStore sharedItems,
      boolean dualStack) {
    this.id = id;
    this.ipv6 = ipv6;
    this.config = config;
    this.timers = timers;
    this.clock = clock;
    this.random = random;
    long now = clock.nanos();
    this.routing = new RoutingTable(id, config.routing(), random);
    routing.setIdPolicy(config.secureIds());
    TokenIssuer tokens = new TokenIssuer(random, config.tokenRotateNanos(), now);
    this.peers = sharedPeers != null ? sharedPeers
        : new PeerStore(
            config.maxPeersPerInfoHash(), config.maxInfoHashes(), config.maxStoredPeers(), config.peerTtlNanos());
    this.limiter = newLimiter(config);
    this.replyLimiter = newLimiter(config);
    this.knownReserve =
        new RateLimiter.Reserve(config.globalRate() / 4, Math.max(1, config.globalBurst() / 4), routing::isVerifiedAt);
    SecurityConfig sec = config.security();
    this.dosBlocker = sec.dosRate() > 0
        ? new DosBlocker(clock, sec.dosRate(), sec.dosWindowNanos(), sec.dosBlockNanos(), sec.dosMaxTracked())
        : null;
    routing.setPrefixCap(sec.prefixCap(config.routing().allowLoopbackAndPrivate()));
    this.meta = dualStack
        ? new QueryMeta(config.version(), config.readOnly(), List.of("n4", "n6"), null, null)
        : QueryMeta.of(config.version(), config.readOnly());
    this.rpc =
        new Rpc(transport, timers, clock, config.lookup(), rtt, counters,
            new TransactionTable<>(config.maxInFlight(), random));
    this.items = new ItemServer(sharedItems != null ? sharedItems : config.items().newStore(), tokens);
    this.server = new QueryHandler(id, config.version(), config.maxReplyBytes(), routing, tokens, peers, random, items);
    this.lookups = new Lookups(id, config, meta, rpc, routing, rtt, timers, clock, telemetry, ipv6, this::learnedOtherFamily);
    this.bootstrap = new Bootstrap(id, config, meta, rpc, lookups, routing, timers, clock, random);
    this.singleHop = new SingleHop(id, meta, rpc, config.queryTimeoutNanos());
  }

  /** This node's id. */
  public NodeId id() {
    return id;
  }

  /** True when this node serves IPv6. */
  public boolean isIpv6() {
    return ipv6;
  }

  /**
   * Pairs the IPv4 and the IPv6 node of one dual-stack DHT (BEP 32): each answers {@code want}
   * from both routing tables, and hands the other's nodes it learns from replies to the other.
   * Both nodes run on the same thread.
   */
  public void pairWith(DhtNode other) {
    if (other.ipv6 == ipv6) {
      throw new IllegalArgumentException("pair an IPv4 node with an IPv6 node");
    }
    this.otherFamily = other;
    other.otherFamily = this;
    server.setOtherFamily(other.routing);
    other.server.setOtherFamily(routing);
  }

  /**
   * A node of the other family from a reply: offered to the paired node's table, else counted and
   * dropped (an IPv4-mapped address in {@code nodes6}, or no node of that family running).
   */
  private void learnedOtherFamily(NodeInfo n) {
    if (otherFamily != null && !otherFamily.closed && n.address().isIpv6() == otherFamily.ipv6
        && !n.address().isIpv4Mapped()) {
      otherFamily.routing.offer(n, clock.nanos());
    } else {
      counters.droppedWrongFamily++;
    }
  }

  /** The configuration this node was built with. */
  public NodeConfig config() {
    return config;
  }

  /** The routing table (read it only on the node's thread). */
  public RoutingTable routingTable() {
    return routing;
  }

  /** The BEP 44 server side and its item store (read them only on the node's thread). */
  public ItemServer itemServer() {
    return items;
  }

  /** The BEP 44 item store (shared with the other family's node when created so). */
  public ItemStore itemStore() {
    return items.store();
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
  public void start(Collection<NodeInfo> savedNodes, Collection<PeerAddress> bootstrapAddresses) {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    bootstrap.markStarted();
    scheduleMaintenance();
    bootstrap.run(savedNodes, bootstrapAddresses);
  }

  /** Runs (again) the bootstrap sequence from the given contacts. */
  public void bootstrap(Collection<NodeInfo> savedNodes, Collection<PeerAddress> addresses) {
    bootstrap.run(savedNodes, addresses);
  }

  /**
   * Calls {@code callback} once, with null when the routing table holds enough good nodes (or
   * bootstrap finished with at least one), or with an error message after {@code timeoutNanos}.
   */
  public void whenReady(long timeoutNanos, Consumer<String> callback) {
    bootstrap.whenReady(timeoutNanos, callback);
  }

  /** True once the ready condition has been met. */
  public boolean isReady() {
    return bootstrap.isReady();
  }

  /** Cancels every lookup and timer; the node then ignores input. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    lookups.close();
    if (maintenanceTimer != null) {
      maintenanceTimer.cancel();
    }
    rpc.close();
    bootstrap.close();
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
        if (lookups.hasRoomForMaintenance()) {
          lookups.start(LookupKind.FIND_NODE, target, null);
        }
      }
      peers.expire(now);
      items.store().expire(now);
      bootstrap.checkReady();
    } catch (RuntimeException e) {
      counters.handlerFailures++;
      log.debug("maintenance failed", e);
    }
    scheduleMaintenance();
  }

  // ------------------------------------------------------------------------------------------
  // incoming

  /** The configured per-IP and global incoming budgets, tracking at most 65,536 source IPs. */
  private static RateLimiter newLimiter(NodeConfig config) {
    return new RateLimiter(config.perIpRate(), config.perIpBurst(), config.globalRate(), config.globalBurst(), 65_536);
  }

  private static final byte[] Y_Q = {'1', ':', 'y', '1', ':', 'q'};

  /**
   * Whether the datagram contains {@code 1:y1:q}, which every query does. A crafted answer may
   * contain it too and is then limited as a query: the check can only over-limit.
   */
  static boolean looksLikeQuery(byte[] buf, int off, int len) {
    int end = off + len - Y_Q.length;
    outer:
    for (int i = off; i <= end; i++) {
      for (int j = 0; j < Y_Q.length; j++) {
        if (buf[i + j] != Y_Q[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

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
      if (from.isIpv6() != ipv6) {
        counters.droppedWrongFamily++;
        return;
      }
      if (len < 2 || buf[off] != 'd' || buf[off + len - 1] != 'e' || from.port() == 0) {
        counters.droppedMalformed++;
        return;
      }
      if (dosBlocker != null && !dosBlocker.allow(from)) {
        counters.droppedBlocked++;
        return;
      }
      long now = clock.nanos();
      boolean allowed = looksLikeQuery(buf, off, len)
          ? limiter.tryAcquire(from, now, knownReserve)
          : replyLimiter.tryAcquire(from, now);
      if (!allowed) {
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
          sendError(server.error(TransactionId.of(e.transactionId()), ErrorMessage.PROTOCOL, e.reason()), from);
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
    Transaction<QueryCallback> tx = rpc.complete(t, from);
    if (tx == null) {
      counters.droppedUnknownTransaction++;
      if (rpc.inFlight(t)) {
        counters.droppedSpoofed++; // a live transaction id from an address we did not query
      }
      return;
    }
    long rttNanos = tx.rttNanos(now);
    if (r != null) {
      counters.responsesIn++;
      telemetry.onRtt(rttNanos);
      NodeId known = routing.idAt(from);
      if (known != null && !known.equals(r.id()) && !routing.isBadAt(from)) {
        counters.droppedIdChanged++; // the table keeps the id it verified for this address
      } else if (!r.id().equals(id)) {
        routing.onResponse(new NodeInfo(r.id(), from), now, rttNanos);
      }
      tx.owner().onResponse(r, rttNanos);
      voteExternalIp(from, r.externalIp(), now);
      if (!bootstrap.isReady()) {
        bootstrap.checkReady();
      }
    } else {
      counters.errorsIn++;
      tx.owner().onError(e);
    }
  }

  /**
   * BEP 42: counts the responder's vote for our external IP; once an address settles and our id
   * does not match it (policy PREFER or ENFORCE), a matching id is generated and taken at once.
   */
  private void voteExternalIp(PeerAddress from, PeerAddress ours, long now) {
    if (config.secureIds() == SecureIdPolicy.OFF || ours == null) {
      return;
    }
    byte[] ip = externalIp.vote(from, ours);
    if (ip != null && !SecureIds.matches(id, ip)) {
      changeId(SecureIds.generate(ip, random), now);
    }
  }

  /**
   * Takes a new node id: the routing table is re-keyed around it (its entries kept), and the
   * server, lookups, bootstrap and single queries use it from now on, and a find_node for the new
   * id introduces us to its neighbours. Lookups already running finish under the old id. Node
   * thread only.
   */
  public void changeId(NodeId newId, long now) {
    if (newId.equals(id)) {
      return;
    }
    log.info("node id {} -> {} (BEP 42, external IP {})", id, newId,
        externalIp.settled() == null ? "?" : PeerAddress.of(externalIp.settled(), 1).hostString());
    id = newId;
    idRegenerations++;
    routing.rekey(newId, now);
    server.setId(newId);
    lookups.setId(newId);
    bootstrap.setId(newId);
    singleHop.setId(newId);
    if (started && !closed && lookups.hasRoomForMaintenance()) {
      lookups.start(LookupKind.FIND_NODE, newId, null); // our new neighbours learn us
    }
  }

  /** BEP 42: our external IP as voted by responders (4 or 16 bytes), or null before it settles. */
  public byte[] externalIp() {
    return externalIp.settled();
  }

  private void handleQuery(Query q, PeerAddress from, long now) {
    String method = q instanceof Query.Unknown ? "other" : q.method();
    Counters.inc(counters.queriesIn, method);
    NodeInfo toVerify = null;
    if (q.id() != null && !q.readOnly() && !q.id().equals(id)) {
      NodeInfo querier = new NodeInfo(q.id(), from);
      if (routing.onQuery(querier, now)) {
        toVerify = querier; // new and unverified: not advertised until it answers this ping
      }
    }
    if (infohashQueries != null) {
      notifyInfohashQuery(q, from);
    }
    KrpcMessage reply = server.answer(q, from, now);
    if (reply instanceof ErrorMessage e) {
      sendError(e, from);
    } else if (reply != null) {
      Counters.inc(counters.answered, method);
      rpc.send(from, reply);
    }
    if (toVerify != null) {
      ping(from, toVerify, null);
    }
  }

  private void notifyInfohashQuery(Query q, PeerAddress from) {
    if (q instanceof Query.GetPeers gp) {
      infohashQueries.accept(new InfohashQuery(Query.GET_PEERS, gp.infoHash(), gp.id(), from));
    } else if (q instanceof Query.AnnouncePeer ap) {
      infohashQueries.accept(new InfohashQuery(Query.ANNOUNCE_PEER, ap.infoHash(), ap.id(), from));
    }
  }

  /**
   * Sets (or clears, with null) the listener for incoming get_peers and announce_peer queries. It
   * runs on the node's thread before the reply is sent, so it must be cheap and never block.
   */
  public void onInfohashQuery(Consumer<InfohashQuery> listener) {
    this.infohashQueries = listener;
  }

  /**
   * Sends one query to one address, outside any lookup; {@code callback} gets the reply, error or
   * timeout on the node's thread. False (and no callback) if the in-flight table is full or the
   * node is closed. {@code target} is the target or infohash of the query.
   */
  public boolean query(SingleHopMethod method, PeerAddress to, NodeId target, QueryCallback callback) {
    return singleHop.send(method, to, target, callback);
  }

  private void sendError(ErrorMessage e, PeerAddress to) {
    counters.errorsOut++;
    rpc.send(to, e);
  }

  /**
   * Pings an address. {@code known} (may be null) is the routing entry being checked: a timeout
   * counts as its failure. {@code callback} (may be null) gets the result.
   */
  public void ping(PeerAddress to, NodeInfo known, Consumer<PingResult> callback) {
    QueryCallback p =
        new QueryCallback() {
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
    if (!rpc.query(Query.PING, to, t -> new Query.Ping(t, id, meta), config.queryTimeoutNanos(), p)
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
    return lookups.start(LookupKind.GET_PEERS, infoHash, observer);
  }

  /** Starts a BEP 33 scrape of {@code infoHash} (get_peers with {@code scrape=1}). */
  public LookupHandle scrape(NodeId infoHash, Consumer<ScrapeResult> done) {
    return lookups.scrape(infoHash, done);
  }

  /** Starts a find_node lookup for {@code target}. */
  public LookupHandle findNode(NodeId target, LookupObserver observer) {
    return lookups.start(LookupKind.FIND_NODE, target, observer);
  }

  /**
   * Starts a BEP 44 get lookup for {@code target}: the observer sees every response ({@link
   * LookupObserver#onResponse}) to pick the items from; the result keeps each responder's token.
   */
  public LookupHandle get(NodeId target, LookupObserver observer) {
    return lookups.start(LookupKind.GET, target, observer);
  }

  /**
   * Sends one BEP 44 put of {@code item} to {@code to} with the write token it gave and {@code
   * cas} (null: none). False (and no callback) if the in-flight table is full or the node closed.
   */
  public boolean put(PeerAddress to, byte[] token, Item item, Long cas, QueryCallback callback) {
    boolean mutable = item.isMutable();
    byte[] salt = mutable && item.salt().length > 0 ? item.salt() : null;
    return rpc.query(Query.PUT, to,
        t -> new Query.Put(t, id, token, item.value(), item.key(), item.signature(), mutable ? item.seq() : null,
            cas, salt, meta),
        config.queryTimeoutNanos(), callback);
  }

  /** Number of lookups running. */
  public int activeLookups() {
    return lookups.active();
  }

  /**
   * Announces that a peer listens on {@code port} for {@code infoHash} (or on our UDP source port
   * when {@code impliedPort}): a get_peers lookup, then announce_peer to the K closest responders
   * that gave a token. {@code onPeer} (may be null) also receives the peers found on the way.
   */
  public LookupHandle announce(
      NodeId infoHash, int port, boolean impliedPort, Consumer<PeerAddress> onPeer, Consumer<AnnounceResult> done) {
    return lookups.announce(infoHash, port, impliedPort, onPeer, done);
  }

  /** As {@link #announce(NodeId, int, boolean, Consumer, Consumer)}, as a seed when {@code seed} (BEP 33). */
  public LookupHandle announce(NodeId infoHash, int port, boolean impliedPort, boolean seed,
      Consumer<PeerAddress> onPeer, Consumer<AnnounceResult> done) {
    return lookups.announce(infoHash, port, impliedPort, seed, onPeer, done);
  }

  // ------------------------------------------------------------------------------------------
  // timers for the API layer

  /** Schedules a task on this node's timer queue, {@code delayNanos} from now. */
  public TimerQueue.Timer schedule(long delayNanos, Runnable task) {
    return timers.schedule(clock.nanos() + delayNanos, task);
  }

  /** The node's clock. */
  public Clock clock() {
    return clock;
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
        rpc.inFlight(),
        lookups.active(),
        peers.peerCount(),
        peers.infoHashCount(),
        counters.answered,
        counters.droppedWrongFamily,
        counters.droppedIdChanged,
        routing.mismatchCount(),
        idRegenerations,
        items.store().size(),
        counters.droppedSpoofed,
        counters.droppedBlocked,
        dosBlocker == null ? 0 : dosBlocker.blocks(),
        routing.prefixCap().refused(),
        items.store().sourceCapEvictions());
  }

  /** How many entries each growing structure holds now (for leak checks; node thread only). */
  public NodeSizes sizes() {
    return new NodeSizes(routing.size(), routing.replacementCount(), routing.bucketCount(), peers.infoHashCount(),
        peers.peerCount(), items.store().size(), rpc.inFlight(), lookups.active(), limiter.trackedIps(),
        replyLimiter.trackedIps(), dosBlocker == null ? 0 : dosBlocker.tracked(),
        dosBlocker == null ? 0 : dosBlocker.blockListSize(), routing.prefixCap().trackedPrefixes(), externalIp.voters());
  }

  /** Stats, routing buckets, latency distributions and lookups, as one immutable snapshot. */
  public DhtSnapshot snapshot() {
    long now = clock.nanos();
    return new DhtSnapshot(
        id,
        stats(),
        Telemetry.buckets(routing, now),
        telemetry.rttHistogram(),
        telemetry.doneHistograms(),
        telemetry.firstPeerHistograms(),
        lookups.running(DhtSnapshot.MAX_LISTED),
        telemetry.recentLookups(now));
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
