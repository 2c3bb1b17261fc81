package dev.jdht.http;

import dev.jdht.core.api.BucketStats;
import dev.jdht.core.api.DhtSnapshot;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.api.LatencyHistogram;
import dev.jdht.krpc.message.Query;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The node's (and the crawl's) numbers as Prometheus metrics, read from the last published
 * {@link MonitorState}: collecting never touches the node. Names follow the Prometheus
 * conventions ({@code dht_} prefix, {@code _total} counters, seconds and bytes); labels are
 * bounded (method, reason, kind, family, state, bucket depth 0..160), never a node id or address.
 */
public final class DhtMetrics implements MultiCollector {
  private static final String[] STATES = {"good", "questionable", "bad"};
  /** Methods exported from the start (0 until seen), so that rate() works from the first scrape. */
  private static final List<String> METHODS =
      List.of(Query.PING, Query.FIND_NODE, Query.GET_PEERS, Query.ANNOUNCE_PEER, Query.SAMPLE_INFOHASHES, Query.GET,
          Query.PUT);

  private final Supplier<MonitorState> state;

  public DhtMetrics(Supplier<MonitorState> state) {
    this.state = state;
  }

  @Override
  public MetricSnapshots collect() {
    MonitorState m = state.get();
    if (m == null) {
      return MetricSnapshots.of();
    }
    List<MetricSnapshot> out = new ArrayList<>();
    DhtSnapshot d = m.dht();
    DhtStats s = d.stats();
    out.add(counter("dht_datagrams_received", "UDP datagrams received", s.datagramsIn()));
    out.add(counter("dht_datagrams_sent", "UDP datagrams sent", s.datagramsOut()));
    out.add(counter("dht_received_bytes", "UDP payload bytes received", s.bytesIn(), Unit.BYTES));
    out.add(counter("dht_sent_bytes", "UDP payload bytes sent", s.bytesOut(), Unit.BYTES));
    out.add(byLabel("dht_queries_received", "KRPC queries received, by method (other: unknown methods)",
        "method", withZeros(s.queriesIn(), "other")));
    out.add(byLabel("dht_queries_answered", "KRPC queries received that we answered with a response "
        + "(the others got an error), by method", "method", withZeros(s.queriesAnswered(), "other")));
    out.add(byLabel("dht_queries_sent", "KRPC queries we sent, by method", "method", withZeros(s.queriesOut())));
    out.add(counter("dht_responses_received", "responses matched to one of our queries", s.responsesIn()));
    out.add(counter("dht_errors_received", "KRPC errors received for our queries", s.errorsIn()));
    out.add(counter("dht_errors_sent", "KRPC errors we sent (malformed query, unknown method, bad token)",
        s.errorsOut()));
    out.add(counter("dht_query_timeouts", "our queries that timed out", s.timeouts()));
    out.add(counter("dht_send_failures", "datagrams the socket refused", s.sendFailures()));
    Map<String, Long> dropped = new TreeMap<>();
    dropped.put("malformed", s.droppedMalformed());
    dropped.put("rate_limited", s.droppedRateLimited());
    dropped.put("unknown_transaction", s.droppedUnknownTransaction());
    dropped.put("handler_failure", s.handlerFailures());
    out.add(byLabel("dht_datagrams_dropped", "datagrams received and dropped, by reason", "reason", dropped));

    out.add(gauge("dht_routing_table_nodes", "live routing table entries, by family and state",
        routingByState(d.buckets())));
    out.add(gauge("dht_routing_bucket_nodes",
        "live routing table entries per bucket (depth: bits shared with our id), family and state",
        perBucket(d.buckets())));
    out.add(gauge("dht_routing_replacement_nodes", "replacement cache entries, by family", replacements(d.buckets())));
    out.add(gauge("dht_peer_store_peers", "peers stored for other nodes' announces", s.storedPeers()));
    out.add(gauge("dht_peer_store_infohashes", "infohashes with stored peers", s.storedInfoHashes()));
    if (d.socketReceiveDrops() >= 0) {
      out.add(counter("dht_socket_receive_drops",
          "datagrams the kernel dropped for the node's sockets because their receive buffer was full", d.socketReceiveDrops()));
    }
    out.add(gauge("dht_item_store_items", "BEP 44 items stored for others", s.storedItems()));
    out.add(counter("dht_item_store_source_cap_evictions",
        "BEP 44 items evicted because the source that put them was at its per-source cap", s.itemSourceCapEvictions()));
    out.add(gauge("dht_routing_id_mismatch_nodes", "BEP 42: routing table nodes whose id does not match their address",
        s.idMismatchNodes()));
    out.add(counter("dht_node_id_regenerations", "BEP 42: times our id was regenerated from our voted external IP",
        s.idRegenerations()));
    out.add(gauge("dht_transactions_in_flight", "our queries waiting for an answer", s.inFlight()));
    out.add(gauge("dht_lookups_running", "lookups in progress", s.activeLookups()));

    out.add(histogram("dht_node_rtt_seconds", "round trip of our answered queries", Labels.EMPTY, d.nodeRtt()));
    out.add(histograms("dht_lookup_duration_seconds", "lookup time to done (cancelled ones excluded), by kind",
        d.lookupDone()));
    out.add(histograms("dht_lookup_first_peer_seconds", "lookup time to the first peer, by kind",
        d.lookupFirstPeer()));

    CrawlSnapshot c = m.crawl();
    if (c != null) {
      out.add(counter("dht_crawl_samples", "infohash samples received by the crawl", c.samples()));
      out.add(gauge("dht_crawl_samples_per_second", "recent infohash sample rate", c.samplesPerSecond()));
      out.add(gauge("dht_crawl_infohashes", "distinct infohashes seen by the crawl", c.distinctInfohashes()));
      out.add(gauge("dht_crawl_nodes_known", "distinct nodes known to the crawl", c.nodesKnown()));
      out.add(gauge("dht_crawl_nodes_sampled", "nodes that answered sample_infohashes", c.nodesSampled()));
      out.add(gauge("dht_crawl_coverage_ratio", "estimated fraction of the DHT's infohashes seen",
          c.coverageEstimate()));
    }
    return new MetricSnapshots(out);
  }

