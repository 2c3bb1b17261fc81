package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jdht.krpc.wire.NodeId;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --json} prints exactly one JSON document on stdout in every outcome: found, not found,
 * no node reachable, timeout, bad input. The exit codes stay as documented.
 */
@Timeout(60)
class JsonDocumentsTest {
  private static final Random RANDOM = new Random(11);
  // a strict parser: trailing content after the document (a second document) is an error
  private static final ObjectMapper STRICT =
      JsonMapper.builder().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static JsonNode oneDocument(Cli.Result r) throws Exception {
    assertFalse(r.out().isBlank(), () -> "stdout is empty: " + r);
    return STRICT.readTree(r.out());
  }

  private static void assertError(JsonNode doc, String code, Cli.Result r) {
    assertEquals(code, doc.path("error").path("code").asText(), r::toString);
    assertFalse(doc.path("error").path("message").asText().isBlank(), r::toString);
  }

  @Test
  void peersWhenNoNodeAnswers() throws Exception {
    Cli.Result r = Cli.run("peers", NodeId.random(RANDOM).toHex(), "--json", "--bootstrap", "127.0.0.1:9",
        "--bind", "127.0.39.40:0", "--timeout", "1s");
    assertEquals(1, r.exitCode(), r::toString);
    JsonNode doc = oneDocument(r);
    assertTrue(doc.path("error").path("code").asText().matches("no_nodes|timeout"), r::toString);
    assertEquals(0, doc.path("peers").size(), r::toString);
    assertEquals(0, doc.path("report").path("responses").asInt(), r::toString);
    assertEquals(1, r.errLines().size(), "the one-line error still goes to stderr: " + r);
  }

  @Test
  void peersWhenNothingIsFound() throws Exception {
    NodeId ih = NodeId.random(RANDOM); // nobody announced it on the test network
    Cli.Result r = Cli.run("peers", ih.toHex(), "--json", "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.41:0");
    assertEquals(1, r.exitCode(), r::toString);
    JsonNode doc = oneDocument(r);
    assertError(doc, "not_found", r);
    assertEquals(ih.toHex(), doc.path("infohash").asText());
    assertTrue(doc.path("report").path("responses").asInt() > 0, r::toString);
    assertFalse(doc.path("report").path("timed_out").asBoolean(), r::toString);
  }

  @Test
  void peersFoundIsADocumentWithoutError() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    TestNet.announceThree(ih);
    Cli.Result r = Cli.run("peers", ih.toHex(), "--json", "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.41:0");
    assertEquals(0, r.exitCode(), r::toString);
    JsonNode doc = oneDocument(r);
    assertTrue(doc.path("error").isMissingNode(), r::toString);
    assertEquals(3, doc.path("peers").size(), r::toString);
  }

  @Test
  void badArgumentsWithJsonGiveAUsageDocument() throws Exception {
    Cli.Result r = Cli.run("peers", "not-an-infohash", "--json");
    assertEquals(2, r.exitCode(), r::toString);
    assertError(oneDocument(r), "usage", r);
    Cli.Result t = Cli.run("find-node", NodeId.random(RANDOM).toHex(), "--json", "--timeout", "forever");
    assertEquals(2, t.exitCode(), t::toString);
    assertError(oneDocument(t), "usage", t);
  }

  @Test
  void pingTimeout() throws Exception {
    try (java.net.DatagramSocket silent = new java.net.DatagramSocket(
        new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.39.42"), 0))) {
      String target = "127.0.39.42:" + silent.getLocalPort();
      Cli.Result r = Cli.run("ping", target, "--json", "--timeout", "300ms", "--bind", "127.0.39.43:0");
      assertEquals(1, r.exitCode(), r::toString);
      JsonNode doc = oneDocument(r);
      assertError(doc, "timeout", r);
      assertEquals(target, doc.path("address").asText(), r::toString);
    }
  }

  @Test
  void findNodeAndAnnounceWhenNoNodeAnswers() throws Exception {
    NodeId target = NodeId.random(RANDOM);
    Cli.Result f = Cli.run("find-node", target.toHex(), "--json", "--bootstrap", "127.0.0.1:9",
        "--bind", "127.0.39.44:0", "--timeout", "1s");
    assertEquals(1, f.exitCode(), f::toString);
    JsonNode fd = oneDocument(f);
    assertTrue(fd.path("error").path("code").asText().matches("no_nodes|timeout"), f::toString);
    assertEquals(target.toHex(), fd.path("target").asText());

    Cli.Result a = Cli.run("announce", target.toHex(), "--port", "51413", "--json", "--bootstrap", "127.0.0.1:9",
        "--bind", "127.0.39.45:0", "--timeout", "1s");
    assertEquals(1, a.exitCode(), a::toString);
    JsonNode ad = oneDocument(a);
    assertTrue(ad.path("error").path("code").asText().matches("no_nodes|timeout"), a::toString);
    assertEquals(target.toHex(), ad.path("infohash").asText());
  }

  @Test
  void findNodeOnTheTestNetworkIsOneDocument() throws Exception {
    NodeId target = NodeId.random(RANDOM);
    Cli.Result r = Cli.run("find-node", target.toHex(), "--json", "--bootstrap", TestNet.bootstrap(),
        "--bind", "127.0.39.46:0");
    assertEquals(0, r.exitCode(), r::toString);
    JsonNode doc = oneDocument(r);
    assertTrue(doc.path("nodes").size() > 0, r::toString);
    assertTrue(doc.path("error").isMissingNode(), r::toString);
  }
}
