package dev.jdht.core.bep44;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.routing.RoutingConfig;
import dev.jdht.core.time.ManualClock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The BEP 44 server side of a node, driven with encoded datagrams under a fake clock: every bad
 * put gets its BEP error code and stores nothing.
 */
class ItemServerTest {
  private final ManualClock clock = new ManualClock();
  private final TimerQueue timers = new TimerQueue();
  private final List<byte[]> sent = new ArrayList<>();
  private final Random random = new Random(44);
  private final PeerAddress alice = PeerAddress.parse("10.0.0.1:5000");
  private final NodeId aliceId = NodeId.random(random);
  private final KeyPair keys = KeyPair.fromSecret(bytes(32, 1));
  private DhtNode node;
  private int tx;

  private static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  private static byte[] str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return (b.length + ":" + s).getBytes(StandardCharsets.UTF_8);
  }

  @BeforeEach
  void setUp() {
    NodeConfig cfg = NodeConfig.builder()
        .routing(RoutingConfig.defaults().withAllowLoopbackAndPrivate(true))
        .items(new ItemConfig(3, 1 << 20, TimeUnit.HOURS.toNanos(2)))
        .build();
    node = new DhtNode(NodeId.random(random), cfg, (to, d, off, len) -> sent.add(Arrays.copyOfRange(d, off, off + len)),
        timers, clock, random);
    node.start(List.of(), List.of());
  }

  private KrpcMessage send(PeerAddress from, byte[] datagram) {
    sent.clear();
    node.onDatagram(from, datagram, 0, datagram.length);
    List<KrpcMessage> replies = new java.util.ArrayList<>();
    for (byte[] d : sent) {
      try {
        KrpcMessage m = KrpcCodec.decode(d);
        if (!(m instanceof Query)) {
          replies.add(m); // not the ping that verifies a new querier
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    assertEquals(1, replies.size(), "exactly one reply");
    return replies.get(0);
  }

  private KrpcMessage send(PeerAddress from, Query q) {
    return send(from, KrpcCodec.encode(q));
  }

  private TransactionId t() {
    return TransactionId.ofLong(++tx, 2);
  }

  private Response get(PeerAddress from, NodeId target, Long seq) {
    return assertInstanceOf(Response.class, send(from, new Query.Get(t(), aliceId, target, seq, QueryMeta.NONE)));
  }

  private byte[] token() {
    return get(alice, NodeId.random(random), null).token();
  }

  private KrpcMessage put(Item item, Long cas, byte[] token) {
    return send(alice, new Query.Put(t(), aliceId, token, item.value(), item.key(), item.signature(),
        item.isMutable() ? item.seq() : null, cas, item.isMutable() && item.salt().length > 0 ? item.salt() : null,
        QueryMeta.NONE));
  }

  private void assertError(int code, KrpcMessage m) {
    assertEquals(code, assertInstanceOf(ErrorMessage.class, m).code());
  }

  private int stored() {
    return node.stats().storedItems();
  }

  @Test
  void immutablePutNeedsATokenThenGetReturnsTheValue() {
    Item item = Item.immutable(str("Hello World!"));
    assertError(203, put(item, null, bytes(8, 9)));
    assertEquals(0, stored());

    // a token handed to alice is no good for bob
    byte[] token = token();
    PeerAddress bob = PeerAddress.parse("10.0.0.2:5000");
    sent.clear();
    byte[] q = KrpcCodec.encode(new Query.Put(t(), aliceId, token, item.value(), null, null, null, null, null, QueryMeta.NONE));
    assertError(203, send(bob, q));
    assertEquals(0, stored());

    assertInstanceOf(Response.class, put(item, null, token));
    assertEquals(1, stored());
    Response r = get(bob, item.target(), null);
    assertArrayEquals(item.value(), r.value());
    assertNull(r.key());
    assertNull(r.seq());
    assertNotNull(r.token());
    assertTrue(r.hasNodes());
  }

  @Test
  void getWithoutAnItemGivesTokenAndNodesOnly() {
    Response r = get(alice, NodeId.random(random), null);
    assertNotNull(r.token());
    assertTrue(r.hasNodes());
    assertNull(r.value());
  }

  @Test
  void oversizeValueIs205() {
    byte[] big = str("x".repeat(996)); // "996:" + 996 bytes = 1000 bytes: the limit
    assertInstanceOf(Response.class, put(Item.immutable(big), null, token()));
    byte[] tooBig = str("x".repeat(997));
    assertError(205, put(Item.immutable(tooBig), null, token()));
    assertError(205, put(Item.signed(keys, null, 1, tooBig), null, token()));
    assertEquals(1, stored());
  }

  @Test
  void oversizeSaltIs207() {
    assertInstanceOf(Response.class, put(Item.signed(keys, bytes(64, 's'), 1, str("a")), null, token()));
    assertError(207, put(Item.signed(keys, bytes(65, 's'), 1, str("a")), null, token()));
    assertEquals(1, stored());
  }

  @Test
  void badSignatureIs206() {
    Item good = Item.signed(keys, null, 1, str("v1"));
    byte[] sig = good.signature().clone();
    sig[0] ^= 1;
    assertError(206, put(new Item(good.value(), good.key(), sig, 1, null), null, token()));
    // a valid signature over another seq
    assertError(206, put(new Item(good.value(), good.key(), good.signature(), 2, null), null, token()));
    // the signature of another key
    KeyPair mallory = KeyPair.fromSecret(bytes(32, 2));
    assertError(206, put(new Item(good.value(), mallory.publicKey(), good.signature(), 1, null), null, token()));
    assertEquals(0, stored());
    assertNull(get(alice, good.target(), null).value());
  }

  @Test
  void seqMustNotGoBackwardsAndCasMustMatch() {
    byte[] salt = "feed".getBytes(StandardCharsets.US_ASCII);
    assertInstanceOf(Response.class, put(Item.signed(keys, salt, 5, str("five")), null, token()));
    assertError(302, put(Item.signed(keys, salt, 4, str("four")), null, token()));
    assertError(302, put(Item.signed(keys, salt, 5, str("other five")), null, token()));
    assertError(301, put(Item.signed(keys, salt, 6, str("six")), 4L, token()));
    Response r = get(alice, Item.mutableTarget(keys.publicKey(), salt), null);
    assertEquals(5L, r.seq());
    assertArrayEquals(str("five"), r.value());
    assertArrayEquals(keys.publicKey(), r.key());
    assertTrue(new Item(r.value(), r.key(), r.signature(), r.seq(), salt).verify());

    // the same item again refreshes it; cas equal to the stored seq replaces it
    assertInstanceOf(Response.class, put(Item.signed(keys, salt, 5, str("five")), 5L, token()));
    assertInstanceOf(Response.class, put(Item.signed(keys, salt, 6, str("six")), 5L, token()));
    assertArrayEquals(str("six"), get(alice, Item.mutableTarget(keys.publicKey(), salt), null).value());
    assertEquals(1, stored());
  }

  @Test
  void negativeSeqIs203() {
    assertError(203, put(Item.signed(keys, null, -1, str("neg")), null, token()));
    assertEquals(0, stored());
  }

  @Test
  void keyOfTheWrongLengthIs203FromTheCodec() {
    byte[] token = token();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("d1:ad2:id20:".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(aliceId.toBytes());
    b.writeBytes("1:k31:".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(bytes(31, 'k'));
    b.writeBytes("3:seqi1e3:sig64:".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(bytes(64, 's'));
    b.writeBytes(("5:token" + token.length + ":").getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(token);
    b.writeBytes("1:v1:ae1:q3:put1:t2:xx1:y1:qe".getBytes(StandardCharsets.US_ASCII));
    ErrorMessage e = assertInstanceOf(ErrorMessage.class, send(alice, b.toByteArray()));
    assertEquals(203, e.code());
    assertEquals("xx", new String(e.transactionId().unsafeBytes(), StandardCharsets.US_ASCII));
    assertEquals(0, stored());
  }

  @Test
  void getWithSeqSendsOnlyNewerItems() {
    Item item = Item.signed(keys, null, 7, str("seven"));
    assertInstanceOf(Response.class, put(item, null, token()));
    Response same = get(alice, item.target(), 7L);
    assertEquals(7L, same.seq());
    assertNull(same.value());
    assertNull(same.signature());
    Response older = get(alice, item.target(), 6L);
    assertArrayEquals(item.value(), older.value());
    assertArrayEquals(item.signature(), older.signature());
  }

  @Test
  void itemsExpireAfterTwoHoursUnlessPutAgain() {
    Item a = Item.immutable(str("a"));
    Item b = Item.immutable(str("b"));
    put(a, null, token());
    put(b, null, token());
    clock.advance(90, TimeUnit.MINUTES);
    put(b, null, token()); // refreshed
    clock.advance(31, TimeUnit.MINUTES);
    assertNull(get(alice, a.target(), null).value());
    assertArrayEquals(b.value(), get(alice, b.target(), null).value());
    node.itemServer().store().expire(clock.nanos());
    assertEquals(1, stored());
  }

  @Test
  void theStoreIsBoundedAndEvictsTheOldestPut() {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Item it = Item.immutable(str("item " + i));
      items.add(it);
      assertInstanceOf(Response.class, put(it, null, token()));
    }
    assertEquals(3, stored());
    assertNull(get(alice, items.get(0).target(), null).value());
    assertNull(get(alice, items.get(1).target(), null).value());
    assertArrayEquals(items.get(4).value(), get(alice, items.get(4).target(), null).value());
  }

  @Test
  void storeByteCapEvictsToo() {
    ItemStore store = new ItemStore(100, 2500, 1000);
    for (int i = 0; i < 3; i++) {
      store.put(Item.immutable(str(i + "x".repeat(990))), 0);
    }
    assertEquals(2, store.size());
    assertTrue(store.bytes() <= 2500);
  }

  @Test
  void oneAddressHoldsAtMostItsShareOfTheStore() {
    NodeConfig cfg = NodeConfig.builder()
        .routing(RoutingConfig.defaults().withAllowLoopbackAndPrivate(true))
        .items(new ItemConfig(10, 1 << 20, TimeUnit.HOURS.toNanos(2)).withMaxItemsPerSource(2))
        .build();
    node = new DhtNode(NodeId.random(random), cfg, (to, d, off, len) -> sent.add(Arrays.copyOfRange(d, off, off + len)),
        timers, clock, random);
    node.start(List.of(), List.of());
    PeerAddress bob = PeerAddress.parse("10.0.0.2:5000");
    Item bobs = Item.immutable(str("bob's"));
    byte[] bobToken = get(bob, NodeId.random(random), null).token();
    assertInstanceOf(Response.class,
        send(bob, new Query.Put(t(), aliceId, bobToken, bobs.value(), null, null, null, null, null, QueryMeta.NONE)));
    List<Item> alices = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Item it = Item.immutable(str("alice " + i));
      alices.add(it);
      assertInstanceOf(Response.class, put(it, null, token()), "a put over the cap is still accepted");
    }
    assertEquals(3, stored(), "alice's last two and bob's");
    assertEquals(3, node.stats().itemSourceCapEvictions(), "alice's first three made room for her next");
    assertArrayEquals(bobs.value(), get(alice, bobs.target(), null).value());
    assertNull(get(bob, alices.get(2).target(), null).value(), "alice's older items made room for her newer");
    assertArrayEquals(alices.get(4).value(), get(bob, alices.get(4).target(), null).value());
  }
}
