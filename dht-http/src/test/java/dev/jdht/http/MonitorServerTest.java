package dev.jdht.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtSnapshot;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP endpoint over a real node on loopback: metrics, the page, the JSON, bad requests. */
@Timeout(60)
class MonitorServerTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Dht a;
  private Dht b;
  private MonitorServer server;

  @BeforeEach
  void start() throws Exception {
    a = node(null);
    b = node("127.0.0.1:" + a.localAddress().getPort());
    b.ready().get(10, TimeUnit.SECONDS);
    server = MonitorServer.builder(a).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .interval(Duration.ofMillis(100)).start();
    assertTrue(server.publisher().awaitFirst(Duration.ofSeconds(10)));
  }

  static Dht node(String bootstrap) throws Exception {
    return Dht.builder().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).allowLocalAddresses(true)
        .readyTimeout(Duration.ofSeconds(10)).queryTimeout(Duration.ofMillis(500))
        .bootstrap(bootstrap == null ? List.of() : List.of(bootstrap)).start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    b.close();
    a.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void bindsLoopbackAndMetricsMatchTheNode() throws Exception {
    assertTrue(server.address().getAddress().isLoopbackAddress());
    b.getPeers(a.nodeId(), p -> { }).get(10, TimeUnit.SECONDS); // traffic into a
    Thread.sleep(300);
    DhtSnapshot s = a.snapshot().get(5, TimeUnit.SECONDS);
    // wait until the published state caught up with s (counters only grow)
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.publisher().current().dht().stats().datagramsIn() < s.stats().datagramsIn()
        && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    HttpResponse<String> r = get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
        r.headers().toString());
    PromText p = PromText.parse(r.body());
    MonitorState m = server.publisher().current();
    assertTrue(p.sum("dht_datagrams_received_total") >= s.stats().datagramsIn());
    assertTrue(p.sum("dht_datagrams_received_total") <= m.dht().stats().datagramsIn());
    assertTrue(p.sum("dht_queries_received_total") >= 1, "b's get_peers reached a");
    assertTrue(p.sum("dht_routing_table_nodes") >= 1, "a knows b");
    assertTrue(p.sum("dht_node_rtt_seconds_count") >= 0);
    assertEquals(1, p.value("dht_routing_table_nodes", java.util.Map.of("family", "ipv4", "state", "good"))
        + p.value("dht_routing_table_nodes", java.util.Map.of("family", "ipv4", "state", "questionable")));
  }

  @Test
  void pageAndAssetsAreSelfContained() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
    for (String path : List.of("/", "/dashboard.js", "/dashboard.css")) {
      String body = get(path).body();
      assertFalse(body.contains("http://") || body.contains("https://") || body.contains("//cdn"),
          path + " refers to something outside the jar");
    }
    assertEquals(404, get("/nothing-here").statusCode());
    JsonNode j = new ObjectMapper().readTree(get("/api/state").body());
    assertEquals(a.nodeId().toHex(), j.get("node_id").asText());
    assertTrue(j.get("sequence").asLong() >= 1);
    assertTrue(j.get("history").size() >= 1);
    assertFalse(j.has("crawl"));
  }

  @Test
  void refusesWritesBodiesAndOversizedRequests() throws Exception {
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.url() + "metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(server.url()))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, delete.statusCode());
    assertEquals(414, get("/?" + "a".repeat(MonitorServer.MAX_URI)).statusCode());
    HttpRequest.Builder many = HttpRequest.newBuilder(URI.create(server.url()));
    for (int i = 0; i <= MonitorServer.MAX_HEADERS; i++) {
      many.header("X-Filler-" + i, "1");
    }
    assertEquals(431, http.send(many.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals("HTTP/1.1 413 Request Entity Too Large",
        raw("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"));
    assertEquals("HTTP/1.1 431",
        raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(MonitorServer.MAX_HEADER_BYTES) + "\r\n\r\n").trim());
    String huge = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n";
    try {
      String status = raw(huge);
      assertTrue(status.isEmpty() || status.startsWith("HTTP/1.1 4"), status);
    } catch (java.net.SocketException e) {
      // the JDK server may drop the connection instead: fine, as long as it keeps serving
    }
    // the server still answers afterwards
    assertEquals(200, get("/metrics").statusCode());
  }

  /** Sends raw bytes; returns the status line. */
  private String raw(String request) throws Exception {
    try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        line.append((char) c);
      }
      return line.toString();
    }
  }

  @Test
  void aSlowNodeDoesNotQueueSnapshotRequests() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    CompletableFuture<DhtSnapshot> never = new CompletableFuture<>();
    try (SnapshotPublisher p = new SnapshotPublisher(() -> {
      asked.incrementAndGet();
      return never;
    }, null, Duration.ofMillis(10), 10, System::currentTimeMillis)) {
      Thread.sleep(300);
      assertEquals(1, asked.get(), "one request outstanding at a time");
      assertEquals(null, p.current());
    }
  }

  @Test
  void historyIsBoundedAndCrawlIsPublished() throws Exception {
    AtomicInteger n = new AtomicInteger();
    try (SnapshotPublisher p = new SnapshotPublisher(() -> CompletableFuture.completedFuture(
        Fixtures.snapshot(n.incrementAndGet())), () -> new CrawlSnapshot(n.get(), 1, 2, 3, 4, 0.5),
        Duration.ofMillis(5), 4, System::currentTimeMillis)) {
      while (p.current() == null || p.current().sequence() < 10) {
        Thread.sleep(5);
      }
      MonitorState m = p.current();
      assertEquals(4, m.history().size());
      assertEquals(m.dht().stats().datagramsIn(), m.history().get(3).datagramsIn());
      assertEquals(m.crawl().distinctInfohashes(), m.history().get(3).crawlInfohashes());
    }
  }
}
