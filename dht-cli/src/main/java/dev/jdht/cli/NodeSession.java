package dev.jdht.cli;

import dev.jdht.krpc.wire.HostPort;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.node.SavedState;
import dev.jdht.core.node.SecurityConfig;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * A command's running node: binds the socket (6881, else any free port, unless a port was
 * given), owns or shares the state directory (see {@link StateDir}), resolves the bootstrap host
 * names off the node's thread (in parallel, so an offline machine fails at once with one line),
 * and waits until the node is ready.
 *
 * <p>Bootstrap: an explicit {@code --bootstrap} list is used as is. Otherwise, a saved routing
 * table is enough to join (no router is contacted); only if the node is not ready within {@link
 * #ROUTER_FALLBACK} are the public routers added. Without saved state the public routers are used
 * from the start.
 *
 * <p>A node bound to a loopback address never asks the public routers (it could not reach them).
 *
 * <p>A "private network" (a loopback, link-local or private address in {@code --bootstrap} or
 * {@code --bind}) accepts such addresses as nodes ({@code allowLocalAddresses}) and does not
 * touch the default state directory (an explicit {@code --state-dir} is used).
 *
 * <p>Threading: create, wait and close on the command's thread; {@link #dht()} may be used from
 * any thread.
 */
public final class NodeSession implements AutoCloseable {
  /** How long a node started from saved state waits before it also asks the public routers. */
  public static final Duration ROUTER_FALLBACK = Duration.ofSeconds(3);
  /** Saved nodes used as contacts when another process owns the state directory. */
  static final int MAX_SHARED_CONTACTS = 64;
  private static final long POLL_MILLIS = 100;

  private final Dht dht;
  private final StateDir state;
  private final String stateNote;
  private final boolean privateNetwork;
  private final boolean bindFellBack;
  private final List<InetSocketAddress> first;
  private final List<InetSocketAddress> fallback;
  private final boolean expectContacts;
  private final Logger log;
  private final Duration queryTimeout;
  private final long startedAt = System.nanoTime();
  private final AtomicReference<DhtStats> lastStats = new AtomicReference<>();
  private boolean fallbackUsed;
  private volatile String phase = "starting";

  private NodeSession(
      Dht dht,
      StateDir state,
      String stateNote,
      boolean privateNetwork,
      boolean bindFellBack,
      List<InetSocketAddress> first,
      List<InetSocketAddress> fallback,
      boolean expectContacts,
      Duration queryTimeout,
      Logger log) {
    this.dht = dht;
    this.state = state;
    this.stateNote = stateNote;
    this.privateNetwork = privateNetwork;
    this.bindFellBack = bindFellBack;
    this.first = first;
    this.fallback = fallback;
    this.expectContacts = expectContacts;
    this.queryTimeout = queryTimeout;
    this.log = log;
  }

  /**
   * Starts a node. Returns once the socket is bound and bootstrap has begun; call {@link
   * #awaitReady} before lookups.
   *
   * @param readyTimeout how long the library's {@code ready()} may take before it fails
   * @throws UsageError for an address that cannot be bound here or an unusable state directory
   * @throws CommandFailed when the port is taken or no bootstrap host name resolves
   */
  public static NodeSession start(NodeSettings s, Duration readyTimeout, Logger log) {
    boolean explicitBootstrap = s.bootstrap() != null;
    boolean privateNetwork = isLocal(s.bind().address())
        || (explicitBootstrap && s.bootstrap().stream().anyMatch(NodeSession::isLocal));
    StateDir state = null;
    String stateNote;
    SavedState shared = null;
    boolean owned = false;
    if (s.noState()) {
      stateNote = "not used (--no-state)";
    } else if (privateNetwork && s.stateDir() == null) {
      stateNote = "not used (private network; pass --state-dir to keep one)";
    } else {
      state = StateDir.of(s.stateDir());
      owned = state.tryLock();
      SavedState saved = state.read();
      int n = saved == null ? 0 : saved.nodes().size();
      if (owned) {
        stateNote = state.stateFile() + (saved == null ? " (new)" : " (restored " + n + " nodes)");
      } else {
        shared = saved;
        stateNote = state.stateFile() + " (in use by another dht process: " + n
            + " of its nodes used as contacts, a random node id, nothing saved)";
      }
    }
    try {
      SavedState savedForCount = owned ? state.read() : shared;
      boolean haveSavedNodes = savedForCount != null && !savedForCount.nodes().isEmpty();

      // a node bound to a loopback address cannot reach the public routers: never use them
      InetAddress bindIp = s.bind().address().getAddress();
      List<InetSocketAddress> routers = bindIp != null && bindIp.isLoopbackAddress() ? List.of() : publicRouters();
      List<InetSocketAddress> first;
      List<InetSocketAddress> fallback;
      if (explicitBootstrap) {
        first = s.bootstrap();
        fallback = List.of();
      } else if (haveSavedNodes) {
        first = List.of();
        fallback = routers;
      } else {
        first = routers;
        fallback = List.of();
      }

      Dht.Builder b = Dht.builder()
          .allowLocalAddresses(privateNetwork)
          .readyTimeout(readyTimeout)
          .bootstrap(List.of());
      if (owned) {
        b.stateFile(state.stateFile());
      }
      if (s.nodeId() != null) {
        b.nodeId(s.nodeId());
      }
      if (s.alpha() != null) {
        b.alpha(s.alpha());
      }
      if (s.queryTimeout() != null) {
        b.queryTimeout(s.queryTimeout());
      }
      if (s.rateLimit() != null || s.perIpRateLimit() != null) {
        b.configure(c -> {
          if (s.rateLimit() != null) {
            c.globalRate(s.rateLimit()).globalBurst(burst(s.rateLimit()));
          }
          if (s.perIpRateLimit() != null) {
            c.perIpRate(s.perIpRateLimit()).perIpBurst(burst(s.perIpRateLimit()));
          }
        });
      }
      if (s.secureIds() != null) {
        b.configure(c -> c.secureIds(s.secureIds()));
      }
      if (s.dosBlockRate() != null) {
        b.configure(c -> c.security(SecurityConfig.defaults().withDosRate(s.dosBlockRate())));
      }
      if (s.socketBufferBytes() != null) {
        b.socketBufferBytes(s.socketBufferBytes());
      }
      boolean[] fellBack = {false};
      b.readOnly(s.readOnly());
      Dht dht = bind(b, s.binds(), fellBack, log);
      NodeSession session = new NodeSession(dht, state, stateNote, privateNetwork, fellBack[0], first, fallback,
          !first.isEmpty() || haveSavedNodes || !fallback.isEmpty(),
          s.queryTimeout() != null ? s.queryTimeout() : Duration.ofSeconds(2), log);
      try {
        log.info("node {} on {}", dht.nodeId().toHex(), session.localAddressText());
        if (s.socketBufferBytes() != null && socketBufferCapped(s.socketBufferBytes(), dht.receiveBufferBytes())) {
          log.warn("socket buffer: asked for {} bytes, the kernel granted {} (on Linux raise net.core.rmem_max and wmem_max)",
              s.socketBufferBytes(), dht.receiveBufferBytes());
        }
        log.info("state: {}", stateNote);
        if (shared != null) {
          List<String> contacts = new ArrayList<>();
          for (NodeInfo ni : shared.nodes()) {
            if (contacts.size() < MAX_SHARED_CONTACTS) {
              contacts.add(ni.address().toString());
            }
          }
          if (!contacts.isEmpty()) {
            dht.addBootstrapNodes(contacts);
          }
        }
        if (!first.isEmpty()) {
          List<String> literals = session.resolve(first, readyTimeout);
          if (literals.isEmpty() && !haveSavedNodes) {
            throw new CommandFailed("cannot resolve any bootstrap node (" + names(first)
                + "): no network? ('dht demo' runs offline)");
          }
          log.info("bootstrap: {}", literals);
          dht.addBootstrapNodes(literals);
        }
        return session;
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    } catch (RuntimeException e) {
      if (state != null) {
        state.close();
      }
      throw e;
    }
  }

  /**
   * Binds as asked (no address: the library default, both families where there is IPv6): an
   * address without a port tries 6881 first and falls back to any free port when it is taken.
   */
  private static Dht bind(Dht.Builder b, List<BindAddress> binds, boolean[] fellBack, Logger log) {
    String what = binds.isEmpty() ? BindAddress.defaults().toString()
        : String.join(" ", binds.stream().map(BindAddress::toString).toList());
    if (binds.isEmpty() || binds.stream().anyMatch(x -> !x.portGiven())) {
      try {
        return withPorts(b, binds, BindAddress.DEFAULT_PORT).start();
      } catch (BindException e) {
        if (!inUse(e)) {
          throw bindFailed(what, e);
        }
        log.info("UDP port {} is in use; binding any free port instead", BindAddress.DEFAULT_PORT);
        fellBack[0] = true;
      } catch (IOException e) {
        throw bindFailed(what, e);
      }
    }
    try {
      return withPorts(b, binds, 0).start();
    } catch (IOException e) {
      throw bindFailed(what, e);
    }
  }

  /** The addresses with {@code port} where none was given. */
  private static Dht.Builder withPorts(Dht.Builder b, List<BindAddress> binds, int port) {
    if (binds.isEmpty()) {
      return b.port(port);
    }
    return b.bind(binds.stream()
        .map(x -> x.portGiven() ? x.address() : new InetSocketAddress(x.address().getAddress(), port))
        .toList());
  }

  private static boolean inUse(IOException e) {
    String m = e.getMessage();
    return m != null && m.toLowerCase(Locale.ROOT).contains("in use");
  }

  private static RuntimeException bindFailed(String bind, IOException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String what = "cannot bind UDP " + bind + ": " + m;
    if (inUse(e)) {
      return new CommandFailed(what, e);
    }
    if (e instanceof SocketException) {
      // "Cannot assign requested address": not an address of this machine
      return new UsageError(what, e);
    }
    return new CommandFailed(what, e);
  }

  /** The library's public routers as unresolved addresses. */
  static List<InetSocketAddress> publicRouters() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String hp : Dht.Builder.PUBLIC_ROUTERS) {
      out.add(HostPort.parse(hp).toSocketAddress());
    }
    return out;
  }

  /** Whether an address is loopback, link-local, private, or the name "localhost". */
  static boolean isLocal(InetSocketAddress a) {
    if (a.isUnresolved()) {
      String h = a.getHostString().toLowerCase(Locale.ROOT);
      return h.equals("localhost") || h.endsWith(".localhost");
    }
    InetAddress ip = a.getAddress();
    if (ip.isLoopbackAddress() || ip.isLinkLocalAddress() || ip.isSiteLocalAddress()) {
      return true;
    }
    byte[] b = ip.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64; // 100.64.0.0/10, carrier-grade NAT
    }
    return (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
  }

  private static String names(List<InetSocketAddress> l) {
    List<String> n = new ArrayList<>();
    for (InetSocketAddress a : l) {
      n.add(a.getHostString());
    }
    return String.join(", ", n);
  }

  /**
   * Resolves host names in parallel (IP literals need no lookup) into {@code ip:port} strings,
   * waiting at most {@code limit}. Names that fail are logged at info.
   */
  private List<String> resolve(List<InetSocketAddress> addrs, Duration limit) {
    Set<String> out = new LinkedHashSet<>();
    List<InetSocketAddress> names = new ArrayList<>();
    for (InetSocketAddress a : addrs) {
      if (a.isUnresolved()) {
        names.add(a);
      } else {
        out.add(PeerAddress.of(a).toString());
      }
    }
    if (names.isEmpty()) {
      return new ArrayList<>(out);
    }
    boolean onlyV4 = !dht.servesIpv6();
    boolean onlyV6 = !dht.servesIpv4();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(names.size(), 8), r -> {
      Thread t = new Thread(r, "dht-resolve");
      t.setDaemon(true);
      return t;
    });
    try {
      List<CompletableFuture<InetAddress[]>> fs = new ArrayList<>();
      for (InetSocketAddress a : names) {
        fs.add(CompletableFuture.supplyAsync(() -> {
          try {
            return InetAddress.getAllByName(a.getHostString());
          } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve " + a.getHostString());
          }
        }, pool));
      }
      long deadline = System.nanoTime() + Math.min(limit.toNanos(), TimeUnit.SECONDS.toNanos(10));
      for (int i = 0; i < fs.size(); i++) {
        InetSocketAddress a = names.get(i);
        try {
          long left = Math.max(0, deadline - System.nanoTime());
          for (InetAddress ip : fs.get(i).get(left, TimeUnit.NANOSECONDS)) {
            if ((onlyV4 && !(ip instanceof Inet4Address)) || (onlyV6 && !(ip instanceof Inet6Address))) {
              continue;
            }
            out.add(PeerAddress.of(ip, a.getPort()).toString());
          }
        } catch (ExecutionException e) {
          log.info("{}", e.getCause().getMessage());
        } catch (TimeoutException e) {
          log.info("resolving {} takes too long; skipped", a.getHostString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new ArrayList<>(out);
  }

  /** The running node. */
  public Dht dht() {
    return dht;
  }

  /** What happened to the state directory, for messages. */
  public String stateNote() {
    return stateNote;
  }

  /** Whether this node runs on a private network (local addresses accepted). */
  public boolean privateNetwork() {
    return privateNetwork;
  }

  /** Whether the default port was taken and another one was bound. */
  public boolean bindFellBack() {
    return bindFellBack;
  }

  /** The state file this process writes, or null. */
  public Path ownedStateFile() {
    return state != null && state.owned() ? state.stateFile() : null;
  }

  /** The bound addresses as {@code ip:port}, space-separated. */
  public String localAddressText() {
    List<String> out = new ArrayList<>();
    for (InetSocketAddress a : dht.localAddresses()) {
      String text = HostPort.format(a);
      if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) {
        text += a.getAddress() instanceof Inet6Address ? " (all interfaces, IPv4 and IPv6)" : " (all IPv4 interfaces)";
      }
      out.add(text);
    }
    return String.join(" ", out);
  }

  /** A short status for the progress line while bootstrapping. */
  public String bootstrapStatus() {
    DhtStats s = lastStats.get();
    double elapsed = (System.nanoTime() - startedAt) / 1e9;
    if (s == null) {
      return String.format(Locale.ROOT, "%s... %.1f s", phase, elapsed);
    }
    return String.format(Locale.ROOT, "%s... %d nodes (%d good), %.1f s", phase, s.routingTableSize(),
        s.goodNodes(), elapsed);
  }

  /**
   * Waits until the node is ready, adding the public routers after {@link #ROUTER_FALLBACK} when
   * it started from saved state alone.
   *
   * @param deadline a {@code System.nanoTime()} value
   * @throws CommandFailed with the one-line reason when nobody answered
   */
  public void awaitReady(long deadline) {
    phase = "joining the DHT";
    if (!expectContacts) {
      throw new CommandFailed("nothing to join the DHT through: no bootstrap node and no saved state"
          + (privateNetwork ? " (a node on a loopback address does not use the public routers)" : "")
          + "; give --bootstrap HOST:PORT", CommandFailed.NO_NODES, null);
    }
    CompletableFuture<Void> ready = dht.ready();
    AtomicInteger polls = new AtomicInteger();
    long quietAfter = queryTimeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
    while (true) {
      try {
        ready.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
        phase = "ready";
        log.info("ready after {}", Durations.format(Duration.ofNanos(System.nanoTime() - startedAt)));
        return;
      } catch (TimeoutException e) {
        // poll below
      } catch (ExecutionException e) {
        throw new CommandFailed(CliErrors.oneLine(e.getCause().getMessage()), CommandFailed.NO_NODES, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailed("interrupted", CommandFailed.INTERRUPTED, e);
      }
      long now = System.nanoTime();
      DhtStats st = null;
      try {
        st = dht.stats().get(1, TimeUnit.SECONDS);
        lastStats.set(st);
      } catch (ExecutionException | TimeoutException e) {
        // keep waiting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailed("interrupted", CommandFailed.INTERRUPTED, e);
      }
      polls.incrementAndGet();
      long elapsed = now - startedAt;
      boolean silent = st != null && st.routingTableSize() == 0 && st.inFlight() == 0 && elapsed > quietAfter;
      if (!fallbackUsed && !fallback.isEmpty() && (elapsed > ROUTER_FALLBACK.toNanos() || silent)) {
        fallbackUsed = true;
        log.info("the saved nodes are not enough; asking the public routers too");
        List<String> literals = resolve(fallback, Duration.ofNanos(Math.max(1, deadline - now)));
        if (!literals.isEmpty()) {
          dht.addBootstrapNodes(literals);
        }
        continue;
      }
      if (silent && (fallback.isEmpty() || fallbackUsed) && elapsed > quietAfter * 2) {
        throw new CommandFailed("no DHT node answered within " + Durations.format(Duration.ofNanos(elapsed)),
            CommandFailed.NO_NODES, null);
      }
      if (now - deadline >= 0) {
        String known = st == null ? "" : " (" + st.routingTableSize() + " nodes known, " + st.goodNodes() + " good)";
        throw new CommandFailed("the DHT node was not ready within "
            + Durations.format(Duration.ofNanos(elapsed)) + known, CommandFailed.TIMEOUT, null);
      }
    }
  }

  /** Whether there is anything to join through (bootstrap nodes, saved nodes or routers). */
  public boolean hasContacts() {
    return expectContacts;
  }

  /** Bootstraps again from every configured contact (for a long-lived node that lost them all). */
  public void rejoin() {
    List<InetSocketAddress> all = new ArrayList<>(first);
    all.addAll(fallback);
    if (all.isEmpty()) {
      return;
    }
    List<String> literals = resolve(all, Duration.ofSeconds(5));
    if (!literals.isEmpty()) {
      dht.addBootstrapNodes(literals);
    }
  }

  /**
   * Closes the node (saving state if this process owns it) and releases the state directory.
   * Idempotent; a second caller (a shutdown hook racing the command's thread) waits until the
   * first has finished, so the JVM does not end halfway through saving.
   */
  @Override
  public synchronized void close() {
    try {
      dht.close();
    } finally {
      if (state != null) {
        state.close();
      }
    }
  }

  /** Two seconds' worth of queries, at least 1. */
  static int burst(int perSecond) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, 2L * perSecond));
  }

  /**
   * Whether the kernel granted less receive buffer than asked (Linux caps it at {@code
   * net.core.rmem_max}; Java reports the size as asked for, not the doubled one Linux keeps).
   */
  static boolean socketBufferCapped(int asked, int granted) {
    return granted >= 0 && granted < asked;
  }
}
