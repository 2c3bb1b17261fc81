package dev.jdht.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jdht.core.api.DhtStats;
import dev.jdht.testdata.KrpcVectors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes a whole node, not just the codec: arbitrary datagrams from arbitrary source addresses,
 * interleaved with clock advances, go into a real node on the simulated network through
 * {@link NodeFuzzHarness} (its class comment has the input format), which checks the node's
 * invariants after each datagram and that a well-formed ping is still answered after each input.
 *
 * <p>{@code mvn test} runs the saved inputs and every golden vector (valid, non-canonical and
 * invalid); {@code JAZZER_FUZZ=1} fuzzes (docs/security.md). The long uninstrumented mutation
 * run is dht-bench's {@code NodeFuzzRun}.
 */
class NodeFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void nodeDatagrams(byte[] input) {
    NodeFuzzHarness.runOne(input);
  }

  @Test
  void goldenVectorsAsInputs() {
    List<byte[]> inputs = new ArrayList<>();
    KrpcVectors.valid().forEach(v -> inputs.add(v.bytes()));
    KrpcVectors.validNonCanonical().forEach(v -> inputs.add(v.bytes()));
    KrpcVectors.invalid().forEach(v -> inputs.add(v.bytes()));
    NodeFuzzHarness h = new NodeFuzzHarness();
    long before = h.target().stats().datagramsIn();
    long malformedBefore = h.target().stats().droppedMalformed();
    for (byte[] in : inputs) {
      // each vector as one datagram, also those that do not start with 'd' (feed would frame them)
      h.deliverRaw(in);
    }
    h.checkPing();
    DhtStats s = h.target().stats();
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
    NodeFuzzHarness h = new NodeFuzzHarness();
    long before = h.network().now();
    h.feed(bytes);
    assertEquals(3, h.delivered());
    // the three fed pings, and maybe the pings of the network nodes our verification pings reached
    assertTrue(h.target().stats().queriesIn().getOrDefault("ping", 0L) >= 3);
    assertTrue(h.network().now() - before >= 3 * 200 * 50_000_000L, "the clock advanced");
    h.checkPing();
  }
}
