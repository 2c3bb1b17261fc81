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
 * BEP 44 with libtorrent: items we put are fetched by libtorrent ({@code dht_get_immutable_item},
 * {@code dht_get_mutable_item}), and items libtorrent puts (its mutable one signed with a 64-byte
 * secret key we expanded from a seed) are fetched by us with valid signatures, identical to ours.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ItemsLibtorrentIT {
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

  @Test
  void itemsBothWays() throws Exception {
    Interop.requireLibtorrent();
    for (int i = 0; i < 6; i++) {
      Dht d = Interop.ourNode("127.4.44." + (i + 1), NodeId.random(random))
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
    Path logs = Interop.logDir("ItemsLibtorrentIT");
    Files.createDirectories(logs);
    Path err = logs.resolve("lt_items.stderr");
    List<String> cmd = new ArrayList<>(List.of(Interop.PYTHON, Interop.interopDir().resolve("lt_items.py").toString(),
        "--ip", "127.4.44.99", "--timeout", "25",
        "--put-immutable", "from libtorrent",
        "--put-mutable", "theirs v1", "--secret", HEX.formatHex(theirSecret), "--pubkey", HEX.formatHex(theirPublic),
        "--salt", "bep44",
        "--get-immutable", imm.target().toHex(),
        "--get-mutable", mine.publicKeyHex()));
    for (Dht d : ours) {
      cmd.addAll(List.of("--contact", Interop.addr(d)));
    }
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(100, TimeUnit.SECONDS), "lt_items exits");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.exitValue(), out + "\n" + Files.readString(err));
    JsonNode r = new ObjectMapper().readTree(out);

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

  private byte[] seed(int n) {
    byte[] s = new byte[32];
    new Random(n * 1000L + 44).nextBytes(s);
    return s;
  }
}
