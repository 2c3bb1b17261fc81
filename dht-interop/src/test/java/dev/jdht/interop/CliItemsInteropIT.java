package dev.jdht.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jdht.cli.Main;
import dev.jdht.core.bep44.Ed25519;
import dev.jdht.core.bep44.Item;
import dev.jdht.core.bep44.KeyPair;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dht put} and {@code dht get} (the CLI, in-process) on a loopback network made only of
 * libtorrent (127.5.1.x) and bittorrent-dht (127.5.2.x) nodes: what the CLI puts is fetched by a
 * libtorrent and a bittorrent-dht client, and what they put is fetched by the CLI.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CliItemsInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final Duration CMD = Duration.ofSeconds(30);
  private static InteropProcess lt;
  private static InteropProcess bt;
  private static List<String> all;

  @TempDir Path tmp;

  @BeforeAll
  static void network() throws Exception {
    Interop.requireImplementations();
    Path logs = Interop.logDir("CliItemsInteropIT");
    lt = Interop.libtorrent("lt", logs, 10, "127.5.1.1", Duration.ofSeconds(300), "--seed", "51");
    bt = Interop.bittorrentDht("bt", logs, 10, "127.5.2.1", Duration.ofSeconds(300), "--seed", "52");
    all = new ArrayList<>(lt.addresses());
    all.addAll(bt.addresses());
    for (InteropProcess p : List.of(lt, bt)) {
      p.call(InteropProcess.command("bootstrap").set("nodes", Interop.strings(all)), CMD);
    }
    for (InteropProcess p : List.of(lt, bt)) {
      JsonNode w = p.call(InteropProcess.command("wait_table").put("min", 8).put("timeout", 60), Duration.ofSeconds(90));
      assertTrue(w.path("reached").asBoolean(), p.name() + " tables: " + w);
    }
  }

  @AfterAll
  static void stop() {
    for (InteropProcess p : new InteropProcess[] {lt, bt}) {
      if (p != null) {
        p.close();
      }
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run dht(String bind, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--bootstrap", String.join(",", all.subList(0, 4)) + "," + String.join(",", all.subList(10, 14)),
        "--bind", bind + ":0", "--timeout", "40s"));
    return cli(a.toArray(new String[0]));
  }

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private JsonNode probe(String name, List<String> cmd, List<String> contacts) throws Exception {
    List<String> c = new ArrayList<>(cmd);
    contacts.forEach(x -> c.addAll(List.of("--contact", x)));
    Path err = tmp.resolve(name + ".stderr");
    Process p = new ProcessBuilder(c).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " exits");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.exitValue(), out + "\n" + Files.readString(err));
    return new ObjectMapper().readTree(out);
  }

  private JsonNode libtorrent(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Interop.PYTHON, Interop.interopDir().resolve("lt_items.py").toString(),
        "--ip", "127.5.1.200", "--timeout", "25"));
    cmd.addAll(List.of(args));
    return probe("lt_items", cmd, lt.addresses().subList(0, 5));
  }

  private JsonNode bittorrentDht(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("node", Interop.interopDir().resolve("bt_items.js").toString(),
        "--ip", "127.5.2.200", "--timeout", "25"));
    cmd.addAll(List.of(args));
    return probe("bt_items", cmd, bt.addresses().subList(0, 5));
  }

  @Test
  void cliPutsAreFetchedByLibtorrentAndBittorrentDht() throws Exception {
    Run put = dht("127.5.3.1", "put", "from the dht cli", "--json");
    assertEquals(0, put.code(), put.out() + put.err());
    JsonNode p = new ObjectMapper().readTree(put.out());
    String target = p.get("target").asText();
    assertTrue(p.get("stored").size() > 0, put.out());
    assertEquals("from the dht cli", libtorrent("--get-immutable", target).get("immutable").get("value").asText());
    assertEquals("from the dht cli", bittorrentDht("--get-immutable", target).get("immutable").get("value").asText());

    Path key = tmp.resolve("cli.key");
    Run kg = cli("keygen", key.toString());
    assertEquals(0, kg.code(), kg.err());
    String pub = kg.out().strip();
    Run m1 = dht("127.5.3.3", "put", "--key", key.toString(), "--salt", "cli", "mutable one");
    assertEquals(0, m1.code(), m1.out() + m1.err());
    Run m2 = dht("127.5.3.4", "put", "--key", key.toString(), "--salt", "cli", "mutable two", "--json");
    assertEquals(0, m2.code(), m2.out() + m2.err());
    assertEquals(2, new ObjectMapper().readTree(m2.out()).get("seq").asInt(), m2.out());
    JsonNode ltm = libtorrent("--get-mutable", pub, "--salt", "cli").get("mutable");
    assertEquals("mutable two", ltm.get("value").asText(), ltm.toString());
    assertEquals(2, ltm.get("seq").asInt());
    JsonNode btm = bittorrentDht("--get-mutable", pub, "--salt", "cli").get("mutable");
    assertEquals("mutable two", btm.get("value").asText(), btm.toString());
    assertEquals(2, btm.get("seq").asInt());
  }

  @Test
  void theirPutsAreFetchedByTheCli() throws Exception {
    byte[] ltSeed = new byte[32];
    new Random(53).nextBytes(ltSeed);
    byte[] ltPublic = Ed25519.publicKey(ltSeed);
    JsonNode l = libtorrent("--put-immutable", "put by libtorrent",
        "--put-mutable", "libtorrent mutable", "--secret", HEX.formatHex(Ed25519.expand(ltSeed)),
        "--pubkey", HEX.formatHex(ltPublic), "--salt", "lt");
    assertTrue(l.get("put_immutable").get("num_success").asInt() > 0, l.toString());
    Run g1 = dht("127.5.3.5", "get", l.get("put_immutable").get("target").asText());
    assertEquals(0, g1.code(), g1.out() + g1.err());
    assertEquals("put by libtorrent\n", g1.out());
    Run g2 = dht("127.5.3.6", "get", "--pubkey", HEX.formatHex(ltPublic), "--salt", "lt", "--json");
    assertEquals(0, g2.code(), g2.out() + g2.err());
    JsonNode j2 = new ObjectMapper().readTree(g2.out());
    assertEquals("libtorrent mutable", j2.get("item").get("value").asText());
    assertEquals(0, j2.get("invalid_responses").asInt());

    byte[] btSeed = new byte[32];
    new Random(54).nextBytes(btSeed);
    JsonNode b = bittorrentDht("--put-immutable", "put by bittorrent-dht",
        "--put-mutable", "bittorrent-dht mutable", "--seed", HEX.formatHex(btSeed), "--seq", "3", "--salt", "bt");
    assertTrue(b.get("put_immutable").get("nodes").asInt() > 0, b.toString());
    String btTarget = b.get("put_immutable").get("target").asText();
    assertEquals(Item.immutableTarget("21:put by bittorrent-dht".getBytes(StandardCharsets.US_ASCII)).toHex(), btTarget);
    Run g3 = dht("127.5.3.7", "get", btTarget);
    assertEquals(0, g3.code(), g3.out() + g3.err());
    assertEquals("put by bittorrent-dht\n", g3.out());
    Run g4 = dht("127.5.3.8", "get", "--pubkey", KeyPair.fromSecret(btSeed).publicKeyHex(), "--salt", "bt", "--json");
    assertEquals(0, g4.code(), g4.out() + g4.err());
    JsonNode j4 = new ObjectMapper().readTree(g4.out());
    assertEquals("bittorrent-dht mutable", j4.get("item").get("value").asText());
    assertEquals(3, j4.get("item").get("seq").asInt());
  }
}
