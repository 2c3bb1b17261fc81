package dev.jdht.bench.server;

import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.api.LookupReport;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.node.SecurityConfig;
import dev.jdht.core.server.DosBlocker;
import dev.jdht.core.server.RateLimiter;
import dev.jdht.core.testnet.LocalTestnet;
import dev.jdht.core.time.ManualClock;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 14's flood benchmark: one {@link Dht} with the library's default limits (50 queries/s per
 * IP, 10,000/s overall, DoS blocker at 50/s over 10 s) joins a private network of our own nodes
 * on loopback ({@link LocalTestnet}, 127.0.10.x), some of which announce peers for a few
 * infohashes, and runs {@code get_peers} lookups for them in a loop while a {@link LoopbackLoad}
 * floods it with queries (ping, find_node, get_peers with random targets, in turn). Scenarios:
 *
 * <ul>
 *   <li>{@code one}: one source (127.2.0.1) at {@code --one-factor} (100) times the per-IP budget;
 *   <li>{@code many}: {@code --sources} (10,000) sources, 127.1.x.y, one socket each, offering
 *       {@code --many-rate} queries/s in total (default: the global budget, 10,000/s, and twice it; {@code --many-rates} lists them).
 * </ul>
 *
 * Each scenario runs baseline (no flood), flood, and after (flood stopped) phases. A well-behaved
 * probe (127.3.0.1) pings the node 20 times a second throughout; when the flood stops, a fresh
 * source (127.4.0.x) pings it until answered and a fresh lookup runs until it finds every peer:
 * those times are the recovery. Heap is measured in this JVM after {@code System.gc()} at the end
 * of each phase: it holds the bench (the sockets, the 40-node testnet) as well as the node, so
 * what the node itself adds shows as the difference between phases.
 *
 * <p>Usage: {@code java -cp dht-bench/target/benchmarks.jar dev.jdht.bench.server.FloodBench
 * [--scenarios one,many] [--sources 10000] [--many-rates 10000,20000] [--one-factor 100] [--nodes 40]
 * [--infohashes 4] [--announcers 3] [--baseline 10] [--flood 20] [--after 10] [--lookup-rate 4]
 * [--seed 1]}. 10,000 sources need 10,000 sockets: {@code ulimit -n} must allow them.
 */
public final class FloodBench {
  private static final double PROBE_RATE = 20;

  private FloodBench() {}

  /** One lookup of the loop: when it started, how long it took, whether it found every peer. */
  record LookupRun(long startNanos, long doneNanos, boolean allFound) {}

  /** One flood: its sources, their total rate, its table label. */
  private record Flood(LoopbackLoad load, long rate, String label) {}

  /** Counts of one phase, printed as one table row. */
  record Phase(String scenario, String name, double seconds, List<LookupRun> lookups, long offered,
      long floodAnswered, DhtStats before, DhtStats after, long probeSent, long probeAnswered, long kernelDrops,
      double heapMb) {}

  /** Recovery after one flood: nanoseconds from its stop to a fresh source's answer and to a good lookup (-1: never). */
  record Recovery(String scenario, long freshAnswerNanos, long lookupNanos) {}

  /** What a run measured. */
  record Result(List<Phase> phases, List<Recovery> recoveries) {}

