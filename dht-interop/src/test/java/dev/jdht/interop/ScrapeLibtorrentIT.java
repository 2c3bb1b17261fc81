package dev.jdht.interop;

import static dev.jdht.interop.InteropProcess.command;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.api.AnnounceReport;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.ScrapeReport;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.ScrapeBloom;
import dev.jdht.krpc.wire.TransactionId;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BEP 33 against libtorrent: peers from distinct IPs announce a torrent to 20 real libtorrent
 * nodes, some as seeds ({@code seed=1}), and our {@code Dht.scrape} estimates both counts from the
 * filters libtorrent answers with; then {@code noseed=1}, in a hand-made get_peers and in our own
 * announce as a seed, gets only the other peers. The announces are hand-made announce_peer queries (libtorrent's
 * own announces cannot be made as seeds from its Python binding), one UDP socket per announcing
 * IP. Address plan: libtorrent 127.9.0.1-20, seeds 127.9.2.x, other peers 127.9.3.x, our node
 * 127.9.1.1.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ScrapeLibtorrentIT {
  private static final int LT_NODES = 20;
  private static final int SEEDS = 6;
  private static final int PEERS = 15;
  private static final Duration CMD = Duration.ofSeconds(30);

  private int tx;

  @Test
  void ourScrapeOfLibtorrentNodesEstimatesTheAnnouncedSeedsAndPeers() throws Exception {
    Interop.requireLibtorrent();
    Path logs = Interop.logDir("ScrapeLibtorrentIT");
    NodeId ih = NodeId.random(new Random(91));
    try (InteropProcess lt = Interop.libtorrent("lt", logs, LT_NODES, "127.9.0.1", Duration.ofSeconds(140), "--seed", "92");
        Dht ours = Interop.ourNode("127.9.1.1", NodeId.random(new Random(93))).start()) {
      List<String> addrs = lt.addresses();
      lt.call(command("bootstrap").set("nodes", Interop.strings(addrs)), CMD);
      lt.call(command("wait_table").put("min", 4).put("timeout", 20), CMD);
      int stored = 0;
      ScrapeBloom seeds = ScrapeBloom.empty();
      ScrapeBloom peers = ScrapeBloom.empty();
      for (int i = 0; i < SEEDS + PEERS; i++) {
        boolean seed = i < SEEDS;
        String ip = seed ? "127.9.2." + (i + 1) : "127.9.3." + (i + 1);
        stored += announceEverywhere(ip, addrs, ih, seed);
        (seed ? seeds : peers).insert(InetAddress.getByName(ip).getAddress());
      }
      assertEquals((SEEDS + PEERS) * LT_NODES, stored, "every libtorrent node acknowledged every announce");

      ours.addBootstrapNodes(addrs);
      ours.ready().get(30, TimeUnit.SECONDS);
      ScrapeReport r = ours.scrape(ih).get(30, TimeUnit.SECONDS);
      assertNotNull(r);
      assertTrue(r.filters() >= 4, "libtorrent nodes answered with filters: " + r.filters());
      assertArrayEquals(seeds.toBytes(), r.seedsFilter(), "libtorrent's BFsd is bit for bit our filter of the seed IPs");
      assertArrayEquals(peers.toBytes(), r.peersFilter(), "and its BFpe that of the other IPs");
      assertEquals(SEEDS, r.seeds(), 1.0, "seeds estimate " + r.seeds());
      assertEquals(PEERS, r.peers(), 1.5, "peers estimate " + r.peers());
      System.out.printf("scrape of %d libtorrent nodes: %d filters, seeds %.2f (announced %d), peers %.2f (announced %d)%n",
          LT_NODES, r.filters(), r.seeds(), SEEDS, r.peers(), PEERS);

      // noseed=1: libtorrent leaves the seeds out of its values, and a seed's announce of ours
      // asks with it, so the peers it finds on the way are the downloaders only
      Set<String> downloaders = new HashSet<>();
      for (int i = SEEDS; i < SEEDS + PEERS; i++) {
        downloaders.add("127.9.3." + (i + 1) + ":6881");
      }
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.9.4.1"), 0))) {
        s.setSoTimeout(2000);
        Response noseed = ask(s, PeerAddress.parse(addrs.get(0)),
            new Query.GetPeers(t(), NodeId.random(new Random(94)), ih, QueryMeta.NONE.withArg("noseed", 1)));
        assertNotNull(noseed, "libtorrent answered get_peers with noseed=1");
        Set<String> values = new HashSet<>();
        for (int i = 0; i < noseed.values().size(); i++) {
          values.add(noseed.values().get(i).toString());
        }
        assertEquals(downloaders, values, "libtorrent's values for noseed=1 are the downloaders");
      }
      AnnounceReport a = ours.announce(ih, 7000, false, true).get(30, TimeUnit.SECONDS);
      assertTrue(a.acknowledged().size() >= 4, "libtorrent nodes took our seed announce: " + a.acknowledged().size());
      Set<String> found = new HashSet<>();
      a.lookup().peers().forEach(p -> found.add(p.toString()));
      assertEquals(downloaders, found, "our seed's announce found the downloaders and no seed");
    }
  }

  /** From {@code ip}: get_peers for a token, then announce_peer, to every node; returns the acks. */
  private int announceEverywhere(String ip, List<String> nodes, NodeId ih, boolean seed) throws Exception {
    int acked = 0;
    NodeId id = NodeId.random(new Random(ip.hashCode()));
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), 0))) {
      s.setSoTimeout(2000);
      for (String node : nodes) {
        PeerAddress to = PeerAddress.parse(node);
        Response gp = ask(s, to, new Query.GetPeers(t(), id, ih, QueryMeta.NONE));
        if (gp == null || gp.token() == null) {
          continue;
        }
        QueryMeta meta = seed ? QueryMeta.NONE.withArg("seed", 1) : QueryMeta.NONE;
        if (ask(s, to, new Query.AnnouncePeer(t(), id, ih, 6881, false, gp.token(), meta)) != null) {
          acked++;
        }
      }
    }
    return acked;
  }

  private TransactionId t() {
    return TransactionId.ofLong(++tx, 2);
  }

  /** Sends {@code q} and waits for the response with its transaction id (two tries), or null. */
  private static Response ask(DatagramSocket s, PeerAddress to, Query q) throws Exception {
    byte[] out = KrpcCodec.encode(q);
    for (int attempt = 0; attempt < 2; attempt++) {
      s.send(new DatagramPacket(out, out.length, to.toSocketAddress()));
      byte[] buf = new byte[2048];
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (System.nanoTime() < until) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
        } catch (SocketTimeoutException e) {
          break;
        }
        KrpcMessage m = KrpcCodec.decode(Arrays.copyOf(buf, p.getLength()));
        if (m instanceof Response r && r.transactionId().equals(q.transactionId())) {
          return r;
        }
      }
    }
    return null;
  }
}
