package dev.jdht.bench.crawl;

import dev.jdht.crawl.InfohashSeen;
import dev.jdht.crawl.NodeSeen;
import dev.jdht.crawl.store.CrawlStore;
import dev.jdht.crawl.store.StoreOptions;
import dev.jdht.crawl.store.StoreQueries;
import dev.jdht.crawl.store.StoreStats;
import dev.jdht.crawl.store.testing.PostgresCluster;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Write throughput of the crawl store: a crawl-like stream of events (infohash sightings, each
 * infohash reported by several nodes, and node updates) fed to {@link CrawlStore} as fast as its
 * writer takes them, into SQLite (a file, WAL) and into PostgreSQL (a throwaway cluster started
 * from Debian's binaries, durable settings). One row per backend and pass: the first pass inserts,
 * the second replays the same events (every write is then an upsert of an existing row).
 *
 * <p>Usage: {@code java -cp dht-bench/target/benchmarks.jar dev.jdht.bench.crawl.StoreBench
 * [--infohashes 200000] [--reports 5] [--nodes 50000] [--backends sqlite,postgres] [--batch 20000] [--seed 1]}.
 */
public final class StoreBench {
  private StoreBench() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int infohashes = 200_000;
    int reports = 5;
    int nodes = 50_000;
    long seed = 1;
    String backends = "sqlite,postgres";
    int batch = StoreOptions.DEFAULTS.batchSize();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--infohashes" -> infohashes = Integer.parseInt(args[i + 1]);
        case "--reports" -> reports = Integer.parseInt(args[i + 1]);
        case "--nodes" -> nodes = Integer.parseInt(args[i + 1]);
        case "--backends" -> backends = args[i + 1];
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--batch" -> batch = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Object> events = events(infohashes, reports, nodes, seed);
    System.out.printf(Locale.ROOT,
        "%,d events: %,d infohashes x %d reports from %,d nodes, plus %,d node updates; batches of %,d%n%n",
        events.size(), infohashes, reports, nodes, nodes, batch);
    StoreOptions options = StoreOptions.DEFAULTS.withBatchSize(batch);
    System.out.println("| backend | pass | events/s | seconds | batches | infohash rows | node rows | dropped | store size |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    Path tmp = Files.createTempDirectory("storebench");
    for (String b : backends.split(",")) {
      switch (b) {
        case "sqlite" -> {
          Path file = tmp.resolve("crawl.db");
          String url = "jdbc:sqlite:" + file;
          run("SQLite (file, WAL)", url, options, events, "insert", () -> size(tmp));
          run("SQLite (file, WAL)", url, options, events, "upsert again", () -> size(tmp));
        }
        case "postgres" -> {
          try (PostgresCluster pg = PostgresCluster.start(false)) {
            String url = pg.createDatabase();
            run("PostgreSQL (durable)", url, options, events, "insert", () -> "-");
            run("PostgreSQL (durable)", url, options, events, "upsert again", () -> "-");
          }
        }
        default -> throw new IllegalArgumentException("backend: sqlite or postgres, got " + b);
      }
    }
  }

  private static String size(Path dir) {
    long total = 0;
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        total += Files.size(p);
      }
    } catch (java.io.IOException e) {
      return "?";
    }
    return String.format(Locale.ROOT, "%.0f MB", total / 1e6);
  }

  private static void run(String backend, String url, StoreOptions options, List<Object> events, String pass,
      java.util.function.Supplier<String> size) throws Exception {
    long t0 = System.nanoTime();
    StoreStats s;
    try (CrawlStore store = CrawlStore.open(url, options)) {
      int i = 0;
      for (Object e : events) {
        if (e instanceof InfohashSeen ih) {
          store.onInfohash(ih);
        } else {
          store.onNode((NodeSeen) e);
        }
        // keep the queue well under its bound: the benchmark measures the writer, not drops
        if (++i % 1_000 == 0) {
          while (store.stats().queueDepth() > 100_000) {
            Thread.sleep(1);
          }
        }
      }
      store.flush();
      s = store.stats();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long ihRows;
    long nodeRows;
    try (StoreQueries q = StoreQueries.open(url)) {
      StoreQueries.Summary sum = q.summary();
      ihRows = sum.infohashes();
      nodeRows = sum.nodes();
    }
    System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %.1f | %,d | %,d | %,d | %,d | %s |%n",
        backend, pass, events.size() / secs, secs, s.batchesWritten(), ihRows, nodeRows, s.dropped(), size.get());
  }

  private static List<Object> events(int infohashes, int reports, int nodes, long seed) {
    Random r = new Random(seed);
    NodeId[] nodeIds = new NodeId[nodes];
    PeerAddress[] addrs = new PeerAddress[nodes];
    for (int i = 0; i < nodes; i++) {
      nodeIds[i] = NodeId.random(r);
      addrs[i] = PeerAddress.parse("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff) + ":6881");
    }
    List<Object> out = new ArrayList<>(infohashes * reports + nodes);
    long t = 1_765_000_000_000L;
    for (int n = 0; n < nodes; n++) {
      out.add(new NodeSeen(nodeIds[n], addrs[n], t++, r.nextBoolean(), (long) r.nextInt(5000), 21_600L));
    }
    for (int rep = 0; rep < reports; rep++) {
      Random ihs = new Random(seed * 31);
      for (int i = 0; i < infohashes; i++) {
        int n = r.nextInt(nodes);
        out.add(new InfohashSeen(NodeId.random(ihs), nodeIds[n], addrs[n], t++, InfohashSeen.Source.SAMPLE));
      }
    }
    return out;
  }
}
