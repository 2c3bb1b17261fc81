package dev.jdht.crawl.store;

import static dev.jdht.crawl.store.Events.infohash;
import static dev.jdht.crawl.store.Events.nodeSeen;
import static dev.jdht.crawl.store.Events.peer;
import static dev.jdht.crawl.store.Events.seen;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.crawl.InfohashSeen;
import dev.jdht.crawl.store.Databases.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The store against real SQLite and real PostgreSQL: upserts, reporters, restarts, state. */
class CrawlStoreTest {
  static final StoreOptions FAST = StoreOptions.DEFAULTS.withBatchSize(100).withMaxDelay(Duration.ofMillis(5))
      .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)).withCloseTimeout(Duration.ofSeconds(10));

  @TempDir Path tmp;

  static List<Kind> kinds() {
    return Databases.both().toList();
  }

  private static void write(CrawlStore s, List<?> events) throws InterruptedException {
    for (Object e : events) {
      if (e instanceof InfohashSeen i) {
        s.onInfohash(i);
      } else if (e instanceof dev.jdht.crawl.NodeSeen n) {
        s.onNode(n);
      } else {
        s.onPeer((dev.jdht.crawl.PeerSeen) e);
      }
    }
    assertTrue(s.flush(Duration.ofSeconds(60)), "flush timed out: " + s.stats());
  }

  /** infohash hex -> {first, last, times, reporters} read back from the database. */
  static Map<String, long[]> rows(String url) {
    Map<String, long[]> out = new HashMap<>();
    try (StoreQueries q = StoreQueries.open(url)) {
      q.export(r -> out.put(java.util.HexFormat.of().formatHex(r.infohash()),
          new long[] {r.firstSeen(), r.lastSeen(), r.timesSeen(), r.reporters()}));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void countsDistinctReportersExactly(Kind kind) throws Exception {
    String url = Databases.newUrl(kind, tmp);
    // infohash 1: reporters 1,2,3 (2 twice, in two batches); infohash 2: reporter 1 only, 3 times
    try (CrawlStore s = CrawlStore.open(url, FAST)) {
      write(s, List.of(seen(1, 1, 1000), seen(1, 2, 2000), seen(2, 1, 1500), seen(2, 1, 1600)));
      write(s, List.of(seen(1, 2, 500), seen(1, 3, 3000), seen(2, 1, 1700)));
      StoreStats st = s.stats();
      assertEquals(2, st.infohashes());
      assertEquals(7, st.written());
      assertEquals(0, st.dropped());
    }
    Map<String, long[]> rows = rows(url);
    assertArrayEquals(new long[] {500, 3000, 4, 3}, rows.get(infohash(1).toHex()));
    assertArrayEquals(new long[] {1500, 1700, 3, 1}, rows.get(infohash(2).toHex()));
    try (StoreQueries q = StoreQueries.open(url)) {
      assertEquals(4, q.summary().reporterPairs());
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void replayingABatchAfterARestartChangesNoCountsAndAddsNoRows(Kind kind) throws Exception {
    String url = Databases.newUrl(kind, tmp);
    List<Object> batch = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      batch.add(seen(i, i % 7, 10_000 + i));
      batch.add(nodeSeen(i % 7, 10_000 + i, i % 2 == 0));
      batch.add(peer(i, i % 5, 10_000 + i));
    }
    try (CrawlStore s = CrawlStore.open(url, FAST)) {
      write(s, batch);
    }
    Map<String, long[]> before = rows(url);
    StoreQueries.Summary sum1;
    try (StoreQueries q = StoreQueries.open(url)) {
      sum1 = q.summary();
    }
    // a crash after commit, before the crawler knew: the same events come again
    try (CrawlStore s = CrawlStore.open(url, FAST)) {
      StoreStats opened = s.stats();
      assertEquals(250, opened.infohashes());
      assertEquals(7, opened.nodes());
      assertEquals(250, opened.peers());
      write(s, batch);
      StoreStats after = s.stats();
      assertEquals(250, after.infohashes());
      assertEquals(7, after.nodes());
      assertEquals(250, after.peers());
      assertEquals(opened.bep51Nodes(), after.bep51Nodes());
    }
    try (StoreQueries q = StoreQueries.open(url)) {
      StoreQueries.Summary sum2 = q.summary();
      assertEquals(sum1.infohashes(), sum2.infohashes());
      assertEquals(sum1.reporterPairs(), sum2.reporterPairs());
      assertEquals(sum1.nodes(), sum2.nodes());
      assertEquals(sum1.peers(), sum2.peers());
      assertEquals(sum1.firstSeen(), sum2.firstSeen());
      assertEquals(sum1.lastSeen(), sum2.lastSeen());
    }
    Map<String, long[]> after = rows(url);
    assertEquals(before.keySet(), after.keySet());
    for (String k : before.keySet()) {
      long[] b = before.get(k);
      long[] a = after.get(k);
      assertEquals(b[0], a[0], "first_seen");
      assertEquals(b[1], a[1], "last_seen");
      assertEquals(b[3], a[3], "reporters: a replay adds no reporter");
      assertEquals(2 * b[2], a[2], "times_seen counts sightings written, replays included");
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void restartResumesWithoutDuplicatesAndKeepsReportersExact(Kind kind) throws Exception {
    String url = Databases.newUrl(kind, tmp);
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    Map<Long, java.util.Set<Long>> truth = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      List<Object> events = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        long ih = rnd.nextLong(200);
        long rep = rnd.nextLong(30);
        truth.computeIfAbsent(ih, k -> new java.util.HashSet<>()).add(rep);
        events.add(seen(ih, rep, 1_000_000 + round * 1000 + i));
      }
      try (CrawlStore s = CrawlStore.open(url, FAST)) {
        assertEquals(round == 0 ? 0 : s.stats().infohashes(), s.stats().infohashes());
        write(s, events);
        assertEquals(truth.size(), s.stats().infohashes());
      }
    }
    Map<String, long[]> rows = rows(url);
    assertEquals(truth.size(), rows.size());
    truth.forEach((ih, reps) -> assertEquals(reps.size(), rows.get(infohash(ih).toHex())[3], "reporters of " + ih));
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void nodesKeepTheirLatestBep51AnswerAndTheCountFollows(Kind kind) throws Exception {
    String url = Databases.newUrl(kind, tmp);
    try (CrawlStore s = CrawlStore.open(url, FAST)) {
      write(s, List.of(nodeSeen(1, 100, null), nodeSeen(2, 100, true), nodeSeen(3, 100, false)));
      assertEquals(3, s.stats().nodes());
      assertEquals(1, s.stats().bep51Nodes());
      write(s, List.of(nodeSeen(1, 200, true)));
      assertEquals(2, s.stats().bep51Nodes());
      write(s, List.of(nodeSeen(2, 300, false), nodeSeen(3, 300, null)));
      assertEquals(1, s.stats().bep51Nodes());
      write(s, List.of(nodeSeen(1, 400, null))); // unknown keeps the known answer
      assertEquals(1, s.stats().bep51Nodes());
      assertEquals(3, s.stats().nodes());
    }
    try (CrawlStore s = CrawlStore.open(url, FAST)) {
      assertEquals(1, s.stats().bep51Nodes());
    }
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT ip, port, first_seen, last_seen, times_seen, bep51, num, interval_s"
            + " FROM node ORDER BY id")) {
      rs.next(); // node 1
      assertEquals("10.0.0.1", rs.getString(1));
      assertEquals(6881, rs.getInt(2));
      assertEquals(100, rs.getLong(3));
      assertEquals(400, rs.getLong(4));
      assertEquals(3, rs.getLong(5));
      assertEquals(1, rs.getInt(6));
      assertEquals(100, rs.getLong(7));
      assertEquals(21600, rs.getLong(8));
      rs.next(); // node 2: said no to BEP 51 last
      assertEquals(0, rs.getInt(6));
      assertEquals(100, rs.getLong(7), "num stays from the answer that had it");
      rs.next(); // node 3
      assertEquals(0, rs.getInt(6));
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void peersAreDistinctPerInfohash(Kind kind) throws Exception {
    String url = Databases.newUrl(kind, tmp);
    try (CrawlStore s = CrawlStore.open(url, FAST)) {
      write(s, List.of(peer(1, 1, 10), peer(1, 2, 20), peer(1, 1, 30), peer(2, 1, 40)));
      assertEquals(3, s.stats().peers());
      write(s, List.of(peer(1, 2, 50)));
      assertEquals(3, s.stats().peers());
    }
    try (StoreQueries q = StoreQueries.open(url)) {
      assertEquals(3, q.summary().peers());
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void crawlStateSurvivesARestart(Kind kind) throws Exception {
    String url = Databases.newUrl(kind, tmp);
    try (CrawlStore s = CrawlStore.open(url, FAST)) {
      assertNull(s.getState("node_id"));
      s.putState("node_id", "abc");
      s.putState("sweep", "1");
      s.putState("sweep", "2");
      assertEquals("2", s.getState("sweep"), "a pending value is visible at once");
      assertTrue(s.flush(Duration.ofSeconds(30)));
      assertEquals("2", s.getState("sweep"));
    }
    try (CrawlStore s = CrawlStore.open(url, FAST)) {
      assertEquals("abc", s.getState("node_id"));
      assertEquals("2", s.getState("sweep"));
      s.putState("sweep", "3");
    } // close writes it
    try (CrawlStore s = CrawlStore.open(url, FAST)) {
      assertEquals("3", s.getState("sweep"));
    }
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void twoWritersSharingOneDatabaseCountReportersExactly(Kind kind) throws Exception {
    // several crawler instances (--shard i/n) feeding one database; for SQLite they take turns
    String url = Databases.newUrl(kind, tmp);
    try (CrawlStore a = CrawlStore.open(url, FAST); CrawlStore b = CrawlStore.open(url, FAST)) {
      Thread ta = new Thread(() -> {
        for (int i = 0; i < 2000; i++) {
          a.onInfohash(seen(i % 300, i % 11, i));
        }
      });
      Thread tb = new Thread(() -> {
        for (int i = 0; i < 2000; i++) {
          b.onInfohash(seen(299 - i % 300, 100 + i % 13, i));
        }
      });
      ta.start();
      tb.start();
      ta.join();
      tb.join();
      assertTrue(a.flush(Duration.ofSeconds(60)));
      assertTrue(b.flush(Duration.ofSeconds(60)));
    }
    Map<String, long[]> rows = rows(url);
    assertEquals(300, rows.size());
    Map<Long, java.util.Set<Long>> reps = new HashMap<>();
    Map<Long, Long> times = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      reps.computeIfAbsent((long) (i % 300), k -> new java.util.HashSet<>()).add((long) (i % 11));
      reps.computeIfAbsent((long) (299 - i % 300), k -> new java.util.HashSet<>()).add(100L + i % 13);
      times.merge((long) (i % 300), 1L, Long::sum);
      times.merge((long) (299 - i % 300), 1L, Long::sum);
    }
    for (long ih = 0; ih < 300; ih++) {
      long[] r = rows.get(infohash(ih).toHex());
      assertEquals(reps.get(ih).size(), r[3], "reporters of " + ih);
      assertEquals(times.get(ih), r[2], "times_seen of " + ih);
    }
  }
}
