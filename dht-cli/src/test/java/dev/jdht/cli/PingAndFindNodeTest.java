package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.krpc.wire.NodeId;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code dht ping} and {@code dht find-node} against the shared loopback network. */
@Timeout(60)
class PingAndFindNodeTest {

  @Test
  void pingPrintsRttIdAndClient() {
    NodeId id = TestNet.get().ids().get(4);
    Cli.Result r = Cli.run("ping", TestNet.address(4), "--bind", "127.0.39.8:0");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().matches(TestNet.address(4).replace(".", "\\.") + "  rtt [0-9.]+ m?s  id " + id.toHex()
        + "  client JD 0\\.1 \\(jdht\\)\n"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void pingJson() throws Exception {
    Cli.Result r = Cli.run("ping", TestNet.address(5), "--json", "--bind", "127.0.39.8:0");
    assertEquals(0, r.exitCode(), r::toString);
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(TestNet.address(5), j.get("address").asText());
    assertEquals(TestNet.get().ids().get(5).toHex(), j.get("id").asText());
    assertTrue(j.get("rtt_ms").asDouble() > 0);
    assertEquals("JD 0.1 (jdht)", j.get("client").asText());
    assertEquals("4a440001", j.get("version").asText());
  }

  @Test
  void pingTimeoutIsExitOne() throws Exception {
    // a socket that never answers
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.39.9"), 0))) {
      String target = "127.0.39.9:" + silent.getLocalPort();
      Cli.Result r = Cli.run("ping", target, "--timeout", "300ms", "--bind", "127.0.39.8:0");
      assertEquals(1, r.exitCode(), r::toString);
      assertEquals(List.of("dht ping: no answer from " + target + " within 300 ms"), r.errLines());
      assertEquals("", r.out());
    }
  }

  @Test
  void findNodePrintsTheClosestNodesClosestFirst() {
    NodeId target = TestNet.get().ids().get(17);
    Cli.Result r = Cli.run("find-node", target.toHex(), "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.10:0");
    assertEquals(0, r.exitCode(), r::toString);
    List<String> lines = r.out().lines().toList();
    assertEquals(8, lines.size(), r.out());
    assertTrue(lines.get(0).startsWith(target.toHex() + "  " + TestNet.address(17) + " "), lines.get(0));
    assertTrue(lines.get(0).endsWith(" 160 bits"), lines.get(0));
    for (String l : lines) {
      assertTrue(l.matches("[0-9a-f]{40}  127\\.0\\.40\\.\\d+:\\d+ +[0-9.]+ m?s +\\d+ bits"), l);
    }
    assertTrue(r.errLines().get(0).startsWith("8 closest nodes; "), r.err());
  }

  @Test
  void findNodeJson() throws Exception {
    NodeId target = TestNet.get().ids().get(23);
    Cli.Result r = Cli.run("find-node", target.toHex(), "--json", "--bootstrap", TestNet.bootstrap(),
        "--bind", "127.0.39.10:0", "--alpha", "1");
    assertEquals(0, r.exitCode(), r::toString);
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(target.toHex(), j.get("target").asText());
    JsonNode first = j.get("nodes").get(0);
    assertEquals(target.toHex(), first.get("id").asText());
    assertEquals(160, first.get("common_prefix_bits").asInt());
    assertTrue(first.get("rtt_ms").asDouble() > 0);
    assertTrue(j.get("report").get("responses").asInt() >= 8);
  }
}
