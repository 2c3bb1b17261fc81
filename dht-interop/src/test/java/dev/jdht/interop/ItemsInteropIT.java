package dev.jdht.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.ItemReport;
import dev.jdht.core.api.PutReport;
import dev.jdht.core.bep44.Ed25519;
import dev.jdht.core.bep44.Item;
import dev.jdht.core.bep44.KeyPair;
import dev.jdht.krpc.wire.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BEP 44 with libtorrent and npm bittorrent-dht on loopback: items we put are fetched by them
 * (libtorrent's {@code dht_get_immutable_item} / {@code dht_get_mutable_item}, bittorrent-dht's
 * {@code dht.get}), and items they put are fetched by us with valid signatures. libtorrent signs
 * its mutable item with a 64-byte secret key we expanded from a seed: its signature must equal
 * ours byte for byte.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ItemsInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private final List<Dht> ours = new ArrayList<>();
  private final Random random = new Random(4404);

  @AfterEach
  void close() {
    ours.forEach(Dht::close);
  }

  private static byte[] str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return (b.length + ":" + s).getBytes(StandardCharsets.UTF_8);
  }

  /** Six of our nodes on {@code prefix}.1..6 that know each other. */
  private void startOurs(String prefix) throws Exception {
    for (int i = 0; i < 6; i++) {
      Dht d = Interop.ourNode(prefix + (i + 1), NodeId.random(random))
          .bootstrap(i == 0 ? List.of() : List.of(Interop.addr(ours.get(0))))
          .readyMinGoodNodes(1)
          .start();
      ours.add(d);
    }
    for (Dht d : ours.subList(1, ours.size())) {
      d.ready().get(30, TimeUnit.SECONDS);
    }
    for (Dht d : ours) {
      d.findNode(d.nodeId()).get(30, TimeUnit.SECONDS);
    }
  }

  /** Runs a probe script with all our nodes as contacts; its one JSON line. */
  private JsonNode probe(String name, List<String> cmd) throws Exception {
    List<String> all = new ArrayList<>(cmd);
    for (Dht d : ours) {
      all.addAll(List.of("--contact", Interop.addr(d)));
    }
    Path logs = Interop.logDir("ItemsInteropIT");
    Files.createDirectories(logs);
    Path err = logs.resolve(name + ".stderr");
    Process p = new ProcessBuilder(all).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(100, TimeUnit.SECONDS), name + " exits");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.exitValue(), out + "\n" + Files.readString(err));
    return new ObjectMapper().readTree(out);
  }

  @Test
  void libtorrentBothWays() throws Exception {
    Interop.requireLibtorrent();
    startOurs("127.4.44.");
    byte[] salt = "bep44".getBytes(StandardCharsets.US_ASCII);

    // ours: an immutable item and a mutable one
    PutReport imm = ours.get(1).items().putImmutable(str("from jdht")).get(30, TimeUnit.SECONDS);
    assertTrue(imm.succeeded(), imm.errors().toString());
    KeyPair mine = KeyPair.fromSecret(seed(1));
    PutReport mut = ours.get(2).items().putMutable(mine, salt, v -> str("ours v1")).get(30, TimeUnit.SECONDS);
    assertTrue(mut.succeeded(), mut.errors().toString());
    assertEquals(1, mut.item().seq());

    // theirs: libtorrent signs with its own ed25519 and the 64-byte key we expanded
    byte[] theirSeed = seed(2);
    byte[] theirSecret = Ed25519.expand(theirSeed);
    byte[] theirPublic = Ed25519.publicKey(theirSeed);
    JsonNode r = probe("lt_items", List.of(Interop.PYTHON, Interop.interopDir().resolve("lt_items.py").toString(),
        "--ip", "127.4.44.99", "--timeout", "25",
        "--put-immutable", "from libtorrent",
        "--put-mutable", "theirs v1", "--secret", HEX.formatHex(theirSecret), "--pubkey", HEX.formatHex(theirPublic),
        "--salt", "bep44",
        "--get-immutable", imm.target().toHex(),
        "--get-mutable", mine.publicKeyHex()));
    String out = r.toString();

    // us -> libtorrent
    assertEquals("from jdht", r.get("immutable").get("value").asText(), out);
    assertEquals("ours v1", r.get("mutable").get("value").asText(), out);
    assertEquals(1, r.get("mutable").get("seq").asInt(), out);
    assertEquals(HEX.formatHex(mut.item().signature()), r.get("mutable").get("signature").asText());

    // libtorrent -> us
    assertTrue(r.get("put_immutable").get("num_success").asInt() > 0, out);
    assertTrue(r.get("put_mutable").get("num_success").asInt() > 0, out);
    NodeId theirTarget = Item.immutableTarget(str("from libtorrent"));
    assertEquals(theirTarget.toHex(), r.get("put_immutable").get("target").asText());
    ItemReport gotImm = ours.get(4).items().getImmutable(theirTarget).get(30, TimeUnit.SECONDS);
    assertTrue(gotImm.found(), gotImm.toString());
    assertArrayEquals(str("from libtorrent"), gotImm.item().value());
    ItemReport gotMut = ours.get(5).items().getMutable(theirPublic, salt).get(30, TimeUnit.SECONDS);
    assertTrue(gotMut.found(), gotMut.toString());
    long seq = r.get("put_mutable").get("seq").asLong();
    assertEquals(seq, gotMut.item().seq());
    assertArrayEquals(str("theirs v1"), gotMut.item().value());
    assertTrue(gotMut.item().verify(), "libtorrent's signature verifies");
    assertEquals(0, gotMut.invalidResponses());
    // and our expanded-key signing gives libtorrent's signature byte for byte
    Item ourSigning = Item.signed(new KeyPair(theirPublic, theirSecret), salt, seq, str("theirs v1"));
    assertArrayEquals(ourSigning.signature(), gotMut.item().signature());
  }

  @Test
  void bittorrentDhtBothWays() throws Exception {
    Interop.requireImplementations();
    startOurs("127.4.45.");
    byte[] salt = "bt44".getBytes(StandardCharsets.US_ASCII);
    PutReport imm = ours.get(1).items().putImmutable(str("jdht to bt")).get(30, TimeUnit.SECONDS);
    assertTrue(imm.succeeded(), imm.errors().toString());
    KeyPair mine = KeyPair.fromSecret(seed(3));
    PutReport mut = ours.get(2).items().putMutable(mine, salt, v -> str("ours for bt")).get(30, TimeUnit.SECONDS);
    assertTrue(mut.succeeded(), mut.errors().toString());

    byte[] theirSeed = seed(4);
    JsonNode r = probe("bt_items", List.of("node", Interop.interopDir().resolve("bt_items.js").toString(),
        "--ip", "127.4.45.99", "--timeout", "25",
        "--put-immutable", "bt to jdht",
        "--put-mutable", "theirs from bt", "--seed", HEX.formatHex(theirSeed), "--seq", "7", "--salt", "bt44",
        "--get-immutable", imm.target().toHex(),
        "--get-mutable", mine.publicKeyHex()));
    String out = r.toString();

    // us -> bittorrent-dht
    assertEquals("jdht to bt", r.get("immutable").get("value").asText(), out);
    assertEquals("ours for bt", r.get("mutable").get("value").asText(), out);
    assertEquals(1, r.get("mutable").get("seq").asInt(), out);

    // bittorrent-dht -> us
    assertTrue(r.get("put_immutable").get("nodes").asInt() > 0, out);
    assertTrue(r.get("put_mutable").get("nodes").asInt() > 0, out);
    NodeId theirTarget = Item.immutableTarget(str("bt to jdht"));
    assertEquals(theirTarget.toHex(), r.get("put_immutable").get("target").asText());
    ItemReport gotImm = ours.get(4).items().getImmutable(theirTarget).get(30, TimeUnit.SECONDS);
    assertTrue(gotImm.found(), gotImm.toString());
    assertArrayEquals(str("bt to jdht"), gotImm.item().value());
    byte[] theirPublic = Ed25519.publicKey(theirSeed);
    assertEquals(HEX.formatHex(theirPublic), r.get("put_mutable").get("public_key").asText());
    ItemReport gotMut = ours.get(5).items().getMutable(theirPublic, salt).get(30, TimeUnit.SECONDS);
    assertTrue(gotMut.found(), gotMut.toString());
    assertEquals(7, gotMut.item().seq());
    assertArrayEquals(str("theirs from bt"), gotMut.item().value());
    assertTrue(gotMut.item().verify(), "bittorrent-dht's signature verifies");
    assertEquals(0, gotMut.invalidResponses());
  }

  private byte[] seed(int n) {
    byte[] s = new byte[32];
    new Random(n * 1000L + 44).nextBytes(s);
    return s;
  }
}
