package dev.jdht.cli;

import dev.jdht.crawl.CrawlConfig;
import dev.jdht.crawl.CrawlListener;
import dev.jdht.crawl.CrawlStats;
import dev.jdht.crawl.Crawler;
import dev.jdht.crawl.DhtCrawlNode;
import dev.jdht.crawl.InfohashSeen;
import dev.jdht.crawl.PeerSeen;
import dev.jdht.crawl.NodeSeen;
import dev.jdht.crawl.Shard;
import dev.jdht.crawl.store.CrawlStore;
import dev.jdht.crawl.store.StoreException;
import dev.jdht.core.node.SavedState;
import dev.jdht.http.CrawlSnapshot;
import dev.jdht.http.MonitorServer;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht crawl}: joins the DHT as a normal node and traverses the keyspace with BEP 51
 * sample_infohashes and a find_node sweep, within a packet budget, into a {@link CrawlStore}
 * ({@code --db}); with {@code --print} each distinct infohash also goes to stdout as a JSON line.
 * Progress goes to stderr. The node id, shard and contacts are saved in the store's crawl_state for
 * the next run. One instance per invocation; not thread-safe.
 */
@Command(
    name = "crawl",
    subcommands = {CrawlStoreCommands.Stats.class, CrawlStoreCommands.Export.class},
    description = {
      "Crawls the DHT: BEP 51 sample_infohashes to every node it learns of (honouring each node's "
          + "interval), a find_node sweep over the whole keyspace, and infohashes from get_peers / "
          + "announce_peer queries that reach it, within a global packet budget and a per-IP limit. "
          + "It keeps answering queries like any node. Results go to --db (SQLite by default, or "
          + "PostgreSQL). Ctrl-C, --duration or --max-infohashes stop it cleanly: the store is "
          + "flushed and the node id and routing contacts are saved, so the next run resumes.",
    },
    footer = {
      "  dht crawl --duration 10m --progress",
      "  dht crawl --db 'jdbc:postgresql://db.example/dht?user=crawler' --rate 1000",
      "  dht crawl --rate 500 --shard 0/4      one of four crawlers splitting the keyspace",
      "  dht crawl --http 9090                 with the live dashboard at http://127.0.0.1:9090/",
      "  dht crawl --bind 127.0.0.1:0 --bootstrap 127.0.0.2:6881 --duration 60s",
      "  dht crawl stats                       what the store holds",
      "  dht crawl export --format jsonl       every infohash, streamed",
    })
public final class CrawlCommand implements java.util.concurrent.Callable<Integer> {
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
  static final String DB_FILE = "crawl.db";
  static final String STATE_NODE_ID = "crawl.node_id";
  static final String STATE_SHARD = "crawl.shard";
  static final String STATE_SEEDS = "crawl.seeds";
  /** Stored nodes a resumed crawl loads at most (the most recently heard from). */
  static final int RESUME_NODES = 200_000;
  static final int MAX_SAVED_SEEDS = 200;

  @Spec private CommandSpec spec;

  @Option(names = "--rate", paramLabel = "PKT/S", defaultValue = "200", converter = Rate.class,
      description = "Outgoing crawl packets per second, all kinds together (default: ${DEFAULT-VALUE}).")
  private int rate;

  @Option(names = "--per-ip-rate", paramLabel = "PKT/S", defaultValue = "5", converter = PerIpRate.class,
      description = "Packets per second to any one IP address (default: ${DEFAULT-VALUE}).")
  private int perIpRate;

