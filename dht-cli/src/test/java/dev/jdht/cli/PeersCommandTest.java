package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.core.node.SavedState;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code dht peers} end to end against the shared loopback network. */
@Timeout(60)
class PeersCommandTest {
  private static final Random RANDOM = new Random(21);

  @TempDir Path tmp;

  private static Set<String> lines(String out) {
    return new HashSet<>(out.lines().filter(l -> !l.isBlank()).toList());
  }

  @Test
  void streamsEveryAnnouncedPeerAndSummarizesOnStderr() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    Set<PeerAddress> peers = TestNet.announceThree(ih);
    Cli.Result r = Cli.run("peers", ih.toHex(), "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.1:0");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(new HashSet<>(TestNet.texts(peers)), lines(r.out()));
    assertEquals(3, r.out().lines().count(), "each peer once: " + r.out());
    List<String> err = r.errLines();
    assertEquals(1, err.size(), r::toString);
    assertTrue(err.get(0).matches("3 peers; \\d+ quer(y|ies), \\d+ responses?, \\d+ timeouts?; first peer .+; done in .+"),
        err.get(0));
    assertFalse(r.err().contains("\r"), "no progress line when stderr is not a terminal");
  }

  @Test
  void jsonIsOneDocumentWithPeersAndReport() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    Set<PeerAddress> peers = TestNet.announceThree(ih);
    String magnet = "magnet:?xt=urn:btih:" + ih.toHex().toUpperCase() + "&dn=test";
    Cli.Result r = Cli.run("peers", magnet, "--json", "--bootstrap", TestNet.address(3), "--bind", "127.0.39.1:0",
        "--alpha", "5");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("", r.err(), "--json prints nothing on stderr");
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(ih.toHex(), j.get("infohash").asText());
    Set<String> found = new HashSet<>();
    j.get("peers").forEach(p -> found.add(p.asText()));
    assertEquals(new HashSet<>(TestNet.texts(peers)), found);
    JsonNode rep = j.get("report");
    assertEquals(3, rep.get("distinct_peers").asInt());
    assertTrue(rep.get("queries").asInt() >= rep.get("responses").asInt());
    assertTrue(rep.get("responses").asInt() > 0);
    assertTrue(rep.get("first_peer_ms").isNumber());
    assertTrue(rep.get("done_ms").asDouble() >= rep.get("first_peer_ms").asDouble());
    assertFalse(rep.get("timed_out").asBoolean());
    assertEquals(List.of("infohash", "peers", "report"), fieldNames(j));
  }

  private static List<String> fieldNames(JsonNode j) {
    List<String> l = new ArrayList<>();
    j.fieldNames().forEachRemaining(l::add);
    return l;
  }

  @Test
  void nothingFoundIsExitOneWithTheReportStillPrinted() {
    NodeId ih = NodeId.random(RANDOM);
    Cli.Result r = Cli.run("peers", ih.toHex(), "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.1:0");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out());
    List<String> err = r.errLines();
    assertEquals(2, err.size(), r::toString);
    assertTrue(err.get(0).startsWith("0 peers; "), err.get(0));
    assertEquals("dht peers: no peers found for " + ih.toHex(), err.get(1));

    Cli.Result j = Cli.run("peers", ih.toHex(), "--json", "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.1:0");
    assertEquals(1, j.exitCode(), j::toString);
    assertTrue(j.out().contains("\"peers\": []"), j.out());
    assertEquals(List.of("dht peers: no peers found for " + ih.toHex()), j.errLines());
  }

  @Test
  void quietPrintsPeersButNoSummary() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    Set<PeerAddress> peers = TestNet.announceThree(ih);
    Cli.Result r = Cli.run("-q", "peers", ih.toHex(), "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.1:0");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(new HashSet<>(TestNet.texts(peers)), lines(r.out()));
    assertEquals("", r.err());
  }

  @Test
  void aNetworkThatDoesNotAnswerFailsWithOneLine() {
    // port 9 (discard): nobody answers; the overall timeout ends the wait
    Cli.Result r = Cli.run("peers", NodeId.random(RANDOM).toHex(), "--bootstrap", "127.0.0.1:9",
        "--bind", "127.0.39.1:0", "--timeout", "1s");
    assertEquals(1, r.exitCode(), r::toString);
    assertEquals("", r.out());
    assertEquals(1, r.errLines().size(), r::toString);
    assertTrue(r.err().matches("dht peers: (no DHT node answered|the DHT node was not ready) within 1[.0-9]* s.*\n"),
        r.err());
  }

  @Test
  void progressLineWhenForced() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    TestNet.announceThree(ih);
    String saved = System.getProperty(Terminal.PROGRESS_PROPERTY);
    System.setProperty(Terminal.PROGRESS_PROPERTY, "1");
    try {
      Cli.Result r = Cli.run("peers", ih.toHex(), "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.1:0");
      assertEquals(0, r.exitCode(), r::toString);
      assertTrue(r.err().contains("\r\u001b[K"), "the line is drawn and erased: " + r.err());
      String last = r.err().substring(r.err().lastIndexOf("\u001b[K") + 3);
      assertTrue(last.startsWith("3 peers; "), "the summary follows an erased line: " + last);
      assertEquals(3, r.out().lines().count(), "stdout holds only peers: " + r.out());
    } finally {
      if (saved == null) {
        System.clearProperty(Terminal.PROGRESS_PROPERTY);
      } else {
        System.setProperty(Terminal.PROGRESS_PROPERTY, saved);
      }
    }
  }

  @Test
  void stateIsSavedAndARestartNeedsNoBootstrap() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    Set<PeerAddress> peers = TestNet.announceThree(ih);
    Path dir = tmp.resolve("state");
    Cli.Result first = Cli.run("peers", ih.toHex(), "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.2:0",
        "--state-dir", dir.toString());
    assertEquals(0, first.exitCode(), first::toString);
    Path file = dir.resolve(StateDir.STATE_FILE);
    assertTrue(Files.isRegularFile(file), "state saved");
    SavedState saved = SavedState.decode(Files.readAllBytes(file));
    assertFalse(saved.nodes().isEmpty(), "routing table saved");

    // no --bootstrap: the saved routing table is enough (no router is contacted: they would not
    // answer here, and the command would not finish in time)
    Cli.Result again = Cli.run("peers", ih.toHex(), "--bind", "127.0.39.2:0", "--state-dir", dir.toString(),
        "--timeout", "10s");
    assertEquals(0, again.exitCode(), again::toString);
    assertEquals(new HashSet<>(TestNet.texts(peers)), lines(again.out()));
    assertEquals(saved.id(), SavedState.decode(Files.readAllBytes(file)).id(), "the saved node id is kept");

    NodeId mine = NodeId.random(RANDOM);
    Cli.Result withId = Cli.run("peers", ih.toHex(), "--bind", "127.0.39.2:0", "--state-dir", dir.toString(),
        "--node-id", mine.toHex());
    assertEquals(0, withId.exitCode(), withId::toString);
    assertEquals(mine, SavedState.decode(Files.readAllBytes(file)).id(), "--node-id wins over the saved id");
  }

  @Test
  void aStateDirInUseIsSharedReadOnly() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    Set<PeerAddress> peers = TestNet.announceThree(ih);
    Path dir = tmp.resolve("busy");
    NodeId ownerId = NodeId.random(RANDOM);
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      nodes.add(new NodeInfo(TestNet.get().ids().get(i), TestNet.get().addresses().get(i)));
    }
    try (StateDir owner = StateDir.of(dir)) {
      assertTrue(owner.tryLock());
      byte[] state = new SavedState(ownerId, nodes).encode();
      Files.write(owner.stateFile(), state);
      Cli.Result r = Cli.run("peers", ih.toHex(), "--bind", "127.0.39.3:0", "--state-dir", dir.toString());
      assertEquals(0, r.exitCode(), r::toString);
      assertEquals(new HashSet<>(TestNet.texts(peers)), lines(r.out()));
      assertEquals(List.of(state.length), List.of(Files.readAllBytes(owner.stateFile()).length));
      assertEquals(ownerId, SavedState.decode(Files.readAllBytes(owner.stateFile())).id(), "not overwritten");
    }
  }
}
