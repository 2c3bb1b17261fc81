package dev.jdht.http;

import dev.jdht.core.api.BucketStats;
import dev.jdht.core.api.DhtSnapshot;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.api.LatencyHistogram;
import dev.jdht.core.api.LookupSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The document {@code /api/state} serves to the dashboard page: the published state as maps and
 * lists (keys are the dashboard's; counter values are the ones {@code /metrics} shows).
 */
final class StateJson {
  private StateJson() {}

  static Map<String, Object> of(MonitorState m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("sequence", m.sequence());
    o.put("time_ms", m.wallMillis());
    o.put("started_ms", m.startedMillis());
    DhtSnapshot d = m.dht();
    o.put("node_id", d.nodeId().toHex());
    o.put("counters", counters(d.stats()));
    o.put("buckets", buckets(d.buckets()));
    o.put("rtt", histogram(d.nodeRtt()));
    o.put("lookup_done", histograms(d.lookupDone()));
    o.put("lookup_first_peer", histograms(d.lookupFirstPeer()));
    o.put("lookups_running", lookups(d.lookupsRunning()));
    o.put("lookups_recent", lookups(d.recentLookups()));
    CrawlSnapshot c = m.crawl();
    if (c != null) {
      Map<String, Object> cr = new LinkedHashMap<>();
      cr.put("samples", c.samples());
      cr.put("samples_per_second", finite(c.samplesPerSecond()));
      cr.put("distinct_infohashes", c.distinctInfohashes());
      cr.put("nodes_known", c.nodesKnown());
      cr.put("nodes_sampled", c.nodesSampled());
      cr.put("coverage_estimate", finite(c.coverageEstimate()));
      o.put("crawl", cr);
    }
    List<List<Long>> h = new ArrayList<>();
    for (MonitorState.Point p : m.history()) {
      h.add(List.of(p.wallMillis(), p.datagramsIn(), p.datagramsOut(), p.bytesIn(), p.bytesOut(),
          (long) p.routingNodes(), (long) p.goodNodes(), p.crawlInfohashes(), p.crawlNodes()));
    }
    o.put("history_columns", List.of("time_ms", "datagrams_in", "datagrams_out", "bytes_in", "bytes_out",
        "routing_nodes", "good_nodes", "crawl_infohashes", "crawl_nodes"));
    o.put("history", h);
    return o;
  }

  private static Object finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static Map<String, Object> counters(DhtStats s) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("datagrams_in", s.datagramsIn());
    c.put("datagrams_out", s.datagramsOut());
    c.put("bytes_in", s.bytesIn());
    c.put("bytes_out", s.bytesOut());
    c.put("queries_in", s.totalQueriesIn());
    c.put("queries_out", s.totalQueriesOut());
    c.put("queries_answered", s.queriesAnswered().values().stream().mapToLong(Long::longValue).sum());
    c.put("queries_in_by_method", s.queriesIn());
    c.put("queries_out_by_method", s.queriesOut());
    c.put("responses_in", s.responsesIn());
    c.put("errors_in", s.errorsIn());
    c.put("errors_out", s.errorsOut());
    c.put("timeouts", s.timeouts());
    c.put("dropped_malformed", s.droppedMalformed());
    c.put("dropped_rate_limited", s.droppedRateLimited());
    c.put("dropped_unknown_transaction", s.droppedUnknownTransaction());
    c.put("handler_failures", s.handlerFailures());
    c.put("routing_nodes", s.routingTableSize());
    c.put("good_nodes", s.goodNodes());
    c.put("in_flight", s.inFlight());
    c.put("lookups_running", s.activeLookups());
    c.put("stored_peers", s.storedPeers());
    c.put("stored_infohashes", s.storedInfoHashes());
    c.put("stored_items", s.storedItems());
    return c;
  }

  private static List<Map<String, Object>> buckets(List<BucketStats> buckets) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (BucketStats b : buckets) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("depth", b.depth());
      o.put("family", b.family());
      o.put("good", b.good());
      o.put("questionable", b.questionable());
      o.put("bad", b.bad());
      o.put("replacements", b.replacements());
      out.add(o);
    }
    return out;
  }

  private static Map<String, Object> histogram(LatencyHistogram h) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("count", h.count());
    o.put("sum_seconds", h.sumSeconds());
    o.put("p50_seconds", finite(h.quantileUpperBound(0.5)));
    o.put("p90_seconds", finite(h.quantileUpperBound(0.9)));
    o.put("bounds_seconds", h.upperBoundsSeconds());
    o.put("counts", h.counts());
    return o;
  }

  private static Map<String, Object> histograms(Map<String, LatencyHistogram> byKind) {
    Map<String, Object> o = new LinkedHashMap<>();
    byKind.forEach((k, h) -> o.put(k, histogram(h)));
    return o;
  }

  private static List<Map<String, Object>> lookups(List<LookupSummary> list) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (LookupSummary l : list) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("kind", l.kind());
      o.put("target", l.target().toHex());
      o.put("running", l.running());
      o.put("cancelled", l.cancelled());
      o.put("queries", l.queries());
      o.put("responses", l.responses());
      o.put("timeouts", l.timeouts());
      o.put("peers", l.peers());
      o.put("elapsed_ms", l.elapsedMillis());
      o.put("first_peer_ms", l.firstPeerMillis() < 0 ? null : l.firstPeerMillis());
      o.put("ago_ms", l.agoMillis());
      out.add(o);
    }
    return out;
  }
}