  /** The benchmark's settings; see the class comment. */
  record Settings(List<String> scenarios, int sources, long[] manyRates, double oneFactor, int nodes, int infohashes,
      int announcers, double baseline, double flood, double after, double lookupRate, long seed) {

    Settings {
      for (String s : scenarios) {
        if (!s.equals("one") && !s.equals("many")) {
          throw new IllegalArgumentException("--scenarios: one, many or one,many");
        }
      }
    }

    /** Parses {@code --name value} pairs over the defaults. */
    static Settings parse(String[] args) {
      if (args.length % 2 != 0) {
        throw new IllegalArgumentException("options come in pairs: --name value");
      }
      List<String> scenarios = List.of("one", "many");
      int sources = 10_000;
      double global = NodeConfig.defaults().globalRate();
      long[] manyRates = {(long) global, 2 * (long) global};
      double oneFactor = 100;
      int nodes = 40;
      int infohashes = 4;
      int announcers = 3;
      double baseline = 10;
      double flood = 20;
      double after = 10;
      double lookupRate = 4;
      long seed = 1;
      for (int i = 0; i + 1 < args.length; i += 2) {
        String v = args[i + 1];
        switch (args[i]) {
          case "--scenarios" -> scenarios = List.of(v.split(","));
          case "--sources" -> sources = Integer.parseInt(v);
          case "--many-rates" -> manyRates = Arrays.stream(v.split(",")).mapToLong(Long::parseLong).toArray();
          case "--one-factor" -> oneFactor = Double.parseDouble(v);
          case "--nodes" -> nodes = Integer.parseInt(v);
          case "--infohashes" -> infohashes = Integer.parseInt(v);
          case "--announcers" -> announcers = Integer.parseInt(v);
          case "--baseline" -> baseline = Double.parseDouble(v);
          case "--flood" -> flood = Double.parseDouble(v);
          case "--after" -> after = Double.parseDouble(v);
          case "--lookup-rate" -> lookupRate = Double.parseDouble(v);
          case "--seed" -> seed = Long.parseLong(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Settings(scenarios, sources, manyRates, oneFactor, nodes, infohashes, announcers, baseline, flood,
          after, lookupRate, seed);
    }
  }

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    Result r = run(Settings.parse(args), System.out);
    printPhases(r.phases());
    System.out.println();
    System.out.println("| scenario | flood stop -> a fresh source's first answer (ms) | flood stop -> a fresh lookup has found every peer (ms) |");
    System.out.println("|---|---:|---:|");
    for (Recovery rec : r.recoveries()) {
      System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", rec.scenario(), LoopbackLoad.ms(rec.freshAnswerNanos()),
          LoopbackLoad.ms(rec.lookupNanos()));
    }
    System.out.println();
    capsHeap();
  }

  /** Runs the scenarios of {@code s}, printing the setup to {@code out}. */
  static Result run(Settings settings, PrintStream out) throws Exception {
    List<String> scenarios = settings.scenarios();
    int sources = settings.sources();
    long[] manyRates = settings.manyRates();
    double oneFactor = settings.oneFactor();
    int nodes = settings.nodes();
    int infohashes = settings.infohashes();
    int announcers = settings.announcers();
    double baseline = settings.baseline();
    double flood = settings.flood();
    double after = settings.after();
    double lookupRate = settings.lookupRate();
    long seed = settings.seed();
    NodeConfig limits = NodeConfig.defaults();
    SecurityConfig sec = limits.security();
    long oneRate = (long) (oneFactor * limits.perIpRate());
    Random rnd = new Random(seed);

    try (LocalTestnet net = LocalTestnet.start(nodes, 10, 0, seed, 30_000)) {
      // the peers to find: each infohash announced by a few testnet nodes, each on its own port
      List<NodeId> hashes = new ArrayList<>();
      List<Set<PeerAddress>> expected = new ArrayList<>();
      for (int h = 0; h < infohashes; h++) {
        NodeId ih = NodeId.random(rnd);
        Set<PeerAddress> peers = new HashSet<>();
        for (int a = 0; a < announcers; a++) {
          int idx = rnd.nextInt(nodes);
          int port = 10_000 + h * 100 + a;
          net.announce(idx, ih, port).get(30, TimeUnit.SECONDS);
          peers.add(net.addresses().get(idx).withPort(port));
        }
        hashes.add(ih);
        expected.add(peers);
      }
      List<String> boot = net.addresses().subList(0, Math.min(4, nodes)).stream()
          .map(p -> p.hostString() + ":" + p.port()).toList();
      // the flooded node: library defaults, local addresses allowed in its routing table (the
      // testnet is on loopback); the rate limiter and the DoS blocker apply to every source,
      // loopback included (DhtNode.onDatagram exempts no address)
      try (Dht victim = Dht.builder()
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .allowLocalAddresses(true)
              .bootstrap(boot)
              .readyTimeout(Duration.ofSeconds(30))
              .random(new Random(seed + 1))
              .start();
          LoopbackLoad one = LoopbackLoad.open(1, 2);
          LoopbackLoad many = scenarios.contains("many") ? LoopbackLoad.open(sources, 1) : null;
          DatagramChannel probe = DatagramChannel.open()) {
        victim.ready().get(30, TimeUnit.SECONDS);
        InetSocketAddress server = victim.localAddress();
        probe.bind(new InetSocketAddress("127.3.0.1", 0));
        out.printf(Locale.ROOT,
            "node %s, limits %,.0f/s per IP (burst %d), %,.0f/s global (burst %,d), DoS blocker %,.0f/s over %d s -> %d min;"
                + " testnet %d nodes, %d infohashes x %d announcers, lookups <= %.0f/s; phases %.0f/%.0f/%.0f s%n",
            server, limits.perIpRate(), limits.perIpBurst(), limits.globalRate(), limits.globalBurst(), sec.dosRate(),
            TimeUnit.NANOSECONDS.toSeconds(sec.dosWindowNanos()), TimeUnit.NANOSECONDS.toMinutes(sec.dosBlockNanos()),
            nodes, infohashes, announcers, lookupRate, baseline, flood, after);
        out.printf(Locale.ROOT, "scenario one: 1 source at %,d q/s; scenario many: %,d sources at %s q/s in total%n%n",
            oneRate, sources, Arrays.toString(manyRates));

        Lookups loop = new Lookups(victim, hashes, expected, lookupRate);
        Probe pinger = new Probe(probe, server);
        loop.start();
        pinger.start();
        warmUp(victim, hashes, expected);
        List<Phase> phases = new ArrayList<>();
        List<Recovery> recovery = new ArrayList<>();
        int fresh = 1;
        List<Flood> runs = new ArrayList<>();
        for (String s : scenarios) {
          if (s.equals("one")) {
            runs.add(new Flood(one, oneRate, "1 source, " + fmt(oneFactor) + "x per-IP"));
          } else {
            for (long r : manyRates) {
              runs.add(new Flood(many, r, fmtInt(many.size()) + " sources, " + fmtInt(r) + " q/s"));
            }
          }
        }
        for (Flood run : runs) {
          LoopbackLoad load = run.load();
          long rate = run.rate();
          String label = run.label();
          phases.add(phase(label, "baseline", victim, loop, pinger, null, 0, baseline, rnd));
          phases.add(phase(label, "flood", victim, loop, pinger, load, rate, flood, rnd));
          long stop = System.nanoTime();
          long freshAnswer = freshSourceAnswer(server, fresh++, stop);
          long lookupOk = recoveryLookup(victim, hashes, expected, stop);
          phases.add(phase(label, "after", victim, loop, pinger, null, 0, after, rnd));
          recovery.add(new Recovery(label, freshAnswer, lookupOk));
        }
        loop.stop();
        pinger.stop();
        return new Result(phases, recovery);
      }
    }
  }

  /** A few lookups before the first phase: the first ones run interpreted code. */
  private static void warmUp(Dht victim, List<NodeId> hashes, List<Set<PeerAddress>> expected) throws Exception {
    for (int i = 0; i < 3 * hashes.size(); i++) {
      victim.getPeers(hashes.get(i % hashes.size()), null).get(30, TimeUnit.SECONDS);
    }
  }

  private static Phase phase(String scenario, String name, Dht victim, Lookups loop, Probe probe, LoopbackLoad load,
      long rate, double seconds, Random rnd) throws Exception {
    DhtStats before = victim.stats().get(5, TimeUnit.SECONDS);
    long kernel0 = udpReceiveBufferErrors();
    long probeSent0 = probe.sent;
    long probeAnswered0 = probe.answered;
    long t0 = System.nanoTime();
    long offered = 0;
    long answered = 0;
    if (load == null) {
      Thread.sleep((long) (seconds * 1000));
    } else {
      load.drain();
      LoopbackLoad.Replies replies = load.startReceiver(null, 0, "flood-receiver");
      byte[] id = new byte[20];
      rnd.nextBytes(id);
      offered = load.sendPaced(victim.localAddress(), rate, LoopbackLoad.seconds(seconds),
          LoopbackLoad.templates("mix", id), rnd, null, null);
      answered = replies.count.get();
      replies.stop(load.selector());
    }
    long t1 = System.nanoTime();
    DhtStats after = victim.stats().get(5, TimeUnit.SECONDS);
    long probeSent = probe.sent - probeSent0;
    long probeAnswered = probe.answered - probeAnswered0;
    List<LookupRun> runs = loop.startedBetween(t0, t1);
    long kernelDrops = udpReceiveBufferErrors() - kernel0;
    return new Phase(scenario, name, (t1 - t0) / 1e9, runs, offered, answered, before, after, probeSent, probeAnswered,
        kernelDrops, heapAfterGcMb());
  }

  /**
   * What a node's per-source flood state costs when full: a {@link RateLimiter} tracking its
   * 65,536 sources (a node has two: queries and other datagrams) and a {@link DosBlocker} counting
   * and blocking its 4,096, measured as heap after GC with and without them.
   */
  private static void capsHeap() throws InterruptedException {
    SecurityConfig sec = SecurityConfig.defaults();
    NodeConfig cfg = NodeConfig.defaults();
    int limiterCap = 65_536;
    double base = heapAfterGcMb();
    RateLimiter limiter = new RateLimiter(cfg.perIpRate(), cfg.perIpBurst(), cfg.globalRate(), cfg.globalBurst(), limiterCap);
    for (int i = 0; i < 2 * limiterCap; i++) {
      limiter.tryAcquire(PeerAddress.of(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, 6881), i);
    }
    double withLimiter = heapAfterGcMb();
    ManualClock clock = new ManualClock();
    DosBlocker blocker = new DosBlocker(clock, sec.dosRate(), sec.dosWindowNanos(), sec.dosBlockNanos(), sec.dosMaxTracked());
    long perWindow = blocker.maxPerWindow();
    for (int i = 0; i < 2 * sec.dosMaxTracked(); i++) {
      PeerAddress a = PeerAddress.of(new byte[] {10, 1, (byte) (i >>> 8), (byte) i}, 6881);
      for (long k = 0; k <= perWindow; k++) {
        blocker.allow(a); // one over: blocked
      }
      PeerAddress b = PeerAddress.of(new byte[] {10, 2, (byte) (i >>> 8), (byte) i}, 6881);
      blocker.allow(b); // counted
    }
    double withBlocker = heapAfterGcMb();
    System.out.printf(Locale.ROOT,
        "per-source state at its caps (heap after GC): a RateLimiter tracking %,d sources %.1f MB, a DosBlocker"
            + " counting %,d and blocking %,d sources %.1f MB; a node (two limiters, one blocker) at most %.1f MB%n",
        limiter.trackedIps(), withLimiter - base, blocker.tracked(), blocker.blockListSize(), withBlocker - withLimiter,
        2 * (withLimiter - base) + (withBlocker - withLimiter));
  }

  private static double heapAfterGcMb() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
  }

