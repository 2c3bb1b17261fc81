package dev.jdht.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.node.PingResult;
import dev.jdht.core.routing.NodeEntry;
import dev.jdht.core.routing.RoutingTable;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.testdata.KrpcVectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes a whole node, not just the codec: arbitrary datagrams from arbitrary source addresses,
 * interleaved with clock advances, go into a real {@link DhtNode} on the simulated network, and
 * after each datagram the node's invariants are checked (see {@link #checkInvariants}); at the end
 * of every input a well-formed ping from a node of the network must still be answered.
 *
 * <p>Input format. An input starting with {@code 'd'} is one datagram (so raw KRPC messages, the
 * golden vectors among them, are inputs as they are). Otherwise it is a sequence of records: a
 * byte {@code op}; {@code op % 4 == 0}: the clock advances by the next byte x 50 ms; else the next
 * two bytes pick a source 198.18.x.y (or, when {@code op} is odd, an IPv6 source, dropped by the
 * IPv4 node as the wrong family), the next byte its port, the next two a length, then that many
 * bytes are the datagram.
 *
 * <p>{@code mvn test} runs the saved inputs and every golden vector (valid, non-canonical and
 * invalid); {@code JAZZER_FUZZ=1} fuzzes (docs/security.md).
 */
class NodeFuzzTest {
  private static final int NETWORK = 6;

  @FuzzTest(maxDuration = "10m")
  void nodeDatagrams(byte[] input) {
    runOne(input);
  }

  @Test
  void goldenVectorsAsInputs() {
    List<byte[]> inputs = new ArrayList<>();
    KrpcVectors.valid().forEach(v -> inputs.add(v.bytes()));
    KrpcVectors.validNonCanonical().forEach(v -> inputs.add(v.bytes()));
    KrpcVectors.invalid().forEach(v -> inputs.add(v.bytes()));
    Harness h = new Harness();
    long before = h.target.stats().datagramsIn();
    long malformedBefore = h.target.stats().droppedMalformed();
    for (byte[] in : inputs) {
      // each vector as one datagram, also those that do not start with 'd' (feed would frame them)
      h.deliver(PeerAddress.parse("198.18.0.1:6881"), in, 0, in.length);
      h.net.runFor(TimeUnit.SECONDS.toNanos(1));
    }
    h.checkPing();
    DhtStats s = h.target.stats();
    assertTrue(s.datagramsIn() - before >= inputs.size(), "every vector was delivered");
    assertTrue(s.droppedMalformed() > malformedBefore, "the invalid vectors were counted");
  }

  @Test
  void framedInputsWithClockAdvances() {
    // three datagrams from two sources, clock advances between them
    byte[] ping = KrpcVectors.valid("bep5_ping_query").bytes();
    List<Byte> in = new ArrayList<>();
    for (int rep = 0; rep < 3; rep++) {
      in.add((byte) 1);
      in.add((byte) 0);
      in.add((byte) rep);
      in.add((byte) 7);
      in.add((byte) (ping.length >> 8));
      in.add((byte) ping.length);
      for (byte b : ping) {
        in.add(b);
      }
      in.add((byte) 4);
      in.add((byte) 200);
    }
    byte[] bytes = new byte[in.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = in.get(i);
    }
    Harness h = new Harness();
    long before = h.net.now();
    h.feed(bytes);
    // the three fed pings, and maybe the pings of the network nodes our verification pings reached
    assertTrue(h.target.stats().queriesIn().getOrDefault("ping", 0L) >= 3);
    assertTrue(h.net.now() - before >= 3 * 200 * 50_000_000L, "the clock advanced");
    h.checkPing();
  }

  static void runOne(byte[] input) {
    Harness h = new Harness();
    h.feed(input);
    h.checkPing();
  }

  /** A small simulated network; node 0 is the target, node 1 pings it. */
  static final class Harness {
    final SimulatedNetwork net;
    final DhtNode target;
    final SimNode pinger;
    final NodeConfig config;

    Harness() {
      net = new SimulatedNetwork(SimConfig.builder(14).build());
      List<SimNode> nodes = net.buildPreseeded(NETWORK);
      target = nodes.get(0).node();
      pinger = nodes.get(1);
      config = net.config().nodeConfig();
    }

    void feed(byte[] input) {
      if (input.length > 0 && input[0] == 'd') {
        deliver(PeerAddress.parse("198.18.0.1:6881"), input, 0, input.length);
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

    void deliver(PeerAddress from, byte[] buf, int off, int len) {
      target.onDatagram(from, buf, off, len);
      checkInvariants();
    }

    /** No handler failure, routing table invariants, every bounded structure within its cap. */
    void checkInvariants() {
      DhtStats s = target.stats();
      assertEquals(0, s.handlerFailures(), "an exception reached the node's catch-all");
      RoutingTable rt = target.routingTable();
      Map<Integer, Integer> perBucket = new HashMap<>();
      Set<NodeId> ids = new HashSet<>();
      Set<PeerAddress> addresses = new HashSet<>();
      for (NodeEntry e : rt.entries()) {
        assertFalse(e.id().equals(target.id()), "own id in the table");
        assertTrue(ids.add(e.id()), "duplicate id " + e.id());
        assertTrue(addresses.add(e.address()), "duplicate address " + e.address());
        perBucket.merge(rt.bucketIndex(e.id()), 1, Integer::sum);
      }
      for (NodeEntry e : rt.replacementEntries()) {
        assertFalse(e.id().equals(target.id()), "own id among the replacements");
        assertTrue(ids.add(e.id()), "duplicate id " + e.id());
        assertTrue(addresses.add(e.address()), "duplicate address " + e.address());
      }
      perBucket.forEach((b, n) -> assertTrue(n <= config.routing().k(), "bucket " + b + " holds " + n));
      assertTrue(rt.bucketCount() <= NodeId.BITS);
      assertTrue(rt.replacementCount() <= rt.bucketCount() * config.routing().replacementCacheSize());
      assertTrue(rt.prefixCap().trackedPrefixes() <= rt.size() + rt.replacementCount());
      assertTrue(s.inFlight() <= config.maxInFlight(), "in flight " + s.inFlight());
      assertTrue(s.activeLookups() <= config.maxLookups());
      assertTrue(s.storedPeers() <= config.maxStoredPeers());
      assertTrue(s.storedInfoHashes() <= config.maxInfoHashes());
    }

    /** A well-formed ping from a node of the network is still answered. */
    void checkPing() {
      PingResult[] result = new PingResult[1];
      pinger.node().ping(net.nodes().get(0).address(), null, r -> result[0] = r);
      net.runUntil(() -> result[0] != null, net.now() + TimeUnit.SECONDS.toNanos(30));
      assertTrue(result[0] != null && result[0].ok(), "ping after the input: " + result[0]);
      checkInvariants();
    }
  }
}
