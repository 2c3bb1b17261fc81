package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.core.node.SavedState;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code dht serve} (stopped by --duration) and {@code dht demo}, in-process. */
@Timeout(60)
class ServeAndDemoTest {
  @TempDir Path tmp;

  @Test
  void serveJoinsPrintsStatsAndSavesStateOnStop() throws Exception {
    Path dir = tmp.resolve("serve");
    Cli.Result r = Cli.run("serve", "--bind", "127.0.39.11:0", "--bootstrap", TestNet.bootstrap(),
        "--state-dir", dir.toString(), "--stats-interval", "200ms", "--duration", "1500ms");
    assertEquals(0, r.exitCode(), r::toString);
    List<String> out = r.out().lines().toList();
    assertTrue(out.get(0).matches("node [0-9a-f]{40} listening on UDP 127\\.0\\.39\\.11:\\d+"), out.get(0));
    assertEquals("state: " + dir.resolve("dht.state") + " (new)", out.get(1));
    assertTrue(out.stream().anyMatch(l -> l.matches("joined the DHT in .+: \\d+ nodes \\(\\d+ good\\)")), r::toString);
    assertTrue(out.stream().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  nodes \\d+ \\(\\d+ good\\)  in \\d+ msgs.*")).count() >= 2,
        r::toString);
    String last = out.get(out.size() - 1);
    assertTrue(last.matches("stopped; state saved to " + dir.resolve("dht.state") + " \\(\\d+ nodes\\)"), last);
    SavedState st = SavedState.decode(Files.readAllBytes(dir.resolve("dht.state")));
    assertTrue(st.nodes().size() >= 8, "the routing table was saved: " + st.nodes().size());
    assertEquals(st.id().toHex(), out.get(0).substring(5, 45));

    // a restart keeps the id and restores the table
    Cli.Result again = Cli.run("serve", "--bind", "127.0.39.11:0", "--state-dir", dir.toString(),
        "--duration", "300ms");
    assertEquals(0, again.exitCode(), again::toString);
    assertTrue(again.out().startsWith("node " + st.id().toHex() + " listening"), again.out());
    assertTrue(again.out().contains("(restored " + st.nodes().size() + " nodes)"), again.out());
  }

  @Test
  void serveWithHttpShowsTheDashboardAndMetrics() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int[] code = {-1};
    Thread t = new Thread(() -> code[0] = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true),
        new PrintWriter(err, true), "serve", "--bind", "127.0.39.13:0", "--bootstrap", TestNet.bootstrap(),
        "--no-state", "--http", "127.0.39.13:0", "--duration", "4s"));
    t.start();
    String url = null;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (url == null && System.nanoTime() < end) {
      Matcher m = Pattern.compile("dashboard: (http://127\\.0\\.39\\.13:\\d+/) \\(Prometheus metrics at \\1metrics\\)")
          .matcher(out.toString());
      if (m.find()) {
        url = m.group(1);
      } else {
        Thread.sleep(20);
      }
    }
    assertTrue(url != null, out::toString);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script src=\"/dashboard.js\""), page.body());
    HttpResponse<String> metrics = null;
    for (int i = 0; i < 100; i++) { // the first snapshot arrives within a second
      metrics = http.send(HttpRequest.newBuilder(URI.create(url + "metrics")).build(), HttpResponse.BodyHandlers.ofString());
      if (metrics.body().contains("dht_datagrams_received_total")) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("# TYPE dht_datagrams_received_total counter"), metrics.body());
    t.join(20_000);
    assertEquals(0, code[0], () -> out + "\n" + err);
  }

  @Test
  void serveWithABusyHttpPortFailsInOneLine() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.39.14"))) {
      Cli.Result r = Cli.run("serve", "--bind", "127.0.39.14:0", "--bootstrap", "none", "--no-state",
          "--http", "127.0.39.14:" + busy.getLocalPort(), "--duration", "200ms");
      assertEquals(1, r.exitCode(), r::toString);
      assertEquals(1, r.errLines().size(), r::toString);
      assertTrue(r.err().startsWith("dht serve: cannot serve --http on 127.0.39.14:" + busy.getLocalPort()), r.err());
    }
  }

  @Test
  void serveWithoutBootstrapWaitsForOthers() {
    Cli.Result r = Cli.run("serve", "--bind", "127.0.39.12:0", "--bootstrap", "none", "--no-state",
        "--duration", "200ms");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("no bootstrap node: waiting for other nodes to contact this one"), r.out());
    assertTrue(r.out().endsWith("stopped\n"), r.out());
  }

  @Test
  void demoFindsEveryAnnouncedPeer() {
    Cli.Result r = Cli.run("demo", "--nodes", "40", "--seed", "5");
    assertEquals(0, r.exitCode(), r::toString);
    List<String> peers = r.out().lines().toList();
    assertEquals(8, peers.size(), r.out());
    peers.forEach(p -> assertTrue(p.matches("127\\.0\\.10\\.\\d+:\\d+"), p));
    List<String> err = r.errLines();
    assertTrue(err.get(0).startsWith("Starting a private DHT of 40 nodes on 127.0.10.1 to 127.0.10.40"), err.get(0));
    assertTrue(err.get(3).matches("  dht peers [0-9a-f]{40} --bootstrap (127\\.0\\.10\\.\\d:\\d+,){2}127\\.0\\.10\\.\\d:\\d+"
        + " --bind 127\\.0\\.9\\.1 --no-state"), err.get(3));
    assertTrue(err.get(4).startsWith("8 peers; "), err.get(4));
    assertEquals("All 8 announced peers were found. On the real DHT: dht peers <infohash or magnet link>", err.get(5));
  }

  @Test
  void demoJsonIsThePeersDocument() throws Exception {
    Cli.Result r = Cli.run("-q", "demo", "--nodes", "30", "--seed", "6", "--json");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("", r.err());
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(8, j.get("peers").size());
    assertEquals(8, j.get("report").get("distinct_peers").asInt());
    assertEquals(40, j.get("infohash").asText().length());
  }

  @Test
  void theStatsLineShowsKernelDropsOnlyWhenThereAreAny() {
    dev.jdht.core.api.DhtStats s = new dev.jdht.core.api.DhtStats(10, 1000, 8, 900, 0, java.util.Map.of(),
        java.util.Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 5, 4, 0, 0, 0, 0, java.util.Map.of());
    assertTrue(ServeCommand.statsLine(s, null, 0, 12).contains("kernel drops 12 (socket buffer full: see --socket-buffer)"));
    assertTrue(!ServeCommand.statsLine(s, null, 0, 0).contains("kernel drops"));
    assertTrue(!ServeCommand.statsLine(s, null, 0, -1).contains("kernel drops"), "unknown: not shown");
  }
}
