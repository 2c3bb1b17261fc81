package dev.jdht.bench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.node.NodeConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A CI-size slice of {@link FloodBench} (scenario "one": a single source at 100x its per-IP
 * budget, 2 s) over real loopback UDP. It asserts counts, never times: the node's own lookups find
 * every announced peer before, during and after the flood, the source is blocked and answered
 * within its budget, a well-behaved source keeps being answered, and the node answers a fresh
 * source and completes a lookup once the flood stops.
 */
class FloodBenchTest {
  @Test
  void oneSourceAtAHundredTimesItsBudgetIsBlockedWhileTheNodesLookupsFindEveryPeer() throws Exception {
    FloodBench.Settings settings = new FloodBench.Settings(List.of("one"), 1, new long[0], 100, 12, 2, 2, 1, 2, 1, 4, 7);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    FloodBench.Result r = FloodBench.run(settings, quiet);

    assertEquals(List.of("baseline", "flood", "after"), r.phases().stream().map(FloodBench.Phase::name).toList());
    for (FloodBench.Phase p : r.phases()) {
      assertFalse(p.lookups().isEmpty(), p.name() + ": no lookup ran");
      assertTrue(p.lookups().stream().allMatch(FloodBench.LookupRun::allFound),
          p.name() + ": a lookup missed a peer: " + p.lookups());
    }
    FloodBench.Phase flood = r.phases().get(1);
    NodeConfig limits = NodeConfig.defaults();
    double budget = limits.perIpBurst() + limits.perIpRate() * flood.seconds();
    assertTrue(flood.offered() > 10 * budget, flood.offered() + " offered: not a flood");
    assertTrue(flood.floodAnswered() <= budget, flood.floodAnswered() + " flood queries answered, budget " + budget);
    assertEquals(1, flood.after().sourcesBlocked() - flood.before().sourcesBlocked());
    long blocked = flood.after().droppedBlocked() - flood.before().droppedBlocked();
    assertTrue(blocked > flood.offered() / 2, blocked + " of " + flood.offered() + " dropped as blocked");
    // the well-behaved probe (20 pings/s) is answered throughout; a ping in flight at a phase edge may count on either side
    assertTrue(flood.probeAnswered() >= flood.probeSent() - 2, flood.probeAnswered() + " of " + flood.probeSent());

    FloodBench.Recovery rec = r.recoveries().get(0);
    assertTrue(rec.freshAnswerNanos() >= 0, "a fresh source got no answer after the flood");
    assertTrue(rec.lookupNanos() >= 0, "no lookup found every peer after the flood");
  }
}
