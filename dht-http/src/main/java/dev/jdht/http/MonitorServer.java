package dev.jdht.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtSnapshot;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The read-only monitoring endpoint of a node: {@code /metrics} (Prometheus text format, through
 * the Prometheus Java client), {@code /} (a self-contained live dashboard page, assets from the
 * jar), {@code /api/state} (the JSON the page polls). Every handler reads the state a
 * {@link SnapshotPublisher} published; none calls into the node.
 *
 * <p>Safety: binds loopback unless given another address; only GET (and HEAD) are allowed (405
 * otherwise); a request with a body (413), a URI over {@value #MAX_URI} characters (414) or more
 * than {@value #MAX_HEADERS} headers or {@value #MAX_HEADER_BYTES} bytes of them (431) is refused; two worker threads and a bounded queue.
 * Thread-safe.
 */
public final class MonitorServer implements AutoCloseable {
  static final int MAX_URI = 2048;
  static final int MAX_HEADERS = 64;
  static final int MAX_HEADER_BYTES = 16 * 1024;
  private static final int WORKERS = 2;
  private static final int QUEUE = 32;
  private static final Map<String, String[]> ASSETS = Map.of(
      "/", new String[] {"index.html", "text/html; charset=utf-8"},
      "/dashboard.js", new String[] {"dashboard.js", "text/javascript; charset=utf-8"},
      "/dashboard.css", new String[] {"dashboard.css", "text/css; charset=utf-8"});
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
          + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final HttpServer server;
  private final SnapshotPublisher publisher;
  private final ThreadPoolExecutor workers;
  private final ObjectMapper json = new ObjectMapper();

  private MonitorServer(Builder b) throws IOException {
    this.publisher = new SnapshotPublisher(b.source, b.crawl, b.interval, b.historySize, System::currentTimeMillis);
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new DhtMetrics(publisher::current));
    try {
      server = HttpServer.create(b.bind, 16);
    } catch (IOException e) {
      publisher.close();
      throw e;
    }
    workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
        r -> {
          Thread t = new Thread(r, "dht-http");
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.CallerRunsPolicy());
    server.setExecutor(workers);
    server.createContext("/metrics", guarded(new MetricsHandler(registry)));
    server.createContext("/api/state", guarded(this::state));
    server.createContext("/", guarded(MonitorServer::asset));
    server.start();
  }

  /** A builder; {@code source} is usually {@code dht::snapshot}. */
  public static Builder builder(Supplier<CompletableFuture<DhtSnapshot>> source) {
    return new Builder(source);
  }

  /** A builder for a running {@link Dht}. */
  public static Builder builder(Dht dht) {
    return new Builder(dht::snapshot);
  }

  /** The bound address (the actual port when the builder asked for port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:9090/}. */
  public String url() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + a.getPort() + "/";
  }

  /** The publisher whose state the handlers read. */
  public SnapshotPublisher publisher() {
    return publisher;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    publisher.close();
  }

  // ------------------------------------------------------------------------------------------

  private static HttpHandler guarded(HttpHandler inner) {
    return ex -> {
      try (ex) {
        String method = ex.getRequestMethod();
        Headers h = ex.getRequestHeaders();
        if (!method.equals("GET") && !method.equals("HEAD")) {
          ex.getResponseHeaders().set("Allow", "GET, HEAD");
          plain(ex, 405, "only GET is allowed\n");
        } else if (ex.getRequestURI().toString().length() > MAX_URI) {
          plain(ex, 414, "URI too long\n");
        } else if (h.size() > MAX_HEADERS || headerBytes(h) > MAX_HEADER_BYTES) {
          plain(ex, 431, "too many headers\n");
        } else if (h.containsKey("Transfer-Encoding") || contentLength(h) != 0) {
          plain(ex, 413, "a GET has no body\n");
        } else {
          Headers r = ex.getResponseHeaders();
          r.set("X-Content-Type-Options", "nosniff");
          r.set("Cache-Control", "no-store");
          r.set("Content-Security-Policy", CSP);
          r.set("Referrer-Policy", "no-referrer");
          inner.handle(ex);
        }
      } catch (IOException | RuntimeException e) {
        // the client went away, or a bug: this request fails, the server goes on
      }
    };
  }

  private static long headerBytes(Headers h) {
    long n = 0;
    for (Map.Entry<String, List<String>> e : h.entrySet()) {
      for (String v : e.getValue()) {
        n += e.getKey().length() + v.length() + 4;
      }
    }
    return n;
  }

  private static long contentLength(Headers h) {
    String v = h.getFirst("Content-Length");
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void plain(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void state(HttpExchange ex) throws IOException {
    MonitorState m = publisher.current();
    if (m == null) {
      plain(ex, 503, "no snapshot yet\n");
      return;
    }
    send(ex, 200, "application/json", json.writeValueAsBytes(StateJson.of(m)));
  }

  private static void asset(HttpExchange ex) throws IOException {
    String[] a = ASSETS.get(ex.getRequestURI().getPath());
    if (a == null) {
      plain(ex, 404, "not found\n");
      return;
    }
    send(ex, 200, a[1], resource(a[0]));
  }

  private static final Map<String, byte[]> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  private static byte[] resource(String name) {
    return CACHE.computeIfAbsent(name, n -> {
      try (InputStream in = MonitorServer.class.getResourceAsStream(n)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + n);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  // ------------------------------------------------------------------------------------------

  /** Configures a {@link MonitorServer}. Not thread-safe. */
  public static final class Builder {
    private final Supplier<CompletableFuture<DhtSnapshot>> source;
    private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9090);
    private Supplier<CrawlSnapshot> crawl;
    private Duration interval = Duration.ofSeconds(1);
    private int historySize = 600;

    private Builder(Supplier<CompletableFuture<DhtSnapshot>> source) {
      this.source = Objects.requireNonNull(source);
    }

    /** Where to listen (default 127.0.0.1:9090; port 0 picks a free one). */
    public Builder bind(InetSocketAddress address) {
      this.bind = Objects.requireNonNull(address);
      return this;
    }

    /** A crawl to show (panel and {@code dht_crawl_*} metrics); called once per interval. */
    public Builder crawl(Supplier<CrawlSnapshot> crawl) {
      this.crawl = crawl;
      return this;
    }

    /** How often a snapshot is taken (default 1 s). */
    public Builder interval(Duration d) {
      this.interval = Objects.requireNonNull(d);
      return this;
    }

    /** How many snapshots the history keeps (default 600: 10 minutes at 1 s). */
    public Builder historySize(int n) {
      this.historySize = n;
      return this;
    }

    /** Binds and starts serving. */
    public MonitorServer start() throws IOException {
      return new MonitorServer(this);
    }
  }
}
