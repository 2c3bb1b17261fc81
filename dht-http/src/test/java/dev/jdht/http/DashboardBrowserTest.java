package dev.jdht.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtSnapshot;
import dev.jdht.core.testnet.LocalTestnet;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromium-driver, which
 * {@code ./test.sh} installs): a node joined to a loopback network of 20 of our nodes
 * (127.0.78.x, the node itself on 127.0.79.1), the page's numbers against {@code /metrics}, and
 * the numbers changing as traffic flows. Screenshots go to {@code target/dashboard*.png}. Without
 * the browser the test is skipped, except in CI ({@code CI=true}) where it fails.
 */
@Timeout(180)
class DashboardBrowserTest {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static LocalTestnet net;
  private static Dht dht;
  private static WebDriver browser;
  private static final HttpClient http = HttpClient.newHttpClient();
  // when frozen, the publisher keeps re-publishing the last snapshot: the page and /metrics then
  // show the same numbers however late the page polls
  private static final AtomicBoolean frozen = new AtomicBoolean();
  private static final AtomicReference<DhtSnapshot> last = new AtomicReference<>();

  @BeforeAll
  static void start() throws Exception {
    boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    if (!present) {
      String why = CHROMIUM + " or " + CHROMEDRIVER + " missing (./test.sh installs chromium and chromium-driver)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    net = LocalTestnet.start(20, 78, 0, 5, 20_000);
    List<String> boot = new ArrayList<>();
    for (PeerAddress a : net.addresses().subList(0, 4)) {
      boot.add(a.toString());
    }
    dht = Dht.builder().bind(new InetSocketAddress(InetAddress.getByName("127.0.79.1"), 0))
        .allowLocalAddresses(true).readyMinGoodNodes(4).queryTimeout(Duration.ofMillis(500))
        .readyTimeout(Duration.ofSeconds(20)).bootstrap(boot).start();
    dht.ready().get(20, TimeUnit.SECONDS);
    browser = chromium();
  }

  static WebDriver chromium() {
    // never let Selenium Manager look for (or download) a browser or driver: both are given
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    System.setProperty("SE_OFFLINE", "true");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM);
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-dev-shm-usage", "--window-size=1280,1150", "--hide-scrollbars", "--no-first-run",
        "--disable-extensions", "--disable-sync", "--disable-component-update", "--disable-default-apps");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    WebDriver d = new ChromeDriver(service, o);
    d.manage().window().setSize(new Dimension(1280, 1150));
    return d;
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (dht != null) {
      dht.close();
    }
    if (net != null) {
      net.close();
    }
  }

  private static MonitorServer server(java.util.function.Supplier<CrawlSnapshot> crawl) throws Exception {
    return MonitorServer.builder(() -> {
      DhtSnapshot l = last.get();
      if (frozen.get() && l != null) {
        return CompletableFuture.completedFuture(l);
      }
      return dht.snapshot().thenApply(s -> {
        last.set(s);
        return s;
      });
    }).bind(new InetSocketAddress(InetAddress.getByName("127.0.79.1"), 0)).interval(Duration.ofMillis(250))
        .crawl(crawl).start();
  }

  @Test
  void pageShowsTheNumbersOfMetricsAndFollowsTraffic() throws Exception {
    try (MonitorServer server = server(null)) {
      browser.get(server.url());
      long seq = awaitSequence(0);
      assertEquals(dht.nodeId().toHex(), browser.findElement(By.id("node-id")).getText());
      assertTrue(browser.findElement(By.id("crawl")).getAttribute("hidden") != null, "no crawl, no crawl panel");

      // some lookups of our own (one finds the peer a testnet node announced), then compare a frozen state
      NodeId announced = NodeId.random(new Random(42));
      net.announce(3, announced, 51413).get(10, TimeUnit.SECONDS);
      for (int i = 0; i < 3; i++) {
        dht.getPeers(NodeId.random(new Random(i)), p -> { }).get(10, TimeUnit.SECONDS);
      }
      assertEquals(1, dht.getPeers(announced, p -> { }).get(10, TimeUnit.SECONDS).distinctPeers());
      PromText before = freezeAndCompare(server);
      assertTrue(lookupRows().stream().anyMatch(r -> r.startsWith("get_peers")), lookupRows().toString());
      compareBuckets(before);

      // traffic flows: other nodes query us, we run lookups; the page's numbers move
      frozen.set(false);
      double inBefore = before.sum("dht_datagrams_received_total");
      traffic(Duration.ofSeconds(4), 10);
      new WebDriverWait(browser, WAIT).until(d -> pageNumber("dht_datagrams_received_total") > inBefore);
      PromText after = freezeAndCompare(server);
      assertTrue(after.sum("dht_datagrams_received_total") > inBefore);
      assertTrue(after.sum("dht_queries_received_total") > before.sum("dht_queries_received_total"));
      assertTrue(after.sum("dht_lookup_duration_seconds_count") > before.sum("dht_lookup_duration_seconds_count"));
      assertTrue(awaitSequence(seq) > seq);
      String quantiles = browser.findElement(By.id("quantiles")).getText();
      assertTrue(quantiles.startsWith("RTT p50 "), quantiles);
      traffic(Duration.ofSeconds(3), 100); // more chart points, then the picture
      dht.getPeers(announced, p -> { }).get(10, TimeUnit.SECONDS);
      Thread.sleep(1200);
      screenshot("dashboard.png");
    }
  }

  @Test
  void crawlPanelShowsTheCrawlSupplierNumbers() throws Exception {
    AtomicReference<CrawlSnapshot> crawl = new AtomicReference<>(new CrawlSnapshot(1000, 12.5, 900, 300, 120, 0.03));
    try (MonitorServer server = server(crawl::get)) {
      browser.get(server.url());
      awaitSequence(0);
      new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("crawl")).isDisplayed());
      for (int k = 1; k <= 6; k++) {
        crawl.set(new CrawlSnapshot(1000 + 400L * k, 12.5 + k, 900 + 350L * k, 300 + 40L * k, 120 + 30L * k, 0.03 * (k + 1)));
        Thread.sleep(300);
      }
      PromText p = freezeAndCompare(server);
      assertEquals(900 + 350 * 6, p.sum("dht_crawl_infohashes"));
      assertEquals(3400, pageNumber("dht_crawl_samples_total"));
      assertEquals("21.0 %", browser.findElement(By.id("crawl-coverage")).getText());
      assertEquals("18.5", browser.findElement(By.id("crawl-rate")).getText());
      screenshot("dashboard-crawl.png");
    }
  }

  /** Other nodes look us up and we run get_peers lookups, for {@code d}. */
  private static void traffic(Duration d, int seed) throws Exception {
    long end = System.nanoTime() + d.toNanos();
    int i = seed;
    while (System.nanoTime() < end) {
      for (int n = 0; n < 5; n++) {
        net.call(n, node -> node.findNode(dht.nodeId(), null));
      }
      dht.getPeers(NodeId.random(new Random(i++)), p -> { }).get(10, TimeUnit.SECONDS);
      Thread.sleep(100 + (i % 5) * 60L);
    }
  }

  /** Freezes the published state, waits until the page shows it, checks every number; unfreezes. */
  private static PromText freezeAndCompare(MonitorServer server) throws Exception {
    last.set(dht.snapshot().get(5, TimeUnit.SECONDS)); // taken after everything the test did
    frozen.set(true);
    try {
      long frozenAt = server.publisher().current().sequence() + 2; // at least one publication after freezing
      while (server.publisher().current().sequence() < frozenAt) {
        Thread.sleep(20);
      }
      awaitSequence(frozenAt);
      PromText p = PromText.parse(get(server.url() + "metrics"));
      List<WebElement> numbers = browser.findElements(By.cssSelector("[data-metric]"));
      int compared = 0;
      for (WebElement e : numbers) {
        if (!e.isDisplayed()) {
          continue;
        }
        String metric = e.getAttribute("data-metric");
        assertEquals((long) p.sum(metric), parse(e.getText()), metric);
        compared++;
      }
      assertTrue(compared >= 14, "compared " + compared + " numbers");
      return p;
    } finally {
      frozen.set(false);
    }
  }

  /** Reads every bucket row in one script run (the page may redraw between two WebDriver calls). */
  @SuppressWarnings("unchecked")
  private static void compareBuckets(PromText p) {
    List<Map<String, Object>> rows = (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeScript(
        "return [...document.querySelectorAll('.bucket')].map(r => ({depth: r.dataset.depth, family: r.dataset.family,"
            + " good: +r.dataset.good, questionable: +r.dataset.questionable, bad: +r.dataset.bad,"
            + " goodCells: r.querySelectorAll('.cell.good').length,"
            + " questionableCells: r.querySelectorAll('.cell.questionable').length}));");
    assertFalse(rows.isEmpty());
    long live = 0;
    for (Map<String, Object> r : rows) {
      long good = ((Number) r.get("good")).longValue();
      long questionable = ((Number) r.get("questionable")).longValue();
      Map<String, String> labels = Map.of("depth", (String) r.get("depth"), "family", (String) r.get("family"));
      assertEquals((long) p.value("dht_routing_bucket_nodes", with(labels, "good")), good, r.toString());
      assertEquals((long) p.value("dht_routing_bucket_nodes", with(labels, "questionable")), questionable, r.toString());
      assertEquals(good, ((Number) r.get("goodCells")).longValue());
      assertEquals(questionable, ((Number) r.get("questionableCells")).longValue());
      live += good + questionable + ((Number) r.get("bad")).longValue();
    }
    assertEquals((long) p.sum("dht_routing_table_nodes"), live);
  }

  private static Map<String, String> with(Map<String, String> labels, String state) {
    Map<String, String> m = new java.util.HashMap<>(labels);
    m.put("state", state);
    return m;
  }

  @SuppressWarnings("unchecked")
  private static List<String> lookupRows() {
    return (List<String>) ((JavascriptExecutor) browser).executeScript(
        "return [...document.querySelectorAll('#lookups tr')].map(r => r.innerText);");
  }

  private static long pageNumber(String metric) {
    return parse(browser.findElement(By.cssSelector("[data-metric='" + metric + "']")).getText());
  }

  private static long parse(String text) {
    String digits = text.replace(",", "").strip();
    assertTrue(digits.matches("\\d+"), "not a number on the page: '" + text + "'");
    return Long.parseLong(digits);
  }

  /** Waits until the page rendered a state with a sequence of at least {@code min + 1}. */
  private static long awaitSequence(long min) {
    return new WebDriverWait(browser, WAIT).until(d -> {
      String s = d.findElement(By.tagName("body")).getAttribute("data-sequence");
      return s != null && Long.parseLong(s) > min ? Long.parseLong(s) : null;
    });
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  private static void screenshot(String name) throws Exception {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
