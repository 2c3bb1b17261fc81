package dev.jdht.core.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.api.DhtStats;
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
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Spoofed replies, guessed transaction ids, stolen and expired tokens, id changes, the DoS blocker. */
class SecurityTest {
  private final ManualClock clock = new ManualClock();
  private final TimerQueue timers = new TimerQueue();
  private final List<PeerAddress> sentTo = new ArrayList<>();
  private final List<byte[]> sent = new ArrayList<>();
  private final Random random = new Random(9);
  private final NodeId self = NodeId.random(random);
  private final PeerAddress alice = PeerAddress.parse("198.51.100.1:5000");
  private final NodeId aliceId = NodeId.random(random);

  private DhtNode node(SecurityConfig security, Random ids) {
    NodeConfig cfg = NodeConfig.builder()
        .routing(RoutingConfig.defaults())
        .perIpRate(1e6).perIpBurst(1_000_000).globalRate(1e6).globalBurst(1_000_000)
        .security(security)
        .build();
    DhtNode n = new DhtNode(self, cfg, (to, d, off, len) -> {
      sentTo.add(to);
      return sent.add(Arrays.copyOfRange(d, off, off + len));
    }, timers, clock, ids);
    n.start(List.of(), List.of());
    return n;
  }

  private static void deliver(DhtNode n, PeerAddress from, KrpcMessage m) {
    byte[] b = KrpcCodec.encode(m);
    n.onDatagram(from, b, 0, b.length);
  }

  private static long asLong(TransactionId t) {
    long v = 0;
    for (byte b : t.toBytes()) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }

  private KrpcMessage lastSent() throws Exception {
    return KrpcCodec.decode(sent.get(sent.size() - 1));
  }

  /** The last reply we sent (skipping the ping with which we verify a new querier). */
  private KrpcMessage lastReply() throws Exception {
    for (int i = sent.size() - 1; i >= 0; i--) {
      KrpcMessage m = KrpcCodec.decode(sent.get(i));
      if (!(m instanceof Query)) {
        return m;
      }
    }
    throw new AssertionError("no reply sent");
  }

  @Test
  void aReplyFromAnotherAddressIsDroppedAndCountedAsSpoofed() throws Exception {
    DhtNode n = node(SecurityConfig.defaults(), new SecureRandom());
    List<PingResult> results = new ArrayList<>();
    n.ping(alice, null, results::add);
    TransactionId t = ((Query) lastSent()).transactionId();
    Response forged = Response.builder(t, NodeId.random(random)).build();
    deliver(n, PeerAddress.parse("198.51.100.1:5001"), forged); // same IP, other port
    deliver(n, PeerAddress.parse("203.0.113.9:5000"), forged);
    assertTrue(results.isEmpty());
    DhtStats s = n.stats();
    assertEquals(2, s.droppedSpoofed());
    assertEquals(2, s.droppedUnknownTransaction());
    assertEquals(0, n.routingTable().size(), "a spoofed reply teaches the table nothing");
    deliver(n, alice, Response.builder(t, aliceId).build());
    assertEquals(1, results.size());
    assertTrue(results.get(0).ok());
  }

