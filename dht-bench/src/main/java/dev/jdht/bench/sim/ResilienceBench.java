package dev.jdht.bench.sim;

import dev.jdht.core.sim.Findable;
import dev.jdht.core.sim.SimConfig;
import dev.jdht.core.sim.SimNode;
import dev.jdht.core.sim.SimStats;
import dev.jdht.core.sim.SimulatedNetwork;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Issue 14's three resilience scenarios at large scale on a simulated network of real nodes
 * (dht-core {@code SimulatedNetwork}, virtual time, per-link lognormal latency): 30% datagram loss
 * with half the nodes dead, continuous churn (nodes leaving and new nodes bootstrapping), and a
 * network partition that heals. Each runs many get_peers lookups for announced infohashes and
 * prints one table row per phase.
 *
 * <p>A lookup succeeds when it finds every <em>findable</em> peer ({@link Findable}): every peer
 * that the 8 online nodes closest to the infohash that the asker can reach (same side of a
 * partition), other than the asker, hold when the lookup ends. The table also counts lookups that
 * found every <em>announced</em> peer, and lookups with nothing findable (they succeed trivially).
 * Every asker first runs one find_node for a random id (its RTT estimate warms up, as in a client
 * that has run a while); only the get_peers lookup is measured.
 *
 * <p>Usage: {@code java -Xmx8g -cp dht-bench/target/benchmarks.jar dev.jdht.bench.sim.ResilienceBench
 * [--scenario all|loss|churn|partition] [--loss-nodes 40000] [--nodes 20000] [--lookups 200]
 * [--churn 10] [--seed 1]}. {@code --loss-nodes}: nodes of the loss scenario (half of them dead);
 * {@code --nodes}: nodes of the churn and partition scenarios; {@code --churn}: leaves and joins
 * per virtual second. Single-threaded; prints a Markdown table on stdout, progress on stderr.
 */
public final class ResilienceBench {
  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long LIMIT = 10 * MINUTE;

  /** One finished get_peers lookup, against what it could find. */
  private record Outcome(long doneNanos, long queries, boolean foundFindable, boolean nothingFindable, boolean foundAnnounced) {}

  /** One table row. */
  private record Row(String scenario, String phase, int online, List<Outcome> outcomes, SimStats traffic, double wallSeconds) {}

  /** Lookups launched on a network and their outcomes, by phase. */
  private static final class Batch {
    private final SimulatedNetwork net;
    private final Map<String, List<Outcome>> byPhase = new LinkedHashMap<>();
    private final Random random;
    int launched;
    int finished;

    Batch(SimulatedNetwork net, long seed) {
      this.net = net;
      this.random = new Random(seed);
    }

    /**
     * Starts a warm-up find_node then the measured get_peers from {@code asker} (pinned, so churn
     * spares it); {@code reachable} (null: all) decides which nodes count as findable for it.
     */
    void launch(String phase, SimNode asker, NodeId infoHash, Set<PeerAddress> announced, Predicate<SimNode> reachable) {
      List<Outcome> out = byPhase.computeIfAbsent(phase, p -> new ArrayList<>());
      net.pin(asker);
      launched++;
      asker.node().findNode(NodeId.random(random), (warm, warmError) -> asker.node().getPeers(infoHash, (res, error) -> {
        finished++;
        if (error != null || res == null) {
          out.add(new Outcome(Long.MAX_VALUE, 0, false, false, false));
          return;
        }
        Set<PeerAddress> findable = Findable.peers(net, infoHash, asker, reachable);
        out.add(new Outcome(res.durationNanos(), res.queriesSent(), res.peers().containsAll(findable), findable.isEmpty(),
            res.peers().containsAll(announced)));
      }));
    }

    /** Runs the network until every launched lookup has finished. */
    void await() {
      if (!net.runUntil(() -> finished == launched, net.now() + LIMIT)) {
        throw new IllegalStateException((launched - finished) + " lookups did not finish");
      }
    }
  }

