package dev.jdht.core.bep44;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.bep44.ItemLookups.GetResult;
import dev.jdht.core.bep44.ItemLookups.PutResult;
import dev.jdht.core.bep44.ItemLookups.Wanted;
import dev.jdht.core.sim.SimConfig;
import dev.jdht.core.sim.SimNode;
import dev.jdht.core.sim.SimulatedNetwork;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BEP 44 put and get over a simulated network of real nodes (virtual clock, latency). */
class ItemSimulationTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private SimulatedNetwork net;
  private final Random random = new Random(4444);

  @BeforeEach
  void setUp() {
    net = new SimulatedNetwork(SimConfig.builder(44).build());
    net.buildPreseeded(1_000);
  }

  private static byte[] str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return (b.length + ":" + s).getBytes(StandardCharsets.UTF_8);
  }

  private GetResult get(SimNode from, Wanted w) {
    GetResult[] out = {null};
    ItemLookups.get(from.node(), w, r -> out[0] = r);
    assertTrue(net.runUntil(() -> out[0] != null, net.now() + MINUTE), "get finished");
    assertNull(out[0].error());
    return out[0];
  }

  private PutResult put(SimNode from, GetResult found, Item item) {
    PutResult[] out = {null};
    ItemLookups.put(from.node(), found, item, r -> out[0] = r);
    assertTrue(net.runUntil(() -> out[0] != null, net.now() + MINUTE), "put finished");
    return out[0];
  }

  /** The owner's update: read the current seq, put seq + 1. */
  private PutResult update(SimNode owner, KeyPair keys, byte[] salt, String value) {
    GetResult current = get(owner, Wanted.mutable(keys.publicKey(), salt));
    long seq = current.item() == null ? 1 : current.item().seq() + 1;
    return put(owner, current, Item.signed(keys, salt, seq, str(value)));
  }

  @Test
  void anImmutableItemPutByOneNodeIsFoundByOthers() {
    Item item = Item.immutable(str("an immutable value"));
    SimNode writer = net.randomOnline();
    PutResult p = put(writer, get(writer, Wanted.immutable(item.target())), item);
    assertEquals(8, p.targets().size());
    assertEquals(8, p.stored().size(), "every close node stored it: " + p.errors());
    for (int i = 0; i < 5; i++) {
      GetResult g = get(net.randomOnline(), Wanted.immutable(item.target()));
      assertEquals(item, g.item());
      assertTrue(g.valid() >= 1);
      assertEquals(0, g.invalid());
      assertTrue(g.firstItemAt() >= g.lookup().startedAt());
    }
  }

  @Test
  void aMutableItemUpdated100TimesConvergesOnTheHighestSeqAndAttackersChangeNothing() {
    byte[] seed = new byte[32];
    random.nextBytes(seed);
    KeyPair keys = KeyPair.fromSecret(seed);
    byte[] salt = "feed".getBytes(StandardCharsets.US_ASCII);
    Wanted wanted = Wanted.mutable(keys.publicKey(), salt);
    SimNode owner = net.randomOnline();
    Item seq50 = null;
    for (int i = 1; i <= 100; i++) {
      PutResult p = update(owner, keys, salt, "value " + i);
      assertEquals(i, p.item().seq());
      assertTrue(p.stored().size() >= 6, "update " + i + " stored by " + p.stored().size() + ": " + p.errors());
      if (i == 50) {
        seq50 = p.item();
      }
      GetResult g = get(net.randomOnline(), wanted);
      assertNotNull(g.item(), "update " + i);
      assertEquals(i, g.item().seq(), "a lookup after update " + i);
      assertArrayEquals(str("value " + i), g.item().value());
    }

    SimNode attacker = net.randomOnline();
    // replaying an old, validly signed item: every node holding the current one refuses it as an
    // old seq (a close node that never got the item may take it, as BEP 44 allows: lookups still
    // return the highest seq below)
    GetResult seen = get(attacker, wanted);
    PutResult replay = put(attacker, seen, seq50);
    int holders = 0;
    for (var n : replay.targets()) {
      if (Long.valueOf(100).equals(seen.seqByNode().get(n.address()))) {
        holders++;
        assertTrue(replay.errors().getOrDefault(n, "").startsWith("302"), n + ": " + replay.errors().get(n));
      }
    }
    assertTrue(holders >= 6, "nodes holding seq 100: " + holders);
    // a higher seq with a forged signature: refused as an invalid signature
    byte[] forgedSig = new byte[64];
    random.nextBytes(forgedSig);
    Item forged = new Item(str("evil"), keys.publicKey(), forgedSig, 1000, salt);
    PutResult forgery = put(attacker, get(attacker, wanted), forged);
    assertTrue(forgery.stored().isEmpty());
    assertTrue(forgery.errors().values().stream().allMatch(e -> e.startsWith("206")), forgery.errors().toString());
    // the attacker's own key under the owner's salt lands elsewhere (another target)
    Item own = Item.signed(KeyPair.fromSecret(new byte[32]), salt, 1000, str("evil"));
    assertTrue(!own.target().equals(wanted.target()));

    for (int i = 0; i < 5; i++) {
      GetResult g = get(net.randomOnline(), wanted);
      assertEquals(100, g.item().seq());
      assertArrayEquals(str("value 100"), g.item().value());
      assertEquals(0, g.invalid());
    }
  }
}
