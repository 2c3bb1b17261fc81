package dev.jdht.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The snapshot -> Prometheus mapping, checked through the text the client writes. */
class DhtMetricsTest {
  private static final Set<String> FORBIDDEN_LABELS = Set.of("id", "node", "node_id", "ip", "address", "addr", "port");

  private final AtomicReference<MonitorState> state = new AtomicReference<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();

  DhtMetricsTest() {
    registry.register(new DhtMetrics(state::get));
  }

  @Test
  void nothingBeforeTheFirstSnapshot() throws Exception {
    assertEquals("", Fixtures.text(registry));
  }

  @Test
  void everyNumberOfTheSnapshotIsExported() throws Exception {
    state.set(Fixtures.state(Fixtures.snapshot(100), null));
    PromText p = PromText.parse(Fixtures.text(registry));
    assertEquals(100, p.sum("dht_datagrams_received_total"));
    assertEquals(80, p.sum("dht_datagrams_sent_total"));
    assertEquals(1000, p.sum("dht_received_bytes_total"));
    assertEquals(900, p.sum("dht_sent_bytes_total"));
    assertEquals(5, p.value("dht_queries_received_total", Map.of("method", "ping")));
    assertEquals(7, p.value("dht_queries_received_total", Map.of("method", "get_peers")));
    assertEquals(30, p.value("dht_queries_sent_total", Map.of("method", "find_node")));
    assertEquals(6, p.value("dht_queries_answered_total", Map.of("method", "get_peers")));
    assertEquals(11, p.sum("dht_queries_answered_total"));
    assertEquals(0, p.value("dht_queries_received_total", Map.of("method", "announce_peer")), "known methods from 0");
    assertEquals(0, p.value("dht_queries_received_total", Map.of("method", "other")));
    assertEquals(0, p.value("dht_queries_sent_total", Map.of("method", "ping")));
    assertEquals(60, p.sum("dht_responses_received_total"));
    assertEquals(2, p.sum("dht_errors_received_total"));
    assertEquals(3, p.sum("dht_errors_sent_total"));
    assertEquals(4, p.sum("dht_query_timeouts_total"));
    assertEquals(1, p.sum("dht_send_failures_total"));
    assertEquals(5, p.value("dht_datagrams_dropped_total", Map.of("reason", "malformed")));
    assertEquals(6, p.value("dht_datagrams_dropped_total", Map.of("reason", "unknown_transaction")));
    assertEquals(7, p.value("dht_datagrams_dropped_total", Map.of("reason", "rate_limited")));
    assertEquals(8, p.value("dht_datagrams_dropped_total", Map.of("reason", "handler_failure")));
    assertEquals(8, p.value("dht_routing_table_nodes", Map.of("family", "ipv4", "state", "good")));
    assertEquals(1, p.value("dht_routing_table_nodes", Map.of("family", "ipv4", "state", "bad")));
    assertEquals(1, p.value("dht_routing_table_nodes", Map.of("family", "ipv6", "state", "good")));
    assertEquals(11, p.sum("dht_routing_table_nodes"));
    assertEquals(6, p.value("dht_routing_bucket_nodes", Map.of("depth", "0", "family", "ipv4", "state", "good")));
    assertEquals(1, p.value("dht_routing_bucket_nodes", Map.of("depth", "3", "family", "ipv6", "state", "good")));
    assertEquals(3, p.value("dht_routing_replacement_nodes", Map.of("family", "ipv4")));
    assertEquals(12, p.sum("dht_peer_store_peers"));
    assertEquals(3, p.sum("dht_peer_store_infohashes"));
    assertEquals(2, p.sum("dht_transactions_in_flight"));
    assertEquals(1, p.sum("dht_lookups_running"));
    assertEquals(0, p.sum("dht_item_store_source_cap_evictions_total"), "the fixture's stats have no evictions");
    assertFalse(p.families.keySet().stream().anyMatch(n -> n.startsWith("dht_socket_receive_drops")),
        "kernel drops unknown: no metric");
    // histograms: cumulative buckets, count and sum in seconds
    assertEquals(40, p.value("dht_node_rtt_seconds_bucket", Map.of("le", "0.01")));
    assertEquals(55, p.value("dht_node_rtt_seconds_bucket", Map.of("le", "0.1")));
    assertEquals(60, p.value("dht_node_rtt_seconds_bucket", Map.of("le", "+Inf")));
    assertEquals(60, p.sum("dht_node_rtt_seconds_count"));
    assertEquals(2.5, p.sum("dht_node_rtt_seconds_sum"));
    assertEquals(3, p.value("dht_lookup_duration_seconds_count", Map.of("kind", "find_node")));
    assertEquals(3, p.value("dht_lookup_duration_seconds_bucket", Map.of("kind", "get_peers", "le", "1.0")));
    assertEquals(2, p.value("dht_lookup_first_peer_seconds_count", Map.of("kind", "get_peers")));
    assertFalse(p.families.keySet().stream().anyMatch(n -> n.startsWith("dht_crawl")), "no crawl, no crawl metrics");
  }