  private ResilienceBench() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) {
    String scenario = "all";
    int lossNodes = 40_000;
    int nodes = 20_000;
    int lookups = 200;
    double churn = 10;
    long seed = 1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--scenario" -> scenario = args[i + 1];
        case "--loss-nodes" -> lossNodes = Integer.parseInt(args[i + 1]);
        case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
        case "--lookups" -> lookups = Integer.parseInt(args[i + 1]);
        case "--churn" -> churn = Double.parseDouble(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!List.of("all", "loss", "churn", "partition").contains(scenario)) {
      throw new IllegalArgumentException("--scenario: all, loss, churn or partition; got " + scenario);
    }
    List<Row> rows = new ArrayList<>();
    if (scenario.equals("all") || scenario.equals("loss")) {
      rows.addAll(loss(lossNodes, lookups, seed));
    }
    if (scenario.equals("all") || scenario.equals("churn")) {
      rows.addAll(churn(nodes, lookups, churn, seed));
    }
    if (scenario.equals("all") || scenario.equals("partition")) {
      rows.addAll(partition(nodes, lookups, seed));
    }
    System.out.printf(Locale.ROOT, "seed %d, per-link lognormal latency (median RTT 80 ms), %d get_peers lookups per phase, default node settings%n%n", seed, lookups);
    print(rows);
  }

  /** 30% loss (announces included) and half of {@code nodes} dead; all lookups at once. */
  private static List<Row> loss(int nodes, int lookups, long seed) {
    long t0 = System.nanoTime();
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(seed).lossRate(0.3).deadFraction(0.5).build());
    net.buildPreseeded(nodes);
    Map<NodeId, Set<PeerAddress>> announced = announce(net, lookups, 2, new Random(seed));
    System.err.printf(Locale.ROOT, "loss: %,d nodes built and announced in %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
    SimStats before = net.stats();
    long t1 = System.nanoTime();
    Batch b = new Batch(net, seed);
    for (Map.Entry<NodeId, Set<PeerAddress>> e : announced.entrySet()) {
      b.launch("30% loss, 50% dead", net.randomOnline(), e.getKey(), e.getValue(), null);
    }
    b.await();
    return List.of(row("loss + dead", b, "30% loss, 50% dead", net, before, t1));
  }

  /** {@code rate} leaves and joins per second for 10 minutes; lookups spread evenly from 30 s to 9.5 min in. */
  private static List<Row> churn(int nodes, int lookups, double rate, long seed) {
    long t0 = System.nanoTime();
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(seed).build());
    net.buildPreseeded(nodes);
    Map<NodeId, Set<PeerAddress>> announced = announce(net, lookups, 2, new Random(seed));
    System.err.printf(Locale.ROOT, "churn: %,d nodes built and announced in %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
    SimStats before = net.stats();
    long t1 = System.nanoTime();
    long start = net.now();
    long window = 10 * MINUTE;
    net.startChurn(rate, rate, start + window);
    Batch b = new Batch(net, seed);
    List<NodeId> ihs = new ArrayList<>(announced.keySet());
    String phase = String.format(Locale.ROOT, "%.0f leaves + %.0f joins per s for 10 min", rate, rate);
    long gap = (window - MINUTE) / lookups;
    for (int i = 0; i < lookups; i++) {
      NodeId ih = ihs.get(i);
      net.timers().schedule(start + 30 * SECOND + i * gap, () -> {
        // a node that has finished bootstrapping (joiners included)
        SimNode asker = net.randomOnline(1, n -> n.node().isReady()).get(0);
        b.launch(phase, asker, ih, announced.get(ih), null);
      });
    }
    net.runUntil(start + window);
    b.await();
    net.stopChurn();
    Row r = row("churn", b, phase, net, before, t1);
    int left = 0;
    for (SimNode n : net.nodes()) {
      left += n.isStarted() && !n.isOnline() ? 1 : 0;
    }
    System.err.printf(Locale.ROOT, "churn: %,d nodes left, %,d joined%n", left, net.nodes().size() - nodes);
    return List.of(r);
  }

  /**
   * The network split in two halves (by node index parity) for 10 minutes, then healed: lookups
   * during the split (for infohashes announced before it and during it, each counted against
   * what its own side holds) and after healing (against what the whole network holds).
   */
  private static List<Row> partition(int nodes, int lookups, long seed) {
    long t0 = System.nanoTime();
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(seed).build());
    net.buildPreseeded(nodes);
    Random r = new Random(seed);
    Map<NodeId, Set<PeerAddress>> before = announce(net, lookups / 2, 2, r);
    System.err.printf(Locale.ROOT, "partition: %,d nodes built and announced in %.1f s%n", nodes, (System.nanoTime() - t0) / 1e9);
    Predicate<SimNode> even = n -> (n.index() & 1) == 0;
    net.partition(even);
    long split = net.now();
    Map<NodeId, Set<PeerAddress>> during = announce(net, lookups / 2, 2, r); // lands on one side each
    List<NodeId> pre = new ArrayList<>(before.keySet());
    List<NodeId> mid = new ArrayList<>(during.keySet());
    Map<NodeId, Set<PeerAddress>> all = new LinkedHashMap<>(before);
    all.putAll(during);

    SimStats s0 = net.stats();
    long t1 = System.nanoTime();
    Batch b = new Batch(net, seed);
    String preSplit = "split: announced before";
    String inSplit = "split: announced during";
    long gap = 8 * MINUTE / lookups;
    for (int i = 0; i < lookups; i++) {
      boolean old = i % 2 == 0;
      NodeId ih = (old ? pre : mid).get(i / 2 % (old ? pre : mid).size());
      net.timers().schedule(net.now() + MINUTE + i * gap, () -> {
        SimNode asker = net.randomOnline();
        boolean side = even.test(asker);
        b.launch(old ? preSplit : inSplit, asker, ih, all.get(ih), n -> even.test(n) == side);
      });
    }
    net.runUntil(split + LIMIT);
    b.await();
    List<Row> rows = new ArrayList<>();
    rows.add(row("partition", b, preSplit, net, s0, t1));
    rows.add(row("partition", b, inSplit, net, s0, t1));

    net.heal();
    net.runFor(MINUTE);
    SimStats s1 = net.stats();
    long t2 = System.nanoTime();
    Batch h = new Batch(net, seed + 1);
    String healedPre = "1 min after heal: announced before";
    String healedMid = "1 min after heal: announced during";
    for (int i = 0; i < lookups; i++) {
      boolean old = i % 2 == 0;
      NodeId ih = (old ? pre : mid).get(i / 2 % (old ? pre : mid).size());
      net.timers().schedule(net.now() + i * SECOND, () -> h.launch(old ? healedPre : healedMid, net.randomOnline(), ih, all.get(ih), null));
    }
    net.runFor(lookups * SECOND);
    h.await();
    rows.add(row("partition", h, healedPre, net, s1, t2));
    rows.add(row("partition", h, healedMid, net, s1, t2));
    return rows;
  }

  /**
   * Announces {@code count} random infohashes, each from {@code perInfoHash} random online nodes
   * (pinned) on an explicit port, all at once; runs until the network is idle. Returns the peers
   * announced for each.
   */
  private static Map<NodeId, Set<PeerAddress>> announce(SimulatedNetwork net, int count, int perInfoHash, Random r) {
    Map<NodeId, Set<PeerAddress>> out = new LinkedHashMap<>();
    int port = 40_000;
    for (int i = 0; i < count; i++) {
      NodeId ih = NodeId.random(r);
      Set<PeerAddress> peers = new HashSet<>();
      for (SimNode a : net.randomOnline(perInfoHash, null)) {
        net.pin(a);
        int p = port++;
        a.node().announce(ih, p, false, null, res -> {});
        peers.add(a.address().withPort(p));
      }
      out.put(ih, peers);
    }
    if (!net.runUntilIdle(net.now() + LIMIT)) {
      throw new IllegalStateException("announces did not finish");
    }
    return out;
  }

  private static Row row(String scenario, Batch b, String phase, SimulatedNetwork net, SimStats before, long wallStart) {
    SimStats a = net.stats();
    SimStats delta = new SimStats(a.sent() - before.sent(), a.delivered() - before.delivered(), a.lost() - before.lost(),
        a.toOffline() - before.toOffline(), a.toNowhere() - before.toNowhere(), a.inFlight(), a.events() - before.events(),
        a.partitioned() - before.partitioned());
    return new Row(scenario, phase, net.onlineCount(), b.byPhase.getOrDefault(phase, List.of()), delta, (System.nanoTime() - wallStart) / 1e9);
  }

  private static void print(List<Row> rows) {
    System.out.println(
        "| scenario | phase | online nodes at end | lookups | found every findable peer | nothing findable | found every announced peer | done p50 / p95 / max (ms) | get_peers queries p50 / p95 | datagrams sent | lost | to dead nodes | partitioned | wall s |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      List<Outcome> o = r.outcomes();
      long[] done = new long[o.size()];
      long[] queries = new long[o.size()];
      int findable = 0;
      int nothing = 0;
      int announced = 0;
      for (int i = 0; i < o.size(); i++) {
        done[i] = o.get(i).doneNanos();
        queries[i] = o.get(i).queries();
        findable += o.get(i).foundFindable() ? 1 : 0;
        nothing += o.get(i).nothingFindable() ? 1 : 0;
        announced += o.get(i).foundAnnounced() ? 1 : 0;
      }
      SimStats t = r.traffic();
      System.out.printf(Locale.ROOT, "| %s | %s | %,d | %d | %d (%.1f%%) | %d | %d (%.1f%%) | %s / %s / %s | %d / %d | %,d | %,d | %,d | %,d | %.1f |%n",
          r.scenario(), r.phase(), r.online(), o.size(), findable, pct(findable, o.size()), nothing, announced, pct(announced, o.size()),
          Percentiles.ms(Percentiles.percentile(done, 0.5)), Percentiles.ms(Percentiles.percentile(done, 0.95)),
          Percentiles.ms(Percentiles.percentile(done, 1.0)), Percentiles.percentile(queries, 0.5), Percentiles.percentile(queries, 0.95),
          t.sent(), t.lost(), t.toOffline(), t.partitioned(), r.wallSeconds());
    }
  }

  private static double pct(int n, int of) {
    return of == 0 ? 0 : 100.0 * n / of;
  }
}
