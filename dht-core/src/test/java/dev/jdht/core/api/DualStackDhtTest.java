package dev.jdht.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.node.PingResult;
import dev.jdht.core.node.SavedState;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** BEP 32 over real UDP: nodes with one socket on 127.0.77.x and one on [::1]. */
@Timeout(60)
class DualStackDhtTest {
  private final List<Dht> nodes = new ArrayList<>();
  private final Random random = new Random(32);

  @TempDir Path tmp;

  private Dht start(int i, List<String> bootstrap, Path state) throws Exception {
    Dht d = Dht.builder()
        .bind(List.of(new InetSocketAddress("127.0.77." + (i + 1), 0), new InetSocketAddress("::1", 0)))
        .allowLocalAddresses(true)
        .readyTimeout(Duration.ofSeconds(10))
        .queryTimeout(Duration.ofMillis(500))
        .readyMinGoodNodes(2)
        .stateFile(state)
        .bootstrap(bootstrap)
        .start();
    nodes.add(d);
    return d;
  }

  private static List<String> contacts(Dht d) {
    return d.localAddresses().stream().map(a -> PeerAddress.of(a).toString()).toList();
  }

  @AfterEach
  void closeAll() {
    nodes.forEach(Dht::close);
  }

  @Test
  void bothFamiliesLookUpAndMergePeers() throws Exception {
    Dht first = start(0, List.of(), null);
    assertTrue(first.servesIpv4() && first.servesIpv6());
    List<Dht> rest = new ArrayList<>();
    for (int i = 1; i < 8; i++) {
      rest.add(start(i, contacts(first), null));
    }
    for (Dht d : rest) {
      d.ready().get(10, TimeUnit.SECONDS);
    }
    PingResult pong6 = rest.get(0).ping(first.localAddresses().get(1)).get(5, TimeUnit.SECONDS);
    assertTrue(pong6.ok(), pong6.error());
    assertEquals(first.nodeId(), pong6.id());

    NodeId ih = NodeId.random(random);
    AnnounceReport ar = rest.get(2).announce(ih, 4321).get(10, TimeUnit.SECONDS);
    assertEquals(Set.of("IPv4", "IPv6"), ar.lookup().byFamily().keySet());
    assertTrue(ar.acknowledged().stream().anyMatch(n -> n.address().isIpv6()), "acked over IPv6");
    assertTrue(ar.acknowledged().stream().anyMatch(n -> !n.address().isIpv6()), "acked over IPv4");

    Set<PeerAddress> streamed = ConcurrentHashMap.newKeySet();
    List<PeerAddress> streamedList = java.util.Collections.synchronizedList(new ArrayList<>());
    LookupReport gp = rest.get(6).getPeers(ih, p -> {
      streamed.add(p);
      streamedList.add(p);
    }).get(10, TimeUnit.SECONDS);
    // the announcer is stored as 127.0.77.4:4321 by v4 nodes and [::1]:4321 by v6 nodes
    assertTrue(gp.peers().contains(PeerAddress.parse("127.0.77.4:4321")), "found " + gp.peers());
    assertTrue(gp.peers().contains(PeerAddress.parse("[::1]:4321")), "found " + gp.peers());
    assertEquals(gp.peers(), streamed);
    assertEquals(streamed.size(), streamedList.size(), "each peer streamed once across both families");
    LookupReport v4 = gp.byFamily().get("IPv4");
    LookupReport v6 = gp.byFamily().get("IPv6");
    assertTrue(v4.responses() > 0 && v6.responses() > 0, "both families answered");
    assertEquals(v4.queriesSent() + v6.queriesSent(), gp.queriesSent());
    assertTrue(v6.closest().stream().allMatch(c -> c.node().address().isIpv6()));
    assertTrue(v4.closest().stream().noneMatch(c -> c.node().address().isIpv6()));

    DhtStats s = first.stats().get(5, TimeUnit.SECONDS);
    assertEquals(0, s.handlerFailures());
    assertEquals(0, s.droppedWrongFamily());
    List<NodeInfo> table = first.routingTableNodes().get(5, TimeUnit.SECONDS);
    assertTrue(table.stream().anyMatch(n -> n.address().isIpv6()));
    assertTrue(table.stream().anyMatch(n -> !n.address().isIpv6()));
  }

  @Test
  void aV6NodeLearnsV6ContactsThroughIpv4WithWant() throws Exception {
    Dht first = start(0, List.of(), null);
    List<Dht> rest = new ArrayList<>();
    for (int i = 1; i < 4; i++) {
      rest.add(start(i, contacts(first), null));
    }
    for (Dht d : rest) {
      d.ready().get(10, TimeUnit.SECONDS);
    }
    // this one is told only the IPv4 address: its v4 queries carry want=[n4,n6], and the nodes6
    // in replies fill its IPv6 table
    Dht late = start(5, List.of(contacts(first).get(0)), null);
    late.ready().get(10, TimeUnit.SECONDS);
    boolean learned = false;
    for (int i = 0; i < 100 && !learned; i++) {
      learned = late.routingTableNodes().get(5, TimeUnit.SECONDS).stream().anyMatch(n -> n.address().isIpv6());
      Thread.sleep(50);
    }
    assertTrue(learned, "the IPv6 table learned contacts from nodes6");
  }

  @Test
  void stateFileHoldsBothTablesAndAnOldFileStillLoads() throws Exception {
    Dht first = start(0, List.of(), null);
    Path state = tmp.resolve("dht.state");
    Dht second = start(1, contacts(first), state);
    second.ready().get(10, TimeUnit.SECONDS);
    second.findNode(NodeId.random(random)).get(10, TimeUnit.SECONDS);
    second.close();
    SavedState saved = SavedState.decode(Files.readAllBytes(state));
    assertTrue(saved.nodes().stream().anyMatch(n -> n.address().isIpv6()), "nodes6 saved");
    assertTrue(saved.nodes().stream().anyMatch(n -> !n.address().isIpv6()), "nodes saved");

    // an old single-stack file: only "nodes"; a restart from it needs no bootstrap
    Path old = tmp.resolve("old.state");
    List<NodeInfo> v4only = saved.nodes().stream().filter(n -> !n.address().isIpv6()).toList();
    Files.write(old, new SavedState(saved.id(), v4only).encode());
    Dht again = start(2, List.of(), old);
    assertEquals(saved.id(), again.nodeId());
    again.ready().get(10, TimeUnit.SECONDS);
  }
}
