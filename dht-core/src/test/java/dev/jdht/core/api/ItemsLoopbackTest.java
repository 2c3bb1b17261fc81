package dev.jdht.core.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.bep44.Item;
import dev.jdht.core.bep44.KeyPair;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The BEP 44 API of {@link Dht#items()} on a few real nodes over UDP loopback. */
@Timeout(60)
class ItemsLoopbackTest {
  private final List<Dht> nodes = new ArrayList<>();

  private Dht start(String bootstrap) throws Exception {
    Dht d = Dht.builder()
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .allowLocalAddresses(true)
        .readyTimeout(Duration.ofSeconds(10))
        .readyMinGoodNodes(1)
        .queryTimeout(Duration.ofMillis(500))
        .bootstrap(bootstrap == null ? List.of() : List.of(bootstrap))
        .start();
    nodes.add(d);
    return d;
  }

  private static byte[] str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return (b.length + ":" + s).getBytes(StandardCharsets.UTF_8);
  }

  @BeforeEach
  void network() throws Exception {
    Dht first = start(null);
    String boot = "127.0.0.1:" + first.localAddress().getPort();
    for (int i = 0; i < 5; i++) {
      start(boot);
    }
    for (Dht d : nodes.subList(1, nodes.size())) {
      d.ready().get(10, TimeUnit.SECONDS);
    }
    for (Dht d : nodes) { // everyone learns everyone
      d.findNode(d.nodeId()).get(10, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void closeAll() {
    nodes.forEach(Dht::close);
  }

  @Test
  void immutableRoundTrip() throws Exception {
    PutReport put = nodes.get(1).items().putImmutable(str("Hello World!")).get(10, TimeUnit.SECONDS);
    assertEquals("e5f96f6f38320f0f33959cb4d3d656452117aadb", put.target().toHex());
    assertTrue(put.succeeded(), put.toString());
    assertTrue(put.errors().isEmpty(), put.errors().toString());
    ItemReport got = nodes.get(4).items().getImmutable(put.target()).get(10, TimeUnit.SECONDS);
    assertTrue(got.found());
    assertArrayEquals(str("Hello World!"), got.item().value());
    assertNotNull(got.timeToFirstItem());
    assertTrue(got.lookup().responses() >= 1);
    assertTrue(nodes.stream().mapToInt(d -> stats(d).storedItems()).sum() >= 1);
  }

  private static DhtStats stats(Dht d) {
    try {
      return d.stats().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void mutableUpdatesIncreaseSeqAndSeeTheCurrentValue() throws Exception {
    KeyPair keys = KeyPair.fromSecret(new byte[32]);
    byte[] salt = "name".getBytes(StandardCharsets.US_ASCII);
    AtomicReference<byte[]> seenByFunction = new AtomicReference<>(new byte[] {1});
    PutReport first = nodes.get(2).items().putMutable(keys, salt, current -> {
      seenByFunction.set(current);
      return str("one");
    }).get(10, TimeUnit.SECONDS);
    assertNull(seenByFunction.get(), "no current item at first");
    assertEquals(1, first.item().seq());
    assertTrue(first.succeeded(), first.errors().toString());

    PutReport second = nodes.get(3).items().putMutable(keys, salt, current -> {
      seenByFunction.set(current);
      return str("two");
    }).get(10, TimeUnit.SECONDS);
    assertArrayEquals(str("one"), seenByFunction.get());
    assertEquals(2, second.item().seq());
    assertTrue(second.errors().isEmpty(), second.errors().toString());

    ItemReport got = nodes.get(5).items().getMutable(keys.publicKey(), salt).get(10, TimeUnit.SECONDS);
    assertEquals(2, got.item().seq());
    assertArrayEquals(str("two"), got.item().value());
    assertTrue(got.item().verify());
    assertEquals(Item.mutableTarget(keys.publicKey(), salt), got.target());

    ItemReport none = nodes.get(5).items().getMutable(keys.publicKey(), null).get(10, TimeUnit.SECONDS);
    assertFalse(none.found(), "no salt is another target");
  }

  @Test
  void badValuesAreRefusedBeforeAnythingIsSent() {
    assertThrows(IllegalArgumentException.class, () -> nodes.get(0).items().putImmutable(str("x".repeat(997))));
    assertThrows(IllegalArgumentException.class, () -> nodes.get(0).items().putImmutable("not bencode".getBytes()));
    ExecutionException e = assertThrows(ExecutionException.class, () -> nodes.get(0).items()
        .putMutable(KeyPair.fromSecret(new byte[32]), null, v -> "6:short".getBytes()).get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
    assertThrows(IllegalArgumentException.class, () -> nodes.get(0).items().getMutable(new byte[31], null));
  }
}