  private static void printPhases(List<Phase> phases) {
    System.out.println("| scenario | phase | s | lookups | every peer found | lookup done p50 (ms) | p95 (ms) | flood offered (q/s) | node in (pkt/s) | flood answered (q/s) | dropped: rate limit | dropped: DoS-blocked | blocks | probe answered | node out (pkt/s) | of which own queries (/s) | own queries timed out | table / in flight (end) | kernel UDP buffer drops (machine) | heap after GC (MB) |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Phase p : phases) {
      long[] done = p.lookups.stream().mapToLong(LookupRun::doneNanos).sorted().toArray();
      long ok = p.lookups.stream().filter(LookupRun::allFound).count();
      DhtStats a = p.after;
      DhtStats b = p.before;
      long ownQueries = sum(a.queriesOut()) - sum(b.queriesOut());
      System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %d | %d | %s | %s | %,.0f | %,.0f | %,.0f | %,d | %,d | %d | %d / %d | %,.0f | %,.0f | %,d | %d / %d | %s | %.1f |%n",
          p.scenario, p.name, p.seconds, p.lookups.size(), ok,
          LoopbackLoad.ms(LoopbackLoad.pct(done, 0.5)), LoopbackLoad.ms(LoopbackLoad.pct(done, 0.95)),
          p.offered / p.seconds, (a.datagramsIn() - b.datagramsIn()) / p.seconds, p.floodAnswered / p.seconds,
          a.droppedRateLimited() - b.droppedRateLimited(), a.droppedBlocked() - b.droppedBlocked(),
          a.sourcesBlocked() - b.sourcesBlocked(), p.probeAnswered, p.probeSent,
          (a.datagramsOut() - b.datagramsOut()) / p.seconds, ownQueries / p.seconds, a.timeouts() - b.timeouts(),
          a.routingTableSize(), a.inFlight(), p.kernelDrops < 0 ? "-" : String.format(Locale.ROOT, "%,d", p.kernelDrops),
          p.heapMb);
    }
  }

  /**
   * Datagrams the kernel dropped because a socket's receive buffer was full ({@code RcvbufErrors}
   * in /proc/net/snmp; every socket of the machine, the flood's own included), or -1 if unknown.
   */
  static long udpReceiveBufferErrors() {
    try {
      List<String> udp = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp")).stream()
          .filter(l -> l.startsWith("Udp:")).toList();
      int col = Arrays.asList(udp.get(0).split(" ")).indexOf("RcvbufErrors");
      return col < 0 ? -1 : Long.parseLong(udp.get(1).split(" ")[col]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long sum(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * A source the node has never seen (127.4.0.{@code n}) pings from {@code stop} on, every 5 ms,
   * until answered: nanoseconds from {@code stop} to the answer, or -1 after 10 s.
   */
  private static long freshSourceAnswer(InetSocketAddress server, int n, long stop) throws IOException {
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.bind(new InetSocketAddress("127.4.0." + n, 0));
      ch.socket().setSoTimeout(5);
      byte[] id = new byte[20];
      Arrays.fill(id, (byte) n);
      LoopbackLoad.Template ping = LoopbackLoad.template("ping", id);
      ByteBuffer in = ByteBuffer.allocate(2048);
      while (System.nanoTime() - stop < TimeUnit.SECONDS.toNanos(10)) {
        ch.send(ByteBuffer.wrap(ping.bytes()), server);
        try {
          in.clear();
          ch.socket().receive(new java.net.DatagramPacket(in.array(), in.capacity()));
          return System.nanoTime() - stop;
        } catch (SocketTimeoutException again) {
          // next ping
        }
      }
      return -1;
    }
  }

  /** Lookups from {@code stop} on until one finds every peer: nanoseconds until then, or -1. */
  private static long recoveryLookup(Dht victim, List<NodeId> hashes, List<Set<PeerAddress>> expected, long stop)
      throws Exception {
    for (int i = 0; System.nanoTime() - stop < TimeUnit.SECONDS.toNanos(30); i++) {
      int h = i % hashes.size();
      LookupReport r = victim.getPeers(hashes.get(h), null).get(30, TimeUnit.SECONDS);
      if (r.peers().containsAll(expected.get(h))) {
        return System.nanoTime() - stop;
      }
    }
    return -1;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%s", d);
  }

  private static String fmtInt(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** The node's own lookups: one at a time, at most {@code rate} a second, the infohashes in turn. */
  private static final class Lookups extends Background {
    private final Dht dht;
    private final List<NodeId> hashes;
    private final List<Set<PeerAddress>> expected;
    private final long periodNanos;
    private final List<LookupRun> runs = new ArrayList<>();

    Lookups(Dht dht, List<NodeId> hashes, List<Set<PeerAddress>> expected, double rate) {
      super("flood-bench-lookups");
      this.dht = dht;
      this.hashes = hashes;
      this.expected = expected;
      this.periodNanos = (long) (1e9 / rate);
    }

    synchronized List<LookupRun> startedBetween(long t0, long t1) {
      return runs.stream().filter(r -> r.startNanos >= t0 && r.startNanos < t1).toList();
    }

    @Override
    void run() {
      for (int i = 0; !stop.get(); i++) {
        int h = i % hashes.size();
        long start = System.nanoTime();
        boolean ok;
        long done;
        try {
          LookupReport r = dht.getPeers(hashes.get(h), null).get(30, TimeUnit.SECONDS);
          done = r.timeToDone() == null ? System.nanoTime() - start : r.timeToDone().toNanos();
          ok = r.peers().containsAll(expected.get(h));
        } catch (Exception e) {
          done = System.nanoTime() - start;
          ok = false;
        }
        synchronized (this) {
          runs.add(new LookupRun(start, done, ok));
        }
        long sleep = start + periodNanos - System.nanoTime();
        if (sleep > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(sleep);
        }
      }
    }
  }

  /**
   * A well-behaved node: a ping every 1/{@value #PROBE_RATE} s, counting the answers, and it
   * answers the node's queries (the ping with which the node verifies a new querier), so it
   * becomes a verified contact of the node, as a DHT node querying it would be.
   */
  private static final class Probe extends Background {
    private final DatagramChannel ch;
    private final InetSocketAddress server;
    volatile long sent;
    volatile long answered;

    Probe(DatagramChannel ch, InetSocketAddress server) throws IOException {
      super("flood-bench-probe");
      this.ch = ch;
      this.server = server;
      ch.socket().setSoTimeout(5);
    }

    @Override
    void run() {
      byte[] id = new byte[20];
      Arrays.fill(id, (byte) 'p');
      byte[] ping = LoopbackLoad.template("ping", id).bytes();
      byte[] in = new byte[2048];
      long period = (long) (1e9 / PROBE_RATE);
      long next = System.nanoTime();
      try {
        while (!stop.get()) {
          long now = System.nanoTime();
          if (now >= next) {
            ch.send(ByteBuffer.wrap(ping), server);
            sent++;
            next += period;
          }
          try {
            java.net.DatagramPacket packet = new java.net.DatagramPacket(in, in.length);
            ch.socket().receive(packet);
            KrpcMessage m;
            try {
              m = KrpcCodec.decode(in, 0, packet.getLength());
            } catch (DecodeException bad) {
              continue;
            }
            if (m instanceof Query q) {
              byte[] answer = KrpcCodec.encode(Response.builder(q.transactionId(), NodeId.of(id, 0)).build());
              ch.send(ByteBuffer.wrap(answer), server);
            } else {
              answered++;
            }
          } catch (SocketTimeoutException idle) {
            // next ping
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A daemon thread running {@link #run} until {@link #stop}. */
  private abstract static class Background {
    final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    Background(String name) {
      this.thread = new Thread(this::run, name);
      thread.setDaemon(true);
    }

    abstract void run();

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      stop.set(true);
      thread.join();
    }
  }
}
