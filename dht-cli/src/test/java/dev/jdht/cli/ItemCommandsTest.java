package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.core.bep44.Ed25519;
import dev.jdht.core.bep44.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code dht put}, {@code dht get} and {@code dht keygen} on the loopback test network. */
@Timeout(120)
class ItemCommandsTest {
  @TempDir Path tmp;

  private static Cli.Result dht(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--bootstrap";
    all[args.length + 1] = TestNet.bootstrap();
    return Cli.run(all);
  }

  @Test
  void immutablePutThenGet() throws Exception {
    Cli.Result put = dht("put", "Hello World!", "--bind", "127.0.39.21:0");
    assertEquals(0, put.exitCode(), put::toString);
    assertEquals("e5f96f6f38320f0f33959cb4d3d656452117aadb\n", put.out());
    assertTrue(put.err().contains("stored by 8 of 8 nodes"), put.err());

    Cli.Result get = dht("get", "e5f96f6f38320f0f33959cb4d3d656452117aadb", "--bind", "127.0.39.22:0");
    assertEquals(0, get.exitCode(), get::toString);
    assertEquals("Hello World!\n", get.out());
    Cli.Result raw = dht("get", "e5f96f6f38320f0f33959cb4d3d656452117aadb", "--bencode", "--bind", "127.0.39.22:0");
    assertEquals("12:Hello World!\n", raw.out());

    Cli.Result json = dht("put", "--bencode", "d1:ai1e1:bli2ei3eee", "--json", "--bind", "127.0.39.23:0");
    assertEquals(0, json.exitCode(), json::toString);
    JsonNode j = Json.mapper().readTree(json.out());
    assertTrue(j.get("value").isNull(), "a dictionary is not a string");
    assertEquals("d1:ai1e1:bli2ei3eee", j.get("bencoded").asText());
    assertEquals(8, j.get("stored").size());
    JsonNode g = Json.mapper().readTree(dht("get", j.get("target").asText(), "--json", "--bind", "127.0.39.24:0").out());
    assertEquals("d1:ai1e1:bli2ei3eee", g.get("item").get("bencoded").asText());
    assertTrue(g.get("valid_responses").asInt() >= 1);
    assertTrue(g.get("lookup").get("queries").asInt() >= 1);
  }

  @Test
  void mutablePutWithKeygenKeyAndSaltThenGetByPublicKey() throws Exception {
    Path key = tmp.resolve("me.key");
    Cli.Result kg = Cli.run("keygen", key.toString());
    assertEquals(0, kg.exitCode(), kg::toString);
    String pub = kg.out().strip();
    assertEquals(64, pub.length());
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(key));
    assertEquals(pub, KeyFile.read(key).publicKeyHex());
    Cli.Result again = Cli.run("keygen", key.toString());
    assertEquals(2, again.exitCode(), "an existing key file is not replaced without --force");

    Cli.Result p1 = dht("put", "--key", key.toString(), "--salt", "status", "first", "--bind", "127.0.39.25:0");
    assertEquals(0, p1.exitCode(), p1::toString);
    assertTrue(p1.err().contains("seq 1"), p1.err());
    Cli.Result p2 = dht("put", "--key", key.toString(), "--salt", "status", "second", "--json", "--bind", "127.0.39.26:0");
    assertEquals(0, p2.exitCode(), p2::toString);
    JsonNode j = Json.mapper().readTree(p2.out());
    assertEquals(2, j.get("seq").asInt());
    assertEquals(pub, j.get("public_key").asText());
    assertEquals(0, j.get("errors").size(), j.toString());

    Cli.Result get = dht("get", "--pubkey", pub, "--salt", "status", "--bind", "127.0.39.27:0");
    assertEquals(0, get.exitCode(), get::toString);
    assertEquals("second\n", get.out());
    assertTrue(get.err().startsWith("seq 2, from "), get.err());
    Cli.Result noSalt = dht("get", "--pubkey", pub, "--json", "--timeout", "10s", "--bind", "127.0.39.27:0");
    assertEquals(1, noSalt.exitCode(), noSalt::toString);
    JsonNode nf = Json.mapper().readTree(noSalt.out());
    assertTrue(nf.get("item").isNull());
    assertEquals("not_found", nf.get("error").get("code").asText());
  }

  @Test
  void aLibtorrentSixtyFourByteSecretKeyWorks() throws Exception {
    byte[] seed = new byte[32];
    seed[0] = 7;
    byte[] expanded = Ed25519.expand(seed);
    Path key = tmp.resolve("lt.key");
    Files.writeString(key, HexFormat.of().formatHex(expanded) + "\n");
    String pub = KeyPair.fromSecret(seed).publicKeyHex();
    Cli.Result p = dht("put", "--key", key.toString(), "from libtorrent's key", "--bind", "127.0.39.28:0");
    assertEquals(0, p.exitCode(), p::toString);
    Cli.Result g = dht("get", "--pubkey", pub, "--bind", "127.0.39.29:0");
    assertEquals("from libtorrent's key\n", g.out(), g::toString);
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Path bad = tmp.resolve("bad.key");
    Files.writeString(bad, "not a key\n");
    assertUsage("holds no key", "put", "--key", bad.toString(), "x");
    assertUsage("BEP 44 allows 1000", "put", "x".repeat(997));
    assertUsage("not one bencoded value", "put", "--bencode", "d1:a");
    assertUsage("not one bencoded value", "put", "--bencode", "1:a1:b");
    assertUsage("--salt needs --key", "put", "--salt", "s", "x");
    assertUsage("give either TARGET", "get");
    assertUsage("is not a public key", "get", "--pubkey", "abcd");
    assertUsage("BEP 44 allows 64", "get", "--pubkey", "00".repeat(32), "--salt", "s".repeat(65));
    Cli.Result r = Cli.run("get", "--json");
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals("usage", j.get("error").get("code").asText());
  }

  private static void assertUsage(String message, String... args) {
    Cli.Result r = Cli.run(args);
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals(1, r.errLines().size(), r::toString);
    assertTrue(r.err().contains(message), r::toString);
  }
}
