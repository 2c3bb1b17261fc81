package dev.jdht.bench.sim;

import dev.jdht.core.api.DhtSnapshot;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.sim.SimConfig;
import dev.jdht.core.sim.SimNode;
import dev.jdht.core.sim.SimulatedNetwork;
import dev.jdht.krpc.wire.NodeId;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the dashboard costs the node's thread: {@link DhtNode#snapshot()} (what {@code --http}
 * asks for once a second) against {@link DhtNode#stats()} (what {@code dht serve} already asks
 * for every stats interval), on one node of a simulated network after some lookups, so its routing
 * table, replacement caches, histograms and recent-lookup list are filled.
 *
 * <p>{@code java -jar dht-bench/target/benchmarks.jar SnapshotBench -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SnapshotBench {
  @Param({"3000"})
  public int nodes;

  private DhtNode node;

  @Setup
  public void setup() {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(1).build());
    List<SimNode> all = net.build(nodes);
    SimNode n = all.get(0);
    Random r = new Random(2);
    for (int i = 0; i < 40; i++) {
      net.getPeers(n, NodeId.random(r));
    }
    node = n.node();
    DhtSnapshot s = node.snapshot();
    System.err.printf("routing table %d nodes in %d buckets, %d replacements, %d recent lookups%n",
        s.stats().routingTableSize(), node.routingTable().bucketCount(), node.routingTable().replacementCount(),
        s.recentLookups().size());
  }

  /** The full snapshot: stats, buckets, histograms, lookups. */
  @Benchmark
  public DhtSnapshot snapshot() {
    return node.snapshot();
  }

  /** The counters only (the baseline). */
  @Benchmark
  public DhtStats stats() {
    return node.stats();
  }
}
