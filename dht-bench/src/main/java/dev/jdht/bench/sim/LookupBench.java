package dev.jdht.bench.sim;

import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.core.lookup.LookupConfig;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.node.AnnounceResult;
import dev.jdht.core.node.LookupObserver;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.sim.SimConfig;
import dev.jdht.core.sim.SimNode;
import dev.jdht.core.sim.SimulatedNetwork;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * get_peers lookups on a simulated network of real nodes, one table row per lookup setting:
 * median and p95 of the time to the first peer and to done (virtual time), and of the queries per
 * lookup.
 *
 * <p>For each setting the same network is rebuilt from the same seed (same ids, routing tables and
 * dead nodes), {@code lookups} infohashes are announced, each from its own node, and then each is
 * looked up from another random live node. Before its measured lookup every client runs one
 * find_node for a random id, so that its RTT estimator (hence its soft timeout) is warm, as in a
 * client that has been running for a while. All clients run at once; the simulation models
 * latency and loss but no bandwidth, so they do not slow each other down.
 *
 * <p>Usage: {@code java -cp dht-bench/target/benchmarks.jar dev.jdht.bench.sim.LookupBench
 * [--nodes 10000] [--dead 0.2] [--loss 0] [--lookups 200] [--seed 1] [--settings all|default|NAME]}.
 * Single-threaded; prints a Markdown table on stdout and progress on stderr. "CPU ms per lookup" is
 * the thread CPU time of the whole lookup phase (every node's decoding, routing and answering, and
 * each client's warm-up find_node) divided by the measured lookups: an upper bound on one lookup's
 * own cost.
 */
public final class LookupBench {
  private static final long MS = 1_000_000L;

  /** One row of the table: a name and the lookup tunables of every node. */
  private record Setting(String name, LookupConfig lookup) {}

  /** What one setting measured. */
  private record Row(
      Setting setting,
      long[] firstPeer,
      long[] done,
      long[] queries,
      long[] timeouts,
      int found,
      double overlap,
      long cpuPerLookupNanos,
      int lookups,
      double buildSeconds,
      double runSeconds,
      long heapMb) {}

  private LookupBench() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) {
    int nodes = 10_000;
    double dead = 0.2;
    double loss = 0;
    int lookups = 200;
    long seed = 1;
    String only = "all";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
        case "--dead" -> dead = Double.parseDouble(args[i + 1]);
        case "--loss" -> loss = Double.parseDouble(args[i + 1]);
        case "--lookups" -> lookups = Integer.parseInt(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--settings" -> only = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    LookupConfig d = LookupConfig.defaults();
    LookupConfig previous = new LookupConfig(3, 8, 128, 256, 2_000 * MS, 250 * MS, 1_000 * MS);
    List<Setting> settings =
        List.of(
            new Setting("before: alpha 3, soft 250 ms-1 s, silent nodes block done",
                previous.withSilentBlocksDone(true).withFastFirstRound(false)),
            new Setting("alpha 3, soft 250 ms-1 s (new completion rule only)", previous.withFastFirstRound(false)),
            new Setting("first round by distance: alpha 5, soft 100 ms-1 s (the default before the fast first round)",
                d.withFastFirstRound(false)),
            new Setting("alpha 1", d.withAlpha(1)),
            new Setting("alpha 3", d.withAlpha(3)),
            new Setting("alpha 4", d.withAlpha(4)),
            new Setting("alpha 5, soft 100 ms-1 s (default)", d),
            new Setting("alpha 8", d.withAlpha(8)),
            new Setting("alpha 5, soft 150 ms-1 s", d.withTimeouts(2_000 * MS, 150 * MS, 1_000 * MS)),
            new Setting("alpha 5, soft 250 ms-1 s", d.withTimeouts(2_000 * MS, 250 * MS, 1_000 * MS)),
            new Setting("alpha 5, soft timeout off", d.withTimeouts(2_000 * MS, 2_000 * MS, 2_000 * MS)));
    if (!only.equals("all")) {
      List<String> wanted = List.of(only.split(","));
      settings = settings.stream()
          .filter(st -> wanted.stream().anyMatch(want -> want.equals("default") ? st.name().endsWith("(default)") : st.name().startsWith(want)))
          .toList();
      if (settings.isEmpty()) {
        throw new IllegalArgumentException("--settings: all, default, or the starts of row names, comma-separated; got " + only);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (Setting s : settings) {
      rows.add(run(s, nodes, dead, loss, lookups, seed));
      System.err.printf(Locale.ROOT, "%s done%n", s.name());
    }
    print(rows, nodes, dead, loss, lookups, seed);
  }

  private static Row run(Setting setting, int nodes, double dead, double loss, int lookups, long seed) {
    NodeConfig nc = SimConfig.defaultNodeConfig().toBuilder().lookup(setting.lookup()).build();
    SimConfig config = SimConfig.builder(seed).nodeConfig(nc).deadFraction(dead).build();
    long t0 = System.nanoTime();
    SimulatedNetwork net = new SimulatedNetwork(config);
    net.buildPreseeded(nodes);
    long t1 = System.nanoTime();
    System.gc();
    Runtime rt = Runtime.getRuntime();
    long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
    long t2 = System.nanoTime();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();

    Random r = new Random(seed);
    NodeId[] infoHashes = new NodeId[lookups];
    List<SimNode> announcers = net.randomOnline(lookups, null);
    for (int i = 0; i < lookups; i++) {
      infoHashes[i] = NodeId.random(r);
      SimNode a = announcers.get(i % announcers.size());
      a.node().announce(infoHashes[i], 6881, true, null, (AnnounceResult res) -> {});
    }
    if (!net.runUntilIdle(net.now() + TimeUnit.MINUTES.toNanos(10))) {
      throw new IllegalStateException("announces did not finish");
    }
    net.setLossRate(loss); // announces ran without loss: every infohash is stored

    List<SimNode> clients = net.randomOnline(lookups, n -> !announcers.contains(n));
    LookupResult[] results = new LookupResult[lookups];
    int[] finished = {0};
    for (int i = 0; i < lookups; i++) {
      int idx = i;
      SimNode c = clients.get(i % clients.size());
      LookupObserver measured =
          (result, error) -> {
            results[idx] = result;
            finished[0]++;
          };
      c.node().findNode(NodeId.random(r), (warm, error) -> c.node().getPeers(infoHashes[idx], measured));
    }
    if (!net.runUntil(() -> finished[0] == lookups, net.now() + TimeUnit.MINUTES.toNanos(10))) {
      throw new IllegalStateException("lookups did not finish");
    }
    long t3 = System.nanoTime();
    long cpuPerLookup = (mx.getCurrentThreadCpuTime() - cpu0) / lookups;

    long[] firstPeer = new long[lookups];
    long[] done = new long[lookups];
    long[] queries = new long[lookups];
    long[] timeouts = new long[lookups];
    int found = 0;
    long overlap = 0;
    for (int i = 0; i < lookups; i++) {
      LookupResult res = results[i];
      PeerAddress expected = announcers.get(i % announcers.size()).address();
      found += res.peers().contains(expected) ? 1 : 0;
      firstPeer[i] = res.timeToFirstPeerNanos() < 0 ? Long.MAX_VALUE : res.timeToFirstPeerNanos();
      done[i] = res.durationNanos();
      queries[i] = res.queriesSent();
      timeouts[i] = res.timeouts();
      SimNode asker = clients.get(i % clients.size());
      Set<NodeId> truth = new HashSet<>();
      for (SimNode n : net.closestOnline(infoHashes[i], 8, n -> n != asker)) {
        truth.add(n.id());
      }
      for (ClosestNode cn : res.closest()) {
        overlap += truth.contains(cn.node().id()) ? 1 : 0;
      }
    }
    return new Row(setting, firstPeer, done, queries, timeouts, found, overlap / (double) lookups, cpuPerLookup, lookups, (t1 - t0) / 1e9, (t3 - t2) / 1e9, heapMb);
  }

  private static void print(List<Row> rows, int nodes, double dead, double loss, int lookups, long seed) {
    System.out.printf(
        Locale.ROOT,
        "%,d nodes (%.0f%% dead), per-link lognormal latency (median RTT 80 ms), %.0f%% loss, %d get_peers lookups per setting, seed %d%n%n",
        nodes, dead * 100, loss * 100, lookups, seed);
    System.out.println(
        "| setting | first peer p50 (ms) | first peer p95 (ms) | done p50 (ms) | done p95 (ms) | queries p50 | queries p95 | timeouts p50 | found peer | true closest found (of 8) | CPU ms per lookup | wall s (build + run) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s | %d | %d | %d | %d/%d | %.2f | %.2f | %.1f + %.1f |%n",
          r.setting().name(),
          Percentiles.ms(Percentiles.percentile(r.firstPeer(), 0.5)),
          Percentiles.ms(Percentiles.percentile(r.firstPeer(), 0.95)),
          Percentiles.ms(Percentiles.percentile(r.done(), 0.5)),
          Percentiles.ms(Percentiles.percentile(r.done(), 0.95)),
          Percentiles.percentile(r.queries(), 0.5),
          Percentiles.percentile(r.queries(), 0.95),
          Percentiles.percentile(r.timeouts(), 0.5),
          r.found(),
          r.lookups(),
          r.overlap(),
          r.cpuPerLookupNanos() / 1e6,
          r.buildSeconds(),
          r.runSeconds());
    }
    long heap = 0;
    double build = 0;
    for (Row r : rows) {
      heap = Math.max(heap, r.heapMb());
      build = Math.max(build, r.buildSeconds());
    }
    System.out.printf(
        Locale.ROOT,
        "%nBuilding the network (preseeded) took at most %.1f s; heap in use after building it: at most %d MB.%n",
        build, heap);
  }
}
