package dev.jdht.bench.sim;

import dev.jdht.core.api.DhtStats;
import dev.jdht.core.node.NodeSizes;
import dev.jdht.core.sim.SimConfig;
import dev.jdht.core.sim.SimNode;
import dev.jdht.core.sim.SimulatedNetwork;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * A soak on the simulated network (dht-core {@code SimulatedNetwork}, virtual time): a network of
 * real nodes serves for {@code --hours} virtual hours under steady load and churn, and one node of
 * it (node 0, never churned) is watched closely. Every virtual hour the bench samples that node's
 * structures ({@code DhtNode.sizes()}: routing table and replacement caches, peer store, item
 * store, transactions in flight, running lookups, rate limiter, DoS blocker, prefix cap, external
 * IP votes), the network's event queue (timers of every node plus datagrams in flight), averages
 * over all online nodes, and the JVM's heap after a full GC. It prints the hourly table and a
 * verdict per column: flat when the mean of the last 4 samples is at most the mean of the 4
 * samples after a 2-hour warm-up plus 10% (plus a small absolute slack: 10 entries, 8 MB of
 * heap).
 *
 * <p>The load, all steady over the whole run:
 *
 * <ul>
 *   <li>{@code --queries} queries per second to the watched node from {@code --sources} distinct
 *       public-looking addresses (30.x.y.z, each with its own id): ping, find_node, get_peers,
 *       announce_peer with a wrong token, sample_infohashes, in turn. Replies to them go nowhere,
 *       like replies to spoofed sources;
 *   <li>every 10 s a random node announces an infohash near the watched node (its id with the last
 *       140 bits random): half the time a new one, else one of 50 popular ones;
 *   <li>every 5 s a random node runs get_peers for one of those infohashes;
 *   <li>the watched node runs its own get_peers every 30 s and announces a new random infohash
 *       every 5 minutes;
 *   <li>churn: {@code --churn} nodes leave and as many new nodes join (real bootstrap) per second.
 *       Dead nodes are released ({@code SimulatedNetwork.releaseDeadNodes}) so the heap measures
 *       live state, not the dead.
 * </ul>
 *
 * <p>Usage: {@code java -Xmx4g -cp dht-bench/target/benchmarks.jar dev.jdht.bench.sim.SoakBench
 * [--nodes 300] [--hours 24] [--churn 0.02] [--queries 20] [--sources 100000] [--seed 1]}.
 * Single-threaded; Markdown on stdout, progress on stderr.
 */
public final class SoakBench {
  private static final long SECOND = 1_000_000_000L;
  private static final long HOUR = 3_600 * SECOND;
  private static final int WARMUP_HOURS = 2;
  private static final int WINDOW = 4;

  /** One hourly sample. */
  private record Sample(
      int hour,
      int online,
      int everCreated,
      NodeSizes watched,
      int goodNodes,
      long answered,
      long timeouts,
      int timers,
      long datagramsInFlight,
      double avgRouting,
      double avgPeers,
      double avgInFlight,
      long heapMb,
      double wallSeconds) {}

  /** A column the verdict checks. */
  private record Check(String name, ToDoubleFunction<Sample> value, double slack) {}

  private SoakBench() {}

  /** Runs the soak; see the class comment for the arguments. */
  public static void main(String[] args) {
    int nodes = 300;
    int hours = 24;
    double churn = 0.02;
    double queries = 20;
    int sources = 100_000;
    long seed = 1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
        case "--hours" -> hours = Integer.parseInt(args[i + 1]);
        case "--churn" -> churn = Double.parseDouble(args[i + 1]);
        case "--queries" -> queries = Double.parseDouble(args[i + 1]);
        case "--sources" -> sources = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (hours < WARMUP_HOURS + 2 || queries <= 0 || sources < 1) {
      throw new IllegalArgumentException("--hours at least " + (WARMUP_HOURS + 2) + ", --queries > 0, --sources >= 1");
    }
    long wall0 = System.nanoTime();
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(seed).build());
    net.releaseDeadNodes(true);
    net.buildPreseeded(nodes);
    SimNode watched = net.node(0);
    net.pin(watched);
    long start = net.now();
    long end = start + hours * HOUR;
    net.startChurn(churn, churn, end);
    load(net, watched, end, queries, sources, new Random(seed));

