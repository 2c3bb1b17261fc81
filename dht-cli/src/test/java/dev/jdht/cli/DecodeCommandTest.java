package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.BValue.BString;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.testdata.KrpcVectors;
import dev.jdht.testdata.KrpcVectors.InvalidVector;
import dev.jdht.testdata.KrpcVectors.Vector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DecodeCommandTest {
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Vector> validVectors() {
    return Stream.concat(KrpcVectors.valid().stream(), KrpcVectors.validNonCanonical().stream());
  }

  static Stream<InvalidVector> invalidVectors() {
    return KrpcVectors.invalid().stream();
  }

  private static JsonNode json(Cli.Result r) throws Exception {
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals("", r.err(), r::toString);
    return Json.mapper().readTree(r.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validVectors")
  void printsEveryGoldenVector(Vector v) throws Exception {
    byte[] bytes = v.bytes();
    JsonNode j = json(Cli.run("decode", "--hex", HEX.formatHex(bytes)));
    KrpcMessage m = KrpcCodec.decode(bytes);
    BDict raw = (BDict) Bencode.decode(bytes);

    assertEquals(m.transactionId().toHex(), j.get("t").asText());
    if (m.version() != null) {
      assertEquals(HEX.formatHex(m.version()), j.get("v").asText());
    }
    // every key the sender sent is shown, at the top level and in a / r
    assertAllKeysShown(raw, j);
    if (m instanceof Query q) {
      assertEquals("q", j.get("y").asText());
      assertEquals(q.method(), j.get("q").asText());
      if (q.id() != null) {
        assertEquals(q.id().toHex(), j.get("a").get("id").asText());
      }
      assertAllKeysShown((BDict) raw.get("a"), j.get("a"));
    } else if (m instanceof Response r) {
      assertEquals("r", j.get("y").asText());
      JsonNode body = j.get("r");
      assertEquals(r.id().toHex(), body.get("id").asText());
      assertAllKeysShown((BDict) raw.get("r"), body);
      if (r.hasNodes()) {
        assertEquals(r.nodes().size(), body.get("nodes").size());
        for (int i = 0; i < r.nodes().size(); i++) {
          JsonNode n = body.get("nodes").get(i);
          assertEquals(r.nodes().get(i).id().toHex(), n.get("id").asText());
          assertEquals(r.nodes().get(i).address().hostString(), n.get("ip").asText());
          assertEquals(r.nodes().get(i).address().port(), n.get("port").asInt());
        }
      }
      if (r.hasNodes6()) {
        assertEquals(r.nodes6().size(), body.get("nodes6").size());
      }
      if (r.hasValues()) {
        assertEquals(r.values().size(), body.get("values").size());
        for (int i = 0; i < r.values().size(); i++) {
          assertEquals(r.values().get(i).toString(), body.get("values").get(i).asText());
        }
      }
      if (r.token() != null) {
        assertEquals(HEX.formatHex(r.token()), body.get("token").asText());
      }
      if (r.externalIp() != null) {
        assertEquals(r.externalIp().toString(), j.get("ip").asText());
      }
    } else {
      ErrorMessage e = (ErrorMessage) m;
      assertEquals("e", j.get("y").asText());
      assertEquals(e.code(), j.get("e").get(0).asInt());
      assertEquals(e.message(), j.get("e").get(1).asText());
    }
  }

  private static void assertAllKeysShown(BDict raw, JsonNode obj) {
    for (BString k : raw.entries().keySet()) {
      String name = ByteText.textOrHex(k.src(), k.off(), k.len());
      assertTrue(obj.has(name), () -> "key '" + name + "' missing from " + obj);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidVectors")
  void everyInvalidVectorExitsTwoWithOneLine(InvalidVector v) {
    Cli.Result r = Cli.run("decode", "--hex", HEX.formatHex(v.bytes()));
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertEquals(1, r.errLines().size(), r::toString);
    String line = r.errLines().get(0);
    assertTrue(line.startsWith("dht decode: malformed KRPC message: "), line);
    assertTrue(line.contains(v.expectedReasonSubstring()), line);
    if (v.expectedOffset() >= 0) {
      assertTrue(line.endsWith(" at offset " + v.expectedOffset()), line);
    } else {
      assertTrue(line.matches(".* at offset \\d+"), line);
    }
  }

  @Test
  void bep5GetPeersResponseFieldByField() throws Exception {
    // d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re
    JsonNode j = json(Cli.run("decode", "--hex",
        HEX.formatHex(KrpcVectors.valid("bep5_get_peers_response_values").bytes())));
    assertEquals("6161", j.get("t").asText());
    assertEquals("r", j.get("y").asText());
    JsonNode r = j.get("r");
    assertEquals(HEX.formatHex("abcdefghij0123456789".getBytes(StandardCharsets.US_ASCII)), r.get("id").asText());
    assertEquals(HEX.formatHex("aoeusnth".getBytes(StandardCharsets.US_ASCII)), r.get("token").asText());
    assertEquals("97.120.106.101:11893", r.get("values").get(0).asText()); // "axje.u"
    assertEquals("105.100.104.116:28269", r.get("values").get(1).asText()); // "idhtnm"
  }

  @Test
  void ipv6ValuesAndNodes6() throws Exception {
    JsonNode j = json(Cli.run("decode", "--hex",
        HEX.formatHex(KrpcVectors.valid("get_peers_response_mixed").bytes())));
    JsonNode r = j.get("r");
    assertTrue(r.get("values").get(1).asText().matches("\\[[0-9a-f:]+\\]:\\d+"), r.toString());
    JsonNode n6 = r.get("nodes6").get(0);
    assertTrue(n6.get("ip").asText().contains(":"), n6.toString());
    assertEquals(40, n6.get("id").asText().length());
    assertTrue(n6.get("port").isInt());
  }

  @Test
  void errorMessageAndQueryFlagsPrintAsText() throws Exception {
    JsonNode e = json(Cli.run("decode", "--hex", HEX.formatHex(KrpcVectors.valid("bep5_error").bytes())));
    assertEquals("e", e.get("y").asText());
    assertEquals(201, e.get("e").get(0).asInt());
    assertEquals("A Generic Error Ocurred", e.get("e").get(1).asText());

    JsonNode q = json(Cli.run("decode", "--hex", HEX.formatHex(KrpcVectors.valid("find_node_query_ro").bytes())));
    assertEquals("find_node", q.get("q").asText());
    assertEquals(1, q.get("ro").asInt());
    assertEquals("n6", q.get("a").get("want").get(0).asText());
  }

  @Test
  void explicitImpliedPortZeroIsNotHidden() throws Exception {
    JsonNode j = json(Cli.run("decode", "--hex",
        HEX.formatHex(KrpcVectors.valid("announce_peer_query_implied_port_0").bytes())));
    assertEquals(0, j.get("a").get("implied_port").asInt());
    assertTrue(j.get("a").get("port").isInt());
  }

  @Test
  void bep44ValueIsDecoded() throws Exception {
    JsonNode j = json(Cli.run("decode", "--hex",
        HEX.formatHex(KrpcVectors.valid("bep44_get_response_mutable").bytes())));
    assertEquals("Hello World!", j.get("r").get("v").asText());
    assertEquals(4, j.get("r").get("seq").asInt());
    assertEquals(64, j.get("r").get("k").asText().length());
    JsonNode imm = json(Cli.run("decode", "--hex",
        HEX.formatHex(KrpcVectors.valid("bep44_get_response_immutable").bytes())));
    assertTrue(imm.get("r").get("v").isArray(), imm.toString());
  }

  @Test
  void sampleIsAGetPeersResponse() throws Exception {
    JsonNode j = json(Cli.run("decode", "--sample"));
    assertEquals("r", j.get("y").asText());
    assertEquals(8, j.get("r").get("nodes").size());
    assertEquals(5, j.get("r").get("values").size());
    assertEquals("203.0.113.20:51413", j.get("r").get("values").get(0).asText());
    assertEquals("192.0.2.77:6881", j.get("ip").asText());
    assertEquals("4c540102", j.get("v").asText());
    assertTrue(j.get("r").has("token"));
  }

  @Test
  void readsAFileAndStandardInput(@TempDir Path dir) throws Exception {
    byte[] ping = KrpcVectors.valid("bep5_ping_query").bytes();
    Path f = dir.resolve("ping.bin");
    Files.write(f, ping);
    Cli.Result fromFile = Cli.run("decode", f.toString());
    Cli.Result fromStdin = Cli.runWithStdin(ping, "decode", "-");
    Cli.Result fromHex = Cli.run("decode", "--hex", HEX.formatHex(ping));
    JsonNode j = json(fromFile);
    assertEquals("ping", j.get("q").asText());
    assertEquals(fromHex.out(), fromFile.out());
    assertEquals(fromHex.out(), fromStdin.out());
  }

  @Test
  void hexIgnoresWhitespaceAndCase() throws Exception {
    String hex = HEX.formatHex(KrpcVectors.valid("bep5_ping_query").bytes()).toUpperCase();
    String spaced = hex.substring(0, 10) + " \n\t" + hex.substring(10);
    assertEquals("ping", json(Cli.run("decode", "--hex", spaced)).get("q").asText());
  }

  @Test
  void outputIsPrettyWithTwoSpaceIndent() {
    Cli.Result r = Cli.run("decode", "--hex", HEX.formatHex(KrpcVectors.valid("bep5_ping_query").bytes()));
    assertTrue(r.out().startsWith("{\n  \"t\": \"6161\",\n  \"y\": \"q\",\n  \"q\": \"ping\",\n"), r.out());
    assertTrue(r.out().endsWith("}\n"), r.out());
  }

  @Test
  void rawPrintsAnyBencode() throws Exception {
    byte[] torrentish = "d8:announce15:udp://x.example4:infod6:lengthi42e6:pieces3:\u0000\u0001\u0002ee"
        .getBytes(StandardCharsets.ISO_8859_1);
    JsonNode j = json(Cli.run("decode", "--raw", "--hex", HEX.formatHex(torrentish)));
    assertEquals("udp://x.example", j.get("announce").asText());
    assertEquals(42, j.get("info").get("length").asInt());
    assertEquals("000102", j.get("info").get("pieces").asText());
    JsonNode list = json(Cli.run("decode", "--raw", "--hex", HEX.formatHex("li1ei-2e0:e".getBytes(StandardCharsets.US_ASCII))));
    assertEquals("[1,-2,\"\"]", list.toString());
  }

  @Test
  void rawReportsMalformedBencode() {
    Cli.Result r = Cli.run("decode", "--raw", "--hex", HEX.formatHex("li01ee".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals(1, r.errLines().size(), r::toString);
    assertTrue(r.errLines().get(0).startsWith("dht decode: malformed bencode: "), r.err());
    assertTrue(r.errLines().get(0).contains("at offset 1"), r.err());
  }

  @Test
  void nonKrpcBencodeIsRejectedWithoutRaw() {
    Cli.Result r = Cli.run("decode", "--hex", HEX.formatHex("li1ee".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(2, r.exitCode());
    assertEquals("dht decode: malformed KRPC message: a KRPC message must be a dictionary at offset 0",
        r.errLines().get(0));
  }

  @Test
  void emptyInputIsMalformed() {
    Cli.Result r = Cli.runWithStdin(new byte[0], "decode", "-");
    assertEquals(2, r.exitCode());
    assertEquals(1, r.errLines().size(), r::toString);
    assertTrue(r.errLines().get(0).startsWith("dht decode: malformed KRPC message: "), r.err());
  }

  @Test
  void oversizedStandardInputIsRefused() {
    byte[] big = new byte[KrpcCodec.MAX_MESSAGE_SIZE + 10];
    Cli.Result r = Cli.runWithStdin(big, "decode", "-");
    assertEquals(2, r.exitCode());
    assertEquals(1, r.errLines().size(), r::toString);
    assertTrue(r.errLines().get(0).contains("more than " + KrpcCodec.MAX_MESSAGE_SIZE + " bytes"), r.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "decode",                          // no input
    "decode --sample --hex 6465",      // two inputs
    "decode - --sample",               // two inputs
    "decode --hex zz",                 // not hex
    "decode --hex 123",                // odd number of digits
    "decode --hex",                    // missing value
    "decode --bogus",                  // unknown option
    "decode a.bin b.bin",              // two files
    "decode --sample -v -q",           // contradictory
    "decode /nonexistent/dht-test.bin",
    "decode /",                        // a directory
    "decod --sample",                  // unknown command
  })
  void badArgumentsExitTwoWithOneLine(String line) {
    Cli.Result r = Cli.run(line.split(" "));
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertEquals(1, r.errLines().size(), r::toString);
    assertTrue(r.errLines().get(0).startsWith("dht"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void unknownCommandSuggestsTheNearestOne() {
    Cli.Result r = Cli.run("decod");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("did you mean 'decode'?"), r.err());
  }

  @Test
  void missingFileMessageNamesTheFile() {
    Cli.Result r = Cli.run("decode", "/nonexistent/dht-test.bin");
    assertEquals("dht decode: cannot read /nonexistent/dht-test.bin: no such file", r.errLines().get(0));
  }

  @Test
  void verboseAddsTheStackTrace() {
    Cli.Result r = Cli.run("-v", "decode", "/nonexistent/dht-test.bin");
    assertEquals(2, r.exitCode());
    assertTrue(r.errLines().size() > 1, r::toString);
    assertTrue(r.err().contains("\tat "), r.err());
  }

  @Test
  void genericByteStringsAreTextOrHex() {
    BValue s = BString.of("hello");
    assertEquals("hello", KrpcJson.generic(s).asText());
    assertEquals("00ff", KrpcJson.generic(BString.of(new byte[] {0, (byte) 0xff})).asText());
  }
}
