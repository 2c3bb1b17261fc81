package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.krpc.wire.NodeId;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code dht announce} end to end: the announced peer is then found by {@code dht peers}. */
@Timeout(60)
class AnnounceCommandTest {
  private static final Random RANDOM = new Random(31);

  @Test
  void announcedPeerIsFound() {
    NodeId ih = NodeId.random(RANDOM);
    Cli.Result a = Cli.run("announce", ih.toHex(), "--port", "51413", "--bootstrap", TestNet.bootstrap(),
        "--bind", "127.0.39.5:0");
    assertEquals(0, a.exitCode(), a::toString);
    List<String> out = a.out().lines().toList();
    assertTrue(out.get(0).matches("acknowledged by (\\d+) of \\1 nodes tried; lookup: \\d+ quer(y|ies) in .+"),
        out.get(0));
    assertEquals(8, out.size() - 1, "K = 8 acknowledging nodes listed: " + a.out());
    for (String line : out.subList(1, out.size())) {
      assertTrue(line.matches("  127\\.0\\.40\\.\\d+:\\d+ +[0-9a-f]{40}"), line);
    }
    Cli.Result p = Cli.run("peers", ih.toHex(), "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.1:0");
    assertEquals(0, p.exitCode(), p::toString);
    assertEquals("127.0.39.5:51413\n", p.out());
  }

  @Test
  void impliedPortStoresTheUdpPortAndJsonSaysWhichNodesAcknowledged() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    Cli.Result a = Cli.run("announce", ih.toHex(), "--implied-port", "--json", "--bootstrap", TestNet.bootstrap(),
        "--bind", "127.0.39.6:0");
    assertEquals(0, a.exitCode(), a::toString);
    JsonNode j = Json.mapper().readTree(a.out());
    int udpPort = j.get("port").asInt();
    assertTrue(udpPort > 0);
    assertTrue(j.get("implied_port").asBoolean());
    assertEquals(j.get("tried").asInt(), j.get("acknowledged").size() + j.get("failed").asInt());
    JsonNode first = j.get("acknowledged").get(0);
    assertEquals(40, first.get("id").asText().length());
    assertTrue(first.get("ip").asText().startsWith("127.0.40."));
    assertTrue(j.get("lookup").get("queries").asInt() > 0);

    Cli.Result p = Cli.run("peers", ih.toHex(), "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.1:0");
    assertEquals("127.0.39.6:" + udpPort + "\n", p.out(), p::toString);
  }

  @Test
  void keepAnnouncesUntilStopped() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int[] code = {-1};
    Thread t = new Thread(() -> code[0] = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out),
        new PrintWriter(err), "announce", ih.toHex(), "--port", "6000", "--keep", "--bootstrap", TestNet.bootstrap(),
        "--bind", "127.0.39.7:0"));
    t.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!out.toString().contains("round 1 at ") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(out.toString().startsWith("round 1 at "), out + " / " + err);
    assertTrue(err.toString().contains("every 15 to 30 minutes; Ctrl-C stops"), err.toString());
    t.interrupt();
    t.join(10_000);
    assertFalse(t.isAlive());
    assertEquals(0, code[0], err::toString);
    Set<String> found = Set.copyOf(Cli.run("peers", ih.toHex(), "--bootstrap", TestNet.bootstrap(),
        "--bind", "127.0.39.1:0").out().lines().toList());
    assertEquals(Set.of("127.0.39.7:6000"), found);
  }

  @Test
  void aPortIsRequiredWithoutImpliedPort() {
    Cli.Result r = Cli.run("announce", NodeId.random(RANDOM).toHex(), "--bootstrap", TestNet.bootstrap());
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals(List.of("dht announce: Missing required option: '--port=P' (or give --implied-port)"
        + " (see 'dht announce --help')"), r.errLines());
  }
}
