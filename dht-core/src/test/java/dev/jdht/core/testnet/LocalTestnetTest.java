package dev.jdht.core.testnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.api.Dht;
import dev.jdht.core.api.LookupReport;
import dev.jdht.core.node.AnnounceResult;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** 200 of our nodes on real loopback sockets (one thread), and a client that finds announced peers. */
@Timeout(90)
class LocalTestnetTest {
  @Test
  void aClientFindsEveryAnnouncedPeer() throws Exception {
    try (LocalTestnet net = LocalTestnet.start(200, 20, 0, 1, 30_000)) {
      NodeId ih = NodeId.random(new Random(3));
      Set<PeerAddress> announced = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        int idx = 10 + i * 37;
        AnnounceResult r = net.announce(idx, ih, 7000 + i).get(20, TimeUnit.SECONDS);
        assertTrue(r.error() == null && !r.acked().isEmpty(), "announce " + i + " acked: " + r);
        announced.add(PeerAddress.of(net.addresses().get(idx).inetAddress(), 7000 + i));
      }
      PeerAddress boot = net.addresses().get(0);
      try (Dht client =
          Dht.builder()
              .bind(new InetSocketAddress(InetAddress.getByName("127.0.19.1"), 0))
              .allowLocalAddresses(true)
              .bootstrap(List.of(boot.toString()))
              .readyTimeout(Duration.ofSeconds(20))
              .start()) {
        client.ready().get(20, TimeUnit.SECONDS);
        LookupReport rep = client.getPeers(ih, p -> {}).get(20, TimeUnit.SECONDS);
        assertEquals(announced, rep.peers());
        assertFalse(rep.closest().isEmpty());
      }
    }
  }
}
