package dev.jdht.core.sim;

import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.routing.RoutingConfig;

/**
 * Settings of a {@link SimulatedNetwork}. Immutable; build with {@link #builder(long)}.
 *
 * @param seed the one seed every random choice of the simulation derives from (node ids, latency,
 *     loss, churn, the nodes' own randomness)
 * @param latency one-way delay of each datagram
 * @param lossRate probability in [0, 1) that a datagram is lost (each datagram independently)
 * @param deadFraction share in [0, 1) of the nodes that {@link SimulatedNetwork#build(int)} turns
 *     silent once the network is built (they stay in the others' routing tables, as departed nodes
 *     do)
 * @param nodeConfig the configuration of every node
 * @param bootstrapContacts how many random running nodes a joining node is given as bootstrap
 *     addresses
 * @param joinIntervalNanos virtual time between two joins while {@link SimulatedNetwork#build(int)}
 *     grows the network. Not much below 50 ms: a node that has only queried us stays questionable
 *     until our next maintenance pings it (every 5 s), and routing tables hand out good nodes
 *     first, so nodes joining within seconds of each other in the same region of the id space
 *     cannot find each other and their neighbourhoods stay incomplete
 * @param port UDP port of every node
 */
public record SimConfig(
    long seed,
    LatencyModel latency,
    double lossRate,
    double deadFraction,
    NodeConfig nodeConfig,
    int bootstrapContacts,
    long joinIntervalNanos,
    int port) {

  /** Validates the ranges. */
  public SimConfig {
    if (latency == null || nodeConfig == null) {
      throw new NullPointerException("latency and nodeConfig are required");
    }
    if (!(lossRate >= 0 && lossRate < 1) || !(deadFraction >= 0 && deadFraction < 1)) {
      throw new IllegalArgumentException("lossRate and deadFraction must be in [0, 1)");
    }
    if (bootstrapContacts < 1 || joinIntervalNanos < 0 || port < 1 || port > 65535) {
      throw new IllegalArgumentException("bootstrapContacts >= 1, joinIntervalNanos >= 0, port in 1..65535");
    }
  }

  /**
   * The node configuration the simulation uses by default: the library defaults, with loopback and
   * private addresses admitted and a smaller in-flight table (4,096 slots cost 32 KB per node,
   * which adds up over 10,000 nodes; 512 is plenty for one node's lookups).
   */
  public static NodeConfig defaultNodeConfig() {
    NodeConfig d = NodeConfig.defaults();
    return d.toBuilder()
        .routing(RoutingConfig.defaults().withAllowLoopbackAndPrivate(true))
        .maxInFlight(512)
        .build();
  }

  /**
   * A builder with: {@link LatencyModel#realistic(long)} latency, no loss, no dead nodes, {@link
   * #defaultNodeConfig()}, 8 bootstrap contacts, one join every 50 ms, port 6881.
   */
  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(seed);
    b.latency = latency;
    b.lossRate = lossRate;
    b.deadFraction = deadFraction;
    b.nodeConfig = nodeConfig;
    b.bootstrapContacts = bootstrapContacts;
    b.joinIntervalNanos = joinIntervalNanos;
    b.port = port;
    return b;
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private long seed;
    private LatencyModel latency;
    private double lossRate;
    private double deadFraction;
    private NodeConfig nodeConfig = defaultNodeConfig();
    private int bootstrapContacts = 8;
    private long joinIntervalNanos = 50_000_000L;
    private int port = 6881;

    private Builder(long seed) {
      this.seed = seed;
    }

    /** Sets the seed. */
    public Builder seed(long v) {
      this.seed = v;
      return this;
    }

    /** Sets the latency model; without one, {@link LatencyModel#realistic(long)} of the seed. */
    public Builder latency(LatencyModel v) {
      this.latency = v;
      return this;
    }

    /** Sets the probability that a datagram is lost, in [0, 1). */
    public Builder lossRate(double v) {
      this.lossRate = v;
      return this;
    }

    /** Sets the share of nodes the build methods turn silent at the end, in [0, 1). */
    public Builder deadFraction(double v) {
      this.deadFraction = v;
      return this;
    }

    /** Sets the configuration of every node (start from {@link #defaultNodeConfig()}). */
    public Builder nodeConfig(NodeConfig v) {
      this.nodeConfig = v;
      return this;
    }

    /** Sets how many running nodes a joining node bootstraps from. */
    public Builder bootstrapContacts(int v) {
      this.bootstrapContacts = v;
      return this;
    }

    /** Sets the virtual time between two joins in {@link SimulatedNetwork#build(int)}. */
    public Builder joinIntervalNanos(long v) {
      this.joinIntervalNanos = v;
      return this;
    }

    /** Sets the UDP port of every node. */
    public Builder port(int v) {
      this.port = v;
      return this;
    }

    /** The configuration; throws if a value is out of range. */
    public SimConfig build() {
      LatencyModel l = latency != null ? latency : LatencyModel.realistic(seed);
      return new SimConfig(seed, l, lossRate, deadFraction, nodeConfig, bootstrapContacts, joinIntervalNanos, port);
    }
  }
}
