package dev.jdht.interop;

import static dev.jdht.interop.InteropProcess.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.AnnounceReport;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.api.LookupReport;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A mixed loopback network of 50 libtorrent and 50 bittorrent-dht nodes, all bootstrapped from
 * our node and from each other, with our node (one fixed address and id) in it: lookups in both
 * directions, and what each side thought of the other's messages.
 *
 * <p>Address plan: libtorrent 127.1.0.1-50, bittorrent-dht 127.2.0.1-50, our node 127.3.0.1.
 * The tests share the network and run in order; the protocol checks run last, over all the
 * traffic of the earlier tests.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MixedNetworkIT {
  private static final int LT_NODES = 50;
  private static final int BT_NODES = 50;
  private static final String OUR_IP = "127.3.0.1";
  private static final NodeId OUR_ID = NodeId.fromHex("6a3f1c9e0b7d4a2f8e5c3b1a0d9f8e7c6b5a4932");
  private static final Duration LIFETIME = Duration.ofSeconds(420);
  private static final Duration CMD = Duration.ofSeconds(30);

  private static Dht dht;
  private static String ours;
  private static InteropProcess lt;
  private static InteropProcess bt;
  private static final Random random = new Random(20240606);

  @BeforeAll
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  static void startNetwork() throws Exception {
    Interop.requireImplementations();
    Path logs = Interop.logDir("MixedNetworkIT");
    dht = Interop.ourNode(OUR_IP, OUR_ID).start();
    ours = Interop.addr(dht);
    // both start with our node as their initial contact, and watch their traffic with it
    lt = Interop.libtorrent("lt", logs, LT_NODES, "127.1.0.1", LIFETIME,
        "--bootstrap", ours, "--watch", ours, "--seed", "11");
    bt = Interop.bittorrentDht("bt", logs, BT_NODES, "127.2.0.1", LIFETIME,
        "--bootstrap", ours, "--watch", ours, "--seed", "12");
    List<String> all = new ArrayList<>(lt.addresses());
    all.addAll(bt.addresses());
    // then 8 random contacts each among all 100 foreign nodes
    for (InteropProcess p : List.of(lt, bt)) {
      p.call(command("bootstrap").put("sample", 8).set("nodes", Interop.strings(all)), CMD);
    }
    // bittorrent-dht pings a contact added with add_node: makes sure our node answers pings too
    ObjectNode ping = command("add_node").put("addr", ours);
    ping.putArray("node").add(0).add(1).add(2).add(3);
    bt.call(ping, CMD);
    for (InteropProcess p : List.of(lt, bt)) {
      JsonNode w = p.call(command("wait_table").put("min", 8).put("timeout", 60), Duration.ofSeconds(90));
      assertTrue(w.path("reached").asBoolean(), p.name() + " routing tables did not reach 8 nodes: " + w);
    }
    List<String> contacts = new ArrayList<>(all);
    Collections.shuffle(contacts, random);
    dht.addBootstrapNodes(contacts.subList(0, 8));
    dht.ready().get(60, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopNetwork() {
    if (dht != null) {
      dht.close();
    }
    for (InteropProcess p : new InteropProcess[] {lt, bt}) {
      if (p != null) {
        p.close();
      }
    }
  }

  private static String hex(NodeId id) {
    return id.toHex();
  }

  private static ObjectNode cmdFor(String cmd, NodeId ih, int node) {
    return command(cmd).put("infohash", hex(ih)).put("node", node);
  }

  /** Peers seen stored anywhere in the foreign network for {@code ih}, as "ih peerIp" strings. */
  private static Set<String> storedAnnouncers() throws Exception {
    Set<String> out = new HashSet<>();
    for (InteropProcess p : List.of(lt, bt)) {
      for (JsonNode a : p.call(command("announces"), CMD).path("announces")) {
        String peer = a.path("peer").asText();
        out.add(a.path("infohash").asText() + " " + peer.substring(0, peer.lastIndexOf(':')));
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void ourGetPeersFindsEveryPeerAnnouncedByLibtorrentAndBittorrentDht() throws Exception {
    // infohash -> peers ("ip:port") expected for it
    Map<NodeId, Set<String>> expected = new LinkedHashMap<>();
    List<CompletableFuture<JsonNode>> btAnnounces = new ArrayList<>();
    List<ObjectNode> btCmds = new ArrayList<>();
    List<String> ltWaits = new ArrayList<>();
    // three infohashes announced by one libtorrent node each (libtorrent announces its listen port,
    // implied_port=1)
    for (int i = 0; i < 3; i++) {
      NodeId ih = NodeId.random(random);
      int node = 5 + i * 7;
      JsonNode r = lt.call(cmdFor("announce", ih, node), CMD);
      expected.computeIfAbsent(ih, k -> new HashSet<>()).add(r.path("announced_as").asText());
      ltWaits.add(hex(ih) + " " + lt.addresses().get(node).split(":")[0]);
    }
    // three announced by one bittorrent-dht node each: two with a port, one with implied_port
    for (int i = 0; i < 3; i++) {
      NodeId ih = NodeId.random(random);
      int node = 4 + i * 9;
      ObjectNode c = cmdFor("announce", ih, node);
      if (i < 2) {
        c.put("port", 7000 + i);
      }
      btCmds.add(c);
      btAnnounces.add(bt.send(c));
      expected.put(ih, new HashSet<>());
    }
    // one infohash next to our own id (so that both implementations announce it to us too),
    // announced by two libtorrent and two bittorrent-dht nodes
    NodeId shared = OUR_ID.withRandomSuffix(24, random);
    expected.put(shared, new HashSet<>());
    for (int node : new int[] {20, 40}) {
      JsonNode r = lt.call(cmdFor("announce", shared, node), CMD);
      expected.get(shared).add(r.path("announced_as").asText());
      ltWaits.add(hex(shared) + " " + lt.addresses().get(node).split(":")[0]);
      ObjectNode c = cmdFor("announce", shared, node).put("port", 7100 + node);
      btCmds.add(c);
      btAnnounces.add(bt.send(c));
    }
    List<NodeId> ihs = new ArrayList<>(expected.keySet());
    int k = 0;
    for (int i = 0; i < btAnnounces.size(); i++) {
      JsonNode r = bt.await(btAnnounces.get(i), btCmds.get(i), Duration.ofSeconds(60));
      assertTrue(r.path("acked").asInt() > 0, "bittorrent-dht announce was acknowledged by nobody: " + r);
      NodeId ih = NodeId.fromHex(r.path("infohash").asText());
      expected.get(ih).add(r.path("announced_as").asText());
    }
    // libtorrent announces in the background: wait until its announce_peer arrived somewhere
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Set<String> stored = storedAnnouncers();
    while (!stored.containsAll(ltWaits) && System.nanoTime() < end) {
      Thread.sleep(500);
      stored = storedAnnouncers();
    }
    assertTrue(stored.containsAll(ltWaits), "libtorrent announces never arrived: want " + ltWaits + ", saw " + stored);
    Thread.sleep(1500); // the rest of each libtorrent announce round (8 targets) lands
    // now our lookups, one after the other
    List<String> missing = new ArrayList<>();
    StringBuilder log = new StringBuilder();
    for (NodeId ih : ihs) {
      Set<String> found = Collections.synchronizedSet(new HashSet<>());
      LookupReport rep = dht.getPeers(ih, p -> found.add(p.toString())).get(30, TimeUnit.SECONDS);
      Set<String> inReport = new HashSet<>();
      rep.peers().forEach(p -> inReport.add(p.toString()));
      assertEquals(inReport, found, "the streamed peers and the report's peers differ");
      log.append(String.format("  %s: %d queries, %d responses, %d timeouts, first peer %s, done %s ms, peers %s%n",
          ih.toHex().substring(0, 8), rep.queriesSent(), rep.responses(), rep.timeouts(),
          rep.timeToFirstPeer() == null ? "-" : rep.timeToFirstPeer().toMillis() + " ms",
          rep.timeToDone().toMillis(), inReport));
      for (String want : expected.get(ih)) {
        if (!inReport.contains(want)) {
          missing.add(ih.toHex() + " -> " + want);
        }
      }
    }
    System.out.println("our get_peers lookups:\n" + log);
    assertTrue(missing.isEmpty(), "our getPeers missed announced peers: " + missing + "\n" + log);
  }

  @Test
  @Order(2)
  void libtorrentAndBittorrentDhtFindPeersAnnouncedByUs() throws Exception {
    // an infohash next to one libtorrent node and one next to a bittorrent-dht node, so that
    // each implementation is certainly among the nodes that store our announce
    NodeId nearLt = NodeId.fromHex(lt.ids().get(17)).withRandomSuffix(24, random);
    NodeId nearBt = NodeId.fromHex(bt.ids().get(23)).withRandomSuffix(24, random);
    int udpPort = dht.localAddress().getPort();
    AnnounceReport a1 = dht.announce(nearLt, 6999).get(30, TimeUnit.SECONDS);
    AnnounceReport a2 = dht.announce(nearBt, 6998, true).get(30, TimeUnit.SECONDS);
    for (AnnounceReport a : List.of(a1, a2)) {
      assertFalse(a.acknowledged().isEmpty(), "nobody acknowledged our announce: " + a);
      assertEquals(0, a.failed(), "some announce_peer queries failed: " + a);
    }
    assertTrue(addresses(a1.acknowledged()).contains(lt.addresses().get(17)),
        "libtorrent node 17 did not acknowledge our announce: " + a1.acknowledged());
    assertTrue(addresses(a2.acknowledged()).contains(bt.addresses().get(23)),
        "bittorrent-dht node 23 did not acknowledge our announce: " + a2.acknowledged());
    // both stored what we announced (port 6999; implied_port: our UDP port)
    assertTrue(storedAnnouncers().contains(hex(nearLt) + " " + OUR_IP));
    boolean btStored = false;
    for (JsonNode a : bt.call(command("announces").put("node", 23), CMD).path("announces")) {
      if (a.path("infohash").asText().equals(hex(nearBt))) {
        assertEquals(OUR_IP + ":" + udpPort, a.path("stored").asText(), "implied_port not honoured: " + a);
        btStored = true;
      }
    }
    assertTrue(btStored, "bittorrent-dht node 23 did not store our announce");

    Map<NodeId, String> want = Map.of(nearLt, OUR_IP + ":6999", nearBt, OUR_IP + ":" + udpPort);
    for (Map.Entry<NodeId, String> e : want.entrySet()) {
      Set<String> storers = addresses(e.getKey() == nearLt ? a1.acknowledged() : a2.acknowledged());
      // search from nodes that do not store it themselves: the peer must come over the network
      int ltNode = firstNotIn(lt.addresses(), storers);
      int btNode = firstNotIn(bt.addresses(), storers);
      CompletableFuture<JsonNode> fl = lt.send(cmdFor("get_peers", e.getKey(), ltNode).put("timeout", 30));
      CompletableFuture<JsonNode> fb = bt.send(cmdFor("get_peers", e.getKey(), btNode).put("timeout", 30));
      JsonNode rl = lt.await(fl, command("get_peers"), Duration.ofSeconds(45));
      JsonNode rb = bt.await(fb, command("get_peers"), Duration.ofSeconds(45));
      assertTrue(Interop.strings(rl.path("peers")).contains(e.getValue()),
          "libtorrent node " + ltNode + " did not find our peer " + e.getValue() + ": " + rl);
      assertTrue(Interop.strings(rb.path("peers")).contains(e.getValue()),
          "bittorrent-dht node " + btNode + " did not find our peer " + e.getValue() + ": " + rb);
      assertFalse("local".equals(rb.path("from").path(e.getValue()).asText()), "came from its own store: " + rb);
    }
  }

  @Test
  @Order(3)
  void ourGetPeersCollectsAHundredPeersOfOneInfohash() throws Exception {
    // every foreign node announces the same infohash, next to our id: the storing nodes (ours
    // included) hold 100 peers and answer with big "values" lists, which must still fit in a
    // datagram libtorrent accepts, and which we must read completely
    NodeId ih = OUR_ID.withRandomSuffix(20, random);
    Set<String> want = new HashSet<>();
    List<CompletableFuture<JsonNode>> acks = new ArrayList<>();
    List<String> ltWaits = new ArrayList<>();
    // spread over a few seconds: 100 simultaneous announces (bittorrent-dht announces to every
    // node that gave it a token) overflow the socket buffers of the 50 libtorrent sessions
    for (int i = 0; i < LT_NODES; i++) {
      want.add(lt.call(cmdFor("announce", ih, i), CMD).path("announced_as").asText());
      ltWaits.add(hex(ih) + " " + lt.addresses().get(i).split(":")[0]);
      Thread.sleep(40);
    }
    for (int i = 0; i < BT_NODES; i++) {
      acks.add(bt.send(cmdFor("announce", ih, i)));
      if (acks.size() == 10 || i == BT_NODES - 1) {
        for (CompletableFuture<JsonNode> f : acks) {
          want.add(bt.await(f, command("announce"), Duration.ofSeconds(60)).path("announced_as").asText());
        }
        acks.clear();
      }
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Set<String> stored = storedAnnouncers();
    while (!stored.containsAll(ltWaits) && System.nanoTime() < end) {
      Thread.sleep(500);
      stored = storedAnnouncers();
    }
    Thread.sleep(1500);
    assertEquals(LT_NODES + BT_NODES, want.size());
    Set<String> found = new HashSet<>();
    LookupReport rep = dht.getPeers(ih, p -> {}).get(30, TimeUnit.SECONDS);
    rep.peers().forEach(p -> found.add(p.toString()));
    Set<String> missing = new HashSet<>(want);
    missing.removeAll(found);
    System.out.printf("100 announcers: we found %d peers with %d queries in %d ms; our store holds %d peers%n",
        found.size(), rep.queriesSent(), rep.timeToDone().toMillis(), dht.stats().get().storedPeers());
    assertTrue(missing.isEmpty(), "our getPeers missed " + missing.size() + " of 100 peers: " + missing);
    // and libtorrent and bittorrent-dht read our big replies (checked in the last test)
    JsonNode rl = lt.call(cmdFor("get_peers", ih, 3).put("timeout", 20).put("min_peers", 100), Duration.ofSeconds(40));
    JsonNode rb = bt.call(cmdFor("get_peers", ih, 3).put("timeout", 20).put("min_peers", 100), Duration.ofSeconds(40));
    System.out.printf("libtorrent found %d, bittorrent-dht found %d%n", rl.path("peers").size(), rb.path("peers").size());
  }

  private static Set<String> addresses(List<NodeInfo> nodes) {
    Set<String> s = new HashSet<>();
    for (NodeInfo n : nodes) {
      s.add(n.address().toString());
    }
    return s;
  }

  private static int firstNotIn(List<String> addrs, Set<String> exclude) {
    for (int i = 0; i < addrs.size(); i++) {
      if (!exclude.contains(addrs.get(i))) {
        return i;
      }
    }
    throw new AssertionError("every node stores it");
  }

  @Test
  @Order(10)
  void theyAcceptOurRepliesAndWeAcceptTheirs() throws Exception {
    System.out.println("our node before the checks: " + dht.stats().get(10, TimeUnit.SECONDS));
    Checks.Traffic ltT = Checks.assertLibtorrentAcceptedOurReplies(lt, ours);
    Checks.Traffic btT = Checks.assertBittorrentDhtAcceptedOurReplies(bt, ours);
    DhtStats s = dht.stats().get(10, TimeUnit.SECONDS);
    System.out.println("libtorrent saw: " + ltT.counters());
    System.out.println("bittorrent-dht saw: " + btT.counters());
    System.out.println("our node: " + s);
    // each query type reached our server (and was answered, above)
    assertTrue(ltT.get("out_q_get_peers") > 0 && ltT.get("out_q_announce_peer") > 0, ltT.counters().toString());
    for (String q : List.of("ping", "find_node", "get_peers", "announce_peer")) {
      assertTrue(btT.get("out_q_" + q) > 0, "bittorrent-dht sent us no " + q + ": " + btT.counters());
      assertTrue(s.queriesIn().getOrDefault(q, 0L) > 0, "we received no " + q + ": " + s);
    }
    // every query they sent reached us (and was answered: assertWeAcceptedTheirMessages); their
    // background refreshes may query us while we read the counters, so read until it is quiet
    long theirs;
    long before;
    long after;
    int reads = 0;
    do {
      if (reads++ > 0) {
        Thread.sleep(200);
      }
      before = dht.stats().get(10, TimeUnit.SECONDS).totalQueriesIn();
      theirs = Checks.traffic(lt, ours).theirQueries() + Checks.traffic(bt, ours).theirQueries();
      after = dht.stats().get(10, TimeUnit.SECONDS).totalQueriesIn();
    } while (!(before == after && theirs == after) && reads < 20);
    assertEquals(theirs, after, "queries they sent us vs queries we received");
    // our queries reached them and were answered
    assertTrue(ltT.ourQueries() > 0 && btT.ourQueries() > 0);
    Checks.assertWeAcceptedTheirMessages(s);
    // their own complaints: libtorrent's error alerts, bittorrent-dht's k-rpc warnings
    JsonNode ltErr = lt.call(command("errors"), CMD).path("errors");
    assertEquals(0, ltErr.size(), "libtorrent error alerts: " + ltErr);
    List<JsonNode> btErr = new ArrayList<>();
    for (JsonNode w : bt.call(command("errors"), CMD).path("errors")) {
      btErr.add(w);
    }
    System.out.println("bittorrent-dht warnings: " + btErr);
    assertTrue(btErr.stream().noneMatch(w -> ours.equals(w.path("from").asText())),
        "bittorrent-dht warnings about datagrams from our node: " + btErr);
    // libtorrent's own counters of invalid queries (ours would be among them)
    long invalid = 0;
    for (JsonNode n : lt.call(command("stats"), CMD).path("nodes")) {
      for (String c : List.of("dht_invalid_announce", "dht_invalid_get_peers", "dht_invalid_find_node",
          "dht_invalid_put", "dht_invalid_get", "dht_messages_in_dropped")) {
        invalid += n.path("counters").path(c).asLong(0);
      }
    }
    assertEquals(0, invalid, "libtorrent counted invalid or dropped DHT messages");
  }
}