    List<Sample> samples = new ArrayList<>();
    long answeredBefore = 0;
    long timeoutsBefore = 0;
    for (int h = 0; h <= hours; h++) {
      net.runUntil(start + h * HOUR);
      DhtStats st = watched.node().stats();
      long answered = st.queriesAnswered().values().stream().mapToLong(Long::longValue).sum();
      double routing = 0;
      double peers = 0;
      double inFlight = 0;
      for (SimNode n : net.onlineNodes()) {
        NodeSizes s = n.node().sizes();
        routing += s.routingTable();
        peers += s.peers();
        inFlight += s.inFlight();
      }
      int online = net.onlineCount();
      System.gc();
      System.gc();
      long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
      Sample s = new Sample(h, online, net.nodes().size(), watched.node().sizes(), st.goodNodes(), answered - answeredBefore,
          st.timeouts() - timeoutsBefore, net.timers().size(), net.stats().inFlight(), routing / online, peers / online,
          inFlight / online, heapMb, (System.nanoTime() - wall0) / 1e9);
      answeredBefore = answered;
      timeoutsBefore = st.timeouts();
      samples.add(s);
      System.err.printf(Locale.ROOT, "hour %d: %.0f s wall%n", h, s.wallSeconds());
    }
    net.stopChurn();
    System.out.printf(Locale.ROOT,
        "%,d nodes, %d virtual hours, churn %.2f leaves + %.2f joins per s, %.0f queries/s to node 0 from %,d sources, seed %d; %.0f s wall%n%n",
        nodes, hours, churn, churn, queries, sources, seed, (System.nanoTime() - wall0) / 1e9);
    print(samples);
  }

  /** Schedules the steady load (see the class comment) until {@code end}. */
  private static void load(SimulatedNetwork net, SimNode watched, long end, double queries, int sources, Random r) {
    List<NodeId> popular = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      popular.add(watched.id().withRandomSuffix(20, r));
    }
    ArrayDeque<NodeId> fresh = new ArrayDeque<>();
    long[] counter = {0};
    every(net, (long) (SECOND / queries), end, () -> {
      long k = counter[0]++;
      int source = r.nextInt(sources);
      Random sr = new Random(source * 0x9E3779B97F4A7C15L);
      NodeId id = NodeId.random(sr);
      int ip = sr.nextInt(1 << 24);
      PeerAddress from = PeerAddress.of(new byte[] {30, (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip}, 1024 + sr.nextInt(60_000));
      TransactionId tx = TransactionId.ofLong(k, 2);
      NodeId ih = popular.get(r.nextInt(popular.size()));
      Query q = switch ((int) (k % 5)) {
        case 0 -> new Query.Ping(tx, id, QueryMeta.NONE);
        case 1 -> new Query.FindNode(tx, id, NodeId.random(r), QueryMeta.NONE);
        case 2 -> new Query.GetPeers(tx, id, ih, QueryMeta.NONE);
        case 3 -> new Query.AnnouncePeer(tx, id, ih, 6881, false, new byte[8], QueryMeta.NONE);
        default -> new Query.SampleInfohashes(tx, id, NodeId.random(r), QueryMeta.NONE);
      };
      net.inject(from, watched, KrpcCodec.encode(q));
    });
    int[] port = {20_000};
    every(net, 10 * SECOND, end, () -> {
      NodeId ih;
      if (r.nextBoolean()) {
        ih = watched.id().withRandomSuffix(20, r);
        fresh.addLast(ih);
        if (fresh.size() > 200) {
          fresh.removeFirst();
        }
      } else {
        ih = popular.get(r.nextInt(popular.size()));
      }
      ready(net).node().announce(ih, 1024 + (port[0]++ % 60_000), false, null, res -> {});
    });
    every(net, 5 * SECOND, end, () -> {
      NodeId ih = fresh.isEmpty() || r.nextBoolean() ? popular.get(r.nextInt(popular.size()))
          : List.copyOf(fresh).get(r.nextInt(fresh.size()));
      ready(net).node().getPeers(ih, (res, error) -> {});
    });
    every(net, 30 * SECOND, end, () -> watched.node().getPeers(popular.get(r.nextInt(popular.size())), (res, error) -> {}));
    every(net, 300 * SECOND, end, () -> watched.node().announce(NodeId.random(r), 6881, false, null, res -> {}));
  }

  /** A random online node that has finished bootstrapping. */
  private static SimNode ready(SimulatedNetwork net) {
    for (int i = 0; i < 100; i++) {
      SimNode n = net.randomOnline();
      if (n.node().isReady()) {
        return n;
      }
    }
    return net.node(0);
  }

  /** Runs {@code task} every {@code period} of virtual time until {@code end}. */
  private static void every(SimulatedNetwork net, long period, long end, Runnable task) {
    long at = net.now() + period;
    if (at <= end) {
      net.timers().schedule(at, () -> {
        task.run();
        every(net, period, end, task);
      });
    }
  }

  private static void print(List<Sample> samples) {
    System.out.println("| hour | online | nodes ever | node 0: routing (good) | replacements | infohashes / peers | items | in flight | lookups | limiter IPs (queries / replies) | DoS tracked / blocked | prefixes | IP voters | answered / timeouts in the hour | network: timers queued | datagrams in flight | avg routing | avg peers | avg in flight | heap after GC (MB) |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Sample s : samples) {
      NodeSizes w = s.watched();
      System.out.printf(Locale.ROOT,
          "| %d | %,d | %,d | %d (%d) | %d | %d / %d | %d | %d | %d | %,d / %,d | %,d / %d | %d | %d | %,d / %,d | %,d | %,d | %.1f | %.1f | %.2f | %d |%n",
          s.hour(), s.online(), s.everCreated(), w.routingTable(), s.goodNodes(), w.replacements(), w.infoHashes(), w.peers(),
          w.items(), w.inFlight(), w.lookups(), w.rateLimitedIps(), w.replyLimitedIps(), w.dosTracked(), w.dosBlocked(),
          w.prefixes(), w.externalIpVoters(), s.answered(), s.timeouts(), s.timers(), s.datagramsInFlight(), s.avgRouting(),
          s.avgPeers(), s.avgInFlight(), s.heapMb());
    }
    List<Check> checks = List.of(
        new Check("node 0 routing table", s -> s.watched().routingTable(), 10),
        new Check("node 0 replacements", s -> s.watched().replacements(), 10),
        new Check("node 0 peers", s -> s.watched().peers(), 10),
        new Check("node 0 infohashes", s -> s.watched().infoHashes(), 10),
        new Check("node 0 items", s -> s.watched().items(), 10),
        new Check("node 0 in flight", s -> s.watched().inFlight(), 10),
        new Check("node 0 lookups", s -> s.watched().lookups(), 10),
        new Check("node 0 query limiter IPs", s -> s.watched().rateLimitedIps(), 10),
        new Check("node 0 reply limiter IPs", s -> s.watched().replyLimitedIps(), 10),
        new Check("node 0 DoS blocker", s -> s.watched().dosTracked() + s.watched().dosBlocked(), 10),
        new Check("node 0 prefixes", s -> s.watched().prefixes(), 10),
        new Check("node 0 IP voters", s -> s.watched().externalIpVoters(), 10),
        new Check("timers queued", s -> s.timers(), 10),
        new Check("avg routing table", s -> s.avgRouting(), 10),
        new Check("avg peers", s -> s.avgPeers(), 10),
        new Check("avg in flight", s -> s.avgInFlight(), 10),
        new Check("heap after GC (MB)", s -> s.heapMb(), 8));
    int n = samples.size();
    int w = Math.min(WINDOW, (n - 1 - WARMUP_HOURS) / 2);
    List<Sample> early = samples.subList(WARMUP_HOURS + 1, WARMUP_HOURS + 1 + w);
    List<Sample> late = samples.subList(n - w, n);
    System.out.printf(Locale.ROOT,
        "%nVerdict: mean of hours %d-%d against hours %d-%d; flat when late <= early x 1.10 + slack.%n%n",
        late.get(0).hour(), late.get(w - 1).hour(), early.get(0).hour(), early.get(w - 1).hour());
    System.out.println("| structure | early mean | late mean | slack | verdict |");
    System.out.println("|---|---:|---:|---:|---|");
    boolean allFlat = true;
    for (Check c : checks) {
      double e = early.stream().mapToDouble(c.value()).average().orElse(0);
      double l = late.stream().mapToDouble(c.value()).average().orElse(0);
      boolean flat = l <= e * 1.10 + c.slack();
      allFlat &= flat;
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.0f | %s |%n", c.name(), e, l, c.slack(), flat ? "flat" : "GROWS");
    }
    System.out.println(allFlat ? "\nAll flat: no leak." : "\nSome structure grows: see GROWS above.");
  }
}