  private static Map<String, Long> withZeros(Map<String, Long> byMethod, String... extra) {
    Map<String, Long> m = new TreeMap<>(byMethod);
    for (String method : METHODS) {
      m.putIfAbsent(method, 0L);
    }
    for (String e : extra) {
      m.putIfAbsent(e, 0L);
    }
    return m;
  }

  private static CounterSnapshot counter(String name, String help, long value) {
    return counter(name, help, value, null);
  }

  private static CounterSnapshot counter(String name, String help, long value, Unit unit) {
    return CounterSnapshot.builder().name(name).help(help).unit(unit)
        .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
  }

  private static CounterSnapshot byLabel(String name, String help, String label, Map<String, Long> values) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    new TreeMap<>(values).forEach((k, v) ->
        b.dataPoint(CounterDataPointSnapshot.builder().labels(Labels.of(label, k)).value(v).build()));
    return b.build();
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder().name(name).help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
  }

  private static GaugeSnapshot gauge(String name, String help, Map<Labels, Double> points) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    points.forEach((l, v) -> b.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(v).build()));
    return b.build();
  }

  private static Map<Labels, Double> routingByState(List<BucketStats> buckets) {
    Map<Labels, Double> out = new TreeMap<>();
    for (String family : new String[] {"ipv4", "ipv6"}) {
      int[] n = new int[3];
      for (BucketStats b : buckets) {
        if (b.family().equals(family)) {
          n[0] += b.good();
          n[1] += b.questionable();
          n[2] += b.bad();
        }
      }
      for (int i = 0; i < 3; i++) {
        out.put(Labels.of("family", family, "state", STATES[i]), (double) n[i]);
      }
    }
    return out;
  }

  private static Map<Labels, Double> perBucket(List<BucketStats> buckets) {
    Map<Labels, Double> out = new TreeMap<>();
    for (BucketStats b : buckets) {
      int[] n = {b.good(), b.questionable(), b.bad()};
      for (int i = 0; i < 3; i++) {
        out.put(Labels.of("depth", Integer.toString(b.depth()), "family", b.family(), "state", STATES[i]),
            (double) n[i]);
      }
    }
    return out;
  }

  private static Map<Labels, Double> replacements(List<BucketStats> buckets) {
    Map<Labels, Double> out = new TreeMap<>();
    for (String family : new String[] {"ipv4", "ipv6"}) {
      out.put(Labels.of("family", family), (double) buckets.stream()
          .filter(b -> b.family().equals(family)).mapToInt(BucketStats::replacements).sum());
    }
    return out;
  }

  private static HistogramSnapshot histograms(String name, String help, Map<String, LatencyHistogram> byKind) {
    HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help).unit(Unit.SECONDS);
    new TreeMap<>(byKind).forEach((k, h) -> b.dataPoint(point(Labels.of("kind", k), h)));
    return b.build();
  }

  private static HistogramSnapshot histogram(String name, String help, Labels labels, LatencyHistogram h) {
    return HistogramSnapshot.builder().name(name).help(help).unit(Unit.SECONDS).dataPoint(point(labels, h)).build();
  }

  private static HistogramDataPointSnapshot point(Labels labels, LatencyHistogram h) {
    int n = h.upperBoundsSeconds().size();
    double[] bounds = new double[n + 1];
    long[] counts = new long[n + 1];
    for (int i = 0; i < n; i++) {
      bounds[i] = h.upperBoundsSeconds().get(i);
    }
    bounds[n] = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= n; i++) {
      counts[i] = h.counts().get(i);
    }
    return HistogramDataPointSnapshot.builder().labels(labels)
        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).sum(h.sumSeconds()).build();
  }
}
