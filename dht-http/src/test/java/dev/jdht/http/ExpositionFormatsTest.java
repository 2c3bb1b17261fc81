package dev.jdht.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /metrics} checked by independent readers: the Prometheus client's own protobuf parser
 * (the same numbers as the text format) and {@code promtool check metrics} (the Prometheus
 * project's linter; {@code interop/setup.sh} extracts it from Debian's prometheus package). The
 * server publishes a fixed snapshot, so every scrape sees the same numbers.
 */
@Timeout(60)
class ExpositionFormatsTest {
  private static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

  private final HttpClient http = HttpClient.newHttpClient();
  private MonitorServer server;

  @BeforeEach
  void start() throws Exception {
    server = MonitorServer.builder(() -> CompletableFuture.completedFuture(Fixtures.snapshot(100)))
        .crawl(() -> new CrawlSnapshot(10, 1.5, 8, 30, 20, 0.25))
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).interval(Duration.ofMillis(50)).start();
    assertTrue(server.publisher().awaitFirst(Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<byte[]> scrape(String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + "metrics"));
    if (accept != null) {
      b.header("Accept", accept);
    }
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    return r;
  }

  @Test
  void protobufParsedByTheClientMatchesTheText() throws Exception {
    PromText text = PromText.parse(new String(scrape(null).body(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> pb = scrape(PROTOBUF);
    assertTrue(pb.headers().firstValue("Content-Type").orElse("").startsWith("application/vnd.google.protobuf"));
    InputStream in = new ByteArrayInputStream(pb.body());
    List<String> names = new ArrayList<>();
    int values = 0;
    Metrics.MetricFamily f;
    while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
      names.add(f.getName());
      for (Metrics.Metric m : f.getMetricList()) {
        Map<String, String> labels = new TreeMap<>();
        for (Metrics.LabelPair l : m.getLabelList()) {
          labels.put(l.getName(), l.getValue());
        }
        switch (f.getType()) {
          case COUNTER -> assertEquals(m.getCounter().getValue(), text.value(f.getName(), labels), f.getName());
          case GAUGE -> assertEquals(m.getGauge().getValue(), text.value(f.getName(), labels), f.getName());
          case HISTOGRAM -> {
            Metrics.Histogram h = m.getHistogram();
            assertEquals(h.getSampleCount(), text.value(f.getName() + "_count", labels), f.getName());
            assertEquals(h.getSampleSum(), text.value(f.getName() + "_sum", labels), f.getName());
            for (Metrics.Bucket b : h.getBucketList()) {
              Map<String, String> withLe = new TreeMap<>(labels);
              withLe.put("le", le(b.getUpperBound()));
              assertEquals(b.getCumulativeCount(), text.value(f.getName() + "_bucket", withLe), f.getName());
            }
          }
          default -> fail("unexpected type " + f.getType() + " of " + f.getName());
        }
        values++;
      }
    }
    assertEquals(text.families.keySet().stream().sorted().toList(), names.stream().sorted().toList());
    assertTrue(values > 40, "compared " + values);
  }

  private static String le(double bound) {
    return bound == Double.POSITIVE_INFINITY ? "+Inf" : Double.toString(bound);
  }

  @Test
  void promtoolFindsNothingToComplainAbout() throws Exception {
    File promtool = promtool();
    byte[] body = scrape(null).body();
    Process p = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write(body);
    }
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    assertFalse(out.contains("error"), out);
    assertEquals("", out.strip(), "promtool lint findings");
  }

  /** interop/.tools/promtool (from interop/setup.sh) or promtool on PATH; CI fails without it. */
  static File promtool() {
    File local = Path.of("..", "interop", ".tools", "promtool").toFile();
    if (local.canExecute()) {
      return local;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "promtool");
      if (f.canExecute()) {
        return f;
      }
    }
    String why = "promtool missing (interop/setup.sh extracts it from Debian's prometheus package)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.abort(why);
    return null;
  }
}
