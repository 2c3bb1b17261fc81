package dev.jdht.core.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * One k-bucket: up to k live entries and a bounded replacement cache (oldest first). Owned by a
 * {@link RoutingTable}; single-threaded.
 */
final class Bucket {
  final List<NodeEntry> live = new ArrayList<>();
  /** Replacement candidates, oldest first. */
  final List<NodeEntry> replacements = new ArrayList<>();
  /** BEP 5 "last changed": a node added, replaced, or answering. */
  long lastChanged;
  /** Last time a refresh target was handed out for this bucket. */
  long lastRefreshRequest;
  boolean refreshRequested;
  /** Queued for promotion of replacements into free slots. */
  boolean dirty;

  Bucket(long now) {
    this.lastChanged = now;
  }

  /** True if a refresh is due: unchanged, and not refreshed, for {@code interval}. */
  boolean refreshDue(long now, long interval) {
    long last = lastChanged;
    if (refreshRequested && lastRefreshRequest - last > 0) {
      last = lastRefreshRequest;
    }
    return now - last >= interval;
  }

  /** The bad live entry with the most failures (oldest on ties), or null. */
  NodeEntry worstBad() {
    NodeEntry worst = null;
    for (NodeEntry e : live) {
      if (e.isBad() && (worst == null || e.failures() > worst.failures())) {
        worst = e;
      }
    }
    return worst;
  }

  /**
   * The replacement to promote: the newest one that has answered us, else the newest one; with
   * {@code preferMatching} (BEP 42) a replacement whose id matches its address goes before any that
   * does not, the same rule deciding among each. Null if the cache is empty.
   */
  NodeEntry bestReplacement(boolean preferMatching) {
    NodeEntry best = null;
    for (int i = replacements.size() - 1; i >= 0; i--) {
      NodeEntry r = replacements.get(i);
      if (best == null || rank(r, preferMatching) > rank(best, preferMatching)) {
        best = r;
      }
    }
    return best;
  }

  private static int rank(NodeEntry e, boolean preferMatching) {
    return (preferMatching && !e.idMismatch() ? 2 : 0) + (e.hasResponded() ? 1 : 0);
  }
}
