package dev.jdht.http;

import dev.jdht.core.api.BucketStats;
import dev.jdht.core.api.DhtSnapshot;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.api.LatencyHistogram;
import dev.jdht.core.api.LookupSummary;
import dev.jdht.krpc.wire.NodeId;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Hand-made snapshots with known numbers. */
final class Fixtures {
  private Fixtures() {}

  static final NodeId ID = NodeId.fromHex("0123456789abcdef0123456789abcdef01234567");

  static DhtSnapshot snapshot(long datagramsIn) {
    DhtStats stats = new DhtStats(datagramsIn, 1000, 80, 900, 1, Map.of("ping", 5L, "get_peers", 7L),
        Map.of("find_node", 30L), 60, 2, 3, 4, 5, 6, 7, 8, 11, 9, 2, 1, 12, 3, Map.of("ping", 5L, "get_peers", 6L));
    List<BucketStats> buckets = List.of(
        new BucketStats(0, "ipv4", 6, 1, 1, 3), new BucketStats(1, "ipv4", 2, 0, 0, 0),
        new BucketStats(3, "ipv6", 1, 0, 0, 1));
    LatencyHistogram rtt = new LatencyHistogram(List.of(0.01, 0.1), List.of(40L, 15L, 5L), 60, 2.5);
    LatencyHistogram done = new LatencyHistogram(List.of(0.1, 1.0), List.of(1L, 2L, 0L), 3, 1.2);
    LatencyHistogram first = new LatencyHistogram(List.of(0.1, 1.0), List.of(2L, 0L, 0L), 2, 0.1);
    LookupSummary running = new LookupSummary("get_peers", ID, true, false, 9, 4, 0, 2, 120, 80, 0);
    LookupSummary recent = new LookupSummary("find_node", ID, false, false, 20, 16, 1, 0, 340, -1, 5000);
    return new DhtSnapshot(ID, stats, buckets, rtt, Map.of("get_peers", done, "find_node", done),
        Map.of("get_peers", first), List.of(running), List.of(recent));
  }

  static MonitorState state(DhtSnapshot s, CrawlSnapshot crawl) {
    return new MonitorState(1, 1_000_000, 999_000, s, crawl, List.of(MonitorState.Point.of(1_000_000, s, crawl)));
  }

  static String text(PrometheusRegistry registry) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
