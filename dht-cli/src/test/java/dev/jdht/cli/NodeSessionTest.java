package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binding, state directory decisions and readiness of a command's node. */
@Timeout(30)
class NodeSessionTest {
  private static final Logger LOG = LoggerFactory.getLogger(NodeSessionTest.class);

  @TempDir Path tmp;

  private static NodeSettings settings(BindAddress bind, List<InetSocketAddress> bootstrap, Path stateDir, boolean noState) {
    return new NodeSettings(bind, null, bootstrap, stateDir, noState, null, null);
  }

  private static List<InetSocketAddress> testnet() {
    return List.of(TestNet.get().addresses().get(0).toSocketAddress());
  }

  @Test
  void aPrivateNetworkLeavesTheDefaultStateDirectoryAlone() {
    try (NodeSession s = NodeSession.start(
        settings(BindAddress.parse("127.0.39.20:0"), testnet(), null, false), Duration.ofSeconds(5), LOG)) {
      assertTrue(s.privateNetwork());
      assertTrue(s.stateNote().startsWith("not used (private network"), s.stateNote());
      assertNull(s.ownedStateFile());
      s.awaitReady(System.nanoTime() + Duration.ofSeconds(10).toNanos());
    }
  }

  @Test
  void anExplicitStateDirIsOwnedAndWritten() {
    Path dir = tmp.resolve("a/b");
    try (NodeSession s = NodeSession.start(
        settings(BindAddress.parse("127.0.39.20:0"), testnet(), dir, false), Duration.ofSeconds(5), LOG)) {
      assertEquals(dir.resolve("dht.state"), s.ownedStateFile());
      assertTrue(s.stateNote().endsWith("(new)"), s.stateNote());
      s.awaitReady(System.nanoTime() + Duration.ofSeconds(10).toNanos());
    }
    assertTrue(Files.isRegularFile(dir.resolve("dht.state")));
    // the lock was released: another session owns it now
    try (StateDir again = StateDir.of(dir)) {
      assertTrue(again.tryLock());
    }
  }

  @Test
  void repeatedBindOpensOneSocketPerFamily() {
    NodeSettings two = new NodeSettings(
        List.of(BindAddress.parse("127.0.39.22:0"), BindAddress.parse("[::1]:0")), null, testnet(), null, true,
        null, null, true);
    try (NodeSession s = NodeSession.start(two, Duration.ofSeconds(5), LOG)) {
      assertTrue(s.dht().servesIpv4() && s.dht().servesIpv6());
      assertEquals(2, s.dht().localAddresses().size());
      String text = s.localAddressText();
      assertTrue(text.startsWith("127.0.39.22:") && text.contains(" [::1]:"), text);
      s.awaitReady(System.nanoTime() + Duration.ofSeconds(10).toNanos());
    }
  }

  @Test
  void perIpRateLimitDropsAFloodFromOneAddress() throws Exception {
    NodeSettings limited = new NodeSettings(BindAddress.parse("127.0.39.23:0"), null, testnet(), null, true, null, null)
        .withRateLimits(null, 5);
    try (NodeSession s = NodeSession.start(limited, Duration.ofSeconds(5), LOG);
        DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.39.24", 0))) {
      InetSocketAddress node = s.dht().localAddresses().get(0);
      long droppedBefore = s.dht().stats().get().droppedRateLimited();
      for (int i = 0; i < 60; i++) {
        String ping = "d1:ad2:id20:" + "x".repeat(20) + "e1:q4:ping1:t2:" + (char) ('a' + i / 26) + (char) ('a' + i % 26) + "1:y1:qe";
        byte[] b = ping.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        client.send(new java.net.DatagramPacket(b, b.length, node));
      }
      client.setSoTimeout(500);
      int answered = 0;
      byte[] buf = new byte[1500];
      try {
        while (true) {
          client.receive(new java.net.DatagramPacket(buf, buf.length));
          answered++;
        }
      } catch (java.net.SocketTimeoutException done) {
        // no more answers
      }
      // a burst of 2 s worth (10) plus what refills while the 60 arrive
      assertTrue(answered >= 5 && answered <= 20, answered + " of 60 answered");
      assertTrue(s.dht().stats().get().droppedRateLimited() - droppedBefore >= 40, "drops counted");
    }
  }

