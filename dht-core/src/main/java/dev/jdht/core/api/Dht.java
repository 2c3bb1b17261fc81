package dev.jdht.core.api;

import dev.jdht.core.io.EventLoop;
import dev.jdht.core.lookup.LookupConfig;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.node.AnnounceResult;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.LookupObserver;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.node.PingResult;
import dev.jdht.core.node.SavedState;
import dev.jdht.core.routing.RoutingConfig;
import dev.jdht.core.time.Clock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
  private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final EventLoop loop;
  private final DhtNode node;
  private final Executor callbacks;
  private final ExecutorService ownedCallbacks;
  private final ExecutorService io;
  private final Path stateFile;
  private final Duration readyTimeout;
  private final Duration saveInterval;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private Dht(Builder b, SavedState saved, NodeId id) throws IOException {
    this.stateFile = b.stateFile;
    this.readyTimeout = b.readyTimeout;
    this.saveInterval = b.saveInterval;
    this.loop = new EventLoop(b.bind, Clock.system(), "dht-loop-" + id.toHex().substring(0, 8));
    this.io = Executors.newSingleThreadExecutor(daemon("dht-io"));
    if (b.callbackExecutor != null) {
      this.callbacks = b.callbackExecutor;
      this.ownedCallbacks = null;
    } else {
      this.ownedCallbacks = Executors.newSingleThreadExecutor(daemon("dht-callbacks"));
      this.callbacks = ownedCallbacks;
    }
    Random random = b.random != null ? b.random : new SecureRandom();
    TimerQueue timers = loop.timers();
    this.node = new DhtNode(id, b.buildConfig(), loop, timers, loop.clock(), random);
    loop.setHandler(node::onDatagram);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** A builder with the defaults documented in README. */
  public static Builder builder() {
    return new Builder();
  }

  private void begin(List<NodeInfo> savedNodes, List<String> bootstrap) {
    loop.start();
    loop.execute(
        () -> {
          node.start(savedNodes, List.of());
          node.whenReady(readyTimeout.toNanos(), err -> completeOn(ready, err == null ? null : new DhtException(err), null));
          scheduleSave();
        });
    if (!bootstrap.isEmpty()) {
      CompletableFuture.supplyAsync(() -> resolve(bootstrap), io)
          .thenAccept(addrs -> post(() -> node.bootstrap(List.of(), addrs)));
    }
  }

  private static List<PeerAddress> resolve(List<String> hostPorts) {
    List<PeerAddress> out = new ArrayList<>();
    for (String hp : hostPorts) {
      try {
        InetSocketAddress a = parseHostPort(hp);
        for (InetAddress ia : InetAddress.getAllByName(a.getHostString())) {
          out.add(PeerAddress.of(ia, a.getPort()));
        }
      } catch (UnknownHostException | IllegalArgumentException e) {
        log.warn("cannot use bootstrap node {}: {}", hp, e.getMessage());
      }
    }
    return out;
  }

  /** Parses "host:port" or "[v6]:port" without resolving the host. */
  public static InetSocketAddress parseHostPort(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + s + "'");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("IPv6 addresses need brackets: '" + s + "'");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + s + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range in '" + s + "'");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private void scheduleSave() {
    if (stateFile == null) {
      return;
    }
    node.schedule(
        saveInterval.toNanos(),
        () -> {
          byte[] state = stateBytes();
          io.execute(() -> writeState(stateFile, state));
          scheduleSave();
        });
  }

  private byte[] stateBytes() {
    return new SavedState(node.id(), node.nodesToSave(SavedState.MAX_NODES)).encode();
  }

  /** Writes the state file atomically: a temp file in the same directory, then a rename. */
  static void writeState(Path file, byte[] data) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.write(tmp, data);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      log.warn("cannot save DHT state to {}: {}", file, e.toString());
    }
  }

  /** Reads a state file; null if absent or unreadable (a corrupt file is logged and ignored). */
  static SavedState readState(Path file) {
    if (file == null) {
      return null;
    }
    try {
      return SavedState.decode(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | DecodeException e) {
      log.warn("ignoring unreadable DHT state file {}: {}", file, e.getMessage());
      return null;
    }
  }

  private void post(Runnable r) {
    try {
      loop.execute(r);
    } catch (RejectedExecutionException e) {
      log.debug("dropped a command: DHT closed");
    }
  }

  private <T> void completeOn(CompletableFuture<T> f, Throwable error, T value) {
    try {
      callbacks.execute(
          () -> {
            if (error != null) {
              f.completeExceptionally(error);
            } else {
              f.complete(value);
            }
          });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(error != null ? error : new DhtException("DHT closed"));
    }
  }

  private void callback(Runnable r) {
    try {
      callbacks.execute(r);
    } catch (RejectedExecutionException e) {
      log.debug("dropped a callback: executor closed");
    }
  }

  private <T> CompletableFuture<T> failed(String why) {
    CompletableFuture<T> f = new CompletableFuture<>();
    f.completeExceptionally(new DhtException(why));
    return f;
  }

  // ------------------------------------------------------------------------------------------
  // public API

  /** This node's id. */
  public NodeId nodeId() {
    return node.id();
  }

  /** The bound UDP address. */
  public InetSocketAddress localAddress() {
    return loop.localAddress();
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
    return lookup(infoHash, true, onPeer, onProgress, null);
  }

  /**
   * Finds peers for {@code infoHash} within {@code deadline}: as {@link #getPeers(NodeId, Consumer,
   * Consumer)}, but a lookup still running when the deadline passes is stopped and the future
   * completes normally with what it found so far ({@link LookupReport#timedOut()} true).
   */
  public CompletableFuture<LookupReport> getPeers(
      NodeId infoHash, Consumer<PeerAddress> onPeer, Consumer<LookupProgress> onProgress, Duration deadline) {
    Objects.requireNonNull(infoHash, "infoHash");
    return lookup(infoHash, true, onPeer, onProgress, requirePositive(deadline));
  }

  /** Finds the nodes closest to {@code target}; the report's {@code closest} lists them. */
  public CompletableFuture<LookupReport> findNode(NodeId target) {
    Objects.requireNonNull(target, "target");
    return lookup(target, false, null, null, null);
  }

  /**
   * Finds the nodes closest to {@code target} within {@code deadline}; at the deadline the future
   * completes with the partial report ({@link LookupReport#timedOut()} true).
   */
  public CompletableFuture<LookupReport> findNode(NodeId target, Duration deadline) {
    Objects.requireNonNull(target, "target");
    return lookup(target, false, null, null, requirePositive(deadline));
  }

  private static Duration requirePositive(Duration d) {
    Objects.requireNonNull(d, "deadline");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("deadline must be positive: " + d);
    }
    return d;
  }

  private CompletableFuture<LookupReport> lookup(
      NodeId target,
      boolean peers,
      Consumer<PeerAddress> onPeer,
      Consumer<LookupProgress> onProgress,
      Duration deadline) {
    if (closed.get()) {
      return failed("DHT closed");
    }
    CompletableFuture<LookupReport> f = new CompletableFuture<>();
    boolean[] hitDeadline = {false}; // loop thread only
    LookupObserver obs =
        new LookupObserver() {
          long lastProgress = Long.MIN_VALUE;

          @Override
          public void onPeer(PeerAddress peer) {
            if (onPeer != null) {
              callback(() -> onPeer.accept(peer));
            }
          }

          @Override
          public void onProgress(LookupResult p) {
            if (onProgress == null) {
              return;
            }
            long now = loop.clock().nanos();
            if (lastProgress != Long.MIN_VALUE && now - lastProgress < PROGRESS_INTERVAL_NANOS) {
              return;
            }
            lastProgress = now;
            LookupProgress lp =
                new LookupProgress(
                    p.queriesSent(), p.responses(), p.timeouts(), p.peers().size(), Duration.ofNanos(now - p.startedAt()));
            callback(() -> onProgress.accept(lp));
          }

          @Override
          public void onDone(LookupResult result, String error) {
            completeOn(f, error == null ? null : new DhtException(error), LookupReport.of(result, hitDeadline[0]));
          }
        };
    post(
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
              post(timer::cancel);
            }
            if (f.isCancelled()) {
              post(h::cancel);
            }
          });
        });
    return f;
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
    checkPort(port);
    if (closed.get()) {
      return failed("DHT closed");
    }
    CompletableFuture<AnnounceReport> f = new CompletableFuture<>();
    post(() -> node.announce(infoHash, port, impliedPort, null, r -> completeAnnounce(f, r)));
    return f;
  }

  private void completeAnnounce(CompletableFuture<AnnounceReport> f, AnnounceResult r) {
    completeOn(f, r.error() == null ? null : new DhtException(r.error()), AnnounceReport.of(r));
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
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
    checkPort(port);
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
              callback(() -> onEach.accept(rep));
            }
            if (!stopped.get()) {
              long base = node.config().announceRepeatNanos();
              long jitter = (long) (node.random().nextDouble() * base / 2);
              timer[0] = node.schedule(base * 3 / 4 + jitter, round[0]);
            }
          });
        };
    post(round[0]);
    return () -> {
      stopped.set(true);
      post(() -> {
        if (timer[0] != null) {
          timer[0].cancel();
        }
      });
    };
  }

  /** Pings a node; the result holds its id and round-trip time, or the error. */
  public CompletableFuture<PingResult> ping(InetSocketAddress address) {
    if (closed.get()) {
      return failed("DHT closed");
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
            io)
        .whenComplete(
            (pa, e) -> {
              if (e != null) {
                completeOn(f, e.getCause() != null ? e.getCause() : e, null);
              } else {
                post(() -> node.ping(pa, null, r -> completeOn(f, null, r)));
              }
            });
    return f;
  }

  /** A snapshot of the counters. */
  public CompletableFuture<DhtStats> stats() {
    CompletableFuture<DhtStats> f = new CompletableFuture<>();
    loop.call(node::stats).whenComplete((s, e) -> completeOn(f, e, s));
    return f;
  }

  /**
   * Counters, routing-table buckets, latency distributions and lookups, computed on the DHT thread
   * in one go; for dashboards and metrics exporters (it walks the routing table: every second is
   * fine, every datagram is not).
   */
  public CompletableFuture<DhtSnapshot> snapshot() {
    CompletableFuture<DhtSnapshot> f = new CompletableFuture<>();
    loop.call(node::snapshot).whenComplete((s, e) -> completeOn(f, e, s));
    return f;
  }

  /** The nodes in the routing table that are not bad, good ones first. */
  public CompletableFuture<List<NodeInfo>> routingTableNodes() {
    CompletableFuture<List<NodeInfo>> f = new CompletableFuture<>();
    loop.call(() -> node.nodesToSave(Integer.MAX_VALUE)).whenComplete((s, e) -> completeOn(f, e, s));
    return f;
  }

  /** Adds contacts to bootstrap from (host:port strings, resolved off the loop). */
  public void addBootstrapNodes(Collection<String> hostPorts) {
    List<String> copy = List.copyOf(hostPorts);
    CompletableFuture.supplyAsync(() -> resolve(copy), io)
        .thenAccept(addrs -> post(() -> node.bootstrap(List.of(), addrs)));
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
    CompletableFuture<byte[]> state =
        loop.call(
            () -> {
              node.close();
              return stateFile == null ? null : stateBytes();
            });
    byte[] data = null;
    try {
      data = state.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("could not snapshot state on close: {}", e.toString());
    }
    loop.close();
    if (data != null) {
      writeState(stateFile, data);
    }
    if (!ready.isDone()) {
      ready.completeExceptionally(new DhtException("DHT closed"));
    }
    io.shutdown();
    if (ownedCallbacks != null) {
      ownedCallbacks.shutdown();
      try {
        ownedCallbacks.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      io.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------------------------------

  /**
   * Configures and starts a {@link Dht}. Not thread-safe; build on one thread.
   *
   * <p>Defaults: bind 0.0.0.0:6881, a random node id (or the saved one), no state file, the
   * public bootstrap routers, alpha 3, lookup hard timeout 2 s, ready timeout 30 s, martian
   * addresses filtered.
   */
  public static final class Builder {
    /** The well-known public bootstrap routers. */
    public static final List<String> PUBLIC_ROUTERS =
        List.of(
            "router.bittorrent.com:6881",
            "dht.transmissionbt.com:6881",
            "router.utorrent.com:6881",
            "dht.libtorrent.org:25401");

    private InetSocketAddress bind = new InetSocketAddress(6881);
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

    private Builder() {}

    /** Local UDP address; port 0 picks a free port. */
    public Builder bind(InetSocketAddress address) {
      this.bind = Objects.requireNonNull(address);
      return this;
    }

    /** Listens on all interfaces at {@code port}. */
    public Builder port(int port) {
      return bind(new InetSocketAddress(port));
    }

    /** Our node id; by default the saved one, else random. */
    public Builder nodeId(NodeId id) {
      this.nodeId = id;
      return this;
    }

    /** Bootstrap contacts as "host:port" (resolved off the loop). Empty: none. */
    public Builder bootstrap(Collection<String> hostPorts) {
      for (String hp : hostPorts) {
        parseHostPort(hp);
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
      SavedState saved = readState(stateFile);
      NodeId id = nodeId != null ? nodeId : saved != null ? saved.id() : NodeId.random(new SecureRandom());
      Dht dht = new Dht(this, saved, id);
      List<NodeInfo> savedNodes = saved != null ? saved.nodes() : List.of();
      dht.begin(savedNodes, bootstrap);
      return dht;
    }
  }
}
