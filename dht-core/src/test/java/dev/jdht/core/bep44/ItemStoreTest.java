package dev.jdht.core.bep44;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jdht.core.server.RateLimiter;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The item store's caps: items, bytes, per source, and expiry, with the counts they keep. */
class ItemStoreTest {
  private static final long TTL = TimeUnit.HOURS.toNanos(2);
  private static final PeerAddress FLOODER = RateLimiter.key(PeerAddress.parse("10.0.0.66:4000"));
  private static final PeerAddress HONEST = RateLimiter.key(PeerAddress.parse("10.0.0.7:4000"));

  private static Item item(String s) {
    return Item.immutable(("" + s.length() + ":" + s).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void oneSourceAtItsCapReplacesItsOwnOldestAndLeavesTheOthersAlone() {
    ItemStore store = new ItemStore(100, 1 << 20, 5, TTL);
    List<Item> honest = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Item it = item("honest " + i);
      honest.add(it);
      store.put(it, i < 5 ? HONEST : RateLimiter.key(PeerAddress.parse("10.0.1." + i + ":1")), i);
    }
    List<Item> flood = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Item it = item("flood " + i);
      flood.add(it);
      store.put(it, FLOODER, 100 + i);
    }
    assertEquals(15, store.size(), "10 honest items and the flooder's last 5");
    assertEquals(5, store.countFrom(FLOODER));
    assertEquals(5, store.countFrom(HONEST));
    assertEquals(995, store.sourceCapEvictions());
    for (Item it : honest) {
      assertNotNull(store.get(it.target(), 2_000), "an honest item survives the flood");
    }
    assertNull(store.get(flood.get(994).target(), 2_000));
    assertNotNull(store.get(flood.get(995).target(), 2_000));
    assertEquals(7, store.sources());
  }

  @Test
  void aRefreshOrAReplacementMovesTheChargeAndExpiryReleasesIt() {
    ItemStore store = new ItemStore(100, 1 << 20, 2, TTL);
    Item a = item("a");
    store.put(a, FLOODER, 0);
    store.put(a, FLOODER, 1); // a refresh: still one item charged once
    assertEquals(1, store.countFrom(FLOODER));
    store.put(a, HONEST, 2); // the same target put by another source is charged to it
    assertEquals(0, store.countFrom(FLOODER));
    assertEquals(1, store.countFrom(HONEST));
    store.put(item("b"), FLOODER, 3);
    store.expire(3 + TTL);
    assertEquals(0, store.size());
    assertEquals(0, store.sources());
    assertEquals(0, store.bytes());
  }

  @Test
  void theStoreCapsStillApplyAndUnchargedPutsAreOnlyCappedByThem() {
    ItemStore store = new ItemStore(3, 1 << 20, 2, TTL);
    store.put(item("x"), 0);
    store.put(item("y"), 1);
    store.put(item("z"), 2);
    store.put(item("w"), HONEST, 3);
    assertEquals(3, store.size());
    assertNull(store.get(item("x").target(), 4), "the oldest went at the item cap");
    assertThrows(IllegalArgumentException.class, () -> new ItemStore(3, 1 << 20, 0, TTL));
    assertEquals(100, ItemConfig.defaults().maxItemsPerSource());
    assertEquals(3, new ItemConfig(3, 1 << 20, TTL).maxItemsPerSource());
  }
}
