package dev.jdht.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.core.api.DhtStats;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Assertions on what the foreign implementations saw of our node, read from the scripts' {@code
 * watch_report} (see interop/README.md, "Watching a peer"), and on our own counters.
 *
 * <p>Threading: stateless static methods; call them from the test thread.
 */
final class Checks {
  private Checks() {}

  /** What one process recorded about the traffic with our node. */
  record Traffic(Map<String, Long> counters) {
    long get(String key) {
      return counters.getOrDefault(key, 0L);
    }

    /** Queries that the foreign nodes sent to us, all methods. */
    long theirQueries() {
      return sum("out_q_");
    }

    /** Queries that we sent to the foreign nodes, all methods. */
    long ourQueries() {
      return sum("in_q_");
    }

    long sum(String prefix) {
      return counters.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }
  }

  /** The watch report of {@code p} for {@code ourAddr}. */
  static Traffic traffic(InteropProcess p, String ourAddr) throws IOException, InterruptedException {
    JsonNode r = p.call(InteropProcess.command("watch_report").put("addr", ourAddr), Duration.ofSeconds(20));
    Map<String, Long> m = new TreeMap<>();
    JsonNode c = r.path("report").path(ourAddr);
    for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue().asLong());
    }
    return new Traffic(m);
  }

  /**
   * Waits (up to 10 s) until every query the process sent us has a reply from us, then returns the
   * report: replies still on the wire when the report is taken would otherwise look like losses.
   */
  static Traffic settledTraffic(InteropProcess p, String ourAddr) throws IOException, InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    Traffic t = traffic(p, ourAddr);
    while (t.get("in_r") + t.get("in_e") < t.theirQueries() && System.nanoTime() < end) {
      Thread.sleep(250);
      t = traffic(p, ourAddr);
    }
    return t;
  }

  /**
   * The queries the process sent us that got no reply, from its packet record ({@code events}):
   * "t=<time> node=<i> q=<method> tid=<hex>". For failure messages.
   */
  static List<String> unanswered(InteropProcess p, String ourAddr) throws IOException, InterruptedException {
    JsonNode evs = p.call(InteropProcess.command("events").put("addr", ourAddr).put("kind", "pkt").put("limit", -1),
        Duration.ofSeconds(20)).path("events");
    Map<String, JsonNode> open = new LinkedHashMap<>();
    for (JsonNode e : evs) {
      String key = e.path("node").asText() + "/" + e.path("tid").asText();
      String y = e.path("y").asText();
      if (e.path("dir").asText().equals("out") && y.equals("q")) {
        open.put(key, e);
      } else if (e.path("dir").asText().equals("in") && (y.equals("r") || y.equals("e"))) {
        open.remove(key);
      }
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : open.values()) {
      out.add("t=" + e.path("t").asText() + " node=" + e.path("node").asText() + " q=" + e.path("q").asText()
          + " tid=" + e.path("tid").asText());
    }
    return out;
  }

  /**
   * Every query the process sent us got a reply that reached it, except replies its own kernel
   * dropped because the process did not read its sockets fast enough (a 2-core machine running 50
   * libtorrent sessions in one Python process gets there during announce storms: "drops" of
   * /proc/net/udp). Our own socket must have dropped nothing.
   */
  private static void assertLostOnlyInTheirKernel(InteropProcess p, String ourAddr, Traffic t, String ctx)
      throws IOException, InterruptedException {
    long lost = t.theirQueries() - t.get("in_r") - t.get("in_e");
    long theirDrops = Interop.udpDrops(p.addresses());
    long ourDrops = Interop.udpDrops(List.of(ourAddr));
    if (lost > 0 || theirDrops > 0) {
      System.out.println(p.name() + ": " + lost + " replies of ours did not arrive; the kernel dropped " + theirDrops
          + " datagrams at its sockets (full receive buffers); unanswered: " + unanswered(p, ourAddr));
    }
    assertEquals(0, ourDrops, "the kernel dropped datagrams at our socket: our loop did not keep up; " + ctx);
    assertTrue(lost <= theirDrops, lost + " replies to " + p.name() + " were lost, but its sockets dropped only "
        + theirDrops + " datagrams; unanswered: " + unanswered(p, ourAddr) + "; " + ctx);
  }

  /**
   * libtorrent's view of our server: every query it sent us was answered with a reply (no
   * error), libtorrent accepted every reply that reached it (matched it to its transaction: right
   * transaction id and IP, an "r" dictionary with a 20-byte id), and replies that did not reach it
   * (and the timeouts they caused) are accounted for by its kernel's drops.
   */
  static Traffic assertLibtorrentAcceptedOurReplies(InteropProcess lt, String ourAddr)
      throws IOException, InterruptedException {
    Traffic t = settledTraffic(lt, ourAddr);
    String ctx = "libtorrent's traffic with our node " + ourAddr + ": " + t.counters();
    assertTrue(t.theirQueries() > 0, "libtorrent never queried our node; " + ctx);
    assertEquals(0, t.get("in_e"), "we answered libtorrent with KRPC errors; " + ctx);
    assertEquals(t.get("in_r"), t.get("rpc_reply_accepted"), "libtorrent rejected some of our replies; " + ctx);
    assertLostOnlyInTheirKernel(lt, ourAddr, t, ctx);
    assertTrue(t.get("rpc_timeout") <= t.theirQueries() - t.get("in_r"),
        "libtorrent timed out queries to us that we answered; " + ctx);
    assertEquals(0, t.get("rpc_reply_error") + t.get("rpc_reply_malformed_error"), ctx);
    assertEquals(0, t.get("rpc_unknown_tid"), ctx);
    return t;
  }

  /**
   * bittorrent-dht's view of our server: every query it sent us was answered with a reply (lost
   * ones accounted for by its kernel's drops), and no datagram of ours made k-rpc warn (bad
   * bencode, unexpected transaction id, reply from another address).
   */
  static Traffic assertBittorrentDhtAcceptedOurReplies(InteropProcess bt, String ourAddr)
      throws IOException, InterruptedException {
    Traffic t = settledTraffic(bt, ourAddr);
    String ctx = "bittorrent-dht's traffic with our node " + ourAddr + ": " + t.counters();
    assertTrue(t.theirQueries() > 0, "bittorrent-dht never queried our node; " + ctx);
    assertEquals(0, t.get("in_e"), "we answered bittorrent-dht with KRPC errors; " + ctx);
    assertLostOnlyInTheirKernel(bt, ourAddr, t, ctx);
    assertTrue(t.get("timeout") <= t.theirQueries() - t.get("in_r"),
        "bittorrent-dht timed out queries to us that we answered; " + ctx);
    assertEquals(0, t.get("warning"), "bittorrent-dht warned about datagrams from us; " + ctx);
    return t;
  }

  /**
   * Our node accepted everything they sent: nothing dropped as malformed, no handler failure,
   * no KRPC error in answer to our queries, at least one datagram out per query received, and
   * no reply we could not match other than the explained ones: a late reply to a query that had
   * timed out, or the second reply to a query we retransmitted (DhtNode sends an unanswered query
   * once more at the soft timeout, with the same transaction id, and both copies get answered).
   */
  static void assertWeAcceptedTheirMessages(DhtStats s) {
    String ctx = "our node's counters: " + s;
    // every datagram we send is a reply (or error) to a query, one of our queries, or a retransmission
    long retransmits = s.datagramsOut() - s.totalQueriesIn() - s.totalQueriesOut();
    System.out.println("our node: " + retransmits + " retransmissions, " + s.droppedUnknownTransaction()
        + " unmatched replies, " + s.timeouts() + " timeouts");
    assertTrue(retransmits >= 0, "fewer datagrams out than queries received plus sent; " + ctx);
    assertEquals(0, s.sendFailures(), "sends failed; " + ctx);
    assertEquals(0, s.droppedMalformed(), "we dropped datagrams as malformed; " + ctx);
    assertEquals(0, s.handlerFailures(), "exceptions while handling their datagrams; " + ctx);
    assertEquals(0, s.errorsIn(), "they answered our queries with KRPC errors; " + ctx);
    assertTrue(s.droppedUnknownTransaction() <= s.timeouts() + retransmits,
        "replies we could not match to a query, beyond late and duplicate ones; " + ctx);
    assertEquals(0, s.queriesIn().getOrDefault("other", 0L), "queries with methods we do not know; " + ctx);
    assertTrue(s.responsesIn() > 0, ctx);
  }
}
