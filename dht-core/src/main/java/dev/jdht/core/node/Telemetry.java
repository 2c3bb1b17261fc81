package dev.jdht.core.node;

import dev.jdht.core.api.BucketStats;
import dev.jdht.core.api.DhtSnapshot;
import dev.jdht.core.api.LatencyHistogram;
import dev.jdht.core.api.LookupSummary;
import dev.jdht.core.lookup.Lookup;
import dev.jdht.core.lookup.LookupKind;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.routing.NodeEntry;
import dev.jdht.core.routing.NodeState;
import dev.jdht.core.routing.RoutingTable;
import dev.jdht.krpc.wire.NodeId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The distributions and the recent lookups behind {@link DhtSnapshot}: RTT and lookup-time
 * histograms with fixed buckets, and the last {@link DhtSnapshot#MAX_LISTED} finished lookups.
 * Bounded memory. Node thread only.
 */
final class Telemetry {
  static final double[] RTT_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5};
  static final double[] LOOKUP_BOUNDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30};

  private final Histogram rtt = new Histogram(RTT_BOUNDS);
  private final Map<LookupKind, Histogram> done = new EnumMap<>(LookupKind.class);
  private final Map<LookupKind, Histogram> firstPeer = new EnumMap<>(LookupKind.class);
  private final ArrayDeque<Entry> recent = new ArrayDeque<>();

  /** What a listed lookup keeps (not its peers or closest nodes). */
  private record Entry(
      LookupKind kind,
      NodeId target,
      boolean cancelled,
      int queries,
      int responses,
      int timeouts,
      int peers,
      long startedAt,
      long firstPeerAt,
      long doneAt) {

    LookupSummary summary(long now) {
      boolean running = doneAt < 0;
      long end = running ? now : doneAt;
      return new LookupSummary(
          kindName(kind),
          target,
          running,
          cancelled,
          queries,
          responses,
          timeouts,
          peers,
          millis(end - startedAt),
          firstPeerAt < 0 ? -1 : millis(firstPeerAt - startedAt),
          running ? 0 : millis(now - doneAt));
    }
  }

  /** An answered query's round trip. */
  void onRtt(long rttNanos) {
    if (rttNanos >= 0) {
      rtt.observe(rttNanos);
    }
  }

  /** A lookup finished (normally, cancelled, or refused at start). */
  void onLookupDone(LookupResult r) {
    if (!r.cancelled() && r.durationNanos() >= 0) {
      done.computeIfAbsent(r.kind(), k -> new Histogram(LOOKUP_BOUNDS)).observe(r.durationNanos());
      if (r.timeToFirstPeerNanos() >= 0) {
        firstPeer.computeIfAbsent(r.kind(), k -> new Histogram(LOOKUP_BOUNDS)).observe(r.timeToFirstPeerNanos());
      }
    }
    recent.addFirst(new Entry(r.kind(), r.target(), r.cancelled(), r.queriesSent(), r.responses(), r.timeouts(),
        r.peers().size(), r.startedAt(), r.firstPeerAt(), r.doneAt()));
    while (recent.size() > DhtSnapshot.MAX_LISTED) {
      recent.removeLast();
    }
  }

  LatencyHistogram rttHistogram() {
    return rtt.snapshot();
  }

  Map<String, LatencyHistogram> doneHistograms() {
    return snapshots(done);
  }

  Map<String, LatencyHistogram> firstPeerHistograms() {
    return snapshots(firstPeer);
  }

  List<LookupSummary> recentLookups(long now) {
    List<LookupSummary> out = new ArrayList<>(recent.size());
    for (Entry e : recent) {
      out.add(e.summary(now));
    }
    return out;
  }

  private static Map<String, LatencyHistogram> snapshots(Map<LookupKind, Histogram> m) {
    Map<String, LatencyHistogram> out = new TreeMap<>();
    m.forEach((k, h) -> out.put(kindName(k), h.snapshot()));
    return out;
  }

  static String kindName(LookupKind k) {
    return k.name().toLowerCase(Locale.ROOT);
  }

  /** A running lookup as listed in a snapshot (without copying its peers). */
  static LookupSummary running(Lookup l, long now) {
    return new Entry(l.kind(), l.target(), false, l.queriesSent(), l.responses(), l.timeouts(), l.peerCount(),
        l.startedAt(), l.firstPeerAt(), -1).summary(now);
  }

  private static long millis(long nanos) {
    return Math.max(0, nanos / 1_000_000);
  }

  /** Good/questionable/bad counts per (bucket depth, family), plus the replacement caches. */
  static List<BucketStats> buckets(RoutingTable routing, long now) {
    // key: depth * 2 + (ipv6 ? 1 : 0); value: good, questionable, bad, replacements
    TreeMap<Integer, int[]> counts = new TreeMap<>();
    for (NodeEntry e : routing.entries()) {
      int[] c = counts.computeIfAbsent(key(routing, e), k -> new int[4]);
      NodeState s = e.state(now);
      c[s == NodeState.GOOD ? 0 : s == NodeState.QUESTIONABLE ? 1 : 2]++;
    }
    for (NodeEntry e : routing.replacementEntries()) {
      counts.computeIfAbsent(key(routing, e), k -> new int[4])[3]++;
    }
    List<BucketStats> out = new ArrayList<>(counts.size());
    for (Map.Entry<Integer, int[]> en : counts.entrySet()) {
      int[] c = en.getValue();
      out.add(new BucketStats(en.getKey() >> 1, (en.getKey() & 1) == 1 ? "ipv6" : "ipv4", c[0], c[1], c[2], c[3]));
    }
    return out;
  }

  private static int key(RoutingTable routing, NodeEntry e) {
    return routing.bucketIndex(e.id()) * 2 + (e.address().isIpv6() ? 1 : 0);
  }

  /** A classic histogram with fixed bounds in seconds; observations in nanoseconds. */
  static final class Histogram {
    private final double[] bounds;
    private final long[] counts;
    private long count;
    private double sum;

    Histogram(double[] boundsSeconds) {
      this.bounds = boundsSeconds.clone();
      this.counts = new long[bounds.length + 1];
    }

    void observe(long nanos) {
      double s = nanos / 1e9;
      int i = 0;
      while (i < bounds.length && s > bounds[i]) {
        i++;
      }
      counts[i]++;
      count++;
      sum += s;
    }

    LatencyHistogram snapshot() {
      List<Double> b = new ArrayList<>(bounds.length);
      for (double d : bounds) {
        b.add(d);
      }
      List<Long> c = new ArrayList<>(counts.length);
      for (long n : counts) {
        c.add(n);
      }
      return new LatencyHistogram(b, c, count, sum);
    }
  }
}
