package dev.jdht.core.lookup;

import static dev.jdht.core.lookup.Fixtures.MS;
import static dev.jdht.core.lookup.Fixtures.TARGET;
import static dev.jdht.core.lookup.Fixtures.addr;
import static dev.jdht.core.lookup.Fixtures.id;
import static dev.jdht.core.lookup.Fixtures.ids;
import static dev.jdht.core.lookup.Fixtures.idsOf;
import static dev.jdht.core.lookup.Fixtures.node;
import static dev.jdht.core.lookup.Fixtures.nodes;
import static dev.jdht.core.lookup.Fixtures.nodesResponse;
import static dev.jdht.core.lookup.Fixtures.peer;
import static dev.jdht.core.lookup.Fixtures.range;
import static dev.jdht.core.lookup.Fixtures.response;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LookupTest {
  /** The scripted scenarios assume alpha 3 and a soft timeout in [250 ms, 1 s]. */
  private static final LookupConfig BASE = new LookupConfig(3, 8, 128, 256, 2000 * MS, 250 * MS, 1000 * MS);
  private final RttEstimator rtt = new RttEstimator(256);
  private final Fixtures.Recorder rec = new Fixtures.Recorder();

  private Lookup lookup(LookupKind kind, LookupConfig config) {
    return new Lookup(kind, TARGET, config, rtt, rec);
  }

  private Lookup findNode() {
    return lookup(LookupKind.FIND_NODE, BASE);
  }

  private static byte[] tok(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void emptySeedsFinishAtOnceWithEmptyResult() {
    Lookup l = findNode();
    assertEquals(List.of(), l.start(List.of(), 5 * MS));
    assertTrue(l.isDone());
    LookupResult r = l.result();
    assertEquals(5 * MS, r.startedAt());
    assertEquals(5 * MS, r.doneAt());
    assertEquals(0, r.queriesSent());
    assertTrue(r.closest().isEmpty());
    assertTrue(r.peers().isEmpty());
    assertFalse(r.cancelled());
    assertEquals(Long.MAX_VALUE, l.nextDeadline());
  }

  @Test
  void onlyJunkSeedsAlsoFinishAtOnce() {
    NodeId self = id(7);
    Lookup l = new Lookup(LookupKind.GET_PEERS, TARGET, BASE, rtt, rec, self, null);
    List<NodeInfo> seeds = List.of(new NodeInfo(id(5), addr(5, 0)), new NodeInfo(self, addr(9, 6881)));
    assertEquals(List.of(), l.start(seeds, 0));
    assertTrue(l.isDone());
  }

  @Test
  void startsWithTheAlphaClosestAndKeepsAlphaActive() {
    Lookup l = findNode();
    List<NodeInfo> seeds = new ArrayList<>(range(100, 120));
    java.util.Collections.shuffle(seeds, new java.util.Random(1));
    assertEquals(nodes(100, 101, 102), l.start(seeds, 0));
    assertEquals(3, l.activeQueries());
    assertEquals(List.of(), l.onTick(10 * MS));
    assertEquals(nodes(103), l.onResponse(node(100), nodesResponse(node(100), List.of()), 20 * MS));
    assertEquals(nodes(104), l.onFailure(node(101), 30 * MS));
    assertEquals(3, l.activeQueries());
    assertEquals(5, l.queriesSent());
    assertEquals(1, l.result().responses());
    assertEquals(1, l.result().timeouts());
    assertEquals(-1, l.result().doneAt());
  }

  @Test
  void theFirstRoundTakesTheFastTierOfTheKClosestByDistanceThenTheOthersByRtt() {
    Lookup l = findNode();
    // seeds 100..119; 100..107 are the 8 closest. Measured RTTs: 107 3 ms (the fastest), 105 10 ms
    // (within 4x of it: the fast tier), 102 40 ms, 104 20 ms, 115 1 ms (fast but not among the 8
    // closest); the others unknown
    java.util.Map<PeerAddress, Long> rtts = new java.util.HashMap<>();
    rtts.put(node(105).address(), 10 * MS);
    rtts.put(node(107).address(), 3 * MS);
    rtts.put(node(102).address(), 40 * MS);
    rtts.put(node(104).address(), 20 * MS);
    rtts.put(node(115).address(), 1 * MS);
    l.setSeedRtt(a -> rtts.getOrDefault(a, -1L));
    // the tier by distance (105 before 107), then by RTT (104 before 102)
    assertEquals(nodes(105, 107, 104), l.start(range(100, 120), 0));
    // later queries go by distance again: the closest pending seeds first
    assertEquals(nodes(100), l.onResponse(node(107), nodesResponse(node(107), List.of()), 5 * MS));
    assertEquals(nodes(101), l.onResponse(node(105), nodesResponse(node(105), List.of()), 10 * MS));
  }

  @Test
  void theSeedsPassedOverInTheFirstRoundAreStillQueriedBeforeDone() {
    Lookup l = findNode();
    java.util.Map<PeerAddress, Long> rtts = new java.util.HashMap<>();
    for (long d = 3; d < 8; d++) {
      rtts.put(node(d).address(), d * MS); // 3..7 measured, 0..2 (the closest) unknown
    }
    l.setSeedRtt(a -> rtts.getOrDefault(a, -1L));
    List<NodeInfo> sent = new ArrayList<>(l.start(range(0, 8), 0));
    assertEquals(nodes(3, 4, 5), sent);
    Deque<NodeInfo> toAnswer = new ArrayDeque<>(sent);
    while (!toAnswer.isEmpty()) {
      NodeInfo n = toAnswer.poll();
      List<NodeInfo> next = l.onResponse(n, nodesResponse(n, List.of()), 10 * MS);
      sent.addAll(next);
      toAnswer.addAll(next);
    }
    assertTrue(l.isDone());
    assertEquals(Set.copyOf(range(0, 8)), Set.copyOf(sent));
    assertEquals(8, l.result().closest().size());
  }

  @Test
  void withoutSeedRttsOrWithTheRoundOffTheFirstRoundIsTheAlphaClosest() {
    Lookup l = findNode();
    l.setSeedRtt(a -> -1L);
    assertEquals(nodes(100, 101, 102), l.start(range(100, 120), 0));
    assertThrows(IllegalStateException.class, () -> l.setSeedRtt(a -> 1L));
    assertFalse(LookupConfig.defaults().withFastFirstRound(false).fastFirstRound());
    assertTrue(LookupConfig.defaults().fastFirstRound());
  }

  @Test
  void eightFarResponsesDoNotFinishWhileCloserNodesArePending() {
    Lookup l = lookup(LookupKind.FIND_NODE, BASE.withAlpha(8));
    List<NodeInfo> sent = new ArrayList<>(l.start(range(1000, 1008), 0));
    assertEquals(range(1000, 1008), sent);
    // the first far node knows the 8 truly close ones
    sent.addAll(l.onResponse(node(1000), nodesResponse(node(1000), range(1, 9)), 10 * MS));
    for (long d = 1001; d < 1008; d++) {
      sent.addAll(l.onResponse(node(d), nodesResponse(node(d), List.of()), 20 * MS));
    }
    assertEquals(8, l.result().responses());
    assertFalse(l.isDone(), "8 far responders are not the 8 closest");
    assertEquals(range(1, 9), sent.subList(8, sent.size()));
    for (long d = 1; d < 9; d++) {
      assertFalse(l.isDone());
      assertEquals(List.of(), l.onResponse(node(d), nodesResponse(node(d), List.of()), 30 * MS));
    }
    assertTrue(l.isDone());
    assertEquals(idsOf(range(1, 9)), ids(l.result().closest()));
    assertEquals(16, l.result().queriesSent());
    assertEquals(30 * MS, l.result().doneAt());
  }

  @Test
  void contactsFromAReplyCountOnlyOnceTheyHaveAnswered() {
    // issue 16: a node another node told us about is queried before it may be among the closest
    // (which decide completion and where an announce goes)
    Lookup l = lookup(LookupKind.GET_PEERS, BASE.withAlpha(8));
    l.start(range(1000, 1008), 0);
    List<NodeInfo> sent = new ArrayList<>(l.onResponse(node(1000), nodesResponse(node(1000), range(1, 9)), 10 * MS));
    for (long d = 1001; d < 1008; d++) {
      sent.addAll(l.onResponse(node(d), nodesResponse(node(d), List.of()), 20 * MS));
    }
    assertEquals(range(1, 9), sent, "the closer contacts are queried");
    assertFalse(l.isDone());
    assertTrue(l.result().closest().isEmpty() || ids(l.result().closest()).stream().noneMatch(idsOf(range(1, 9))::contains),
        "told-of contacts are not counted before they answer");
    for (long d = 1; d < 9; d++) {
      l.onFailure(node(d), 30 * MS);
    }
    assertTrue(l.isDone());
    assertEquals(idsOf(range(1000, 1008)), ids(l.result().closest()), "only the nodes that answered");
  }

  @Test
  void silentNodesPastTheirSoftTimeoutNoLongerBlockCompletion() {
    Lookup l = findNode();
    List<NodeInfo> sent = new ArrayList<>(l.start(range(1, 12), 0));
    assertEquals(nodes(1, 2, 3), sent);
    // d1..d3 never answer: at their soft timeout they are presumed silent, d4..d6 take their slots
    Deque<NodeInfo> queue = new ArrayDeque<>(l.onTick(1000 * MS));
    assertEquals(nodes(4, 5, 6), new ArrayList<>(queue));
    sent.addAll(queue);
    while (!queue.isEmpty() && !l.isDone()) {
      NodeInfo n = queue.poll();
      List<NodeInfo> next = l.onResponse(n, nodesResponse(n, List.of()), 1100 * MS);
      sent.addAll(next);
      queue.addAll(next);
    }
    assertFalse(l.isDone(), "d1..d3 are not yet presumed silent");
    assertEquals(1250 * MS, l.nextDeadline(), "1.25 soft timeouts after sending");
    assertEquals(List.of(), l.onTick(1250 * MS));
    assertTrue(l.isDone(), "the 8 closest live nodes answered; d1..d3 no longer hold it up");
    assertEquals(1250 * MS, l.result().doneAt(), "done before the hard timeout");
    assertEquals(idsOf(range(4, 12)), ids(l.result().closest()));
    assertEquals(3, l.inFlight().size(), "still in flight, for the caller to release");
    assertEquals(List.of(), l.onFailure(node(1), 2000 * MS));
    assertEquals(idsOf(range(4, 12)), ids(l.result().closest()), "the result is final");
  }

  @Test
  void aLateAnswerBeforeDoneStillCounts() {
    Lookup l = findNode();
    l.start(range(1, 12), 0);
    Deque<NodeInfo> queue = new ArrayDeque<>(l.onTick(1000 * MS));
    // d2 answers late, while d4..d6 are in flight: it is a responder like any other
    queue.addAll(l.onResponse(node(2), nodesResponse(node(2), List.of()), 1050 * MS));
    while (!queue.isEmpty() && !l.isDone()) {
      NodeInfo n = queue.poll();
      queue.addAll(l.onResponse(n, nodesResponse(n, List.of()), 1100 * MS));
    }
    l.onTick(1500 * MS);
    assertTrue(l.isDone());
    List<NodeId> expected = new ArrayList<>(idsOf(nodes(2)));
    expected.addAll(idsOf(range(4, 11)));
    assertEquals(expected, ids(l.result().closest()));
  }

  @Test
  void previousRuleACloserQueryStillInFlightBlocksCompletion() {
    Lookup l = lookup(LookupKind.FIND_NODE, BASE.withSilentBlocksDone(true));
    List<NodeInfo> sent = new ArrayList<>(l.start(range(1, 12), 0));
    assertEquals(nodes(1, 2, 3), sent);
    // d1..d3 are slow: their soft timeouts free the slots for d4..d6
    Deque<NodeInfo> queue = new ArrayDeque<>(l.onTick(1000 * MS));
    assertEquals(nodes(4, 5, 6), new ArrayList<>(queue));
    sent.addAll(queue);
    while (!queue.isEmpty()) {
      NodeInfo n = queue.poll();
      List<NodeInfo> next = l.onResponse(n, nodesResponse(n, List.of()), 1100 * MS);
      sent.addAll(next);
      queue.addAll(next);
    }
    assertEquals(range(1, 12), sent);
    assertEquals(8, l.result().responses());
    assertFalse(l.isDone(), "d1..d3 are closer and still in flight");
    assertEquals(List.of(), l.onFailure(node(1), 2000 * MS));
    assertEquals(List.of(), l.onFailure(node(2), 2000 * MS));
    assertFalse(l.isDone());
    l.onResponse(node(3), nodesResponse(node(3), List.of()), 2100 * MS);
    assertTrue(l.isDone());
    assertEquals(idsOf(range(3, 11)), ids(l.result().closest()));
    assertEquals(3, l.result().softTimeouts());
    assertEquals(2, l.result().timeouts());
    assertEquals(9, l.result().responses());
  }

  @Test
  void softTimeoutFreesTheSlotAndALateAnswerIsStillUsed() {
    Lookup l = findNode();
    assertEquals(nodes(10, 11, 12), l.start(range(10, 15), 0));
    assertEquals(1000 * MS, l.nextDeadline(), "no RTT samples yet: the cap");
    assertEquals(List.of(), l.onTick(999 * MS));
    assertEquals(nodes(13, 14), l.onTick(1000 * MS));
    assertEquals(3, l.result().softTimeouts());
    assertEquals(2, l.activeQueries());
    assertEquals(5, l.inFlight().size());
    assertEquals(1250 * MS, l.nextDeadline(), "expired queries free their slot; 1.25 x soft after sending they are presumed silent");
    assertEquals(List.of(), l.onTick(1250 * MS));
    assertEquals(2000 * MS, l.nextDeadline(), "silent queries no longer set a deadline; d13, d14 soft-expire at 2 s");
    // the late answer is processed: counted, RTT recorded, its node queried
    assertEquals(nodes(1), l.onResponse(node(10), nodesResponse(node(10), nodes(1)), 1500 * MS));
    assertEquals(1, l.result().responses());
    assertEquals(1, rtt.count());
    assertEquals(List.of(1500 * MS), rec.rtts);
    assertEquals(List.of(node(10)), rec.responded);
    assertEquals(List.of(node(1)), rec.learned);
    assertEquals(5, l.inFlight().size(), "d10 left, d1 joined");
    assertEquals(idsOf(nodes(10)), ids(l.result().closest()));
  }

  @Test
  void softTimeoutAdaptsToMeasuredRtt() {
    LookupConfig c = BASE;
    assertEquals(1000 * MS, c.softTimeoutNanos(rtt));
    for (int i = 0; i < 10; i++) {
      rtt.add(40 * MS);
    }
    assertEquals(250 * MS, c.softTimeoutNanos(rtt), "clamped to the floor");
    for (int i = 0; i < 90; i++) {
      rtt.add(600 * MS);
    }
    assertEquals(600 * MS, c.softTimeoutNanos(rtt));
    Lookup l = findNode();
    l.start(range(10, 12), 7 * MS);
    assertEquals(607 * MS, l.nextDeadline());
  }

  @Test
  void hardFailureSkipsTheCandidateForGood() {
    Lookup l = findNode();
    List<NodeInfo> sent = new ArrayList<>(l.start(range(10, 14), 0));
    assertEquals(nodes(10, 11, 12), sent);
    assertEquals(nodes(13), l.onFailure(node(10), 2000 * MS));
    assertEquals(1, l.result().timeouts());
    assertEquals(List.of(), l.onFailure(node(99), 2000 * MS), "not in flight: ignored");
    assertEquals(1, l.result().timeouts());
    // d10 is offered again: never queried twice
    assertEquals(nodes(5), l.onResponse(node(11), nodesResponse(node(11), nodes(10, 5)), 2100 * MS));
    assertEquals(List.of(node(5)), rec.learned);
    for (NodeInfo n : List.of(node(12), node(13), node(5))) {
      l.onResponse(n, nodesResponse(n, nodes(10, 11, 12)), 2200 * MS);
    }
    assertTrue(l.isDone());
    assertEquals(idsOf(nodes(5, 11, 12, 13)), ids(l.result().closest()));
    assertEquals(5, l.result().queriesSent());
  }

  @Test
  void maxQueriesCapsTheLookup() {
    Lookup l = lookup(LookupKind.FIND_NODE, BASE.withMaxQueries(5));
    Deque<NodeInfo> inFlight = new ArrayDeque<>(l.start(nodes(1000), 0));
    long now = 0;
    int sent = 1;
    while (!inFlight.isEmpty()) {
      assertFalse(l.isDone(), "done only when nothing is in flight");
      NodeInfo n = inFlight.poll();
      long d = distance(n);
      // every node knows three closer ones: the lookup would go on forever without the cap
      List<NodeInfo> next = l.onResponse(n, nodesResponse(n, nodes(d - 1, d - 2, d - 3)), now += MS);
      sent += next.size();
      inFlight.addAll(next);
      assertTrue(l.queriesSent() <= 5);
    }
    assertEquals(5, sent);
    assertTrue(l.isDone());
    assertEquals(5, l.result().queriesSent());
    assertEquals(5, l.result().responses());
  }

  private static long distance(NodeInfo n) {
    byte[] b = n.id().toBytes();
    long d = 0;
    for (int i = 12; i < 20; i++) {
      d = d << 8 | (b[i] & 0xff);
    }
    return d;
  }

  @Test
  void candidateSetIsBoundedAndKeepsInFlightAndClosestResponders() {
    Lookup l = lookup(LookupKind.FIND_NODE, BASE.withMaxCandidates(10));
    assertEquals(nodes(1000), l.start(nodes(1000), 0));
    assertEquals(nodes(100, 101, 102), l.onResponse(node(1000), nodesResponse(node(1000), range(100, 150)), MS));
    assertEquals(10, l.candidateCount());
    assertEquals(range(100, 109), rec.learned, "only contacts that fit became candidates");
    // a much closer batch pushes out the farthest pending ones, never d1000 (a top responder) or in-flight ones
    assertEquals(nodes(1), l.onResponse(node(100), nodesResponse(node(100), range(1, 30)), 2 * MS));
    assertEquals(10, l.candidateCount());
    assertEquals(Set.of(node(101), node(102), node(1)), new HashSet<>(l.inFlight()));
    assertEquals(idsOf(nodes(100, 1000)), ids(l.result().closest()));
    // the in-flight ones that are now far still count when they answer
    l.onResponse(node(101), nodesResponse(node(101), List.of()), 3 * MS);
    l.onResponse(node(102), nodesResponse(node(102), List.of()), 3 * MS);
    assertEquals(4, l.result().responses());
    assertTrue(l.candidateCount() <= 10);
  }

  @Test
  void peersAreDeduplicatedAndStreamedOnceAndTokensKept() {
    Lookup l = lookup(LookupKind.GET_PEERS, BASE);
    assertEquals(nodes(10, 11, 12), l.start(nodes(10, 11, 12), 0));
    PeerAddress zeroPort = PeerAddress.of(new byte[] {1, 2, 3, 4}, 0);
    l.onResponse(node(10), response(id(10), null, List.of(peer(1), peer(2), peer(2), zeroPort), tok("aa")), 5 * MS);
    assertEquals(List.of(peer(1), peer(2)), rec.peers, "streamed at once");
    l.onResponse(node(11), response(id(11), null, List.of(peer(2), peer(3)), tok("bb")), 7 * MS);
    l.onResponse(node(12), response(id(12), nodes(), null, null), 9 * MS);
    assertTrue(l.isDone());
    assertEquals(List.of(peer(1), peer(2), peer(3)), rec.peers);
    LookupResult r = l.result();
    assertEquals(List.of(peer(1), peer(2), peer(3)), new ArrayList<>(r.peers()));
    assertEquals(5 * MS, r.firstPeerAt());
    assertEquals(5 * MS, r.timeToFirstPeerNanos());
    assertEquals(9 * MS, r.durationNanos());
    assertEquals(idsOf(nodes(10, 11, 12)), ids(r.closest()));
    assertArrayEquals(tok("aa"), r.closest().get(0).token());
    assertArrayEquals(tok("bb"), r.closest().get(1).token());
    assertNull(r.closest().get(2).token());
    assertEquals(5 * MS, r.closest().get(0).rttNanos());
  }

  @Test
  void findNodeIgnoresTokensAndValues() {
    Lookup l = findNode();
    l.start(nodes(10), 0);
    l.onResponse(node(10), response(id(10), null, List.of(peer(1)), tok("aa")), MS);
    assertTrue(l.isDone());
    assertNull(l.result().closest().get(0).token());
    assertTrue(l.result().peers().isEmpty());
    assertTrue(rec.peers.isEmpty());
  }

  @Test
  void junkAndDuplicateContactsAreIgnored() {
    NodeId self = id(7);
    Lookup l = new Lookup(LookupKind.FIND_NODE, TARGET, BASE, rtt, rec, self,
        n -> (n.address().ipv4Int() & 0xff) != 99);
    List<NodeInfo> seeds = List.of(node(20), new NodeInfo(id(5), addr(5, 0)), new NodeInfo(self, addr(8, 6881)), node(99));
    assertEquals(nodes(20), l.start(seeds, 0));
    List<NodeInfo> offered = List.of(
        node(20), // the responder itself
        new NodeInfo(id(3), addr(20, 6881)), // the responder's address under another id
        new NodeInfo(id(20), addr(50, 6881)), // the responder's id at another address
        new NodeInfo(id(4), addr(4, 0)), // port 0
        new NodeInfo(self, addr(8, 6881)), // ourselves
        node(99), // rejected by the filter
        node(2),
        node(2), // twice in one list
        new NodeInfo(id(6), addr(2, 6881))); // node 2's address under another id
    assertEquals(nodes(2), l.onResponse(node(20), nodesResponse(node(20), offered), MS));
    assertEquals(nodes(2), rec.learned);
    l.onResponse(node(2), nodesResponse(node(2), offered), 2 * MS);
    assertTrue(l.isDone());
    assertEquals(idsOf(nodes(2, 20)), ids(l.result().closest()));
    assertEquals(2, l.result().queriesSent());
  }

  @Test
  void aChangedIdIsAcceptedOnlyWhenSane() {
    NodeId self = id(9);
    Lookup l = new Lookup(LookupKind.GET_PEERS, TARGET, BASE, rtt, rec, self, null);
    assertEquals(nodes(10, 11, 12), l.start(nodes(10, 11, 12), 0));
    // d10 now says it is id 3: fine, re-sorted under its new id
    l.onResponse(node(10), response(id(3), null, null, tok("t3")), MS);
    // d11 claims the same id 3 and d12 claims our own id: not sane, treated as failed
    l.onResponse(node(11), response(id(3), nodes(4), null, tok("t11")), MS);
    assertEquals(nodes(4), rec.learned, "a rejected responder's nodes are still used");
    l.onResponse(node(12), response(self, null, null, tok("t12")), MS);
    assertEquals(List.of(new NodeInfo(id(3), addr(10, 6881))), rec.responded);
    l.onResponse(node(4), response(id(4), null, null, tok("t4")), 2 * MS);
    assertTrue(l.isDone());
    LookupResult r = l.result();
    assertEquals(List.of(id(3), id(4)), ids(r.closest()));
    assertEquals(addr(10, 6881), r.closest().get(0).node().address());
    assertArrayEquals(tok("t3"), r.closest().get(0).token());
    assertEquals(4, r.responses());
  }

  @Test
  void cancelFinishesButKeepsInFlightForRelease() {
    Lookup l = findNode();
    l.start(range(10, 16), 0);
    l.cancel(5 * MS);
    assertTrue(l.isDone());
    LookupResult r = l.result();
    assertTrue(r.cancelled());
    assertEquals(5 * MS, r.doneAt());
    assertEquals(3, l.inFlight().size());
    assertEquals(Long.MAX_VALUE, l.nextDeadline());
    assertEquals(List.of(), l.onResponse(node(10), nodesResponse(node(10), nodes(1)), 6 * MS));
    assertEquals(List.of(), l.onTick(10_000 * MS));
    assertEquals(r, l.result(), "final once done");
    assertEquals(2, l.inFlight().size());
    assertEquals(List.of(node(10)), rec.responded, "the routing table may still learn it");
    assertTrue(rec.learned.isEmpty());
    l.cancel(7 * MS);
    assertEquals(5 * MS, l.result().doneAt());
  }

  @Test
  void startTwiceIsAnError() {
    Lookup l = findNode();
    l.start(nodes(1), 0);
    assertThrows(IllegalStateException.class, () -> l.start(nodes(2), 0));
  }

  @Test
  void aStrayResponseIsIgnored() {
    Lookup l = findNode();
    l.start(nodes(10), 0);
    assertEquals(List.of(), l.onResponse(node(11), nodesResponse(node(11), nodes(1)), MS));
    assertEquals(0, l.result().responses());
    assertTrue(rec.learned.isEmpty());
  }
}
