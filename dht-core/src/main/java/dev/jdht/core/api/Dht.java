package dev.jdht.core.api;

import dev.jdht.core.io.EventLoop;
import dev.jdht.core.io.SocketDrops;
import dev.jdht.core.lookup.LookupConfig;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.node.PingResult;
import dev.jdht.core.node.SavedState;
import dev.jdht.core.routing.RoutingConfig;
import dev.jdht.core.time.Clock;
import dev.jdht.krpc.wire.HostPort;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running DHT node: the public API for library users.
 *
 * <pre>{@code
 * try (Dht dht = Dht.builder().port(6881).start()) {
 *   dht.ready().get(30, TimeUnit.SECONDS);
 *   LookupReport r = dht.getPeers(infoHash, peer -> System.out.println(peer)).get();
 * }
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread. All DHT state lives on one event-loop
 * thread; methods post commands to it and return futures. Futures and callbacks complete on the
 * callback executor (by default one daemon thread owned by this object, so callbacks of one lookup
 * arrive in order), never on the loop thread. Callbacks must not block for long: they delay other
 * callbacks, not the DHT.
 */
public final class Dht implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dht.class);

  private final Threads threads;
  /** One node per address family served (BEP 32): IPv4 first when present. */
  private final List<DhtNode> nodes;
  private final DhtNode node4;
  private final DhtNode node6;
  private final StateFile state;
  private final LookupCalls lookups;
  private final Duration readyTimeout;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final DirectQueries direct;
  private final Items items;

  private Dht(Builder b, NodeId id) throws IOException {
    this.readyTimeout = b.readyTimeout;
    List<InetSocketAddress> binds = b.binds();
    EventLoop loop =
        new EventLoop(binds.get(0), Clock.system(), "dht-loop-" + id.toHex().substring(0, 8), b.socketBufferBytes);
    try {
      for (InetSocketAddress extra : binds.subList(1, binds.size())) {
        loop.open(extra, b.socketBufferBytes);
      }
    } catch (IOException | RuntimeException e) {
      loop.close();
      throw e;
    }
    this.threads = new Threads(loop, b.callbackExecutor);
    this.state = new StateFile(b.stateFile, b.saveInterval, threads.io);
    Random random = b.random != null ? b.random : new SecureRandom();
    EventLoop.Endpoint e4 = loop.endpoints().stream().filter(EventLoop.Endpoint::servesIpv4).findFirst().orElse(null);
    EventLoop.Endpoint e6 = loop.endpoints().stream().filter(EventLoop.Endpoint::servesIpv6).findFirst().orElse(null);
    boolean dual = e4 != null && e6 != null;
    NodeConfig config = b.buildConfig();
    this.node4 = e4 == null ? null : new DhtNode(id, config, e4, loop.timers(), loop.clock(), random, false, null, null, dual);
    this.node6 = e6 == null ? null
        : new DhtNode(id, config, e6, loop.timers(), loop.clock(), random, true,
            node4 == null ? null : node4.peerStore(), node4 == null ? null : node4.itemStore(), dual);
    if (dual) {
      node4.pairWith(node6);
    }
    this.nodes = node4 == null ? List.of(node6) : node6 == null ? List.of(node4) : List.of(node4, node6);
    for (EventLoop.Endpoint e : loop.endpoints()) {
      // each datagram goes to the node of its source's family (a [::] socket receives both)
      DhtNode only = e.servesIpv4() ? node4 : node6;
      e.setHandler(dual ? (from, buf, off, len) -> (from.isIpv6() ? node6 : node4).onDatagram(from, buf, off, len)
          : only::onDatagram);
    }
    this.lookups = new LookupCalls(threads, nodes);
    this.direct = new DirectQueries(nodes, threads);
    this.items = new Items(threads, nodes);
  }

  /** The node serving the family of {@code a}, or null. */
  private DhtNode nodeFor(PeerAddress a) {
    return a.isIpv6() ? node6 : node4;
  }

  /** A builder with the defaults documented in README. */
  public static Builder builder() {
    return new Builder();
  }

  private void begin(List<NodeInfo> savedNodes, List<String> bootstrap) {
    threads.loop.start();
    threads.loop.execute(
        () -> {
          // ready when any family is ready; fails only when every family failed
          int[] failures = {0};
          for (DhtNode n : nodes) {
            n.start(savedNodes.stream().filter(s -> s.address().isIpv6() == n.isIpv6()).toList(), List.of());
            n.whenReady(readyTimeout.toNanos(), err -> {
              if (err == null) {
                threads.complete(ready, null, null);
              } else if (++failures[0] == nodes.size()) {
                threads.complete(ready, new DhtException(err), null);
              }
            });
          }
          state.scheduleSaves(nodes);
        });
    if (!bootstrap.isEmpty()) {
      addBootstrapNodes(bootstrap);
    }
  }

  // ------------------------------------------------------------------------------------------
  // public API

  /** Single-hop queries to one address and the incoming get_peers/announce_peer stream (crawlers). */
  public DirectQueries direct() {
    return direct;
  }

  /** BEP 44: put and get immutable and mutable items. */
  public Items items() {
    return items;
  }

  /** This node's id. */
  public NodeId nodeId() {
    return nodes.get(0).id();
  }

  /** The first bound UDP address. */
  public InetSocketAddress localAddress() {
    return threads.loop.localAddress();
  }

  /** Every bound UDP address, in the order given to the builder. */
  public List<InetSocketAddress> localAddresses() {
    return threads.loop.endpoints().stream().map(EventLoop.Endpoint::localAddress).toList();
  }

  /**
   * The smallest receive buffer the kernel granted one of the sockets, in bytes (see {@link
   * Builder#socketBufferBytes}): the size asked for unless the kernel capped it (on Linux at
   * {@code net.core.rmem_max}).
   */
  public int receiveBufferBytes() {
    return threads.loop.endpoints().stream().mapToInt(EventLoop.Endpoint::receiveBufferBytes).min().orElse(-1);
  }

  /** Whether this DHT runs an IPv4 node and an IPv6 node (BEP 32). */
  public boolean servesIpv4() {
    return node4 != null;
  }

  /** Whether this DHT runs an IPv6 node (BEP 32). */
  public boolean servesIpv6() {
    return node6 != null;
  }

  /**
   * Completes when the routing table holds enough good nodes (see {@code readyMinGoodNodes}), or
   * when bootstrap finished with at least one. Fails with a {@link DhtException} after the ready
   * timeout if nobody answered.
   */
  public CompletableFuture<Void> ready() {
    return ready.thenApply(v -> v);
  }

  /** Finds peers for {@code infoHash}; {@code onPeer} gets each new distinct peer at once. */
  public CompletableFuture<LookupReport> getPeers(NodeId infoHash, Consumer<PeerAddress> onPeer) {
    return getPeers(infoHash, onPeer, null);
  }

  /**
   * Finds peers for {@code infoHash}. {@code onPeer} (may be null) gets each new distinct peer at
   * once; {@code onProgress} (may be null) gets a sample at most every 100 ms. The future completes
   * with the report when the lookup is done; cancelling the future cancels the lookup.
   */
  public CompletableFuture<LookupReport> getPeers(
      NodeId infoHash, Consumer<PeerAddress> onPeer, Consumer<LookupProgress> onProgress) {
    Objects.requireNonNull(infoHash, "infoHash");
    return closed.get() ? Threads.failed("DHT closed") : lookups.lookup(infoHash, true, onPeer, onProgress, null);
  }

  /**
   * Finds peers for {@code infoHash} within {@code deadline}: as {@link #getPeers(NodeId, Consumer,
   * Consumer)}, but a lookup still running when the deadline passes is stopped and the future
   * completes normally with what it found so far ({@link LookupReport#timedOut()} true).
   */
  public CompletableFuture<LookupReport> getPeers(
      NodeId infoHash, Consumer<PeerAddress> onPeer, Consumer<LookupProgress> onProgress, Duration deadline) {
    Objects.requireNonNull(infoHash, "infoHash");
    Duration d = LookupCalls.requirePositive(deadline);
    return closed.get() ? Threads.failed("DHT closed") : lookups.lookup(infoHash, true, onPeer, onProgress, d);
  }

  /** Finds the nodes closest to {@code target}; the report's {@code closest} lists them. */
  public CompletableFuture<LookupReport> findNode(NodeId target) {
    Objects.requireNonNull(target, "target");
    return closed.get() ? Threads.failed("DHT closed") : lookups.lookup(target, false, null, null, null);
  }

  /**
   * Finds the nodes closest to {@code target} within {@code deadline}; at the deadline the future
   * completes with the partial report ({@link LookupReport#timedOut()} true).
   */
  public CompletableFuture<LookupReport> findNode(NodeId target, Duration deadline) {
    Objects.requireNonNull(target, "target");
    Duration d = LookupCalls.requirePositive(deadline);
    return closed.get() ? Threads.failed("DHT closed") : lookups.lookup(target, false, null, null, d);
  }

  /**
   * BEP 33 scrape: a get_peers lookup with {@code scrape=1}; the report combines the seeds and
   * peers bloom filters of the closest nodes that answered and estimates both counts.
   */
  public CompletableFuture<ScrapeReport> scrape(NodeId infoHash) {
    Objects.requireNonNull(infoHash, "infoHash");
    return closed.get() ? Threads.failed("DHT closed") : lookups.scrape(infoHash);
  }

  /** Announces that this host has a peer for {@code infoHash} on TCP {@code port}. */
  public CompletableFuture<AnnounceReport> announce(NodeId infoHash, int port) {
    return announce(infoHash, port, false);
  }

  /**
   * Announces a peer for {@code infoHash}: get_peers, then announce_peer to the K closest nodes
   * that gave a token. With {@code impliedPort} the nodes store our UDP source port instead of
   * {@code port} (useful behind NAT, BEP 5 implied_port).
   */
  public CompletableFuture<AnnounceReport> announce(NodeId infoHash, int port, boolean impliedPort) {
    Objects.requireNonNull(infoHash, "infoHash");
    LookupCalls.checkPort(port);
    return closed.get() ? Threads.failed("DHT closed") : lookups.announce(infoHash, port, impliedPort);
  }

  /**
   * As {@link #announce(NodeId, int, boolean)}; with {@code seed} the nodes record the peer as a
   * seed (BEP 33 {@code seed=1}), which scrapes count apart from the other peers.
   */
  public CompletableFuture<AnnounceReport> announce(NodeId infoHash, int port, boolean impliedPort, boolean seed) {
    Objects.requireNonNull(infoHash, "infoHash");
    LookupCalls.checkPort(port);
    return closed.get() ? Threads.failed("DHT closed") : lookups.announce(infoHash, port, impliedPort, seed);
  }

  /** A repeating announce; close it to stop. */
  public interface KeepAlive extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Announces now and again every 15 to 30 minutes (jittered around the configured period) until
   * the returned handle is closed or the DHT closes. {@code onEach} (may be null) receives each
   * round's report, or is skipped for rounds that failed.
   */
  public KeepAlive keepAnnouncing(NodeId infoHash, int port, boolean impliedPort, Consumer<AnnounceReport> onEach) {
    Objects.requireNonNull(infoHash, "infoHash");
    LookupCalls.checkPort(port);
    return lookups.keepAnnouncing(infoHash, port, impliedPort, false, onEach);
  }

  /** As {@link #keepAnnouncing(NodeId, int, boolean, Consumer)}, as a seed when {@code seed} (BEP 33). */
  public KeepAlive keepAnnouncing(
      NodeId infoHash, int port, boolean impliedPort, boolean seed, Consumer<AnnounceReport> onEach) {
    Objects.requireNonNull(infoHash, "infoHash");
    LookupCalls.checkPort(port);
    return lookups.keepAnnouncing(infoHash, port, impliedPort, seed, onEach);
  }

  /** Pings a node; the result holds its id and round-trip time, or the error. */
  public CompletableFuture<PingResult> ping(InetSocketAddress address) {
    if (closed.get()) {
      return Threads.failed("DHT closed");
    }
    CompletableFuture<PingResult> f = new CompletableFuture<>();
    CompletableFuture.supplyAsync(
            () -> {
              InetSocketAddress a = address;
              if (a.isUnresolved()) {
                a = new InetSocketAddress(a.getHostString(), a.getPort());
              }
              if (a.isUnresolved()) {
                throw new DhtException("cannot resolve " + address.getHostString());
              }
              return PeerAddress.of(a);
            },
            threads.io)
        .whenComplete(
            (pa, e) -> {
              if (e != null) {
                threads.complete(f, e.getCause() != null ? e.getCause() : e, null);
              } else {
                DhtNode n = nodeFor(pa);
                if (n == null) {
                  threads.complete(f, new DhtException("no " + (pa.isIpv6() ? "IPv6" : "IPv4") + " socket bound for " + pa), null);
                } else {
                  threads.post(() -> n.ping(pa, null, r -> threads.complete(f, null, r)));
                }
              }
            });
    return f;
  }

  /** A snapshot of the counters. */
  public CompletableFuture<DhtStats> stats() {
    CompletableFuture<DhtStats> f = new CompletableFuture<>();
    threads.loop.call(() -> nodes.stream().map(DhtNode::stats).reduce(DhtStats::plus).orElseThrow())
        .whenComplete((s, e) -> threads.complete(f, e, s));
    return f;
  }

  /**
   * Counters, routing-table buckets, latency distributions and lookups, computed on the DHT thread
   * in one go; for dashboards and metrics exporters (it walks the routing table: every second is
   * fine, every datagram is not). On a dual-stack DHT the counters are both families' sums; the
   * buckets, histograms and lookups are the first family's (IPv4).
   */
  public CompletableFuture<DhtSnapshot> snapshot() {
    CompletableFuture<DhtSnapshot> f = new CompletableFuture<>();
    threads.loop.call(() -> {
      DhtSnapshot first = nodes.get(0).snapshot();
      DhtStats all = nodes.stream().map(DhtNode::stats).reduce(DhtStats::plus).orElseThrow();
      return new DhtSnapshot(first.nodeId(), all, first.buckets(), first.nodeRtt(), first.lookupDone(),
          first.lookupFirstPeer(), first.lookupsRunning(), first.recentLookups());
    }).whenComplete((s, e) -> threads.complete(f, e, s));
    // the kernel's drop count is a /proc read: done where f completes (the callback executor), not
    // on the loop thread, which completes the future above
    return f.thenApply(s -> s.withSocketReceiveDrops(socketReceiveDrops()));
  }

  /**
   * Datagrams the kernel dropped for this DHT's sockets because their receive buffer was full
   * (see {@link Builder#socketBufferBytes}): the node never sees these, so its own stats cannot
   * count them. From {@code /proc/net/udp} and {@code udp6} on Linux; -1 where the system does not
   * keep the count. Reads files: call it off the callback-sensitive paths, not in a tight loop.
   */
  public long socketReceiveDrops() {
    return SocketDrops.of(localAddresses());
  }

  /** The nodes in the routing table that are not bad, good ones first. */
  public CompletableFuture<List<NodeInfo>> routingTableNodes() {
    CompletableFuture<List<NodeInfo>> f = new CompletableFuture<>();
    threads.loop.call(() -> StateFile.nodesToSave(nodes, Integer.MAX_VALUE)).whenComplete((s, e) -> threads.complete(f, e, s));
    return f;
  }

  /** Adds contacts to bootstrap from (host:port strings, resolved off the loop). */
  public void addBootstrapNodes(Collection<String> hostPorts) {
    BootstrapResolver.resolveAsync(List.copyOf(hostPorts), threads.io)
        .thenAccept(addrs -> threads.post(() -> {
          for (DhtNode n : nodes) {
            n.bootstrap(List.of(), addrs.stream().filter(a -> a.isIpv6() == n.isIpv6()).toList());
          }
        }));
  }

  /**
   * Stops the node: cancels lookups (their futures fail), saves the state file, stops the loop
   * thread and releases the socket. Idempotent; safe from any thread but the loop thread.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<byte[]> snapshot =
        threads.loop.call(
            () -> {
              nodes.forEach(DhtNode::close);
              return state.enabled() ? StateFile.snapshot(nodes) : null;
            });
    byte[] data = null;
    try {
      data = snapshot.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("could not snapshot state on close: {}", e.toString());
    }
    threads.loop.close();
    state.writeNow(data);
    if (!ready.isDone()) {
      ready.completeExceptionally(new DhtException("DHT closed"));
    }
    threads.shutdown();
  }

  // ------------------------------------------------------------------------------------------

  /**
   * Configures and starts a {@link Dht}. Not thread-safe; build on one thread.
   *
   * <p>Defaults: bind [::]:6881 (both families on one socket) where the machine has IPv6, else
   * 0.0.0.0:6881, a random node id (or the saved one), no state file, the
   * public bootstrap routers, alpha 5, lookup hard timeout 2 s, ready timeout 30 s, martian
   * addresses filtered.
   */
  public static final class Builder {
    private static final java.net.InetAddress ANY4 = literal("0.0.0.0");
    private static final java.net.InetAddress ANY6 = literal("::");

    private static java.net.InetAddress literal(String ip) {
      return HostPort.parseBind(ip.contains(":") ? "[" + ip + "]" : ip).literal().inetAddress();
    }

    /** The well-known public bootstrap routers. */
    public static final List<String> PUBLIC_ROUTERS =
        List.of(
            "router.bittorrent.com:6881",
            "dht.transmissionbt.com:6881",
            "router.utorrent.com:6881",
            "dht.libtorrent.org:25401");

    private List<InetSocketAddress> bind;
    private int defaultPort = 6881;
    private NodeId nodeId;
    private List<String> bootstrap = PUBLIC_ROUTERS;
    private Path stateFile;
    private NodeConfig.Builder config = NodeConfig.builder();
    private LookupConfig lookup = LookupConfig.defaults();
    private boolean allowLocalAddresses;
    private Duration readyTimeout = Duration.ofSeconds(30);
    private Duration saveInterval = Duration.ofMinutes(5);
    private Executor callbackExecutor;
    private Random random;
    private int socketBufferBytes = EventLoop.DEFAULT_SOCKET_BUFFER_BYTES;

    private Builder() {}

    /** Local UDP address; port 0 picks a free port. */
    public Builder bind(InetSocketAddress address) {
      return bind(List.of(address));
    }

    /**
     * Local UDP addresses, one socket each (BEP 32): {@code 0.0.0.0:p} serves IPv4, {@code [::]:p}
     * both families, another IPv6 address IPv6 only. The first socket of each family is used.
     * {@code 0.0.0.0:p} and {@code [::]:p} together (same port) become one {@code [::]:p} socket.
     */
    public Builder bind(Collection<InetSocketAddress> addresses) {
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("bind needs at least one address");
      }
      this.bind = List.copyOf(addresses);
      return this;
    }

    /** Listens on all interfaces (both families where the machine has IPv6) at {@code port}. */
    public Builder port(int port) {
      this.bind = null;
      this.defaultPort = port;
      return this;
    }

    /** BEP 43: send {@code ro=1} so that other nodes do not add this one to their tables. */
    public Builder readOnly(boolean readOnly) {
      config.readOnly(readOnly);
      return this;
    }

    List<InetSocketAddress> binds() {
      if (bind == null) {
        return List.of(ipv6Available() ? new InetSocketAddress(ANY6, defaultPort) : new InetSocketAddress(ANY4, defaultPort));
      }
      List<InetSocketAddress> out = new java.util.ArrayList<>(bind);
      for (InetSocketAddress a : bind) {
        InetSocketAddress any6 = new InetSocketAddress(ANY6, a.getPort());
        if (a.getPort() != 0 && a.getAddress() != null && a.getAddress().equals(ANY4) && out.contains(any6)) {
          out.remove(a); // the [::] socket serves IPv4 as well; two wildcard sockets cannot share a port
        }
      }
      return out;
    }

    private static boolean ipv6Available() {
      try (java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET6)) {
        ch.bind(new InetSocketAddress(ANY6, 0));
        return true;
      } catch (IOException | UnsupportedOperationException e) {
        return false;
      }
    }

    /** Our node id; by default the saved one, else random. */
    public Builder nodeId(NodeId id) {
      this.nodeId = id;
      return this;
    }

    /** Bootstrap contacts as "host:port" (resolved off the loop). Empty: none. */
    public Builder bootstrap(Collection<String> hostPorts) {
      for (String hp : hostPorts) {
        HostPort.parse(hp);
      }
      this.bootstrap = List.copyOf(hostPorts);
      return this;
    }

    /** Bootstrap contacts as "host:port" strings; see {@link #bootstrap(Collection)}. */
    public Builder bootstrap(String... hostPorts) {
      return bootstrap(List.of(hostPorts));
    }

    /** Where the node id and routing table are saved (atomically) and restored from. */
    public Builder stateFile(Path file) {
      this.stateFile = file;
      return this;
    }

    /** Queries in flight per lookup (default 3). */
    public Builder alpha(int alpha) {
      this.lookup = lookup.withAlpha(alpha);
      return this;
    }

    /** Hard timeout of one lookup query (default 2 s). */
    public Builder queryTimeout(Duration d) {
      long hard = d.toNanos();
      this.lookup = lookup.withTimeouts(
          hard, Math.min(lookup.softTimeoutFloorNanos(), hard), Math.min(lookup.softTimeoutCapNanos(), hard));
      config.queryTimeoutNanos(d.toNanos());
      return this;
    }

    /** Replaces the lookup tunables. */
    public Builder lookupConfig(LookupConfig l) {
      this.lookup = Objects.requireNonNull(l);
      return this;
    }

    /**
     * Accepts loopback and other local addresses as DHT nodes (for private test networks).
     * Default false: such contacts are ignored, as on the public DHT.
     */
    public Builder allowLocalAddresses(boolean allow) {
      this.allowLocalAddresses = allow;
      return this;
    }

    /** How long {@link Dht#ready()} waits before failing (default 30 s). */
    public Builder readyTimeout(Duration d) {
      this.readyTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** Good nodes needed for {@link Dht#ready()} (default 8). */
    public Builder readyMinGoodNodes(int n) {
      config.readyMinGoodNodes(n);
      return this;
    }

    /** How often the state file is rewritten while running (default 5 min). */
    public Builder saveInterval(Duration d) {
      this.saveInterval = Objects.requireNonNull(d);
      return this;
    }

    /** Executor for futures and callbacks (default: one daemon thread owned by the Dht). */
    public Builder callbackExecutor(Executor e) {
      this.callbackExecutor = e;
      return this;
    }

    /** Advanced: every other node tunable and limit. */
    public Builder configure(Consumer<NodeConfig.Builder> c) {
      c.accept(config);
      return this;
    }

    /**
     * Kernel receive and send buffer of each socket, in bytes (default 1 MiB). Datagrams that
     * arrive while the receive buffer is full are dropped by the kernel, not seen by the node
     * ({@link Dht#socketReceiveDrops()} counts them on Linux): a server taking tens of thousands
     * of queries per second wants room for the longest pause it must ride out. Linux caps the size
     * at {@code net.core.rmem_max}/{@code wmem_max}.
     *
     * @throws IllegalArgumentException below {@link EventLoop#MIN_SOCKET_BUFFER_BYTES} (4 KiB) or
     *     above {@link EventLoop#MAX_SOCKET_BUFFER_BYTES} (1 GiB)
     */
    public Builder socketBufferBytes(int bytes) {
      if (bytes < EventLoop.MIN_SOCKET_BUFFER_BYTES || bytes > EventLoop.MAX_SOCKET_BUFFER_BYTES) {
        throw new IllegalArgumentException("socket buffer must be 4 KiB to 1 GiB: " + bytes);
      }
      this.socketBufferBytes = bytes;
      return this;
    }

    /** Source of randomness (node id, transaction ids, tokens); default SecureRandom. */
    public Builder random(Random r) {
      this.random = r;
      return this;
    }

    NodeConfig buildConfig() {
      RoutingConfig rc = RoutingConfig.defaults().withAllowLoopbackAndPrivate(allowLocalAddresses);
      return config.lookup(lookup).routing(rc).build();
    }

    /** Binds the socket and starts the node thread. Bootstrap starts at once (off the caller's thread). */
    public Dht start() throws IOException {
      SavedState saved = StateFile.read(stateFile);
      NodeId id = nodeId != null ? nodeId : saved != null ? saved.id() : NodeId.random(new SecureRandom());
      Dht dht = new Dht(this, id);
      List<NodeInfo> savedNodes = saved != null ? saved.nodes() : List.of();
      dht.begin(savedNodes, bootstrap);
      return dht;
    }
  }
}
