package dev.jdht.interop;

import static dev.jdht.interop.InteropProcess.command;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.testnet.LocalTestnet;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One libtorrent node and one bittorrent-dht node whose ONLY contact is our node fill their
 * routing tables through it. Our node (127.3.1.1, fixed id) sits in front of a {@link
 * LocalTestnet} of 50 of our nodes (127.0.40.1-50) that the probes do not know: every node they
 * end up with was learned from our replies (or from nodes they learned about from them).
 *
 * <p>"Filled" means: after bootstrapping, the probe knows the 8 nodes of the network closest to
 * its own id (the point of a bootstrap); then three lookups of far targets through that table
 * take its table to at least 24 nodes behind us. Both implementations' bootstraps are lookups of
 * their own id, so by themselves they only learn their neighbourhood (bittorrent-dht: one
 * find_node lookup, about 12 nodes here, and no refresh of far buckets for 15 minutes;
 * libtorrent: the neighbourhood plus whatever lt_node.py's one random follow-up lookup lands on,
 * 11 to 31 nodes in our runs), whatever their contact.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BootstrapFromUsIT {
  private static final int TESTNET = 50;
  private static final String OUR_IP = "127.3.1.1";
  private static final NodeId OUR_ID = NodeId.fromHex("c2b48e1f0a6d3c5e7f9a1b3d5c7e9f0a2b4c6d8e");
  private static final Duration CMD = Duration.ofSeconds(30);

  private static LocalTestnet testnet;
  private static Dht dht;
  private static String ours;
  private static Set<String> testnetAddrs;
  private static InteropProcess lt;
  private static InteropProcess bt;

  @BeforeAll
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  static void start() throws Exception {
    Interop.requireImplementations();
    testnet = LocalTestnet.start(TESTNET, 40, 0, 40, 60_000);
    testnetAddrs = new HashSet<>();
    testnet.addresses().forEach(a -> testnetAddrs.add(a.toString()));
    dht = Interop.ourNode(OUR_IP, OUR_ID).start();
    ours = Interop.addr(dht);
    List<String> contacts = new ArrayList<>();
    for (PeerAddress a : testnet.addresses().subList(0, 4)) {
      contacts.add(a.toString());
    }
    dht.addBootstrapNodes(contacts);
    dht.ready().get(60, TimeUnit.SECONDS);
    // our table must be worth bootstrapping from: a few more lookups to fill it
    for (int i = 0; i < 4; i++) {
      dht.findNode(OUR_ID.flipBit(i)).get(30, TimeUnit.SECONDS);
    }
    Path logs = Interop.logDir("BootstrapFromUsIT");
    Duration life = Duration.ofSeconds(300);
    lt = Interop.libtorrent("lt", logs, 1, "127.1.1.1", life, "--bootstrap", ours, "--watch", ours, "--seed", "21");
    bt = Interop.bittorrentDht("bt", logs, 1, "127.2.1.1", life, "--bootstrap", ours, "--watch", ours, "--seed", "22");
  }

  @AfterAll
  static void stop() {
    for (InteropProcess p : new InteropProcess[] {lt, bt}) {
      if (p != null) {
        p.close();
      }
    }
    if (dht != null) {
      dht.close();
    }
    if (testnet != null) {
      testnet.close();
    }
  }

  /** The probe's routing table: node id (hex) to "ip:port". */
  private static Map<String, String> table(InteropProcess p) throws Exception {
    JsonNode t = p.call(command("table").put("full", true).put("node", 0), CMD);
    Map<String, String> out = new HashMap<>();
    for (JsonNode e : t.path("nodes").get(0).path("entries")) {
      out.put(e.path("id").asText(), e.path("addr").asText());
    }
    return out;
  }

  /** The {@code n} node ids of the whole network closest to {@code target}, as hex. */
  private static List<String> closestInNetwork(NodeId target, int n) {
    List<NodeId> all = new ArrayList<>(testnet.ids());
    all.add(OUR_ID);
    all.sort(target::compareDistance);
    return all.subList(0, n).stream().map(NodeId::toHex).toList();
  }

  /**
   * Bootstrap: the probe's table holds the 8 nodes of the network closest to its own id (what a
   * bootstrap lookup is for) and at least 8 nodes behind us. Then three lookups of targets in the
   * far half, quarter and eighth of the id space (the buckets a bootstrap leaves empty) through
   * that table fill it to at least 24 nodes, all learned through us.
   */
  private static void assertFills(InteropProcess p, boolean libtorrent) throws Exception {
    NodeId self = NodeId.fromHex(p.ids().get(0));
    List<String> closest = closestInNetwork(self, 8);
    JsonNode w = p.call(command("wait_table").put("min", 8).put("timeout", 45), Duration.ofSeconds(60));
    assertTrue(w.path("reached").asBoolean(), p.name() + " whose only contact is our node did not reach 8 routing "
        + "table entries: " + w);
    Map<String, String> polled = table(p);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!polled.keySet().containsAll(closest) && System.nanoTime() < end) {
      Thread.sleep(500);
      polled = table(p);
    }
    Map<String, String> boot = polled;
    List<String> missed = closest.stream().filter(id -> !boot.containsKey(id)).toList();
    assertTrue(missed.isEmpty(), p.name() + " did not find the 8 nodes closest to itself: missed " + missed
        + ", table " + boot);
    Random r = new Random(self.hashCode());
    for (int bit = 0; bit < 3; bit++) {
      String target = self.flipBit(bit).withRandomSuffix(bit + 1, r).toHex();
      // libtorrent: one dht_get_peers(), given 3 s (it has no "done" signal without tracing);
      // bittorrent-dht: one lookup, until it is done
      ObjectNode c = command("get_peers").put("infohash", target).put("node", 0).put("timeout", libtorrent ? 3 : 20)
          .put("min_peers", 0).put("interval", 0).put("until_done", !libtorrent);
      p.call(c, Duration.ofSeconds(40));
    }
    Map<String, String> table = table(p);
    long behindUs = table.values().stream().filter(testnetAddrs::contains).count();
    System.out.println(p.name() + ": after bootstrap " + boot.size() + " entries, after 3 lookups " + table.size()
        + " (" + behindUs + " of them behind our node); stats "
        + p.call(command("stats"), CMD).path("nodes").get(0).path("counters"));
    assertTrue(boot.size() >= 8, p.name() + " bootstrapped to fewer than 8 nodes: " + boot);
    assertTrue(behindUs >= 24, p.name() + " knows fewer than 24 of the nodes behind our node: " + table);
  }

  @Test
  void libtorrentBootstrapsFromOurNodeAlone() throws Exception {
    assertFills(lt, true);
    Checks.Traffic t = Checks.assertLibtorrentAcceptedOurReplies(lt, ours);
    System.out.println("libtorrent saw: " + t.counters());
  }

  @Test
  void bittorrentDhtBootstrapsFromOurNodeAlone() throws Exception {
    assertFills(bt, false);
    Checks.Traffic t = Checks.assertBittorrentDhtAcceptedOurReplies(bt, ours);
    System.out.println("bittorrent-dht saw: " + t.counters());
    DhtStats s = dht.stats().get(10, TimeUnit.SECONDS);
    System.out.println("our node: " + s);
  }
}
