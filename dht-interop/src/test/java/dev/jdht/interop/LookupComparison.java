package dev.jdht.interop;

import static dev.jdht.interop.InteropProcess.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.api.LookupReport;
import dev.jdht.krpc.wire.NodeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Comparison harness (NOT run by the build): on one loopback network of libtorrent and
 * bittorrent-dht nodes, with reply latency and dead nodes on the bittorrent-dht side, runs our
 * get_peers lookup, libtorrent's and bittorrent-dht's for the same announced infohashes, each
 * from one fixed address and node id, and prints median and p95 of time to first peer, time to
 * done and queries sent side by side. What each figure means for each implementation is in
 * docs/interop-comparison.md.
 *
 * <pre>
 * mvn -q -o install -DskipTests -pl testdata,dht-krpc,dht-core
 * mvn -q -o -pl dht-interop test-compile exec:java -Dexec.args="--lt 60 --bt 60 --silent 10 --latency-ms 40 --infohashes 20"
 * </pre>
 *
 * <p>Threading: a single-threaded program (the Dht and the process readers have their own).
 */
public final class LookupComparison {
  private static final Duration CMD = Duration.ofSeconds(30);

  /** Command-line options. */
  record Options(int lt, int bt, int silent, int latencyMs, int infohashes, long seed, int contacts, int warmup, Path out) {
    static Options parse(String[] args) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String k = args[i];
        if (!k.startsWith("--") || i + 1 >= args.length) {
          throw new IllegalArgumentException("usage: [--lt 60] [--bt 60] [--silent 10] [--latency-ms 40] "
              + "[--infohashes 20] [--seed 1] [--contacts 8] [--warmup 400] [--out file.md]; bad argument " + k);
        }
        m.put(k.substring(2), args[++i]);
      }
      Options o = new Options(
          Integer.parseInt(m.getOrDefault("lt", "60")),
          Integer.parseInt(m.getOrDefault("bt", "60")),
          Integer.parseInt(m.getOrDefault("silent", "10")),
          Integer.parseInt(m.getOrDefault("latency-ms", "40")),
          Integer.parseInt(m.getOrDefault("infohashes", "20")),
          Long.parseLong(m.getOrDefault("seed", "1")),
          Integer.parseInt(m.getOrDefault("contacts", "8")),
          Integer.parseInt(m.getOrDefault("warmup", "400")),
          m.containsKey("out") ? Path.of(m.get("out")) : null);
      if (o.silent >= o.bt || o.lt < 10 || o.bt < 10) {
        throw new IllegalArgumentException("need at least 10 lt and 10 bt nodes, and some bt nodes alive");
      }
      return o;
    }
  }

  /**
   * One lookup by one implementation. {@code firstPeerMs} is NaN when no peer was found; {@code
   * resent} counts our retransmitted queries (NaN for the others, which do not retransmit).
   */
  record Sample(String impl, String infohash, boolean found, double firstPeerMs, double doneMs, int queries,
      int responses, int timeouts, boolean completed, double resent) {}

  private final Options o;
  private final Random random;
  private final List<AutoCloseable> open = new ArrayList<>();

  private LookupComparison(Options o) {
    this.o = o;
    this.random = new Random(o.seed);
  }

  /** Runs the comparison and prints the table; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Interop.requireImplementations();
    LookupComparison c = new LookupComparison(o);
    try {
      c.run();
    } finally {
      c.closeAll();
    }
  }

  private void closeAll() {
    Collections.reverse(open);
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("closing: " + e);
      }
    }
  }

  private static void say(String fmt, Object... args) {
    System.err.printf(Locale.ROOT, "[compare] " + fmt + "%n", args);
  }

  /**
   * Warms the JIT up before anything is measured: {@code lookups} get_peers lookups (and an
   * announce every fourth) by a throwaway node on a private loopback testnet of our own nodes
   * (127.0.200.x, closed afterwards). Without it the JVM compiles our lookup code during the
   * measured lookups, and on a 2-core machine the compiler threads take a core from the
   * libtorrent and bittorrent-dht processes that are answering us (seen with {@code perf sched}).
   * The probe itself starts afterwards, with an empty routing table, as before.
   */
  private void warmUp(int lookups) throws Exception {
    if (lookups <= 0) {
      return;
    }
    long t0 = System.nanoTime();
    Random warmRandom = new Random(~o.seed); // not this.random: the run's ids and infohashes stay those of the seed
    try (dev.jdht.core.testnet.LocalTestnet net = dev.jdht.core.testnet.LocalTestnet.start(100, 200, 0, o.seed, 60_000);
        Dht warm = Interop.ourNode("127.0.199.1", NodeId.random(warmRandom)).start()) {
      warm.addBootstrapNodes(net.addresses().subList(0, 8).stream().map(Object::toString).toList());
      warm.ready().get(60, TimeUnit.SECONDS);
      for (int i = 0; i < lookups; i++) {
        NodeId ih = NodeId.random(warmRandom);
        if (i % 4 == 0) {
          warm.announce(ih, 6881).get(60, TimeUnit.SECONDS);
        }
        warm.getPeers(ih, p -> {}).get(60, TimeUnit.SECONDS);
      }
    }
    say("JIT warm-up: %d lookups on a private testnet of 100 nodes (%.1f s)", lookups, (System.nanoTime() - t0) / 1e9);
  }

  private void run() throws Exception {
    warmUp(o.warmup);
    Path logs = Interop.logDir("LookupComparison");
    Duration life = Duration.ofSeconds(120L + 20L * o.infohashes * 3);
    long t0 = System.nanoTime();
    // the network: libtorrent nodes answer at once; bittorrent-dht nodes answer after a drawn
    // latency (exponential, mean latency-ms) and the last `silent` of them never answer
    InteropProcess lt = track(Interop.libtorrent("net-lt", logs, o.lt, "127.1.4.1", life, "--seed", "" + o.seed));
    InteropProcess bt = track(Interop.bittorrentDht("net-bt", logs, o.bt, "127.2.4.1", life, "--seed", "" + (o.seed + 1),
        "--latency-ms", "" + o.latencyMs, "--silent", "" + o.silent));
    List<String> all = new ArrayList<>(lt.addresses());
    all.addAll(bt.addresses());
    for (InteropProcess p : List.of(lt, bt)) {
      p.call(command("bootstrap").put("sample", 8).set("nodes", Interop.strings(all)), CMD);
    }
    for (InteropProcess p : List.of(lt, bt)) {
      JsonNode w = p.call(command("wait_table").put("min", 8).put("timeout", 60), Duration.ofSeconds(90));
      say("%s tables: reached=%s min=%d", p.name(), w.path("reached").asBoolean(), min(w.path("sizes")));
    }
    // the three probes: fixed address and id each, the same bootstrap contacts (alive nodes)
    NodeId ourId = NodeId.random(random);
    NodeId ltId = NodeId.random(random);
    NodeId btId = NodeId.random(random);
    Dht dht = track(Interop.ourNode("127.3.4.1", ourId).start());
    InteropProcess ltProbe = track(Interop.libtorrent("probe-lt", logs, 1, "127.1.5.1", life,
        "--ids", ltId.toHex(), "--trace-lookups", "--poll-ms", "2"));
    InteropProcess btProbe = track(Interop.bittorrentDht("probe-bt", logs, 1, "127.2.5.1", life, "--ids", btId.toHex()));
    List<String> alive = new ArrayList<>(lt.addresses());
    alive.addAll(bt.addresses().subList(0, o.bt - o.silent));
    Collections.shuffle(alive, random);
    List<String> contacts = alive.subList(0, o.contacts);
    dht.addBootstrapNodes(contacts);
    for (InteropProcess p : List.of(ltProbe, btProbe)) {
      p.call(command("bootstrap").set("nodes", Interop.strings(contacts)), CMD);
    }
    dht.ready().get(60, TimeUnit.SECONDS);
    for (InteropProcess p : List.of(ltProbe, btProbe)) {
      p.call(command("wait_table").put("min", 8).put("timeout", 60), Duration.ofSeconds(90));
    }
    Thread.sleep(6000); // libtorrent's follow-up bootstrap lookups (0.5 s, 2.5 s, 4.5 s) are over
    say("probes ready: ours %d nodes, lt %s, bt %s", dht.routingTableNodes().get().size(),
        tableSize(ltProbe), tableSize(btProbe));

    // infohashes none of the probes is near (so none stores the peer itself), announced by one
    // libtorrent node (even) or one live bittorrent-dht node (odd)
    List<NodeId> everyone = new ArrayList<>();
    for (String id : lt.ids()) {
      everyone.add(NodeId.fromHex(id));
    }
    for (String id : bt.ids()) {
      everyone.add(NodeId.fromHex(id));
    }
    everyone.addAll(List.of(ourId, ltId, btId));
    Set<NodeId> probes = Set.of(ourId, ltId, btId);
    List<NodeId> ihs = new ArrayList<>();
    for (int tries = 0; ihs.size() < o.infohashes; tries++) {
      if (tries > 100_000) {
        throw new IllegalStateException("cannot find infohashes far from the probes: network too small");
      }
      NodeId ih = NodeId.random(random);
      List<NodeId> byDistance = new ArrayList<>(everyone);
      byDistance.sort(ih::compareDistance);
      // no probe among the 10 closest nodes (libtorrent stores on the 8 closest)
      if (byDistance.subList(0, 10).stream().noneMatch(probes::contains)) {
        ihs.add(ih);
      }
    }
    Map<String, String> expected = new LinkedHashMap<>(); // infohash hex -> announced peer
    Set<String> ltWaits = new HashSet<>();
    List<CompletableFuture<JsonNode>> btAcks = new ArrayList<>();
    for (int i = 0; i < ihs.size(); i++) {
      String ih = ihs.get(i).toHex();
      if (i % 2 == 0) {
        int node = (i * 7 + 3) % o.lt;
        JsonNode r = lt.call(command("announce").put("infohash", ih).put("node", node), CMD);
        expected.put(ih, r.path("announced_as").asText());
        ltWaits.add(ih + " " + lt.addresses().get(node).split(":")[0]);
      } else {
        int node = (i * 7 + 3) % (o.bt - o.silent);
        expected.put(ih, bt.addresses().get(node).split(":")[0] + ":" + (6000 + i));
        btAcks.add(bt.send(command("announce").put("infohash", ih).put("node", node).put("port", 6000 + i)));
      }
    }
    for (CompletableFuture<JsonNode> f : btAcks) {
      JsonNode r = bt.await(f, command("announce"), Duration.ofSeconds(90));
      if (r.path("acked").asInt() == 0) {
        say("warning: a bittorrent-dht announce was acknowledged by nobody: %s", r);
      }
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!stored(lt, bt).containsAll(ltWaits) && System.nanoTime() < end) {
      Thread.sleep(500);
    }
    Thread.sleep(3000);
    say("announced %d infohashes (%.1f s since start)", ihs.size(), (System.nanoTime() - t0) / 1e9);

    // the lookups, one at a time, the order of the three rotating per infohash
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < ihs.size(); i++) {
      NodeId ih = ihs.get(i);
      String want = expected.get(ih.toHex());
      for (int j = 0; j < 3; j++) {
        Sample s = switch ((i + j) % 3) {
          case 0 -> ours(dht, ih, want);
          case 1 -> libtorrent(ltProbe, ih, want);
          default -> bittorrentDht(btProbe, ih, want);
        };
        samples.add(s);
        say("%-14s %s found=%s first=%6.1f ms done=%7.1f ms queries=%d responses=%d timeouts=%d",
            s.impl, s.infohash.substring(0, 8), s.found, s.firstPeerMs, s.doneMs, s.queries, s.responses, s.timeouts);
      }
    }
    String table = table(samples, ltProbe.readyLine().path("version").asText(),
        btProbe.readyLine().path("version").asText());
    System.out.println(table);
    Path raw = logs.resolve("samples.csv");
    List<String> lines =
        new ArrayList<>(List.of("impl,infohash,found,first_peer_ms,done_ms,queries,responses,timeouts,completed,resent"));
    for (Sample s : samples) {
      lines.add(String.format(Locale.ROOT, "%s,%s,%s,%.3f,%.3f,%d,%d,%d,%s,%.0f", s.impl, s.infohash, s.found,
          s.firstPeerMs, s.doneMs, s.queries, s.responses, s.timeouts, s.completed, s.resent));
    }
    Files.write(raw, lines, StandardCharsets.UTF_8);
    say("raw samples: %s; total %.1f s", raw, (System.nanoTime() - t0) / 1e9);
    if (o.out != null) {
      Path out = o.out.toAbsolutePath();
      Files.createDirectories(out.getParent());
      Files.writeString(out, table, StandardCharsets.UTF_8);
      say("table written to %s", out);
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  private static int min(JsonNode sizes) {
    int m = Integer.MAX_VALUE;
    for (JsonNode s : sizes) {
      m = Math.min(m, s.asInt());
    }
    return m;
  }

  private static String tableSize(InteropProcess p) throws IOException, InterruptedException {
    return p.call(command("table").put("node", 0), CMD).path("nodes").get(0).path("size").asText();
  }

  private static Set<String> stored(InteropProcess lt, InteropProcess bt) throws IOException, InterruptedException {
    Set<String> out = new HashSet<>();
    for (InteropProcess p : List.of(lt, bt)) {
      for (JsonNode a : p.call(command("announces"), CMD).path("announces")) {
        String peer = a.path("peer").asText();
        out.add(a.path("infohash").asText() + " " + peer.substring(0, peer.lastIndexOf(':')));
      }
    }
    return out;
  }

  private static Sample ours(Dht dht, NodeId ih, String want) throws Exception {
    DhtStats s0 = dht.stats().get(10, TimeUnit.SECONDS);
    LookupReport r = dht.getPeers(ih, p -> {}).get(120, TimeUnit.SECONDS);
    DhtStats s1 = dht.stats().get(10, TimeUnit.SECONDS);
    // datagrams we sent meanwhile that were neither replies (one per query received) nor new
    // queries: retransmissions (DhtNode resends an unanswered query once, at the soft timeout)
    long resent = (s1.datagramsOut() - s0.datagramsOut()) - (s1.totalQueriesIn() - s0.totalQueriesIn())
        - (s1.totalQueriesOut() - s0.totalQueriesOut());
    boolean found = r.peers().stream().anyMatch(p -> p.toString().equals(want));
    double first = r.timeToFirstPeer() == null ? Double.NaN : r.timeToFirstPeer().toNanos() / 1e6;
    return new Sample("jdht", ih.toHex(), found, first, r.timeToDone().toNanos() / 1e6, r.queriesSent(),
        r.responses(), r.timeouts(), !r.cancelled(), resent);
  }

  private static Sample libtorrent(InteropProcess p, NodeId ih, String want) throws Exception {
    ObjectNode c = command("get_peers").put("infohash", ih.toHex()).put("node", 0).put("until_done", true)
        .put("timeout", 90);
    JsonNode r = p.call(c, Duration.ofSeconds(120));
    JsonNode t = r.path("trace");
    return new Sample("libtorrent", ih.toHex(), Interop.strings(r.path("peers")).contains(want),
        ms(t.path("first_peer_s")), t.path("completed").asBoolean() ? ms(t.path("done_s")) : Double.NaN,
        t.path("invoked").asInt(), t.path("responses").asInt(), t.path("timeouts").asInt(),
        t.path("completed").asBoolean(), Double.NaN);
  }

  private static Sample bittorrentDht(InteropProcess p, NodeId ih, String want) throws Exception {
    ObjectNode c = command("get_peers").put("infohash", ih.toHex()).put("node", 0).put("until_done", true)
        .put("timeout", 90);
    JsonNode r = p.call(c, Duration.ofSeconds(120));
    JsonNode t = r.path("trace");
    // a bittorrent-dht announcer also announces to the probe if the probe gave it a token: a peer
    // that only came from the probe's own store does not count as found
    boolean found = Interop.strings(r.path("peers")).contains(want)
        && !"local".equals(r.path("from").path(want).asText());
    return new Sample("bittorrent-dht", ih.toHex(), found,
        ms(t.path("first_peer_s")), t.path("completed").asBoolean() ? ms(t.path("done_s")) : Double.NaN,
        t.path("queries").asInt(), t.path("responses").asInt(), t.path("timeouts").asInt(),
        t.path("completed").asBoolean(), Double.NaN);
  }

  private static double ms(JsonNode seconds) {
    return seconds.isNumber() ? seconds.asDouble() * 1000 : Double.NaN;
  }

  /** Nearest-rank percentile of the non-NaN values; NaN if there are none. */
  static double percentile(List<Sample> samples, ToDoubleFunction<Sample> f, double p) {
    double[] v = samples.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }

  private String table(List<Sample> samples, String ltVersion, String btVersion) {
    List<String> impls = List.of("jdht", "libtorrent", "bittorrent-dht");
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "Network: %d libtorrent + %d bittorrent-dht nodes (%d of them silent, replies delayed by an exponential "
            + "latency of mean %d ms), %d infohashes, seed %d, %s%n%n",
        o.lt, o.bt, o.silent, o.latencyMs, o.infohashes, o.seed,
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))));
    sb.append("| | jdht (ours) | libtorrent ").append(ltVersion).append(" | bittorrent-dht ").append(btVersion).append(" |\n");
    sb.append("| --- | ---: | ---: | ---: |\n");
    row(sb, "found the announced peer", impls, samples, s -> {
      long n = s.stream().filter(Sample::found).count();
      return n + "/" + s.size();
    });
    row(sb, "lookups completed", impls, samples, s -> s.stream().filter(Sample::completed).count() + "/" + s.size());
    row(sb, "time to first peer, median (ms)", impls, samples, s -> fmt(percentile(s, Sample::firstPeerMs, 50)));
    row(sb, "time to first peer, p95 (ms)", impls, samples, s -> fmt(percentile(s, Sample::firstPeerMs, 95)));
    row(sb, "time to done, median (ms)", impls, samples, s -> fmt(percentile(s, Sample::doneMs, 50)));
    row(sb, "time to done, p95 (ms)", impls, samples, s -> fmt(percentile(s, Sample::doneMs, 95)));
    row(sb, "queries sent, median", impls, samples, s -> fmt(percentile(s, x -> x.queries, 50)));
    row(sb, "queries sent, p95", impls, samples, s -> fmt(percentile(s, x -> x.queries, 95)));
    row(sb, "responses, median", impls, samples, s -> fmt(percentile(s, x -> x.responses, 50)));
    row(sb, "timeouts, median / total", impls, samples,
        s -> fmt(percentile(s, x -> x.timeouts, 50)) + " / " + s.stream().mapToInt(Sample::timeouts).sum());
    row(sb, "retransmitted queries, total", impls, samples, s -> {
      double sum = s.stream().mapToDouble(Sample::resent).sum();
      return Double.isNaN(sum) ? "n/a" : fmt(sum);
    });
    return sb.toString();
  }

  private static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static void row(StringBuilder sb, String name, List<String> impls, List<Sample> samples,
      java.util.function.Function<List<Sample>, String> f) {
    sb.append("| ").append(name);
    for (String impl : impls) {
      List<Sample> s = samples.stream().filter(x -> x.impl.equals(impl)).toList();
      sb.append(" | ").append(f.apply(s));
    }
    sb.append(" |\n");
  }
}