  @Test
  void dosBlockRateBlocksAFloodingAddress() throws Exception {
    // 1 datagram/s over 10 s: the 11th ping within the window blocks the source for 5 minutes
    NodeSettings blocking = new NodeSettings(BindAddress.parse("127.0.39.25:0"), null, testnet(), null, true, null, null)
        .withDosBlockRate(1);
    try (NodeSession s = NodeSession.start(blocking, Duration.ofSeconds(5), LOG);
        DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.39.26", 0))) {
      InetSocketAddress node = s.dht().localAddresses().get(0);
      byte[] b = ("d1:ad2:id20:" + "y".repeat(20) + "e1:q4:ping1:t2:aa1:y1:qe")
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      for (int i = 0; i < 30; i++) {
        client.send(new java.net.DatagramPacket(b, b.length, node));
      }
      client.setSoTimeout(500);
      int answered = 0;
      try {
        while (true) {
          java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[1500], 1500);
          client.receive(p);
          String text = new String(p.getData(), 0, p.getLength(), java.nio.charset.StandardCharsets.ISO_8859_1);
          if (text.contains("1:t2:aa") && text.contains("1:y1:r")) {
            answered++; // an answer to our ping (the node may also query us: not counted)
          }
        }
      } catch (java.net.SocketTimeoutException done) {
        // no more answers
      }
      dev.jdht.core.api.DhtStats st = s.dht().stats().get();
      assertEquals(1, st.sourcesBlocked());
      assertEquals(20, st.droppedBlocked());
      assertEquals(10, answered, "answered until blocked");
    }
  }

  @Test
  void burstIsTwoSecondsWorth() {
    assertEquals(10, NodeSession.burst(5));
    assertEquals(2, NodeSession.burst(1));
    assertEquals(20_000_000, NodeSession.burst(10_000_000));
  }

  @Test
  void noStateMeansNoFile() {
    Path dir = tmp.resolve("none");
    try (NodeSession s = NodeSession.start(
        settings(BindAddress.parse("127.0.39.20:0"), testnet(), dir, true), Duration.ofSeconds(5), LOG)) {
      assertNull(s.ownedStateFile());
    }
    assertFalse(Files.exists(dir));
  }

  @Test
  void theDefaultPortFallsBackToAFreeOneWhenTaken() throws Exception {
    InetAddress ip = InetAddress.getByName("127.0.39.21");
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(ip, BindAddress.DEFAULT_PORT))) {
      try (NodeSession s = NodeSession.start(
          settings(BindAddress.parse("127.0.39.21"), List.of(), null, true), Duration.ofSeconds(5), LOG)) {
        assertTrue(s.bindFellBack());
        assertTrue(s.dht().localAddress().getPort() != BindAddress.DEFAULT_PORT);
      }
      // an explicit port that is taken is an error (exit 1), not a silent change
      CommandFailed e = assertThrows(CommandFailed.class, () -> NodeSession.start(
          settings(BindAddress.parse("127.0.39.21:" + BindAddress.DEFAULT_PORT), List.of(), null, true),
          Duration.ofSeconds(5), LOG));
      assertTrue(e.getMessage().startsWith("cannot bind UDP 127.0.39.21:6881: "), e.getMessage());
    }
    try (NodeSession s = NodeSession.start(
        settings(BindAddress.parse("127.0.39.21"), List.of(), null, true), Duration.ofSeconds(5), LOG)) {
      assertFalse(s.bindFellBack());
      assertEquals(BindAddress.DEFAULT_PORT, s.dht().localAddress().getPort());
    }
  }

  @Test
  void anAddressOfAnotherMachineIsAUsageError() {
    UsageError e = assertThrows(UsageError.class, () -> NodeSession.start(
        settings(BindAddress.parse("203.0.113.7:0"), List.of(), null, true), Duration.ofSeconds(5), LOG));
    assertTrue(e.getMessage().startsWith("cannot bind UDP 203.0.113.7:0: "), e.getMessage());
  }

  @Test
  void nothingToJoinThroughFailsAtOnce() {
    try (NodeSession s = NodeSession.start(
        settings(BindAddress.parse("127.0.39.20:0"), List.of(), null, true), Duration.ofSeconds(5), LOG)) {
      CommandFailed e = assertThrows(CommandFailed.class, () -> s.awaitReady(System.nanoTime() + 1_000_000_000L));
      assertTrue(e.getMessage().startsWith("nothing to join the DHT through"), e.getMessage());
    }
  }

  @Test
  void aLoopbackNodeNeverAsksThePublicRouters() {
    // no --bootstrap and no state: a node on loopback has nobody to ask (the routers are not tried)
    try (NodeSession s = NodeSession.start(
        settings(BindAddress.parse("127.0.39.20:0"), null, null, true), Duration.ofSeconds(5), LOG)) {
      assertFalse(s.hasContacts());
      CommandFailed e = assertThrows(CommandFailed.class, () -> s.awaitReady(System.nanoTime() + 1_000_000_000L));
      assertTrue(e.getMessage().contains("does not use the public routers"), e.getMessage());
    }
  }

  @Test
  void localAddresses() {
    assertTrue(NodeSession.isLocal(new InetSocketAddress("127.0.0.5", 1)));
    assertTrue(NodeSession.isLocal(new InetSocketAddress("10.1.2.3", 1)));
    assertTrue(NodeSession.isLocal(new InetSocketAddress("192.168.1.1", 1)));
    assertTrue(NodeSession.isLocal(new InetSocketAddress("172.20.0.1", 1)));
    assertTrue(NodeSession.isLocal(new InetSocketAddress("100.64.0.1", 1)));
    assertTrue(NodeSession.isLocal(new InetSocketAddress("169.254.1.1", 1)));
    assertTrue(NodeSession.isLocal(new InetSocketAddress("::1", 1)));
    assertTrue(NodeSession.isLocal(new InetSocketAddress("fd00::2", 1)));
    assertTrue(NodeSession.isLocal(InetSocketAddress.createUnresolved("localhost", 1)));
    assertFalse(NodeSession.isLocal(new InetSocketAddress("8.8.8.8", 1)));
    assertFalse(NodeSession.isLocal(new InetSocketAddress("100.128.0.1", 1)));
    assertFalse(NodeSession.isLocal(new InetSocketAddress("2001:db8::1", 1)));
    assertFalse(NodeSession.isLocal(InetSocketAddress.createUnresolved("router.bittorrent.com", 1)));
  }

  @Test
  void stateDirFollowsXdg() {
    assertEquals(Path.of("/x/state/jdht"), StateDir.defaultDir(Map.of("XDG_STATE_HOME", "/x/state"), "/home/u"));
    assertEquals(Path.of("/home/u/.local/state/jdht"), StateDir.defaultDir(Map.of(), "/home/u"));
    assertEquals(Path.of("/home/u/.local/state/jdht"), StateDir.defaultDir(Map.of("XDG_STATE_HOME", ""), "/home/u"));
    assertEquals(Path.of("/home/u/.local/state/jdht"),
        StateDir.defaultDir(Map.of("XDG_STATE_HOME", "relative/dir"), "/home/u"), "relative paths are ignored");
  }

  @Test
  void aStateDirThatIsAFileIsAUsageError() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    UsageError e = assertThrows(UsageError.class, () -> StateDir.of(file).tryLock());
    assertTrue(e.getMessage().startsWith("cannot use state directory " + file), e.getMessage());
  }

  @Test
  void socketBufferOptionSizesTheSocketAndTheCapIsNoticed() throws Exception {
    NodeSettings sized = new NodeSettings(BindAddress.parse("127.0.39.27:0"), null, testnet(), null, true, null, null)
        .withSocketBuffer(256 * 1024);
    try (NodeSession s = NodeSession.start(sized, Duration.ofSeconds(5), LOG)) {
      assertFalse(NodeSession.socketBufferCapped(256 * 1024, s.dht().receiveBufferBytes()),
          "granted " + s.dht().receiveBufferBytes());
    }
    assertTrue(NodeSession.socketBufferCapped(4 << 20, 2 << 20), "a capped buffer is noticed");
    assertEquals(new Converters.SocketBuffer().convert("4m"), 4 << 20);
    assertEquals(new Converters.SocketBuffer().convert("4096K"), 4 << 20);
    assertEquals(new Converters.SocketBuffer().convert("65536"), 65536);
  }
}
