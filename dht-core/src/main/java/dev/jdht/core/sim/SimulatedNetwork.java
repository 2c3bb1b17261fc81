package dev.jdht.core.sim;

import dev.jdht.core.io.Transport;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.node.AnnounceResult;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.LookupObserver;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.time.ManualClock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Thousands of real {@link DhtNode}s over an in-memory datagram network, driven by one discrete
 * event loop in virtual time: one shared {@link TimerQueue} holds both the nodes' timers and the
 * datagrams in flight, and one {@link ManualClock} jumps from event to event. Nothing here reads
 * the system clock or touches a socket, so a simulated minute of a 10,000-node network costs only
 * the CPU of the messages it carries.
 *
 * <p>Every node lives at its own address 10.x.y.z ({@link #addressOf}), port {@link
 * SimConfig#port()}. Datagrams take {@link SimConfig#latency()} to arrive and are lost with
 * probability {@link #lossRate()}. A dead node (killed, or departed through churn) stops its
 * timers, sends nothing and drops what it receives, but stays in the others' routing tables until
 * they notice.
 *
 * <p>Two ways to grow a network: {@link #build} (real bootstrap, about 300 datagrams per node:
 * some 4 s of CPU per 1,000 nodes) and {@link #buildPreseeded} (routing tables filled directly
 * with what long-running nodes would know: 10,000 nodes in about 2 s and 250 MB).
 *
 * <p>Determinism: every random choice (node ids, each node's own {@link Random}, latency, loss,
 * bootstrap contacts, churn) derives from {@link SimConfig#seed()}, and events with the same
 * virtual time run in the order they were scheduled; the same seed and the same calls give the
 * same run, datagram for datagram. Node ids come from their own stream, so two networks with the
 * same seed have the same nodes even if their loss or latency differ.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(42).build());
 * net.buildPreseeded(5_000);                        // or build(n): real bootstrap
 * SimNode a = net.randomOnline(), b = net.randomOnline();
 * NodeId ih = NodeId.random(new Random(1));
 * net.announce(a, ih, 51413, false);                 // runs until the announce is done
 * LookupResult r = net.getPeers(b, ih);              // contains a's IP with port 51413
 * }</pre>
 *
 * <p>Threading: not thread-safe. The network and all its nodes belong to the thread that calls
 * its methods; node callbacks run on that thread, inside the run methods.
 */
public final class SimulatedNetwork {
  private static final int NET_10 = 0x0A000000;
  private static final int MAX_NODES = 1 << 24;
  /**
   * Node addresses are 10.x.y.z with x.y.z = index * SCRAMBLE mod 2^24 (a bijection): scattered
   * rather than consecutive, like real addresses. (Consecutive addresses collide badly in
   * {@code PeerAddress.hashCode}, which would make the simulation measure HashMap trees.)
   */
  private static final int SCRAMBLE = 0x9E3779;
  private static final int UNSCRAMBLE = inverse24(SCRAMBLE);
  /** Bound on the virtual time the blocking helpers wait for one operation. */
  private static final long HELPER_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final SimConfig config;
  private final ManualClock clock = new ManualClock();
  private final TimerQueue timers = new TimerQueue();
  private final Random idRandom;
  private final Random packetRandom;
  private final Random choiceRandom;
  private final List<SimNode> nodes = new ArrayList<>();
  /** Nodes created at an address of the caller's choosing ({@link #addNodeAt}). */
  private final java.util.Map<PeerAddress, SimNode> placed = new java.util.HashMap<>();
  private final List<SimNode> online = new ArrayList<>();
  private int[] onlinePos = new int[1024]; // index in online, or -1
  private final Set<SimNode> pinned = new HashSet<>();
  private final long quietNanos;
  private double lossRate;

  private long sent;
  private long delivered;
  private long lost;
  private long toOffline;
  private long toNowhere;
  private long inFlight;
  private long events;
  private long lastSendAt = Long.MIN_VALUE / 2;
  private final List<TimerQueue.Timer> churnTimers = new ArrayList<>();
  private Tap tap;
  private Predicate<SimNode> partition;
  private long partitioned;
  private boolean releaseDead;

  /** Sees every datagram the network delivers to a node, as it is delivered. */
  @FunctionalInterface
  public interface Tap {
    /** {@code datagram} from {@code source} reaches {@code to}; it must not be modified. */
    void delivered(PeerAddress source, SimNode to, byte[] datagram);
  }

  /** An empty network at virtual time 1 s. */
  public SimulatedNetwork(SimConfig config) {
    this.config = config;
    this.idRandom = new Random(mix(config.seed() ^ 0x1D5EEDL));
    this.packetRandom = new Random(mix(config.seed() ^ 0x9AC4E75L));
    this.choiceRandom = new Random(mix(config.seed() ^ 0xC401CEL));
    this.lossRate = config.lossRate();
    NodeConfig nc = config.nodeConfig();
    this.quietNanos = Math.max(nc.queryTimeoutNanos(), nc.lookup().hardTimeoutNanos()) + 1;
    Arrays.fill(onlinePos, -1);
  }

  /** The configuration. */
  public SimConfig config() {
    return config;
  }

  /** The virtual clock shared by all nodes. */
  public ManualClock clock() {
    return clock;
  }

  /** The event queue shared by all nodes (their timers and the datagrams in flight). */
  public TimerQueue timers() {
    return timers;
  }

  /** Virtual time now, nanoseconds. */
  public long now() {
    return clock.nanos();
  }

  // ------------------------------------------------------------------------------------------
  // nodes

  /**
   * The address of node {@code index}: 10.x.y.z, where x.y.z is a fixed scrambling of the index,
   * and port {@link SimConfig#port()}.
   */
  public PeerAddress addressOf(int index) {
    int ip = NET_10 | ((index * SCRAMBLE) & 0xFFFFFF);
    return PeerAddress.of(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip}, config.port());
  }

  /** The node living at {@code address}, or null. */
  public SimNode nodeAt(PeerAddress address) {
    SimNode p = placed.get(address);
    if (p != null) {
      return p;
    }
    if (address.isIpv6() || address.port() != config.port()) {
      return null;
    }
    int ip = address.ipv4Int();
    if ((ip & 0xFF000000) != NET_10) {
      return null;
    }
    int idx = (ip * UNSCRAMBLE) & 0xFFFFFF;
    return idx < nodes.size() ? nodes.get(idx) : null;
  }

  /** Creates a node with a random id at the next address; it stays silent until started. */
  public SimNode addNode() {
    return addNode(NodeId.random(idRandom));
  }

  /** Creates a node with {@code id} at the next address; it stays silent until started. */
  public SimNode addNode(NodeId id) {
    return addNode(id, config.nodeConfig());
  }

  /**
   * Creates a node with {@code id} and its own configuration (e.g. a client with other lookup
   * settings) at the next address; it stays silent until started.
   */
  public SimNode addNode(NodeId id, NodeConfig nodeConfig) {
    return addNode(id, nodeConfig, null);
  }

  /**
   * Creates a node with {@code id} and its configuration at {@code address} (any address outside
   * 10/8, e.g. a public-looking one for BEP 42, or several nodes on one IP with different ports);
   * it stays silent until started.
   *
   * @throws IllegalArgumentException if the address is in 10/8 or already taken
   */
  public SimNode addNodeAt(NodeId id, NodeConfig nodeConfig, PeerAddress address) {
    if ((!address.isIpv6() && (address.ipv4Int() & 0xFF000000) == NET_10) || placed.containsKey(address)) {
      throw new IllegalArgumentException("address in 10/8 or taken: " + address);
    }
    return addNode(id, nodeConfig, address);
  }

  private SimNode addNode(NodeId id, NodeConfig nodeConfig, PeerAddress at) {
    int index = nodes.size();
    if (index >= MAX_NODES) {
      throw new IllegalStateException("too many nodes");
    }
    SimTransport transport = new SimTransport();
    Random own = new Random(mix(config.seed() * 0x9E3779B97F4A7C15L + index));
    DhtNode dht = new DhtNode(id, nodeConfig, transport, timers, clock, own);
    SimNode node = new SimNode(index, id, at != null ? at : addressOf(index), dht);
    transport.owner = node;
    if (at != null) {
      placed.put(at, node);
    }
    nodes.add(node);
    if (index >= onlinePos.length) {
      int old = onlinePos.length;
      onlinePos = Arrays.copyOf(onlinePos, old * 2);
      Arrays.fill(onlinePos, old, onlinePos.length, -1);
    }
    return node;
  }

  /** Starts {@code node}, bootstrapping from the given nodes (none for the first node). */
  public void start(SimNode node, Collection<SimNode> contacts) {
    List<PeerAddress> addresses = new ArrayList<>(contacts.size());
    for (SimNode c : contacts) {
      addresses.add(c.address());
    }
    start(node, List.of(), addresses);
  }

  /** Starts {@code node} with saved nodes and bootstrap addresses, as {@link DhtNode#start} does. */
  public void start(SimNode node, Collection<NodeInfo> saved, Collection<PeerAddress> bootstrap) {
    if (node.isStarted()) {
      throw new IllegalStateException("already started: " + node);
    }
    node.markStarted(clock.nanos());
    onlinePos[node.index()] = online.size();
    online.add(node);
    node.node().start(saved, bootstrap);
  }

  /** A new node bootstrapping from {@link SimConfig#bootstrapContacts()} random online nodes. */
  public SimNode join() {
    List<SimNode> contacts = randomOnline(config.bootstrapContacts(), null);
    SimNode node = addNode();
    start(node, contacts);
    return node;
  }

  /**
   * Grows the network by {@code count} nodes through real bootstrap: one {@link #join()} every
   * {@link SimConfig#joinIntervalNanos()} of virtual time (each from random nodes already
   * running), then runs until the network is idle; finally turns {@link SimConfig#deadFraction()}
   * of all online nodes silent. Returns the new nodes.
   *
   * @throws IllegalStateException if the network is not idle within 10 virtual minutes of the last
   *     join
   */
  public List<SimNode> build(int count) {
    List<SimNode> added = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        runFor(config.joinIntervalNanos());
      }
      added.add(join());
    }
    if (!runUntilIdle(clock.nanos() + HELPER_LIMIT_NANOS)) {
      throw new IllegalStateException("network not idle 10 virtual minutes after the last join");
    }
    if (config.deadFraction() > 0) {
      killRandom((int) Math.round(config.deadFraction() * online.size()));
    }
    return added;
  }

  /**
   * Builds a network of {@code count} nodes without bootstrap traffic: every node is started with
   * no contacts (which costs nothing), then its routing table is filled, through {@link
   * dev.jdht.core.routing.RoutingTable#onResponse}, with what a long-running node would know: for
   * each bucket depth d, up to 8 random nodes among those sharing exactly d leading bits with it,
   * down to its closest neighbours, which it knows all of. Every such contact counts as a node
   * that has just answered (GOOD for the next 15 virtual minutes). Nodes then run normally:
   * maintenance, pings and refreshes are real. Finally {@link SimConfig#deadFraction()} of the
   * nodes turn silent. Returns the nodes.
   *
   * <p>This builds 10,000 nodes in about a second (real bootstrap costs about 300 datagrams per
   * node, see {@link #build}); the tables are close to ideal, so it tests lookups rather than
   * bootstrap.
   *
   * @throws IllegalStateException if the network already has nodes
   */
  public List<SimNode> buildPreseeded(int count) {
    if (!nodes.isEmpty()) {
      throw new IllegalStateException("buildPreseeded needs an empty network");
    }
    List<SimNode> added = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      added.add(addNode());
    }
    preseed(added);
    if (config.deadFraction() > 0) {
      killRandom((int) Math.round(config.deadFraction() * online.size()));
    }
    return added;
  }

  /**
   * Starts the given new nodes (made with {@link #addNode} or {@link #addNodeAt}) and fills their
   * routing tables as {@link #buildPreseeded} does, from each other only.
   */
  public void preseed(List<SimNode> added) {
    for (SimNode n : added) {
      start(n, List.of(), List.of());
    }
    SimNode[] sorted = added.toArray(new SimNode[0]);
    Arrays.sort(sorted, (a, b) -> a.id().compareTo(b.id()));
    NodeId[] ids = new NodeId[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      ids[i] = sorted[i].id();
    }
    Random seeding = new Random(mix(config.seed() ^ 0x5EEDEDL));
    long now = clock.nanos();
    for (SimNode n : added) {
      Preseeder.seed(n, ids, sorted, seeding, now);
    }
  }

  /**
   * Kills a node: it closes (its lookups end with an error, its timers stop), sends nothing more
   * and drops everything it receives. No-op if already dead.
   */
  public void kill(SimNode node) {
    if (!node.isOnline()) {
      return;
    }
    int pos = onlinePos[node.index()];
    SimNode last = online.remove(online.size() - 1);
    if (last != node) {
      online.set(pos, last);
      onlinePos[last.index()] = pos;
    }
    onlinePos[node.index()] = -1;
    node.markDead(clock.nanos());
    node.node().close();
    if (releaseDead) {
      node.release();
    }
  }

  /**
   * From now on (true), a node that dies drops its {@link DhtNode} so that its memory can be
   * reclaimed; {@link SimNode#node()} of such a node then throws. For long runs with churn (the
   * soak), where the dead would otherwise fill the heap. Off by default.
   */
  public void releaseDeadNodes(boolean on) {
    releaseDead = on;
  }

  /** Kills {@code count} random online nodes that are not pinned; returns them. */
  public List<SimNode> killRandom(int count) {
    List<SimNode> victims = randomOnline(count, n -> !pinned.contains(n));
    for (SimNode n : victims) {
      kill(n);
    }
    return victims;
  }

  /** Keeps {@code node} from being chosen by {@link #killRandom} and churn (e.g. a test's client). */
  public void pin(SimNode node) {
    pinned.add(node);
  }

  /** Every node ever created, in index order (unmodifiable view). */
  public List<SimNode> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** Node {@code index}. */
  public SimNode node(int index) {
    return nodes.get(index);
  }

  /** The online nodes (unmodifiable view, in no particular but deterministic order). */
  public List<SimNode> onlineNodes() {
    return Collections.unmodifiableList(online);
  }

  /** Number of online nodes. */
  public int onlineCount() {
    return online.size();
  }

  /** A random online node (from the simulation's seeded choices), or null if none. */
  public SimNode randomOnline() {
    return online.isEmpty() ? null : online.get(choiceRandom.nextInt(online.size()));
  }

  /**
   * Up to {@code count} distinct random online nodes accepted by {@code filter} (null: all), from
   * the simulation's seeded choices.
   */
  public List<SimNode> randomOnline(int count, Predicate<SimNode> filter) {
    List<SimNode> pool = new ArrayList<>(online.size());
    for (SimNode n : online) {
      if (filter == null || filter.test(n)) {
        pool.add(n);
      }
    }
    int k = Math.min(count, pool.size());
    for (int i = 0; i < k; i++) { // partial Fisher-Yates
      int j = i + choiceRandom.nextInt(pool.size() - i);
      Collections.swap(pool, i, j);
    }
    return new ArrayList<>(pool.subList(0, k));
  }

  /**
   * The true {@code k} closest online nodes to {@code target} (brute force over every online node
   * accepted by {@code filter}, null for all), closest first.
   */
  public List<SimNode> closestOnline(NodeId target, int k, Predicate<SimNode> filter) {
    PriorityQueue<SimNode> farthestFirst =
        new PriorityQueue<>(k + 1, (a, b) -> target.compareDistance(b.id(), a.id()));
    for (SimNode n : online) {
      if (filter != null && !filter.test(n)) {
        continue;
      }
      if (farthestFirst.size() < k) {
        farthestFirst.add(n);
      } else if (target.compareDistance(n.id(), farthestFirst.peek().id()) < 0) {
        farthestFirst.poll();
        farthestFirst.add(n);
      }
    }
    List<SimNode> out = new ArrayList<>(farthestFirst);
    out.sort((a, b) -> target.compareDistance(a.id(), b.id()));
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // network conditions

  /**
   * Splits the network in two from now on: datagrams between a node {@code side} accepts and one
   * it does not are lost (counted as {@link SimStats#partitioned()}), datagrams within a side
   * flow as before. Nodes that join later fall on the side {@code side} gives them. {@link #heal}
   * ends it.
   */
  public void partition(Predicate<SimNode> side) {
    this.partition = java.util.Objects.requireNonNull(side, "side");
  }

  /** Ends a {@link #partition}: every node reaches every other again. */
  public void heal() {
    this.partition = null;
  }

  /** True while a {@link #partition} is in force. */
  public boolean isPartitioned() {
    return partition != null;
  }

  /** The current datagram loss probability. */
  public double lossRate() {
    return lossRate;
  }

  /** Changes the datagram loss probability, in [0, 1), from now on. */
  public void setLossRate(double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("loss rate must be in [0, 1): " + p);
    }
    lossRate = p;
  }

  /**
   * Starts churn until virtual time {@code untilNanos}: nodes leave (are killed; pinned nodes are
   * spared) as a Poisson process of {@code leavesPerSecond} and new nodes {@link #join()} as a
   * Poisson process of {@code joinsPerSecond}. Equal rates keep the population stable.
   */
  public void startChurn(double leavesPerSecond, double joinsPerSecond, long untilNanos) {
    if (leavesPerSecond > 0) {
      scheduleChurn(leavesPerSecond, untilNanos, () -> killRandom(1));
    }
    if (joinsPerSecond > 0) {
      scheduleChurn(joinsPerSecond, untilNanos, this::join);
    }
  }

  /** Stops the churn started by {@link #startChurn}. */
  public void stopChurn() {
    for (TimerQueue.Timer t : churnTimers) {
      t.cancel();
    }
    churnTimers.clear();
  }

  private void scheduleChurn(double perSecond, long until, Runnable action) {
    long gap = (long) (-Math.log(1 - choiceRandom.nextDouble()) / perSecond * 1e9);
    long at = clock.nanos() + Math.max(1, gap);
    if (at > until) {
      return;
    }
    TimerQueue.Timer[] self = new TimerQueue.Timer[1];
    self[0] =
        timers.schedule(
            at,
            () -> {
              churnTimers.remove(self[0]);
              action.run();
              scheduleChurn(perSecond, until, action);
            });
    churnTimers.add(self[0]);
  }

  // ------------------------------------------------------------------------------------------
  // the event loop

  /** Runs every event due up to {@code virtualTime}, then sets the clock to it (if later). */
  public void runUntil(long virtualTime) {
    while (timers.nextDeadline() <= virtualTime) {
      step();
    }
    if (virtualTime > clock.nanos()) {
      clock.set(virtualTime);
    }
  }

  /** Runs {@code nanos} of virtual time. */
  public void runFor(long nanos) {
    runUntil(clock.nanos() + nanos);
  }

  /**
   * Runs events until {@code condition} holds (checked first, then after every event time) or the
   * next event is after {@code maxVirtualTime}; returns whether the condition holds. On failure
   * the clock is left at {@code maxVirtualTime}.
   */
  public boolean runUntil(BooleanSupplier condition, long maxVirtualTime) {
    while (!condition.getAsBoolean()) {
      if (timers.nextDeadline() > maxVirtualTime) {
        if (maxVirtualTime > clock.nanos()) {
          clock.set(maxVirtualTime);
        }
        return condition.getAsBoolean();
      }
      step();
    }
    return true;
  }

  /**
   * Runs until the network is idle: no datagram in flight and none sent for longer than the
   * nodes' longest query timeout (so every transaction has been answered or has expired, and no
   * lookup or announce is waiting for anything). Periodic node timers (maintenance) keep running
   * meanwhile. Returns false if that does not happen by {@code maxVirtualTime} (e.g. under
   * churn); the clock is then left there.
   */
  public boolean runUntilIdle(long maxVirtualTime) {
    while (true) {
      if (inFlight == 0 && clock.nanos() - lastSendAt >= quietNanos) {
        return true;
      }
      long next = timers.nextDeadline();
      long idleAt = inFlight == 0 ? lastSendAt + quietNanos : Long.MAX_VALUE;
      if (idleAt < next && idleAt <= maxVirtualTime) {
        clock.set(Math.max(idleAt, clock.nanos()));
        return true;
      }
      if (next > maxVirtualTime) {
        if (maxVirtualTime > clock.nanos()) {
          clock.set(maxVirtualTime);
        }
        return false;
      }
      step();
    }
  }

  /** Runs every event of the earliest pending event time (after moving the clock there). */
  private void step() {
    long next = timers.nextDeadline();
    if (next > clock.nanos()) {
      clock.set(next);
    }
    events += timers.runDue(clock.nanos());
  }

  // ------------------------------------------------------------------------------------------
  // blocking helpers for tests and benchmarks

  /**
   * Runs a get_peers lookup from {@code from} to completion (other events run meanwhile) and
   * returns its result.
   *
   * @throws IllegalStateException if it does not finish within 10 virtual minutes, or fails
   */
  public LookupResult getPeers(SimNode from, NodeId infoHash) {
    Outcome<LookupResult> out = new Outcome<>();
    from.node().getPeers(infoHash, observer(out));
    return await(out, "get_peers");
  }

  /** Like {@link #getPeers} for a find_node lookup. */
  public LookupResult findNode(SimNode from, NodeId target) {
    Outcome<LookupResult> out = new Outcome<>();
    from.node().findNode(target, observer(out));
    return await(out, "find_node");
  }

  /**
   * Runs an announce (get_peers, then announce_peer to the closest nodes that gave a token) from
   * {@code from} to completion and returns its result.
   */
  public AnnounceResult announce(SimNode from, NodeId infoHash, int port, boolean impliedPort) {
    return announce(from, infoHash, port, impliedPort, false, null);
  }

  /**
   * Like {@link #announce(SimNode, NodeId, int, boolean)}, as a seed when {@code seed} (BEP 33);
   * {@code onPeer} (may be null) gets the peers found on the way.
   */
  public AnnounceResult announce(SimNode from, NodeId infoHash, int port, boolean impliedPort, boolean seed,
      java.util.function.Consumer<PeerAddress> onPeer) {
    Outcome<AnnounceResult> out = new Outcome<>();
    from.node().announce(infoHash, port, impliedPort, seed, onPeer, r -> {
      out.value = r;
      out.error = r.error();
      out.done = true;
    });
    return await(out, "announce");
  }

  private static LookupObserver observer(Outcome<LookupResult> out) {
    return (result, error) -> {
      out.value = result;
      out.error = error;
      out.done = true;
    };
  }

  private <T> T await(Outcome<T> out, String what) {
    if (!runUntil(() -> out.done, clock.nanos() + HELPER_LIMIT_NANOS)) {
      throw new IllegalStateException(what + " did not finish within 10 virtual minutes");
    }
    if (out.error != null) {
      throw new IllegalStateException(what + " failed: " + out.error);
    }
    return out.value;
  }

  /** The result of an operation awaited by a blocking helper. */
  private static final class Outcome<T> {
    T value;
    String error;
    boolean done;
  }

  // ------------------------------------------------------------------------------------------
  // the wire

  /** Traffic counters so far. */
  public SimStats stats() {
    return new SimStats(sent, delivered, lost, toOffline, toNowhere, inFlight, events, partitioned);
  }

  /** Sets (or clears, with null) the tap that sees every delivered datagram. */
  public void tap(Tap tap) {
    this.tap = tap;
  }

  /**
   * Delivers {@code datagram} to {@code to} at once as if it came from {@code source}, which need
   * not be a node of the network (a spoofed or foreign sender: replies to it go nowhere).
   */
  public void inject(PeerAddress source, SimNode to, byte[] datagram) {
    byte[] copy = datagram.clone();
    inFlight++;
    timers.schedule(clock.nanos(), () -> deliver(source, to, copy));
  }

  /** The transport of one node: hands its datagrams to the network. */
  private final class SimTransport implements Transport {
    SimNode owner;

    @Override
    public boolean send(PeerAddress to, byte[] data, int off, int len) {
      transmit(owner, to, data, off, len);
      return true; // like UDP: a lost datagram was still sent
    }
  }

  private void transmit(SimNode from, PeerAddress to, byte[] data, int off, int len) {
    if (!from.isOnline()) {
      return; // a dead host sends nothing
    }
    sent++;
    long now = clock.nanos();
    lastSendAt = now;
    SimNode dst = nodeAt(to);
    if (dst == null) {
      toNowhere++;
      return;
    }
    if (partition != null && partition.test(from) != partition.test(dst)) {
      partitioned++;
      return;
    }
    if (lossRate > 0 && packetRandom.nextDouble() < lossRate) {
      lost++;
      return;
    }
    long delay = Math.max(0, config.latency().delayNanos(from.index(), dst.index(), packetRandom));
    byte[] copy = Arrays.copyOfRange(data, off, off + len);
    PeerAddress source = from.address();
    inFlight++;
    timers.schedule(now + delay, () -> deliver(source, dst, copy));
  }

  private void deliver(PeerAddress source, SimNode dst, byte[] datagram) {
    inFlight--;
    if (!dst.isOnline()) {
      toOffline++;
      return;
    }
    delivered++;
    if (tap != null) {
      tap.delivered(source, dst, datagram);
    }
    dst.node().onDatagram(source, datagram, 0, datagram.length);
  }

  /** The inverse of an odd number modulo 2^24 (Newton's iteration). */
  private static int inverse24(int odd) {
    int x = odd;
    for (int i = 0; i < 5; i++) {
      x *= 2 - odd * x;
    }
    return x & 0xFFFFFF;
  }

  /** The 64-bit finaliser of SplitMix64: decorrelates derived seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
