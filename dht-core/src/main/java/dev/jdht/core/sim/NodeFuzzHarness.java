package dev.jdht.core.sim;

import dev.jdht.core.api.DhtStats;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.node.PingResult;
import dev.jdht.core.routing.NodeEntry;
import dev.jdht.core.routing.RoutingTable;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A whole node under arbitrary input, for fuzzing: a preseeded simulated network of 6 nodes in
 * which node 0 is the target and node 1 pings it. {@link #feed} delivers an input's datagrams to
 * the target, checking its invariants after each ({@link #checkInvariants}); {@link #checkPing}
 * then requires that a well-formed ping is still answered. A broken invariant throws
 * {@link InvariantViolation}. Used by the Jazzer target (dht-core's NodeFuzzTest) and by the
 * long mutation run in dht-bench ({@code dev.jdht.bench.fuzz.NodeFuzzRun}).
 *
 * <p>Input format. An input starting with {@code 'd'} is one datagram (so raw KRPC messages, the
 * golden vectors among them, are inputs as they are) from 198.18.0.1:6881, followed by one
 * virtual second. Otherwise it is a sequence of records: a byte {@code op}; {@code op % 4 == 0}:
 * the clock advances by the next byte x 50 ms; else the next two bytes pick a source 198.18.x.y
 * (or, when {@code op} is odd and over 128, an IPv6 source, dropped by the IPv4 node as the wrong
 * family), the next byte its port, the next two a length (mod 1,501), then that many bytes are the
 * datagram.
 *
 * <p>Not thread-safe; one harness per input (building one costs about 25 us).
 */
public final class NodeFuzzHarness {
  private static final int NETWORK = 6;
  private static final PeerAddress RAW_SOURCE = PeerAddress.parse("198.18.0.1:6881");

  /** An invariant of the node broke: a finding. */
  public static final class InvariantViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvariantViolation(String message) {
      super(message);
    }
  }

  private final SimulatedNetwork net;
  private final DhtNode target;
  private final SimNode pinger;
  private final NodeConfig config;
  private long delivered;

  /** A fresh network (the same seed every time: an input replays identically). */
  public NodeFuzzHarness() {
    net = new SimulatedNetwork(SimConfig.builder(14).build());
    List<SimNode> nodes = net.buildPreseeded(NETWORK);
    target = nodes.get(0).node();
    pinger = nodes.get(1);
    config = net.config().nodeConfig();
  }

  /** The node under test. */
  public DhtNode target() {
    return target;
  }

  /** The network around it. */
  public SimulatedNetwork network() {
    return net;
  }

  /** Datagrams delivered by {@link #feed} and {@link #deliver} so far. */
  public long delivered() {
    return delivered;
  }

  /** Delivers the datagrams of one input (see the class comment), checking invariants after each. */
  public void feed(byte[] input) {
    if (input.length > 0 && input[0] == 'd') {
      deliver(RAW_SOURCE, input, 0, input.length);
      net.runFor(TimeUnit.SECONDS.toNanos(1));
      return;
    }
    int i = 0;
    while (i < input.length) {
      int op = input[i++] & 0xff;
      if (op % 4 == 0) {
        int steps = i < input.length ? input[i++] & 0xff : 1;
        net.runFor(steps * 50_000_000L);
        continue;
      }
      if (i + 5 > input.length) {
        return;
      }
      int a = input[i++] & 0xff;
      int b = input[i++] & 0xff;
      int port = 1 + (input[i++] & 0xff);
      int len = ((input[i++] & 0xff) << 8 | (input[i++] & 0xff)) % 1501;
      len = Math.min(len, input.length - i);
      PeerAddress from = (op & 1) == 1 && op > 128
          ? PeerAddress.parse("[2001:db8:" + Integer.toHexString(a) + "::" + Integer.toHexString(b + 1) + "]:" + port)
          : PeerAddress.of(new byte[] {(byte) 198, 18, (byte) a, (byte) b}, port);
      deliver(from, input, i, len);
      i += len;
    }
  }

  /** Delivers {@code len} bytes from {@code from} to the target, then checks its invariants. */
  public void deliver(PeerAddress from, byte[] buf, int off, int len) {
    delivered++;
    target.onDatagram(from, buf, off, len);
    checkInvariants();
  }

  /** Delivers one raw datagram from the fixed source and lets a virtual second pass. */
  public void deliverRaw(byte[] datagram) {
    deliver(RAW_SOURCE, datagram, 0, datagram.length);
    net.runFor(TimeUnit.SECONDS.toNanos(1));
  }

  /**
   * No handler failure; routing table invariants (no own id, no duplicate id or address, bucket
   * sizes, bucket count, replacement cache and prefix-cap bounds); every bounded structure within
   * its cap (in-flight queries, lookups, stored peers and infohashes).
   */
  public void checkInvariants() {
    DhtStats s = target.stats();
    require(s.handlerFailures() == 0, "an exception reached the node's catch-all");
    RoutingTable rt = target.routingTable();
    Map<Integer, Integer> perBucket = new HashMap<>();
    Set<NodeId> ids = new HashSet<>();
    Set<PeerAddress> addresses = new HashSet<>();
    for (NodeEntry e : rt.entries()) {
      require(!e.id().equals(target.id()), "own id in the table");
      require(ids.add(e.id()), "duplicate id " + e.id());
      require(addresses.add(e.address()), "duplicate address " + e.address());
      perBucket.merge(rt.bucketIndex(e.id()), 1, Integer::sum);
    }
    for (NodeEntry e : rt.replacementEntries()) {
      require(!e.id().equals(target.id()), "own id among the replacements");
      require(ids.add(e.id()), "duplicate id " + e.id());
      require(addresses.add(e.address()), "duplicate address " + e.address());
    }
    int k = config.routing().k();
    perBucket.forEach((b, n) -> require(n <= k, "bucket " + b + " holds " + n));
    require(rt.bucketCount() <= NodeId.BITS, "bucket count " + rt.bucketCount());
    require(rt.replacementCount() <= rt.bucketCount() * config.routing().replacementCacheSize(),
        "replacements " + rt.replacementCount());
    require(rt.prefixCap().trackedPrefixes() <= rt.size() + rt.replacementCount(), "prefix cap tracks stale prefixes");
    require(s.inFlight() <= config.maxInFlight(), "in flight " + s.inFlight());
    require(s.activeLookups() <= config.maxLookups(), "lookups " + s.activeLookups());
    require(s.storedPeers() <= config.maxStoredPeers(), "stored peers " + s.storedPeers());
    require(s.storedInfoHashes() <= config.maxInfoHashes(), "stored infohashes " + s.storedInfoHashes());
  }

  /** A well-formed ping from a node of the network is still answered within 30 virtual seconds. */
  public void checkPing() {
    PingResult[] result = new PingResult[1];
    pinger.node().ping(net.nodes().get(0).address(), null, r -> result[0] = r);
    net.runUntil(() -> result[0] != null, net.now() + TimeUnit.SECONDS.toNanos(30));
    require(result[0] != null && result[0].ok(), "ping after the input: " + result[0]);
    checkInvariants();
  }

  /** One whole input on a fresh harness: feed, then the ping check. */
  public static NodeFuzzHarness runOne(byte[] input) {
    NodeFuzzHarness h = new NodeFuzzHarness();
    h.feed(input);
    h.checkPing();
    return h;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new InvariantViolation(message);
    }
  }
}
