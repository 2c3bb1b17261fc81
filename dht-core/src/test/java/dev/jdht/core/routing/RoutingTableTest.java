package dev.jdht.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private static final long SEC = 1_000_000_000L;
  private static final long MIN = 60 * SEC;
  private static final long T0 = 1_000 * SEC;

  private Random random;
  private NodeId self;
  private RoutingConfig config;
  private RoutingTable table;
  private int nextIp;

  @BeforeEach
  void setUp() {
    random = new Random(42);
    self = NodeId.random(random);
    config = RoutingConfig.defaults();
    table = new RoutingTable(self, config, new Random(7));
    nextIp = 0x01000001; // 1.0.0.1
  }

  /** An id sharing exactly {@code cpl} leading bits with {@code self}. */
  private NodeId idAt(int cpl) {
    return self.flipBit(cpl).withRandomSuffix(cpl + 1, random);
  }

  private PeerAddress freshAddress() {
    int ip = nextIp;
    nextIp += 256; // one address per /24: these tests are not about the prefix cap (PrefixCapTest is)
    return PeerAddress.of(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip}, 6881);
  }

  private NodeInfo nodeAt(int cpl) {
    return new NodeInfo(idAt(cpl), freshAddress());
  }

  private NodeState state(NodeId id, long now) {
    NodeEntry e = table.entry(id);
    assertNotNull(e, "not in table: " + id);
    return e.state(now);
  }

  /** Fills bucket 0 (ids with cpl 0) with k good nodes and forces the split so it is not our own bucket. */
  private List<NodeInfo> fillFarBucket(long now) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < config.k(); i++) {
      NodeInfo n = nodeAt(0);
      assertTrue(table.onResponse(n, now, 10));
      nodes.add(n);
    }
    // one more far node splits the (then only) bucket; bucket 0 remains full
    table.offer(nodeAt(0), now);
    assertEquals(2, table.bucketCount());
    return nodes;
  }

  @Test
  void verifiedMeansAnsweredAndNotBadWhetherLiveOrInAReplacementCache() {
    List<NodeInfo> full = fillFarBucket(T0);
    assertTrue(table.isVerifiedAt(full.get(0).address()), "a live node that answered");
    NodeInfo spare = nodeAt(0);
    table.onResponse(spare, T0, 10); // answered, but bucket 0 is full of good nodes
    assertFalse(table.contains(spare.id()), "it waits in the replacement cache");
    assertTrue(table.isVerifiedAt(spare.address()), "and is verified all the same");
    NodeInfo offered = nodeAt(0);
    table.offer(offered, T0);
    assertFalse(table.isVerifiedAt(offered.address()), "an offered contact never answered");
    NodeInfo querier = nodeAt(5);
    table.onQuery(querier, T0);
    assertFalse(table.isVerifiedAt(querier.address()), "nor did a querier");
    for (int i = 0; i < config.maxFailures(); i++) {
      table.onFailure(full.get(1), T0 + SEC);
    }
    assertFalse(table.isVerifiedAt(full.get(1).address()), "a bad node is not verified");
    assertFalse(table.isVerifiedAt(freshAddress()));
  }

  // ------------------------------------------------------------------ liveness

  @Test
  void goodBecomesQuestionableAfterFifteenMinutes() {
    NodeInfo n = nodeAt(3);
    assertTrue(table.onResponse(n, T0, 50 * 1_000_000L));
    assertEquals(NodeState.GOOD, state(n.id(), T0));
    assertEquals(NodeState.GOOD, state(n.id(), T0 + 15 * MIN - 1));
    assertEquals(NodeState.QUESTIONABLE, state(n.id(), T0 + 15 * MIN));
    assertEquals(1, table.goodCount(T0 + 15 * MIN - 1));
    assertEquals(0, table.goodCount(T0 + 15 * MIN));
  }

  @Test
  void queryKeepsARespondedNodeGoodButNotANeverRespondedOne() {
    NodeInfo responded = nodeAt(2);
    NodeInfo stranger = nodeAt(4);
    table.onResponse(responded, T0, -1);
    table.onQuery(responded, T0 + 10 * MIN);
    table.onQuery(stranger, T0 + 10 * MIN);
    assertTrue(table.contains(stranger.id()), "a querying node is inserted when there is room");
    assertEquals(NodeState.GOOD, state(responded.id(), T0 + 20 * MIN));
    assertEquals(NodeState.QUESTIONABLE, state(responded.id(), T0 + 25 * MIN));
    assertEquals(NodeState.QUESTIONABLE, state(stranger.id(), T0 + 10 * MIN));
    assertFalse(table.entry(stranger.id()).hasResponded());
  }

  @Test
  void onlyNodesThatAnsweredAreHandedOutAsVerified() {
    NodeInfo answered = nodeAt(2);
    NodeInfo querier = nodeAt(3);
    NodeInfo offered = nodeAt(4);
    table.onResponse(answered, T0, -1);
    assertTrue(table.onQuery(querier, T0), "a new querier in the table proper is to be pinged");
    assertFalse(table.onQuery(querier, T0 + SEC), "but only once");
    table.offer(offered, T0);
    NodeId target = querier.id();
    assertEquals(Set.of(answered, querier, offered), new HashSet<>(table.closest(target, 8)));
    assertEquals(List.of(answered), table.closestVerified(target, 8));
    // the querier's ping was requested already: maintenance does not ping it again at once
    assertFalse(table.maintenance(T0 + SEC).toPing().contains(querier));
    table.onResponse(querier, T0 + 2 * SEC, 10);
    assertEquals(List.of(querier, answered), table.closestVerified(target, 8));
    // an answered node that has gone quiet (questionable) is still a verified contact; a bad one is not
    table.maintenance(T0 + 20 * MIN);
    assertEquals(NodeState.QUESTIONABLE, state(answered.id(), T0 + 20 * MIN));
    assertEquals(2, table.closestVerified(target, 8).size());
    for (int i = 0; i < config.maxFailures(); i++) {
      table.onFailure(answered, T0 + 21 * MIN);
    }
    assertEquals(List.of(querier), table.closestVerified(target, 8));
  }

  @Test
  void questionableBecomesGoodOnResponse() {
    NodeInfo n = nodeAt(1);
    table.offer(n, T0);
    assertEquals(NodeState.QUESTIONABLE, state(n.id(), T0));
    assertTrue(table.onResponse(n, T0 + MIN, 20));
    assertEquals(NodeState.GOOD, state(n.id(), T0 + MIN));
    assertEquals(20, table.entry(n.id()).rttNanos());
  }

  @Test
  void badAfterMaxFailuresInARowAndResponseResetsTheCount() {
    NodeInfo n = nodeAt(1);
    table.onResponse(n, T0, -1);
    table.onFailure(n, T0 + SEC);
    table.onFailure(n, T0 + 2 * SEC);
    assertEquals(2, table.entry(n.id()).failures());
    assertEquals(NodeState.GOOD, state(n.id(), T0 + 2 * SEC));
    table.onResponse(n, T0 + 3 * SEC, -1);
    assertEquals(0, table.entry(n.id()).failures());
    for (int i = 0; i < config.maxFailures(); i++) {
      table.onFailure(n, T0 + (4 + i) * SEC);
    }
    assertEquals(NodeState.BAD, state(n.id(), T0 + 10 * SEC));
    assertTrue(table.closest(n.id(), 8).isEmpty(), "bad nodes are never returned");
    assertEquals(1, table.size(), "without a replacement the bad entry stays");
  }

  @Test
  void failureFromAnotherAddressDoesNotCount() {
    NodeInfo n = nodeAt(1);
    table.onResponse(n, T0, -1);
    NodeInfo impostor = new NodeInfo(n.id(), freshAddress());
    for (int i = 0; i < 5; i++) {
      table.onFailure(impostor, T0 + i);
    }
    assertEquals(0, table.entry(n.id()).failures());
  }

  @Test
  void badNodeIsReplacedAtOnceByAVerifiedNewcomer() {
    List<NodeInfo> far = fillFarBucket(T0);
    NodeInfo victim = far.get(3);
    for (int i = 0; i < config.maxFailures(); i++) {
      table.onFailure(victim, T0 + SEC);
    }
    // the contact offered by fillFarBucket sits in bucket 0's replacement cache: it is promoted
    assertFalse(table.contains(victim.id()));
    assertEquals(config.k(), table.size());
    // now make another one bad: no replacement left, so it stays until a newcomer arrives
    NodeInfo victim2 = far.get(5);
    for (int i = 0; i < config.maxFailures(); i++) {
      table.onFailure(victim2, T0 + 2 * SEC);
    }
    assertTrue(table.contains(victim2.id()));
    NodeInfo newcomer = nodeAt(0);
    assertTrue(table.onResponse(newcomer, T0 + 3 * SEC, -1));
    assertTrue(table.contains(newcomer.id()));
    assertFalse(table.contains(victim2.id()));
    assertEquals(config.k(), table.size());
  }

  @Test
  void badNodeIsReplacedByAnUnverifiedOfferToo() {
    List<NodeInfo> far = fillFarBucket(T0);
    // drain the replacement made by fillFarBucket
    for (int i = 0; i < config.maxFailures(); i++) {
      table.onFailure(far.get(0), T0 + SEC);
    }
    for (int i = 0; i < config.maxFailures(); i++) {
      table.onFailure(far.get(1), T0 + SEC);
    }
    assertTrue(table.contains(far.get(1).id()));
    NodeInfo offered = nodeAt(0);
    table.offer(offered, T0 + 2 * SEC);
    assertTrue(table.contains(offered.id()));
    assertFalse(table.contains(far.get(1).id()));
  }

  @Test
  void goodNodesAreNeverEvictedByNewcomers() {
    List<NodeInfo> far = fillFarBucket(T0);
    for (int i = 0; i < 20; i++) {
      table.offer(nodeAt(0), T0 + SEC);
      assertFalse(table.onResponse(nodeAt(0), T0 + SEC, -1));
      table.onQuery(nodeAt(0), T0 + SEC);
    }
    for (NodeInfo n : far) {
      assertTrue(table.contains(n.id()));
    }
    assertTrue(table.maintenance(T0 + 2 * SEC).toPing().isEmpty(), "good nodes are not pinged");
  }

  // ------------------------------------------------------------------ buckets

  @Test
  void splitsOnlyTheBucketThatCoversOurOwnId() {
    for (int i = 0; i < 100; i++) {
      table.onResponse(nodeAt(0), T0, -1);
    }
    assertEquals(2, table.bucketCount(), "far nodes split at most once");
    assertEquals(config.k(), table.size());
    for (int cpl = 1; cpl < 20; cpl++) {
      for (int i = 0; i < 3 * config.k(); i++) {
        table.onResponse(nodeAt(cpl), T0, -1);
      }
    }
    assertEquals(21, table.bucketCount());
    assertEquals(20 * config.k(), table.size());
    checkBucketInvariant();
  }

  @Test
  void neverMoreThan160Buckets() {
    for (int cpl = 0; cpl < NodeId.BITS; cpl++) {
      int count = cpl >= 157 ? 1 : config.k() + 1;
      for (int i = 0; i < count; i++) {
        table.onResponse(nodeAt(cpl), T0, -1);
      }
    }
    assertTrue(table.bucketCount() <= NodeId.BITS, "buckets: " + table.bucketCount());
    assertTrue(table.bucketCount() >= 150, "the table went deep: " + table.bucketCount());
    checkBucketInvariant();
  }

  private void checkBucketInvariant() {
    int last = table.bucketCount() - 1;
    int[] perBucket = new int[table.bucketCount()];
    for (NodeEntry e : table.entries()) {
      int cpl = self.commonPrefixLength(e.id());
      int idx = table.bucketIndex(e.id());
      assertEquals(Math.min(cpl, last), idx);
      perBucket[idx]++;
    }
    for (int c : perBucket) {
      assertTrue(c <= config.k());
    }
  }

  @Test
  void ourOwnIdIsNeverAdded() {
    NodeInfo me = new NodeInfo(self, freshAddress());
    assertFalse(table.onResponse(me, T0, -1));
    table.onQuery(me, T0);
    table.offer(me, T0);
    assertEquals(0, table.size());
    assertEquals(0, table.replacementCount());
  }

  @Test
  void portZeroAndMartiansAreDropped() {
    NodeId id = idAt(5);
    assertFalse(table.onResponse(new NodeInfo(id, PeerAddress.parse("1.2.3.4:0")), T0, -1));
    for (String a : List.of("127.0.0.1:6881", "0.1.2.3:6881", "224.0.0.1:6881", "255.255.255.255:6881",
        "169.254.1.1:6881", "[::1]:6881", "[::]:6881", "[ff02::1]:6881", "[fe80::1]:6881")) {
      assertFalse(table.onResponse(new NodeInfo(idAt(5), PeerAddress.parse(a)), T0, -1), a);
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 1;
    mapped[15] = 4;
    assertFalse(table.onResponse(new NodeInfo(idAt(5), PeerAddress.of(mapped, 6881)), T0, -1), "IPv4-mapped");
    assertEquals(0, table.size());
    for (String a : List.of("10.0.0.1:6881", "192.168.1.1:6881", "172.16.0.1:6881", "8.8.8.8:53", "[2001:db8::1]:6881")) {
      assertTrue(table.onResponse(new NodeInfo(idAt(5), PeerAddress.parse(a)), T0, -1), a);
    }
  }

  @Test
  void loopbackIsAcceptedOnTestnets() {
    RoutingTable t = new RoutingTable(self, config.withAllowLoopbackAndPrivate(true), new Random(1));
    assertTrue(t.onResponse(new NodeInfo(idAt(1), PeerAddress.parse("127.0.0.1:7000")), T0, -1));
    assertTrue(t.onResponse(new NodeInfo(idAt(1), PeerAddress.parse("[::1]:7000")), T0, -1));
    assertFalse(t.onResponse(new NodeInfo(idAt(1), PeerAddress.parse("127.0.0.1:0")), T0, -1));
    assertFalse(t.onResponse(new NodeInfo(idAt(1), PeerAddress.parse("0.0.0.0:7000")), T0, -1));
    assertEquals(2, t.size());
  }

  // ------------------------------------------------------------------ uniqueness

  @Test
  void knownAddressWithANewIdReplacesTheOldEntryOnlyWhenVerified() {
    NodeInfo old = nodeAt(2);
    table.onResponse(old, T0, -1);
    NodeInfo claim = new NodeInfo(idAt(7), old.address());
    table.offer(claim, T0 + SEC);
    table.onQuery(claim, T0 + SEC);
    assertTrue(table.contains(old.id()));
    assertFalse(table.contains(claim.id()));
    assertEquals(1, table.size());
    assertTrue(table.onResponse(claim, T0 + 2 * SEC, -1), "the address answered with a new id");
    assertFalse(table.contains(old.id()));
    assertTrue(table.contains(claim.id()));
    assertEquals(1, table.size());
    assertEquals(0, table.replacementCount());
  }

  @Test
  void knownIdAtANewAddressMovesOnlyIfTheIncumbentIsNotGood() {
    NodeInfo n = nodeAt(2);
    table.onResponse(n, T0, -1);
    NodeInfo moved = new NodeInfo(n.id(), freshAddress());
    table.offer(moved, T0 + SEC);
    table.onQuery(moved, T0 + SEC);
    assertFalse(table.onResponse(moved, T0 + SEC, -1), "a good incumbent keeps its address");
    assertEquals(n.address(), table.entry(n.id()).address());
    assertEquals(1, table.size());
    // once questionable, a verified response from the new address moves the node
    assertTrue(table.onResponse(moved, T0 + 16 * MIN, -1));
    assertEquals(moved.address(), table.entry(n.id()).address());
    assertEquals(1, table.size());
    // and the old address is free for another id
    NodeInfo other = new NodeInfo(idAt(3), n.address());
    table.offer(other, T0 + 17 * MIN);
    assertTrue(table.contains(other.id()));
    assertEquals(2, table.size());
    assertUniqueIdsAndAddresses();
  }

  @Test
  void randomChurnKeepsOneEntryPerIdAndPerAddress() {
    List<NodeId> ids = new ArrayList<>();
    List<PeerAddress> addrs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(idAt(random.nextInt(6)));
      addrs.add(freshAddress());
    }
    long now = T0;
    for (int step = 0; step < 5000; step++) {
      now += random.nextInt(20) * SEC;
      NodeInfo n = new NodeInfo(ids.get(random.nextInt(ids.size())), addrs.get(random.nextInt(addrs.size())));
      switch (random.nextInt(5)) {
        case 0 -> table.onResponse(n, now, random.nextInt(1000));
        case 1 -> table.onQuery(n, now);
        case 2 -> table.onFailure(n, now);
        case 3 -> table.offer(n, now);
        default -> table.maintenance(now);
      }
      if (step % 100 == 0) {
        assertUniqueIdsAndAddresses();
        checkBucketInvariant();
      }
    }
    assertUniqueIdsAndAddresses();
  }

  private void assertUniqueIdsAndAddresses() {
    List<NodeEntry> all = new ArrayList<>(table.entries());
    all.addAll(table.replacementEntries());
    Set<NodeId> ids = new HashSet<>();
    Set<PeerAddress> addrs = new HashSet<>();
    for (NodeEntry e : all) {
      assertTrue(ids.add(e.id()), "duplicate id " + e);
      assertTrue(addrs.add(e.address()), "duplicate address " + e);
      assertFalse(e.id().equals(self));
    }
    assertEquals(table.size(), table.entries().size());
  }

  // ------------------------------------------------------------------ replacement and eviction

  @Test
  void pingBeforeEvictThenPromotion() {
    List<NodeInfo> far = fillFarBucket(T0);
    // the replacement cache holds one unverified contact from fillFarBucket; a verified newcomer
    // is preferred over it for promotion
    long later = T0 + 16 * MIN; // every far node is now questionable
    NodeInfo newcomer = nodeAt(0);
    assertFalse(table.onResponse(newcomer, later, -1), "a full bucket of questionable nodes is not evicted at once");
    assertFalse(table.contains(newcomer.id()));
    for (NodeInfo n : far) {
      assertTrue(table.contains(n.id()));
    }
    RoutingTable.Maintenance m = table.maintenance(later);
    assertEquals(config.k(), m.toPing().size(), "all questionable nodes are due for a ping");
    NodeInfo first = m.toPing().get(0);
    assertEquals(0, self.commonPrefixLength(first.id()));
    assertTrue(table.maintenance(later + SEC).toPing().isEmpty(), "at most once per ping interval");
    assertEquals(config.k(), table.maintenance(later + config.pingIntervalNanos()).toPing().size());

    // one answers: it is good again and stays; the newcomer stays a candidate
    NodeInfo answered = m.toPing().get(1);
    table.onResponse(answered, later + 2 * SEC, -1);
    assertEquals(NodeState.GOOD, state(answered.id(), later + 2 * SEC));
    assertFalse(table.contains(newcomer.id()));

    // the first one never answers: after maxFailures it is replaced by the verified newcomer
    for (int i = 0; i < config.maxFailures(); i++) {
      table.onFailure(first, later + (3 + i) * SEC);
    }
    assertFalse(table.contains(first.id()));
    assertTrue(table.contains(newcomer.id()));
    assertEquals(config.k(), table.size());
    assertEquals(NodeState.GOOD, state(newcomer.id(), later + 10 * SEC));
  }

  @Test
  void evictionCandidateIsPingedFirstAndBoundedMaintenanceKeepsTheRestDue() {
    List<NodeInfo> far = fillFarBucket(T0);
    long later = T0 + 20 * MIN;
    // refresh all but far[2] and far[6], so those two turn questionable first
    for (NodeInfo n : far) {
      if (!n.equals(far.get(2)) && !n.equals(far.get(6))) {
        table.onResponse(n, T0 + 10 * MIN, -1);
      }
    }
    // at T0+20min: far[2], far[6] questionable (last response T0), others good
    table.onResponse(nodeAt(0), later, -1);
    RoutingTable.Maintenance m = table.maintenance(later, 1);
    assertEquals(1, m.toPing().size());
    NodeInfo pinged = m.toPing().get(0);
    assertTrue(pinged.equals(far.get(2)) || pinged.equals(far.get(6)));
    List<NodeInfo> rest = table.maintenance(later, 10).toPing();
    assertEquals(1, rest.size(), "the one left out remains due");
    assertFalse(rest.get(0).equals(pinged));
  }

  @Test
  void replacementCacheIsBoundedNewestWinsAndVerifiedBeatsUnverified() {
    fillFarBucket(T0);
    List<NodeInfo> verified = new ArrayList<>();
    for (int i = 0; i < config.replacementCacheSize() + 3; i++) {
      NodeInfo n = nodeAt(0);
      assertFalse(table.onResponse(n, T0 + i, -1));
      verified.add(n);
    }
    List<NodeEntry> repl = table.replacementEntries();
    assertEquals(config.replacementCacheSize(), repl.size());
    Set<NodeId> cached = new HashSet<>();
    repl.forEach(e -> cached.add(e.id()));
    for (int i = 0; i < verified.size(); i++) {
      assertEquals(i >= 3, cached.contains(verified.get(i).id()), "newest verified candidates win");
    }
    NodeInfo unverified = nodeAt(0);
    table.offer(unverified, T0 + MIN);
    assertFalse(table.replacementEntries().stream().anyMatch(e -> e.id().equals(unverified.id())),
        "an unverified contact does not displace verified candidates");
  }

  @Test
  void unverifiedCandidatesMakeRoomForVerifiedOnes() {
    fillFarBucket(T0);
    for (int i = 0; i < 3 * config.replacementCacheSize(); i++) {
      table.offer(nodeAt(0), T0 + i);
    }
    assertEquals(config.replacementCacheSize(), table.replacementCount());
    NodeInfo v = nodeAt(0);
    table.onResponse(v, T0 + MIN, -1);
    assertEquals(config.replacementCacheSize(), table.replacementCount());
    assertTrue(table.replacementEntries().stream().anyMatch(e -> e.id().equals(v.id())));
  }

  @Test
  void bestReplacementIsTheNewestVerifiedOne() {
    List<NodeInfo> far = fillFarBucket(T0);
    NodeInfo v1 = nodeAt(0);
    NodeInfo v2 = nodeAt(0);
    table.onResponse(v1, T0 + 1, -1);
    table.onResponse(v2, T0 + 2, -1);
    table.offer(nodeAt(0), T0 + 3); // newer, but unverified
    for (int i = 0; i < config.maxFailures(); i++) {
      table.onFailure(far.get(0), T0 + 10);
    }
    assertTrue(table.contains(v2.id()));
    assertFalse(table.contains(v1.id()));
  }

  // ------------------------------------------------------------------ refresh

  @Test
  void refreshTargetsFallInTheirBucketsRange() {
    for (int cpl = 0; cpl < 12; cpl++) {
      for (int i = 0; i < config.k() + 1; i++) {
        table.onResponse(nodeAt(cpl), T0, -1);
      }
    }
    int buckets = table.bucketCount();
    assertTrue(buckets > 10);
    assertTrue(table.maintenance(T0 + 15 * MIN - 1).refreshTargets().isEmpty());
    List<NodeId> targets = table.maintenance(T0 + 15 * MIN).refreshTargets();
    assertEquals(buckets, targets.size());
    for (int i = 0; i < targets.size(); i++) {
      assertEquals(i, table.bucketIndex(targets.get(i)), "target " + i);
    }
    assertTrue(table.maintenance(T0 + 16 * MIN).refreshTargets().isEmpty(), "not again right away");
    // a bucket that changes is not refreshed
    table.onResponse(table.entries().get(0).node(), T0 + 20 * MIN, -1);
    List<NodeId> again = table.maintenance(T0 + 30 * MIN).refreshTargets();
    assertEquals(buckets - 1, again.size());
    for (NodeId t : again) {
      assertTrue(table.bucketIndex(t) != 0);
    }
  }

  @Test
  void randomIdsInEveryBucketRange() {
    RoutingTable t = new RoutingTable(self, config, new Random(3));
    for (int cpl = 0; cpl < 158; cpl++) {
      for (int i = 0; i < config.k() + 1; i++) {
        t.offer(new NodeInfo(idAt(cpl), freshAddress()), T0);
      }
    }
    for (int i = 0; i < t.bucketCount(); i++) {
      for (int r = 0; r < 20; r++) {
        assertEquals(i, t.bucketIndex(t.randomIdInBucket(i)));
      }
    }
  }

  @Test
  void newTableAsksForNoRefreshBeforeOneInterval() {
    assertTrue(table.maintenance(T0).refreshTargets().isEmpty());
    assertTrue(table.maintenance(T0 + 14 * MIN).refreshTargets().isEmpty());
    assertEquals(1, table.maintenance(T0 + 15 * MIN).refreshTargets().size());
  }

  // ------------------------------------------------------------------ closest

  @Test
  void closestMatchesBruteForceOnRandomTables() {
    for (long seed = 0; seed < 20; seed++) {
      Random r = new Random(seed);
      NodeId me = NodeId.random(r);
      RoutingTable t = new RoutingTable(me, config, new Random(seed));
      long now = T0;
      List<NodeInfo> known = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        // skew towards ids close to us so the table splits deeply
        int cpl = r.nextInt(30);
        NodeId id = r.nextInt(3) == 0 ? NodeId.random(r) : me.flipBit(cpl).withRandomSuffix(cpl + 1, r);
        int ip = 0x0a000001 + (i << 8); // one per /24 (the prefix cap is PrefixCapTest's)
        NodeInfo n = new NodeInfo(id, PeerAddress.of(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip}, 1000 + i));
        now += r.nextInt(5) * SEC;
        switch (r.nextInt(3)) {
          case 0 -> t.offer(n, now);
          case 1 -> t.onQuery(n, now);
          default -> t.onResponse(n, now, -1);
        }
        known.add(n);
      }
      for (int i = 0; i < 40; i++) {
        NodeInfo n = known.get(r.nextInt(known.size()));
        for (int f = 0; f < config.maxFailures(); f++) {
          t.onFailure(n, now);
        }
      }
      now += 5 * MIN; // the earliest good nodes have turned questionable
      List<NodeEntry> entries = t.entries();
      int[] states = new int[3];
      for (NodeEntry e : entries) {
        states[e.state(now).ordinal()]++;
      }
      assertTrue(states[0] > 8 && states[1] > 8 && states[2] > 0, "a meaningful mix: " + java.util.Arrays.toString(states));
      t.onFailure(known.get(0), now); // only to move the table's clock to now
      for (int q = 0; q < 50; q++) {
        NodeId target = switch (q % 4) {
          case 0 -> NodeId.random(r);
          case 1 -> me;
          case 2 -> me.flipBit(r.nextInt(NodeId.BITS));
          default -> entries.get(r.nextInt(entries.size())).id();
        };
        for (int n : new int[] {1, 8, 20, 1000}) {
          assertEquals(bruteForce(entries, target, n, now), t.closest(target, n), "seed " + seed + " n " + n);
        }
      }
    }
  }

  private static List<NodeInfo> bruteForce(List<NodeEntry> entries, NodeId target, int n, long now) {
    List<NodeEntry> good = new ArrayList<>();
    List<NodeEntry> questionable = new ArrayList<>();
    for (NodeEntry e : entries) {
      switch (e.state(now)) {
        case GOOD -> good.add(e);
        case QUESTIONABLE -> questionable.add(e);
        default -> { }
      }
    }
    good.sort((a, b) -> target.xor(a.id()).compareTo(target.xor(b.id())));
    questionable.sort((a, b) -> target.xor(a.id()).compareTo(target.xor(b.id())));
    List<NodeEntry> picked = new ArrayList<>(good.subList(0, Math.min(n, good.size())));
    picked.addAll(questionable.subList(0, Math.min(n - picked.size(), questionable.size())));
    picked.sort((a, b) -> target.xor(a.id()).compareTo(target.xor(b.id())));
    List<NodeInfo> out = new ArrayList<>();
    picked.forEach(e -> out.add(e.node()));
    return out;
  }

  @Test
  void closestPrefersGoodNodes() {
    NodeId target = idAt(40);
    NodeInfo near = new NodeInfo(target.flipBit(159), freshAddress()); // questionable, very close
    table.offer(near, T0);
    NodeInfo far = nodeAt(0);
    table.onResponse(far, T0, -1);
    assertEquals(List.of(far), table.closest(target, 1));
    assertEquals(List.of(near, far), table.closest(target, 2));
    assertTrue(table.closest(target, 0).isEmpty());
  }

  @Test
  void snapshotsDoNotChange() {
    NodeInfo n = nodeAt(1);
    table.onResponse(n, T0, -1);
    NodeEntry snap = table.entries().get(0);
    table.onFailure(n, T0 + 1);
    assertEquals(0, snap.failures());
    assertEquals(1, table.entry(n.id()).failures());
    assertNull(table.entry(idAt(9)));
  }
}
