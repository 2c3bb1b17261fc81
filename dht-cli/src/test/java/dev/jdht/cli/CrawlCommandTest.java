package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrawlCommandTest {
  @Test
  void aShortCrawlOfTheLoopbackNetworkPrintsEveryInfohashItsNodesHold() throws Exception {
    Random r = new Random(99);
    List<NodeId> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      NodeId ih = NodeId.random(r);
      TestNet.announce(3 + i * 5, ih, 7100 + i);
      held.add(ih);
    }
    Cli.Result res =
        Cli.run("crawl", "--bind", "127.0.39.201:0", "--bootstrap", TestNet.bootstrap(), "--no-state",
            "--duration", "6s", "--rate", "300", "--progress");
    assertEquals(0, res.exitCode(), res.toString());
    for (NodeId ih : held) {
      assertTrue(res.out().contains("\"infohash\":\"" + ih.toHex() + "\""), ih.toHex() + " missing\n" + res);
    }
    assertTrue(res.err().contains("stopped after"), res.err());
    assertTrue(res.err().contains("nodes ") && res.err().contains("coverage"), "a progress line: " + res.err());
  }

  @Test
  void badValuesGetOneLineAndExitTwo() {
    for (String[] args : new String[][] {
        {"crawl", "--rate", "0"}, {"crawl", "--rate", "fast"}, {"crawl", "--shard", "4/4"},
        {"crawl", "--shard", "x"}, {"crawl", "--duration", "0s"}, {"crawl", "--max-infohashes", "-3"},
        {"crawl", "--per-ip-rate", "0"}}) {
      Cli.Result res = Cli.run(args);
      assertEquals(2, res.exitCode(), String.join(" ", args) + "\n" + res);
      assertEquals(1, res.errLines().size(), String.join(" ", args) + "\n" + res);
    }
  }
}