  @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class,
      description = "Crawl only part I of N of the keyspace (0 <= I < N <= 1024), with a node id inside it.")
  private Shard shard;

  @Option(names = "--duration", paramLabel = "DURATION", converter = Converters.PositiveDuration.class,
      description = "Stop after this long (default: until Ctrl-C).")
  private Duration duration;

  @Option(names = "--max-infohashes", paramLabel = "N", converter = MaxInfohashes.class,
      description = "Stop after this many distinct infohashes.")
  private Long maxInfohashes;

  @Option(names = "--peers", description = "Also ask get_peers for each new infohash (off by default).")
  private boolean peers;

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "Where to store what the crawl finds: jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB?user=..."
          + " (default: jdbc:sqlite:<state dir>/crawl.db).")
  private String db;

  @Option(names = "--resume", description = "Continue from the state saved in the database (node id, shard, "
      + "routing contacts); the default when it holds one. Fails when it holds none.")
  private boolean resume;

  @Option(names = "--print", description = "Also print each distinct infohash on stdout as a JSON line.")
  private boolean print;

  @Option(names = "--progress", description = "A progress line on stderr every 5 s even when it is not a terminal.")
  private boolean progress;

  @Mixin private NodeOptions node;

  @Mixin private NetworkOptions network;

  @Mixin private HttpOptions http;

  @Override
  public Integer call() {
    Logger log = LoggerFactory.getLogger(CrawlCommand.class);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Shard sh = shard == null ? Shard.ALL : shard;
    CrawlConfig config = CrawlConfig.builder().rate(rate).perIpRate(perIpRate).peers(peers).shard(sh).build();
    CrawlStore store = openStore();
    try {
      return crawl(store, sh, config, log, out, err);
    } finally {
      store.close();
    }
  }

  /** The SQLite file a crawl uses when no --db is given: crawl.db in the state directory. */
  static Path defaultDbFile(Path stateDir) {
    return StateDir.of(stateDir).dir().resolve(DB_FILE);
  }

  /** {@code --db} as given, once it is known to be a JDBC URL; a usage error otherwise. */
  static String jdbcUrl(String db) {
    if (!db.startsWith("jdbc:")) {
      throw new UsageError("--db must be a JDBC URL (jdbc:sqlite:FILE or jdbc:postgresql://...), got '" + db + "'");
    }
    return db;
  }

  /** Opens --db (or the default SQLite file) before any traffic; a one-line error if it cannot be used. */
  private CrawlStore openStore() {
    String url;
    if (db == null) {
      Path file = defaultDbFile(network.stateDir());
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new UsageError("cannot create the state directory " + file.getParent() + ": " + e.getMessage());
      }
      url = "jdbc:sqlite:" + file;
    } else {
      url = jdbcUrl(db);
    }
    try {
      return CrawlStore.open(url);
    } catch (StoreException e) {
      throw new CommandFailed(CliErrors.oneLine(e.getMessage()), e);
    }
  }

  private int crawl(CrawlStore store, Shard sh, CrawlConfig config, Logger log, PrintWriter out, PrintWriter err) {
    String savedId = store.getState(STATE_NODE_ID);
    String savedShard = store.getState(STATE_SHARD);
    List<NodeInfo> savedSeeds = parseSeeds(store.getState(STATE_SEEDS));
    if (resume && savedId == null) {
      throw new UsageError("--resume: " + store.url() + " holds no saved crawl state");
    }
    boolean resuming = savedId != null && (savedShard == null || savedShard.equals(sh.toString()));
    NodeSettings settings = NodeSettings.of(node, network, null, null);
    NodeId id = nodeIdFor(sh, settings, resuming ? NodeId.fromHex(savedId) : null);
    List<InetSocketAddress> bootstrap = settings.bootstrap();
    if (bootstrap == null && resuming && !savedSeeds.isEmpty()) {
      bootstrap = new ArrayList<>();
      for (NodeInfo n : savedSeeds) {
        bootstrap.add(n.address().toSocketAddress());
      }
    }
    settings = settings.withIdAndBootstrap(id, bootstrap); // keeps every --bind and --read-only
    boolean quiet = Commands.quiet(spec);
    boolean showProgress = !quiet && (progress || Terminal.progressOnStderr());
    NodeSession session = NodeSession.start(settings, Duration.ofMinutes(1), log);
    CountDownLatch stopRequested = new CountDownLatch(1);
    try (ShutdownHook hook = ShutdownHook.register("dht-crawl-stop", stopRequested::countDown)) {
      session.awaitReady(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
      List<NodeInfo> seeds = new ArrayList<>(savedSeeds);
      List<NodeInfo> table = Commands.await(session.dht().routingTableNodes(), System.nanoTime() + TimeUnit.SECONDS.toNanos(5), "routing table");
      if (table != null) {
        seeds.addAll(table);
      }
      if (!quiet) {
        err.println("crawling as " + session.dht().nodeId().toHex() + " on UDP " + session.localAddressText()
            + " from " + seeds.size() + " nodes, shard " + sh + ", " + rate + " pkt/s, into " + store.url()
            + (resuming ? " (resumed)" : ""));
        err.flush();
      }
      JsonLines printer = print ? new JsonLines(out) : null;
      CrawlListener sink = printer == null ? store : new Both(store, printer);
      try (DhtCrawlNode crawlNode = new DhtCrawlNode(session.dht())) {
        // a resumed crawl knows the nodes it stored, and waits out the interval each one gave
        List<NodeSeen> resumed = resuming ? store.recentNodes(Math.min(config.maxKnownNodes(), RESUME_NODES)) : List.of();
        Crawler crawler = Crawler.start(crawlNode, config, sink, seeds, resumed,
            maxInfohashes == null ? 0 : maxInfohashes, new SecureRandom());
        long start = System.nanoTime();
        MonitorServer monitor = http.start(session.dht(), snapshots(crawler, start));
        if (monitor != null && !quiet) {
          err.println("dashboard: " + monitor.url() + " (Prometheus metrics at " + monitor.url() + "metrics)");
          err.flush();
        }
        long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        CrawlStats previous = crawler.stats();
        long previousAt = start;
        while (!crawler.stopped().isDone()) {
          long now = System.nanoTime();
          long wait = Math.min(Math.min(PROGRESS_INTERVAL.toNanos(), end - now), TimeUnit.MILLISECONDS.toNanos(200));
          if (now - end >= 0 || stopRequested.await(Math.max(1, wait), TimeUnit.NANOSECONDS)) {
            break;
          }
          now = System.nanoTime();
          if (showProgress && now - previousAt >= PROGRESS_INTERVAL.toNanos()) {
            CrawlStats s = crawler.stats();
            err.println(progressLine(s, previous, (now - previousAt) / 1e9));
            err.flush();
            previous = s;
            previousAt = now;
          }
        }
        if (monitor != null) {
          monitor.close();
        }
        crawler.stop();
        CrawlStats last = Commands.await(crawler.stopped(), System.nanoTime() + TimeUnit.SECONDS.toNanos(5), "crawl stop");
        if (last == null) {
          last = crawler.stats();
        }
        saveState(store, session, sh);
        store.flush();
        if (printer != null) {
          printer.flush();
        }
        if (!quiet) {
          err.println("stopped after " + Durations.format(Duration.ofNanos(System.nanoTime() - start)) + ": "
              + summary(last) + "; saved to " + store.url());
          err.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      session.close();
    }
    return ExitCodes.OK;
  }

  /** The dashboard's view of the crawl; samples/s over the time since the previous call. */
  private static Supplier<CrawlSnapshot> snapshots(Crawler crawler, long start) {
    long[] last = {start, 0};
    return () -> {
      CrawlStats s = crawler.stats();
      double perSecond;
      synchronized (last) {
        long now = System.nanoTime();
        perSecond = now > last[0] ? (s.samples() - last[1]) * 1e9 / (now - last[0]) : 0;
        last[0] = now;
        last[1] = s.samples();
      }
      return new CrawlSnapshot(s.samples(), perSecond, s.distinctInfohashes(), s.knownNodes(), s.sampledNodes(), s.coverage());
    };
  }

  /** The node id, shard and up to {@value #MAX_SAVED_SEEDS} routing contacts, for the next run. */
  private static void saveState(CrawlStore store, NodeSession session, Shard sh) {
    store.putState(STATE_NODE_ID, session.dht().nodeId().toHex());
    store.putState(STATE_SHARD, sh.toString());
    List<NodeInfo> nodes = Commands.await(session.dht().routingTableNodes(), System.nanoTime() + TimeUnit.SECONDS.toNanos(5), "routing table");
    if (nodes != null && !nodes.isEmpty()) {
      StringBuilder b = new StringBuilder();
      for (NodeInfo n : nodes.subList(0, Math.min(MAX_SAVED_SEEDS, nodes.size()))) {
        b.append(b.length() == 0 ? "" : ",").append(n.id().toHex()).append('@').append(n.address());
      }
      store.putState(STATE_SEEDS, b.toString());
    }
  }

  /** Parses "id@ip:port,..." (what {@link #saveState} writes); bad entries are skipped. */
  static List<NodeInfo> parseSeeds(String s) {
    List<NodeInfo> out = new ArrayList<>();
    if (s == null || s.isBlank()) {
      return out;
    }
    for (String part : s.split(",")) {
      int at = part.indexOf('@');
      try {
        out.add(new NodeInfo(NodeId.fromHex(part.substring(0, at)), dev.jdht.krpc.wire.PeerAddress.parse(part.substring(at + 1))));
      } catch (RuntimeException e) {
        // skipped
      }
    }
    return out;
  }

  /**
   * The node id: --node-id (must lie in the shard), the crawl's saved one, the node's saved one if
   * inside the shard, else random in it (null: the node's own default, unsharded).
   */
  private static NodeId nodeIdFor(Shard sh, NodeSettings s, NodeId crawlSaved) {
    if (s.nodeId() != null) {
      if (!sh.contains(s.nodeId())) {
        throw new UsageError("--node-id " + s.nodeId().toHex() + " is not inside shard " + sh);
      }
      return s.nodeId();
    }
    if (crawlSaved != null && sh.contains(crawlSaved)) {
      return crawlSaved;
    }
    if (sh.count() == 1) {
      return null;
    }
    if (!s.noState()) {
      try (StateDir dir = StateDir.of(s.stateDir())) {
        SavedState saved = dir.read();
        if (saved != null && sh.contains(saved.id())) {
          return saved.id();
        }
      } catch (RuntimeException e) {
        // unreadable state: a fresh id below
      }
    }
    return sh.randomId(new SecureRandom());
  }

  static String progressLine(CrawlStats s, CrawlStats prev, double seconds) {
    double per = seconds <= 0 ? 0 : 1 / seconds;
    return String.format(Locale.ROOT,
        "nodes %d known, %d sampled | %.1f samples/s | %d infohashes | pkt/s out %.0f in %.0f | dht ~%s nodes, coverage %s",
        s.knownNodes(), s.sampledNodes(), (s.samples() - prev.samples()) * per, s.distinctInfohashes(),
        (s.packetsOut() - prev.packetsOut()) * per, (s.packetsIn() - prev.packetsIn()) * per,
        s.estimatedDhtSize() == 0 ? "?" : String.valueOf(s.estimatedDhtSize()),
        s.estimatedDhtSize() == 0 ? "?" : String.format(Locale.ROOT, "%.2f%%", 100 * s.coverage()));
  }

  static String summary(CrawlStats s) {
    return String.format(Locale.ROOT,
        "%d distinct infohashes (%d samples, %d from queries), %d nodes known, %d sampled, %d without BEP 51, "
            + "%d packets out, %d replies, %d timeouts, %d malformed replies dropped",
        s.distinctInfohashes(), s.samples(), s.harvested(), s.knownNodes(), s.sampledNodes(), s.noBep51(),
        s.packetsOut(), s.packetsIn(), s.timeouts(), s.droppedReplies());
  }

  /** Each distinct infohash (and each peer) as a JSON line; called on the crawler's thread. */
  static final class JsonLines implements CrawlListener {
    private final PrintWriter out;
    private final java.util.Set<NodeId> printed = new java.util.HashSet<>();

    JsonLines(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void onInfohash(InfohashSeen s) {
      if (printed.size() < 10_000_000 && printed.add(s.infohash())) {
        out.println("{\"infohash\":\"" + s.infohash().toHex() + "\",\"source\":\""
            + s.source().name().toLowerCase(Locale.ROOT) + "\",\"reporter\":\"" + s.reporter() + "\"}");
      }
    }

    @Override
    public void onPeer(PeerSeen p) {
      out.println("{\"infohash\":\"" + p.infohash().toHex() + "\",\"peer\":\"" + p.peer() + "\"}");
    }

    void flush() {
      out.flush();
    }
  }

  /** Hands every event to the store and the printer. */
  private record Both(CrawlListener a, CrawlListener b) implements CrawlListener {
    @Override
    public void onInfohash(InfohashSeen s) {
      a.onInfohash(s);
      b.onInfohash(s);
    }

    @Override
    public void onNode(NodeSeen n) {
      a.onNode(n);
      b.onNode(n);
    }

    @Override
    public void onPeer(PeerSeen p) {
      a.onPeer(p);
      b.onPeer(p);
    }
  }

  /** --rate: 2..100000 packets per second. */
  static final class Rate implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return Converters.intIn(value, 2, 100_000, "packets per second");
    }
  }

  /** --per-ip-rate: 1..1000 packets per second. */
  static final class PerIpRate implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return Converters.intIn(value, 1, 1000, "packets per second");
    }
  }

  /** --max-infohashes: 1..10^12. */
  static final class MaxInfohashes implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        long v = Long.parseLong(value.strip());
        if (v >= 1 && v <= 1_000_000_000_000L) {
          return v;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new TypeConversionException("'" + value + "' is not a count of infohashes (1 or more)");
    }
  }

  /** --shard I/N. */
  static final class ShardConverter implements ITypeConverter<Shard> {
    @Override
    public Shard convert(String value) {
      try {
        return Shard.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
