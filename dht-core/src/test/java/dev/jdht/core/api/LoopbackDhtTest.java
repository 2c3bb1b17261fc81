package dev.jdht.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.lookup.LookupConfig;
import dev.jdht.core.node.PingResult;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several real nodes over UDP on loopback, in one JVM. */
@Timeout(60)
class LoopbackDhtTest {
  private final List<Dht> nodes = new ArrayList<>();
  private final Random random = new Random(7);

  @TempDir Path tmp;

  private Dht start(String bootstrap, Path state) throws Exception {
    Dht.Builder b =
        Dht.builder()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .allowLocalAddresses(true)
            .readyTimeout(Duration.ofSeconds(10))
            .queryTimeout(Duration.ofMillis(500))
            .stateFile(state)
            .bootstrap(bootstrap == null ? List.of() : List.of(bootstrap));
    Dht d = b.start();
    nodes.add(d);
    return d;
  }

  private static String addr(Dht d) {
    return "127.0.0.1:" + d.localAddress().getPort();
  }

  @AfterEach
  void closeAll() {
    nodes.forEach(Dht::close);
  }

  @Test
  void aLookupStoppedAtItsDeadlineCompletesWithThePartialReport() throws Exception {
    Dht silentLater = start(null, null);
    Dht client =
        Dht.builder()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .allowLocalAddresses(true)
            .readyTimeout(Duration.ofSeconds(10))
            // timeouts far beyond the deadline: only the deadline can end the lookup
            .lookupConfig(LookupConfig.defaults()
                .withTimeouts(TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(20), TimeUnit.SECONDS.toNanos(30)))
            .bootstrap(List.of(addr(silentLater)))
            .start();
    nodes.add(client);
    client.ready().get(10, TimeUnit.SECONDS);
    silentLater.close(); // its socket closes: the client's only contact never answers again
    LookupReport r =
        client.getPeers(NodeId.random(random), null, null, Duration.ofMillis(300)).get(10, TimeUnit.SECONDS);
    assertTrue(r.timedOut(), r.toString());
    assertFalse(r.cancelled(), r.toString());
    assertTrue(r.queriesSent() >= 1, r.toString());
    assertEquals(0, r.responses(), r.toString());
    assertThrows(IllegalArgumentException.class, () -> client.getPeers(NodeId.random(random), null, null, Duration.ZERO));
    LookupReport fn = client.findNode(NodeId.random(random), Duration.ofMillis(200)).get(10, TimeUnit.SECONDS);
    assertTrue(fn.timedOut(), fn.toString());
  }

  @Test
  void nodesFindEachOtherAnnounceAndGetPeers() throws Exception {
    Dht first = start(null, null);
    List<Dht> rest = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      rest.add(start(addr(first), null));
    }
    for (Dht d : rest) {
      d.ready().get(10, TimeUnit.SECONDS);
    }
    // ping
    PingResult pong = rest.get(0).ping(new InetSocketAddress("127.0.0.1", first.localAddress().getPort())).get(5, TimeUnit.SECONDS);
    assertTrue(pong.ok(), pong.error());
    assertEquals(first.nodeId(), pong.id());

    // find_node of a node's own id finds it
    LookupReport fn = rest.get(1).findNode(rest.get(5).nodeId()).get(10, TimeUnit.SECONDS);
    assertEquals(rest.get(5).nodeId(), fn.closest().get(0).node().id());

    // announce from one node, get_peers from another
    NodeId ih = NodeId.random(random);
    AnnounceReport ar = rest.get(2).announce(ih, 4321).get(10, TimeUnit.SECONDS);
    assertFalse(ar.acknowledged().isEmpty(), "some node acknowledged");
    Set<PeerAddress> streamed = ConcurrentHashMap.newKeySet();
    LookupReport gp = rest.get(6).getPeers(ih, streamed::add).get(10, TimeUnit.SECONDS);
    PeerAddress expected = PeerAddress.parse("127.0.0.1:4321");
    assertTrue(gp.peers().contains(expected), "found " + gp.peers());
    assertEquals(gp.peers(), streamed, "every peer was streamed once");
    assertNotNull(gp.timeToFirstPeer());
    assertTrue(gp.queriesSent() >= gp.responses());