  @Test
  void transactionIdsAreUnpredictableAndAGuessedIdIsDroppedAndCounted() throws Exception {
    DhtNode n = node(SecurityConfig.defaults().withDosRate(0), new SecureRandom());
    Set<Long> ids = new HashSet<>();
    List<Long> inOrder = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      n.ping(PeerAddress.parse("203.0.113." + (1 + i) + ":5000"), null, null);
      long id = asLong(((Query) lastSent()).transactionId());
      ids.add(id);
      inOrder.add(id);
    }
    assertEquals(200, ids.size(), "distinct");
    int sequential = 0;
    for (int i = 1; i < inOrder.size(); i++) {
      if (Math.abs(inOrder.get(i) - inOrder.get(i - 1)) < 1024) {
        sequential++;
      }
    }
    assertTrue(sequential <= 1, sequential + " successive ids within 1024 of each other");
    // an attacker who saw ids sends answers from the queried address itself (spoofed source) with
    // every id next to a seen one, and 20,000 random ones: nothing is accepted
    List<PingResult> results = new ArrayList<>();
    n.ping(alice, null, results::add);
    TransactionId real = ((Query) lastSent()).transactionId();
    long guesses = 0;
    Random attacker = new Random(1);
    for (long seen : inOrder) {
      for (long d = -2; d <= 2; d++) {
        long g = (seen + d) & 0xffffffffL;
        if (g != asLong(real)) {
          deliver(n, alice, Response.builder(TransactionId.ofLong(g, 4), aliceId).build());
          guesses++;
        }
      }
    }
    for (int i = 0; i < 20_000; i++) {
      long g = attacker.nextInt() & 0xffffffffL;
      if (g != asLong(real) && !ids.contains(g)) {
        deliver(n, alice, Response.builder(TransactionId.ofLong(g, 4), aliceId).build());
        guesses++;
      }
    }
    assertTrue(results.isEmpty(), "a guessed id was accepted");
    assertEquals(guesses, n.stats().droppedUnknownTransaction());
    // the exact ids seen, replayed from the wrong address, are live transactions: counted as spoofed
    assertEquals(200, n.stats().droppedSpoofed());
    assertEquals(4, real.toBytes().length);
  }

  @Test
  void aTokenIssuedToOneAddressIsRefusedFromAnotherAndAfterTwoRotations() throws Exception {
    DhtNode n = node(SecurityConfig.defaults(), new SecureRandom());
    NodeId ih = NodeId.random(random);
    deliver(n, alice, new Query.GetPeers(TransactionId.ofLong(1, 2), aliceId, ih, QueryMeta.NONE));
    byte[] token = ((Response) lastReply()).token();
    for (String thief : new String[] {"198.51.100.2:5000", "198.51.101.1:5000"}) { // same /24, another /24
      PeerAddress from = PeerAddress.parse(thief);
      deliver(n, from, new Query.AnnouncePeer(TransactionId.ofLong(2, 2), NodeId.random(random), ih, 7000, false, token, QueryMeta.NONE));
      assertEquals(203, assertInstanceOf(ErrorMessage.class, lastReply()).code(), thief);
    }
    // the same IP from another port may use it (BEP 5 tokens are per IP)
    deliver(n, alice.withPort(5001), new Query.AnnouncePeer(TransactionId.ofLong(3, 2), aliceId, ih, 7000, false, token, QueryMeta.NONE));
    assertInstanceOf(Response.class, lastReply());
    // two rotations (5 min each) later the token has expired
    clock.advance(10, TimeUnit.MINUTES);
    deliver(n, alice, new Query.AnnouncePeer(TransactionId.ofLong(4, 2), aliceId, ih, 7000, false, token, QueryMeta.NONE));
    assertEquals(203, assertInstanceOf(ErrorMessage.class, lastReply()).code());
    assertEquals(List.of(PeerAddress.parse("198.51.100.1:7000")), n.peerStore().get(ih, 10, random, clock.nanos()));
  }

  @Test
  void anAddressAnsweringWithANewIdDoesNotReplaceItsEntryUntilThatEntryFails() throws Exception {
    DhtNode n = node(SecurityConfig.defaults(), new SecureRandom());
    n.ping(alice, null, null);
    deliver(n, alice, Response.builder(((Query) lastSent()).transactionId(), aliceId).build());
    assertEquals(aliceId, n.routingTable().idAt(alice));
    NodeId other = NodeId.random(random);
    n.ping(alice, null, null);
    deliver(n, alice, Response.builder(((Query) lastSent()).transactionId(), other).build());
    assertEquals(aliceId, n.routingTable().idAt(alice), "the verified id stays");
    assertEquals(1, n.stats().droppedIdChanged());
    deliver(n, alice, new Query.Ping(TransactionId.ofLong(7, 2), other, QueryMeta.NONE));
    assertEquals(aliceId, n.routingTable().idAt(alice), "a query with the new id changes nothing");
    // the old entry fails (three timeouts): now the new id is believed
    NodeInfo known = new NodeInfo(aliceId, alice);
    for (int i = 0; i < 3; i++) {
      n.routingTable().onFailure(known, clock.nanos());
    }
    n.ping(alice, null, null);
    deliver(n, alice, Response.builder(((Query) lastSent()).transactionId(), other).build());
    assertEquals(other, n.routingTable().idAt(alice));
    assertEquals(1, n.stats().droppedIdChanged());
  }

  @Test
  void aFloodingAddressIsBlockedForMinutesAndCounted() throws Exception {
    DhtNode n = node(SecurityConfig.defaults(), new SecureRandom()); // 50/s over 10 s, 5 min
    byte[] ping = KrpcCodec.encode(new Query.Ping(TransactionId.ofLong(1, 2), aliceId, QueryMeta.NONE));
    for (int i = 0; i < 2000; i++) {
      n.onDatagram(alice, ping, 0, ping.length);
      clock.advance(5, TimeUnit.MILLISECONDS); // 200/s for 10 s
    }
    DhtStats s = n.stats();
    assertEquals(1, s.sourcesBlocked());
    assertEquals(500, s.queriesAnswered().getOrDefault("ping", 0L), "answered until blocked");
    assertEquals(1500, s.droppedBlocked());
    // another address is served meanwhile
    PeerAddress bob = PeerAddress.parse("203.0.113.5:6881");
    int before = sent.size();
    n.onDatagram(bob, ping, 0, ping.length);
    assertEquals(before + 1, sent.size());
    assertNotEquals(alice, sentTo.get(sentTo.size() - 1));
    // still blocked after 4 minutes, served again after 5
    clock.advance(4, TimeUnit.MINUTES);
    n.onDatagram(alice, ping, 0, ping.length);
    assertEquals(before + 1, sent.size());
    clock.advance(1, TimeUnit.MINUTES);
    n.onDatagram(alice, ping, 0, ping.length);
    assertEquals(before + 2, sent.size());
    assertEquals(alice, sentTo.get(sentTo.size() - 1));
  }
}
