package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.crawl.InfohashSeen;
import dev.jdht.crawl.store.CrawlStore;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dht crawl stats} and {@code dht crawl export} over a real SQLite store. */
class CrawlStoreCommandsTest {
  @TempDir Path tmp;

  private static NodeId id(int b) {
    byte[] x = new byte[20];
    x[0] = (byte) b;
    x[19] = 1;
    return NodeId.of(x);
  }

  /** 3 infohashes: ih1 reported by 3 nodes, ih2 by 2, ih3 by 1. */
  private String store() {
    Path db = tmp.resolve("crawl.db");
    String url = "jdbc:sqlite:" + db;
    try (CrawlStore s = CrawlStore.open(url)) {
      long t = 1_765_000_000_000L;
      int[][] reports = {{1, 10}, {1, 11}, {1, 12}, {2, 10}, {2, 11}, {3, 12}, {1, 10}};
      for (int[] r : reports) {
        s.onInfohash(new InfohashSeen(id(r[0]), id(r[1]), PeerAddress.parse("127.0.0." + r[1] + ":6881"), t++,
            InfohashSeen.Source.SAMPLE));
      }
      s.flush();
    }
    return url;
  }

  @Test
  void statsAsJsonCountsAndRanks() throws Exception {
    String url = store();
    Cli.Result r = Cli.run("crawl", "stats", "--db", url, "--top", "2", "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(3, j.get("infohashes").asLong());
    assertEquals(2, j.get("top").size());
    assertEquals(id(1).toHex(), j.get("top").get(0).get("infohash").asText());
    assertEquals(3, j.get("top").get(0).get("reporters").asLong());
    assertEquals(id(2).toHex(), j.get("top").get(1).get("infohash").asText());
    assertEquals("2025-12-06T05:46:40Z", j.get("first_seen").asText());
    // every sighting falls in one hour: 3 new infohashes; nodes are only written by onNode
    assertEquals(1, j.get("hourly").size(), j.toString());
    assertEquals("2025-12-06T05:00:00Z", j.get("hourly").get(0).get("hour").asText());
    assertEquals(3, j.get("hourly").get(0).get("new_infohashes").asLong());
  }

  @Test
  void statsAsTextAndDefaultStoreInTheStateDir() throws Exception {
    store(); // tmp/crawl.db is what 'dht crawl' writes under --state-dir tmp
    Cli.Result r = Cli.run("crawl", "stats", "--state-dir", tmp.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("infohashes:  3"), r.out());
    assertTrue(r.out().contains(id(1).toHex() + "  3 nodes"), r.out());
    assertTrue(r.out().contains("2025-12-06T05h  3 infohashes"), r.out());
  }

  @Test
  void exportWritesEveryRowAsCsvOrJsonLines() throws Exception {
    String url = store();
    Path csv = tmp.resolve("out.csv");
    Cli.Result r = Cli.run("crawl", "export", "--db", url, "--output", csv.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = Files.readAllLines(csv);
    assertEquals("infohash,first_seen,last_seen,times_seen,reporters", lines.get(0));
    assertEquals(4, lines.size());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith(id(1).toHex() + ",") && l.endsWith(",4,3")), lines.toString());
    assertTrue(r.err().contains("3 infohashes written"), r.err());

    Path jsonl = tmp.resolve("out.jsonl");
    r = Cli.run("crawl", "export", "--db", url, "--format", "jsonl", "--output", jsonl.toString());
    assertEquals(0, r.exitCode(), r.err());
    List<String> rows = Files.readAllLines(jsonl);
    assertEquals(3, rows.size());
    for (String row : rows) {
      assertTrue(Json.mapper().readTree(row).get("infohash").asText().length() == 40, row);
    }
  }

  @Test
  void badInputIsAOneLineError() {
    Cli.Result r = Cli.run("crawl", "export", "--format", "xml", "--db", "jdbc:sqlite:" + tmp.resolve("x.db"));
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("expected csv or jsonl, got 'xml'"), r.err());
    r = Cli.run("crawl", "stats", "--db", "crawl.db");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--db must be a JDBC URL"), r.err());
    r = Cli.run("crawl", "stats", "--state-dir", tmp.resolve("empty").toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("no crawl store at"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }
}