    DhtStats s = first.stats().get(5, TimeUnit.SECONDS);
    assertTrue(s.totalQueriesIn() > 0);
    assertEquals(0, s.handlerFailures());
    assertEquals(0, s.droppedMalformed());
  }

  @Test
  void underAQueryFloodPastItsBudgetANodeStillServesItsBudgetAndItsOwnLookupsComplete() throws Exception {
    Dht first = start(null, null);
    List<Dht> rest = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rest.add(start(addr(first), null));
    }
    for (Dht d : rest) {
      d.ready().get(10, TimeUnit.SECONDS);
    }
    NodeId ih = NodeId.random(random);
    assertFalse(rest.get(0).announce(ih, 4321).get(10, TimeUnit.SECONDS).acknowledged().isEmpty());
    // the victim joins after the announce: only the network can tell it the peer
    Dht victim =
        Dht.builder()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .allowLocalAddresses(true)
            .readyTimeout(Duration.ofSeconds(10))
            .configure(c -> c.globalRate(50).globalBurst(50))
            .bootstrap(List.of(addr(first)))
            .start();
    nodes.add(victim);
    victim.ready().get(10, TimeUnit.SECONDS);

    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    long[] floodSent = {0};
    int[] floodAnswered = {0};
    Thread flooder;
    try (java.net.DatagramSocket sock = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
      sock.setSoTimeout(1);
      InetSocketAddress target = victim.localAddress();
      flooder = new Thread(() -> {
        byte[] ping = ("d1:ad2:id20:" + "f".repeat(20) + "e1:q4:ping1:t2:ff1:y1:qe").getBytes(StandardCharsets.US_ASCII);
        byte[] in = new byte[1500];
        while (!stop.get()) {
          try {
            for (int i = 0; i < 50; i++) {
              sock.send(new java.net.DatagramPacket(ping, ping.length, target));
              floodSent[0]++;
            }
            try {
              while (true) {
                sock.receive(new java.net.DatagramPacket(in, in.length));
                floodAnswered[0]++;
              }
            } catch (java.net.SocketTimeoutException drained) {
              // next batch
            }
          } catch (java.io.IOException e) {
            return;
          }
        }
      }, "flooder");
      long t0 = System.nanoTime();
      flooder.start();
      Thread.sleep(300); // the flood has used up the burst
      LookupReport gp = victim.getPeers(ih, null).get(20, TimeUnit.SECONDS);
      Thread.sleep(200);
      stop.set(true);
      flooder.join(5000);
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertTrue(gp.peers().contains(PeerAddress.parse("127.0.0.1:4321")), "found " + gp.peers());
      DhtStats s = victim.stats().get(5, TimeUnit.SECONDS);
      assertTrue(floodSent[0] > 20 * (50 * seconds + 50), floodSent[0] + " flood queries in " + seconds + " s");
      // shed by the rate limiter, and once the flooder has been over budget for a while, by the DoS blocker
      long shed = s.droppedRateLimited() + s.droppedBlocked();
      assertTrue(shed > floodSent[0] / 2, shed + " of " + floodSent[0] + " dropped");
      // it kept serving, within its budget (the lookup's own answers do not count against it)
      assertTrue(floodAnswered[0] > 20, floodAnswered[0] + " flood queries answered");
      assertTrue(floodAnswered[0] <= 50 * seconds + 50 + 10, floodAnswered[0] + " answered in " + seconds + " s");
    }
  }

  /** One KRPC message to {@code to} from {@code s}. */
  private static void send(DatagramSocket s, InetSocketAddress to, dev.jdht.krpc.message.KrpcMessage m)
      throws java.io.IOException {
    byte[] b = dev.jdht.krpc.codec.KrpcCodec.encode(m);
    s.send(new DatagramPacket(b, b.length, to));
  }

  /** The next KRPC message {@code s} receives (within 5 s). */
  private static dev.jdht.krpc.message.KrpcMessage receive(DatagramSocket s) throws Exception {
    byte[] buf = new byte[1500];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    s.setSoTimeout(5000);
    s.receive(p);
    return dev.jdht.krpc.codec.KrpcCodec.decode(java.util.Arrays.copyOf(buf, p.getLength()));
  }

  @Test
  void aQuerierThatNeverAnswersIsNeverHandedOutWhileOneThatAnswersIs() throws Exception {
    // issue 16: a node that only sent us a query was listed in our nodes replies until our ping
    // to it timed out, so one spoofed query made us advertise any address
    Dht server = start(null, null);
    InetSocketAddress to = server.localAddress();
    NodeId silentId = NodeId.random(random);
    NodeId answererId = silentId.flipBit(159);
    NodeId askerId = NodeId.random(random);
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.50.0.1", 0));
        DatagramSocket answerer = new DatagramSocket(new InetSocketAddress("127.50.0.3", 0));
        DatagramSocket asker = new DatagramSocket(new InetSocketAddress("127.50.0.2", 0))) {
      PeerAddress silentAddr = PeerAddress.of(silent.getLocalAddress().getAddress(), silent.getLocalPort());
      PeerAddress answererAddr = PeerAddress.of(answerer.getLocalAddress().getAddress(), answerer.getLocalPort());
      dev.jdht.krpc.wire.TransactionId t = dev.jdht.krpc.wire.TransactionId.ofLong(1, 2);
      send(silent, to, new dev.jdht.krpc.message.Query.Ping(t, silentId, dev.jdht.krpc.message.QueryMeta.NONE));
      // the answerer queries too, then answers the ping that verifies it
      send(answerer, to, new dev.jdht.krpc.message.Query.Ping(t, answererId, dev.jdht.krpc.message.QueryMeta.NONE));
      boolean pinged = false;
      for (int i = 0; i < 3 && !pinged; i++) {
        if (receive(answerer) instanceof dev.jdht.krpc.message.Query.Ping ping) {
          send(answerer, to, dev.jdht.krpc.message.Response.builder(ping.transactionId(), answererId).build());
          pinged = true;
        }
      }
      assertTrue(pinged, "a new querier is pinged at once");
      Set<PeerAddress> advertised = new java.util.HashSet<>();
      // ask for the silent node's id for 3 s: well past the server's 500 ms query timeout and its retries
      for (int i = 0; i < 15; i++) {
        send(asker, to, new dev.jdht.krpc.message.Query.FindNode(
            dev.jdht.krpc.wire.TransactionId.ofLong(10 + i, 2), askerId, silentId, dev.jdht.krpc.message.QueryMeta.NONE));
        dev.jdht.krpc.message.KrpcMessage m;
        do {
          m = receive(asker); // skipping the ping with which the server verifies the asker
        } while (m instanceof dev.jdht.krpc.message.Query);
        ((dev.jdht.krpc.message.Response) m).nodes().forEach(n -> advertised.add(n.address()));
        Thread.sleep(200);
      }
      assertFalse(advertised.contains(silentAddr), "the silent querier was advertised: " + advertised);
      assertTrue(advertised.contains(answererAddr), "the verified querier is: " + advertised);
    }
  }

  @Test
  void garbageOverUdpLeavesTheLoopAliveAndCounted() throws Exception {
    Dht d = start(null, null);
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      byte[][] junk = {
        "hello".getBytes(StandardCharsets.US_ASCII),
        "d1:t400000000:ae".getBytes(StandardCharsets.US_ASCII),
        "d1:ad2:id3:abce1:q4:ping1:t2:zz1:y1:qe".getBytes(StandardCharsets.US_ASCII),
        new byte[3000],
      };
      for (byte[] j : junk) {
        s.send(new DatagramPacket(j, j.length, d.localAddress().getAddress(), d.localAddress().getPort()));
      }
      // the malformed query with a readable t is answered with 203
      s.setSoTimeout(5000);
      byte[] buf = new byte[1500];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      String reply = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
      assertTrue(reply.contains("i203e"), reply);
    }
    DhtStats st = null;
    for (int i = 0; i < 50; i++) {
      st = d.stats().get(5, TimeUnit.SECONDS);
      if (st.datagramsIn() >= 4) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(4, st.datagramsIn());
    assertEquals(4, st.droppedMalformed());
    assertEquals(0, st.handlerFailures());
    // still alive
    Dht other = start(addr(d), null);
    other.ready().get(10, TimeUnit.SECONDS);
  }

  @Test
  void stateIsSavedOnCloseAndARestartNeedsNoBootstrap() throws Exception {
    Dht first = start(null, null);
    Path state = tmp.resolve("state/dht.state");
    Dht second = start(addr(first), state);
    second.ready().get(10, TimeUnit.SECONDS);
    NodeId id = second.nodeId();
    second.close();
    assertTrue(Files.exists(state));
    Dht again = start(null, state);
    assertEquals(id, again.nodeId(), "id restored");
    again.ready().get(10, TimeUnit.SECONDS);
    assertTrue(again.routingTableNodes().get(5, TimeUnit.SECONDS).stream()
        .anyMatch(n -> n.id().equals(first.nodeId())));
  }

  @Test
  void readyFailsClearlyWhenNobodyAnswers() throws Exception {
    Dht lonely =
        Dht.builder()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .allowLocalAddresses(true)
            .readyTimeout(Duration.ofMillis(800))
            .bootstrap("127.0.0.1:9") // discard port: nobody answers
            .start();
    nodes.add(lonely);
    ExecutionException e = assertThrows(ExecutionException.class, () -> lonely.ready().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("no DHT node answered"), e.getCause().getMessage());
  }

  @Test
  void closeLeavesNoThreadBehind() throws Exception {
    Dht d = start(null, null);
    d.close();
    for (int i = 0; i < 100 && threadsNamed("dht-"); i++) {
      Thread.sleep(20);
    }
    assertFalse(threadsNamed("dht-loop-" + d.nodeId().toHex().substring(0, 8)), "loop thread still alive");
    assertThrows(ExecutionException.class, () -> d.getPeers(NodeId.random(random), p -> {}).get(1, TimeUnit.SECONDS));
  }

  @Test
  void socketBufferSizeReachesTheKernelAndIsBounded() throws Exception {
    try (Dht small = Dht.builder()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .bootstrap(List.of())
            .socketBufferBytes(64 * 1024)
            .start();
        Dht standard = Dht.builder()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .bootstrap(List.of())
            .start()) {
      // Java reports the size asked for (Linux keeps twice that for its bookkeeping)
      int granted = small.receiveBufferBytes();
      assertEquals(64 * 1024, granted);
      assertTrue(standard.receiveBufferBytes() > granted, "the 1 MiB default is larger: " + standard.receiveBufferBytes());
      if (java.nio.file.Files.isReadable(Path.of("/proc/net/udp"))) { // Linux keeps per-socket drop counts
        assertEquals(0, small.socketReceiveDrops());
        assertEquals(0, small.snapshot().get(5, TimeUnit.SECONDS).socketReceiveDrops());
      } else {
        assertEquals(-1, small.socketReceiveDrops());
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Dht.builder().socketBufferBytes(1024));
    assertThrows(IllegalArgumentException.class, () -> Dht.builder().socketBufferBytes((1 << 30) + 1));
  }

  private static boolean threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix) && t.isAlive());
  }
}
