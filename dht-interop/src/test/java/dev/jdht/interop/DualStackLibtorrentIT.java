package dev.jdht.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jdht.core.api.AnnounceReport;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.LookupReport;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BEP 32 with libtorrent over [::1]: a libtorrent node whose only contact is our node's IPv6
 * address announces and looks up through our small dual-stack network, both ways: we find the
 * peer libtorrent announced over IPv6, and libtorrent finds the peer we announced over IPv6.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DualStackLibtorrentIT {
  private final List<Dht> ours = new ArrayList<>();
  private final Random random = new Random(3232);

  private Dht start(int i, List<String> bootstrap) throws IOException {
    Dht d = Interop.ourNode("127.3.32." + (i + 1), NodeId.random(random))
        .bind(List.of(new InetSocketAddress("127.3.32." + (i + 1), 0), new InetSocketAddress("::1", 0)))
        .bootstrap(bootstrap)
        .readyMinGoodNodes(1)
        .start();
    ours.add(d);
    return d;
  }

  @AfterEach
  void close() {
    ours.forEach(Dht::close);
  }

  @Test
  void ipv6LookupsBothWays() throws Exception {
    Interop.requireLibtorrent();
    Dht a = start(0, List.of());
    List<String> contactsOfA = a.localAddresses().stream().map(x -> PeerAddress.of(x).toString()).toList();
    Dht b = start(1, contactsOfA);
    Dht c = start(2, contactsOfA);
    b.ready().get(30, TimeUnit.SECONDS);
    c.ready().get(30, TimeUnit.SECONDS);
    String a6 = PeerAddress.of(a.localAddresses().get(1)).toString();
    assertTrue(a6.startsWith("[::1]:"), a6);

    NodeId theirs = NodeId.random(random);
    NodeId mine = NodeId.random(random);
    AnnounceReport announced = b.announce(mine, 5151).get(30, TimeUnit.SECONDS);
    assertTrue(announced.acknowledged().stream().anyMatch(n -> n.address().isIpv6()));

    Path logs = Interop.logDir("DualStackLibtorrentIT");
    Files.createDirectories(logs);
    Path err = logs.resolve("lt_v6_probe.stderr");
    Process p = new ProcessBuilder(Interop.PYTHON, Interop.interopDir().resolve("lt_v6_probe.py").toString(),
        "--ip", "127.3.32.9", "--contact", a6, "--announce", theirs.toHex(), "--lookup", mine.toHex(),
        "--timeout", "25")
        .redirectError(err.toFile())
        .start();
    // while libtorrent runs, look up its infohash over our network, again until found over IPv6
    LookupReport found = null;
    for (int i = 0; i < 25 && p.isAlive(); i++) {
      Thread.sleep(1000);
      found = c.getPeers(theirs, x -> {}).get(30, TimeUnit.SECONDS);
      if (found.byFamily().get("IPv6").peers().stream().anyMatch(PeerAddress::isIpv6)) {
        break;
      }
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe exits");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.exitValue(), out + "\n" + Files.readString(err));
    JsonNode r = new ObjectMapper().readTree(out);

    // libtorrent -> us: its get_peers over IPv6 found the peer we announced (stored as [::1]:5151)
    List<String> ltPeers = new ArrayList<>();
    r.get("peers").forEach(x -> ltPeers.add(x.asText()));
    assertTrue(ltPeers.contains("[::1]:5151"), "libtorrent found " + ltPeers);

    // us -> libtorrent: our IPv6 lookup found libtorrent's announce over IPv6
    int ltPort = r.get("port6").asInt(); // announced with implied_port over its IPv6 socket
    LookupReport v6 = found.byFamily().get("IPv6");
    assertTrue(v6.peers().contains(PeerAddress.parse("[::1]:" + ltPort)), "we found " + found.peers());
    assertTrue(v6.responses() > 0);
  }
}
