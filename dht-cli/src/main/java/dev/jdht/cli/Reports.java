package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.LookupReport;
import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How lookup reports, nodes and client versions print, as text and as JSON. Stateless and
 * thread-safe.
 */
public final class Reports {
  private Reports() {}

  /**
   * The report as a JSON object: {@code queries}, {@code responses}, {@code timeouts}, {@code
   * first_peer_ms} (null when none), {@code done_ms}, {@code distinct_peers}, {@code timed_out}; on a
   * dual-stack node also {@code by_family}: {@code {"IPv4": {...}, "IPv6": {...}}}, the same keys for
   * each family's lookup.
   */
  public static ObjectNode json(LookupReport r, boolean timedOut) {
    ObjectNode o = Json.object();
    o.put("queries", r.queriesSent());
    o.put("responses", r.responses());
    o.put("timeouts", r.timeouts());
    Double first = Durations.millis(r.timeToFirstPeer());
    if (first == null) {
      o.putNull("first_peer_ms");
    } else {
      o.put("first_peer_ms", first);
    }
    o.put("done_ms", Durations.millis(r.timeToDone()));
    o.put("distinct_peers", r.distinctPeers());
    o.put("timed_out", timedOut);
    if (!r.byFamily().isEmpty()) {
      ObjectNode families = o.putObject("by_family");
      new java.util.TreeMap<>(r.byFamily()).forEach((family, fr) -> families.set(family, json(fr, fr.timedOut())));
    }
    return o;
  }

  /** One line: {@code 7 peers; 42 queries, 35 responses, 7 timeouts; first peer 312 ms; done 1.42 s}. */
  public static String summary(LookupReport r, boolean timedOut) {
    StringBuilder sb = new StringBuilder();
    sb.append(count(r.distinctPeers(), "peer", "peers"));
    sb.append("; ").append(count(r.queriesSent(), "query", "queries")).append(", ")
        .append(count(r.responses(), "response", "responses")).append(", ")
        .append(count(r.timeouts(), "timeout", "timeouts"));
    if (r.timeToFirstPeer() != null) {
      sb.append("; first peer ").append(Durations.format(r.timeToFirstPeer()));
    }
    sb.append(timedOut ? "; timed out after " : "; done in ").append(Durations.format(r.timeToDone()));
    return sb.toString();
  }

  /** {@code n} and the singular or plural noun: {@code 1 query}, {@code 3 queries}. */
  public static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  /** A node as {@code {"id": hex, "ip": ..., "port": ...}}. */
  public static ObjectNode node(NodeInfo n) {
    ObjectNode o = Json.object();
    o.put("id", n.id().toHex());
    o.put("ip", n.address().hostString());
    o.put("port", n.address().port());
    return o;
  }

  /** Nodes as a JSON array of {@link #node} objects. */
  public static ArrayNode nodes(Collection<NodeInfo> nodes) {
    ArrayNode a = Json.array();
    nodes.forEach(n -> a.add(node(n)));
    return a;
  }

  /** A closest node with its rtt and how many leading bits its id shares with the target. */
  public static ObjectNode closest(ClosestNode c, NodeId target) {
    ObjectNode o = node(c.node());
    o.put("rtt_ms", Durations.millis(c.rttNanos() < 0 ? null : Duration.ofNanos(c.rttNanos())));
    o.put("common_prefix_bits", c.node().id().commonPrefixLength(target));
    return o;
  }

  /**
   * A client version "v": two letters and two version bytes by convention ({@code LT 1.2}, {@code
   * JD 0.1}), with a known client's name when there is one; hex for anything else; null stays null.
   */
  public static String clientVersion(byte[] v) {
    if (v == null) {
      return null;
    }
    String hex = HexFormat.of().formatHex(v);
    if (v.length == 4 && Character.isLetter(v[0]) && Character.isLetter(v[1]) && v[0] < 128 && v[1] < 128) {
      String code = "" + (char) v[0] + (char) v[1];
      String name = switch (code) {
        case "JD" -> "jdht";
        case "LT" -> "libtorrent";
        case "UT" -> "uTorrent";
        default -> null;
      };
      String text = String.format(Locale.ROOT, "%s %d.%d", code, v[2] & 0xff, v[3] & 0xff);
      return name == null ? text : text + " (" + name + ")";
    }
    return hex;
  }
}
