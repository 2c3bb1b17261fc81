package dev.jdht.interop;

import static dev.jdht.interop.InteropProcess.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.api.AnnounceReport;
import dev.jdht.core.api.Dht;
import dev.jdht.crawl.CrawlConfig;
import dev.jdht.crawl.CrawlListener;
import dev.jdht.crawl.CrawlStats;
import dev.jdht.crawl.Crawler;
import dev.jdht.crawl.DhtCrawlNode;
import dev.jdht.crawl.InfohashSeen;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A crawl of 20 real libtorrent nodes that hold known torrents (announced to them by another node
 * of ours): sample_infohashes answered by libtorrent yields every one. Address plan: libtorrent
 * 127.6.0.1-20, our announcer 127.6.1.2, the crawler 127.6.1.1.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CrawlLibtorrentIT {
  private static final int LT_NODES = 20;
  private static final Duration CMD = Duration.ofSeconds(30);

  @Test
  void theCrawlFindsEveryInfohashTheLibtorrentNodesHold() throws Exception {
    Interop.requireImplementations();
    Path logs = Interop.logDir("CrawlLibtorrentIT");
    try (InteropProcess lt = Interop.libtorrent("lt", logs, LT_NODES, "127.6.0.1", Duration.ofSeconds(140), "--seed", "61");
        Dht announcer = Interop.ourNode("127.6.1.2", NodeId.random(new Random(62))).start();
        Dht crawlerDht = Interop.ourNode("127.6.1.1", NodeId.random(new Random(63))).start()) {
      List<String> addrs = lt.addresses();
      lt.call(command("bootstrap").set("nodes", Interop.strings(addrs)), CMD);
      lt.call(command("wait_table").put("min", 4).put("timeout", 20), CMD);
      announcer.addBootstrapNodes(addrs);
      announcer.ready().get(30, TimeUnit.SECONDS);

      Random r = new Random(64);
      List<NodeId> held = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        NodeId ih = NodeId.random(r);
        AnnounceReport rep = announcer.announce(ih, 6900 + i).get(30, TimeUnit.SECONDS);
        assertFalse(rep.acknowledged().isEmpty(), "announce of " + ih + " acknowledged: " + rep);
        held.add(ih);
      }

      List<String> ids = lt.ids();
      List<NodeInfo> seeds = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        seeds.add(new NodeInfo(NodeId.fromHex(ids.get(i)), PeerAddress.parse(addrs.get(i))));
      }
      Map<NodeId, InfohashSeen> found = new ConcurrentHashMap<>();
      Set<NodeId> bep51Nodes = ConcurrentHashMap.newKeySet();
      CrawlListener l =
          new CrawlListener() {
            @Override
            public void onInfohash(InfohashSeen s) {
              if (s.source() == InfohashSeen.Source.SAMPLE) {
                found.putIfAbsent(s.infohash(), s);
              }
            }

            @Override
            public void onNode(dev.jdht.crawl.NodeSeen n) {
              if (Boolean.TRUE.equals(n.bep51())) {
                bep51Nodes.add(n.id());
              }
            }
          };
      try (DhtCrawlNode node = new DhtCrawlNode(crawlerDht)) {
        Crawler c = Crawler.start(node, CrawlConfig.builder().rate(100).build(), l, seeds, 0, new Random(65));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        // until every infohash is found and half the libtorrent nodes have been sampled: all 12 can
        // come from the first few nodes asked, within seconds
        while ((!found.keySet().containsAll(held) || bep51Nodes.size() < LT_NODES / 2)
            && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        c.stop();
        CrawlStats s = c.stopped().get(5, TimeUnit.SECONDS);
        for (NodeId ih : held) {
          assertTrue(found.containsKey(ih), ih + " not found; " + found.size() + " found, " + s);
        }
        assertEquals(0, s.droppedReplies(), "libtorrent's replies are well formed: " + s);
        assertTrue(bep51Nodes.size() >= LT_NODES / 2, "libtorrent nodes answered BEP 51: " + bep51Nodes.size());
        for (NodeId ih : held) {
          assertTrue(addrs.contains(found.get(ih).reporter().toString()), "reported by a libtorrent node: " + found.get(ih));
        }
      }
    }
  }
}