  @Test
  void namesAndLabelsFollowTheConventions() throws Exception {
    state.set(Fixtures.state(Fixtures.snapshot(1), new CrawlSnapshot(10, 1.5, 8, 30, 20, 0.25)));
    PromText p = PromText.parse(Fixtures.text(registry));
    for (PromText.Family f : p.families.values()) {
      assertTrue(f.name().startsWith("dht_"), f.name());
      assertTrue(f.help() != null && !f.help().isBlank(), "HELP for " + f.name());
      assertEquals(f.type().equals("counter"), f.name().endsWith("_total"), f.name());
      for (PromText.Sample s : f.samples()) {
        for (String l : s.labels().keySet()) {
          assertFalse(FORBIDDEN_LABELS.contains(l), "unbounded label " + l + " on " + s.name());
        }
      }
    }
    assertEquals("histogram", p.families.get("dht_node_rtt_seconds").type());
    assertEquals("gauge", p.families.get("dht_routing_table_nodes").type());
  }

  @Test
  void kernelDropsWhenTheSystemCountsThem() throws Exception {
    state.set(Fixtures.state(Fixtures.snapshot(1).withSocketReceiveDrops(42), null));
    PromText p = PromText.parse(Fixtures.text(registry));
    assertEquals(42, p.sum("dht_socket_receive_drops_total"));
  }

  @Test
  void crawlMetricsWhenACrawlIsPlugged() throws Exception {
    state.set(Fixtures.state(Fixtures.snapshot(1), new CrawlSnapshot(10, 1.5, 8, 30, 20, 0.25)));
    PromText p = PromText.parse(Fixtures.text(registry));
    assertEquals(10, p.sum("dht_crawl_samples_total"));
    assertEquals(1.5, p.sum("dht_crawl_samples_per_second"));
    assertEquals(8, p.sum("dht_crawl_infohashes"));
    assertEquals(30, p.sum("dht_crawl_nodes_known"));
    assertEquals(20, p.sum("dht_crawl_nodes_sampled"));
    assertEquals(0.25, p.sum("dht_crawl_coverage_ratio"));
  }

  @Test
  void theParserIsStrict() {
    String ok = "# HELP a_total x\n# TYPE a_total counter\na_total 1\n";
    PromText.parse(ok);
    assertThrows(IllegalArgumentException.class, () -> PromText.parse("# TYPE a counter\na 1\n"));
    assertThrows(IllegalArgumentException.class, () -> PromText.parse("a_total 1"));
    assertThrows(IllegalArgumentException.class, () -> PromText.parse("a{b=\"1\"} 1\na{b=\"1\"} 2\n"));
    assertThrows(IllegalArgumentException.class, () -> PromText.parse("a{b=1} 1\n"));
    assertThrows(IllegalArgumentException.class, () -> PromText.parse("a 1x\n"));
    assertThrows(IllegalArgumentException.class, () -> PromText.parse("a 1\nb 1\na{c=\"2\"} 1\n"));
    assertThrows(IllegalArgumentException.class, () -> PromText.parse(
        "# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 1\n"));
    assertThrows(IllegalArgumentException.class, () -> PromText.parse(
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n"));
  }
}
