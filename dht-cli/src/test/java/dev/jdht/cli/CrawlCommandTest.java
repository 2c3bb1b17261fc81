package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.crawl.store.StoreQueries;
import dev.jdht.krpc.wire.NodeId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrawlCommandTest {
  @TempDir Path dir;

  @Test
  void aShortCrawlOfTheLoopbackNetworkStoresEveryInfohashItsNodesHoldAndTheNextRunResumes() throws Exception {
    Random r = new Random(99);
    List<NodeId> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      NodeId ih = NodeId.random(r);
      TestNet.announce(3 + i * 5, ih, 7100 + i);
      held.add(ih);
    }
    String db = "jdbc:sqlite:" + dir.resolve("crawl.db");
    Cli.Result res =
        Cli.run("crawl", "--bind", "127.0.39.201:0", "--bootstrap", TestNet.bootstrap(), "--no-state",
            "--duration", "6s", "--rate", "300", "--progress", "--print", "--db", db);
    assertEquals(0, res.exitCode(), res.toString());
    for (NodeId ih : held) {
      assertTrue(res.out().contains("\"infohash\":\"" + ih.toHex() + "\""), ih.toHex() + " missing\n" + res);
    }
    assertTrue(res.err().contains("stopped after"), res.err());
    assertTrue(res.err().contains("nodes ") && res.err().contains("coverage"), "a progress line: " + res.err());
    Set<String> stored = new HashSet<>();
    try (StoreQueries q = StoreQueries.open(db)) {
      q.export(row -> stored.add(NodeId.of(row.infohash()).toHex()));
    }
    for (NodeId ih : held) {
      assertTrue(stored.contains(ih.toHex()), ih.toHex() + " not in the store");
    }
    String id = res.err().split("crawling as ")[1].substring(0, 40);
    // and `dht crawl export` lists every one of them
    Cli.Result export = Cli.run("crawl", "export", "--db", db, "--format", "jsonl");
    assertEquals(0, export.exitCode(), export.toString());
    for (NodeId ih : held) {
      assertTrue(export.out().contains(ih.toHex()), ih.toHex() + " not exported\n" + export.out());
    }
    assertTrue(res.err().contains(" sampled,") && !res.err().contains(" 0 sampled,"), res.err());

    long neverSampled;
    try (StoreQueries q = StoreQueries.open(db)) {
      StoreQueries.Summary sum = q.summary();
      neverSampled = sum.nodes() - sum.bep51Nodes();
      assertTrue(sum.bep51Nodes() > 0, sum.toString());
    }

    // the next run: no --bootstrap, the saved contacts and node id
    Cli.Result again = Cli.run("crawl", "--bind", "127.0.39.201:0", "--no-state", "--duration", "2s", "--resume", "--db", db,
        "--http", "127.0.39.201:0");
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.err().contains("crawling as " + id) && again.err().contains("(resumed)"), again.err());
    assertTrue(again.err().contains("dashboard: http://127.0.39.201:"), again.err());
    // every node the first run sampled gave a 6 h interval: the resumed run asks none of them again, only
    // nodes the first run learned of but had not sampled yet (how many depends on how far it got in 6 s)
    long sampledAgain = sampledCount(again.err());
    assertTrue(sampledAgain <= neverSampled, sampledAgain + " sampled, " + neverSampled + " never sampled\n" + again.err());
  }

  private static long sampledCount(String err) {
    Matcher m = Pattern.compile(" (\\d+) sampled,").matcher(err);
    long last = -1;
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    assertTrue(last >= 0, "no sampled count in: " + err);
    return last;
  }

  @Test
  void aDatabaseThatCannotBeUsedFailsWithOneLineBeforeAnyTraffic() {
    Cli.Result res = Cli.run("crawl", "--db", "jdbc:sqlite:" + dir.resolve("no/such/dir/crawl.db"), "--bootstrap", "127.0.39.250:9");
    assertEquals(1, res.exitCode(), res.toString());
    assertEquals(1, res.errLines().size(), res.toString());
    Cli.Result notJdbc = Cli.run("crawl", "--db", "crawl.db");
    assertEquals(2, notJdbc.exitCode(), notJdbc.toString());
    Cli.Result noState = Cli.run("crawl", "--resume", "--db", "jdbc:sqlite:" + dir.resolve("empty.db"), "--bootstrap", "127.0.39.250:9");
    assertEquals(2, noState.exitCode(), noState.toString());
    assertEquals(1, noState.errLines().size(), noState.toString());
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
