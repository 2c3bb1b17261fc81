package dev.jdht.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerStoreTest {
  private static final long MIN = 60_000_000_000L;
  private static final long TTL = 30 * MIN;
  private final Random random = new Random(11);

  private static PeerAddress peer(int i) {
    return PeerAddress.of(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, 6881);
  }

  private NodeId ih() {
    return NodeId.random(random);
  }

  @Test
  void announceThenGetStoresTheGivenPort() {
    PeerStore s = new PeerStore(100, 100, 1000, TTL);
    NodeId ih = ih();
    PeerAddress p = PeerAddress.parse("1.2.3.4:51413"); // the caller resolved implied_port already
    s.announce(ih, p, false, 0);
    assertEquals(List.of(p), s.get(ih, 10, random, 1));
    assertTrue(s.get(ih(), 10, random, 1).isEmpty());
    assertEquals(1, s.peerCount());
    assertEquals(1, s.infoHashCount());
  }

  @Test
  void reannounceRefreshesWithoutDuplicating() {
    PeerStore s = new PeerStore(100, 100, 1000, TTL);
    NodeId ih = ih();
    s.announce(ih, peer(1), false, 0);
    s.announce(ih, peer(1), true, 20 * MIN);
    assertEquals(1, s.peerCount());
    assertEquals(1, s.seedCount(ih, 20 * MIN));
    s.expire(40 * MIN); // 40 min after the first announce, 20 after the second
    assertEquals(List.of(peer(1)), s.get(ih, 10, random, 40 * MIN));
    s.expire(50 * MIN);
    assertEquals(0, s.peerCount());
    assertEquals(0, s.infoHashCount());
  }

  @Test
  void expiredEntriesAreNeverReturnedEvenBeforeExpire() {
    PeerStore s = new PeerStore(100, 100, 1000, TTL);
    NodeId ih = ih();
    s.announce(ih, peer(1), false, 0);
    s.announce(ih, peer(2), false, 10 * MIN);
    assertEquals(Set.of(peer(1), peer(2)), new HashSet<>(s.get(ih, 10, random, TTL - 1)));
    assertEquals(List.of(peer(2)), s.get(ih, 10, random, TTL));
    assertEquals(2, s.peerCount(), "get does not remove");
    s.expire(TTL);
    assertEquals(1, s.peerCount());
  }

  @Test
  void perInfoHashCapEvictsTheOldestOfThatInfoHash() {
    PeerStore s = new PeerStore(5, 100, 1000, TTL);
    NodeId ih = ih();
    NodeId other = ih();
    s.announce(other, peer(100), false, 0);
    for (int i = 0; i < 5; i++) {
      s.announce(ih, peer(i), false, i + 1);
    }
    s.announce(ih, peer(0), false, 10); // refresh: peer(1) is now the oldest
    s.announce(ih, peer(9), false, 11);
    Set<PeerAddress> got = new HashSet<>(s.get(ih, 100, random, 12));
    assertEquals(Set.of(peer(0), peer(2), peer(3), peer(4), peer(9)), got);
    assertEquals(List.of(peer(100)), s.get(other, 100, random, 12), "other infohashes untouched");
    assertEquals(6, s.peerCount());
  }

  @Test
  void infoHashCapEvictsTheLeastRecentlyAnnouncedInfoHash() {
    PeerStore s = new PeerStore(10, 3, 1000, TTL);
    NodeId a = ih();
    NodeId b = ih();
    NodeId c = ih();
    s.announce(a, peer(1), false, 1);
    s.announce(a, peer(2), false, 2);
    s.announce(b, peer(3), false, 3);
    s.announce(c, peer(4), false, 4);
    s.announce(a, peer(5), false, 5); // a is the most recent now; b the oldest
    NodeId d = ih();
    s.announce(d, peer(6), false, 6);
    assertEquals(3, s.infoHashCount());
    assertTrue(s.get(b, 10, random, 7).isEmpty());
    assertEquals(3, s.get(a, 10, random, 7).size());
    assertEquals(5, s.peerCount());
  }

  @Test
  void totalCapEvictsTheGloballyOldestPeer() {
    PeerStore s = new PeerStore(100, 100, 10, TTL);
    NodeId[] ihs = {ih(), ih(), ih()};
    for (int i = 0; i < 30; i++) {
      s.announce(ihs[i % 3], peer(i), false, i);
      assertTrue(s.peerCount() <= 10);
    }
    assertEquals(10, s.peerCount());
    Set<PeerAddress> all = new HashSet<>();
    for (NodeId ih : ihs) {
      all.addAll(s.get(ih, 100, random, 30));
    }
    Set<PeerAddress> expected = new HashSet<>();
    for (int i = 20; i < 30; i++) {
      expected.add(peer(i));
    }
    assertEquals(expected, all);
  }

  @Test
  void totalCapCanEmptyAnInfoHash() {
    PeerStore s = new PeerStore(100, 100, 2, TTL);
    NodeId a = ih();
    NodeId b = ih();
    s.announce(a, peer(1), false, 1);
    s.announce(b, peer(2), false, 2);
    s.announce(b, peer(3), false, 3);
    assertEquals(1, s.infoHashCount());
    assertTrue(s.get(a, 10, random, 4).isEmpty());
    s.announce(a, peer(4), false, 5); // evicts peer(2); a comes back
    assertEquals(2, s.infoHashCount());
    assertEquals(2, s.peerCount());
  }

  @Test
  void randomSubsetWhenMoreThanMax() {
    PeerStore s = new PeerStore(1000, 10, 10_000, TTL);
    NodeId ih = ih();
    for (int i = 0; i < 200; i++) {
      s.announce(ih, peer(i), false, 0);
    }
    Set<PeerAddress> seen = new HashSet<>();
    for (int round = 0; round < 50; round++) {
      List<PeerAddress> got = s.get(ih, 50, random, 1);
      assertEquals(50, got.size());
      assertEquals(50, new HashSet<>(got).size(), "no duplicates");
      seen.addAll(got);
    }
    assertTrue(seen.size() > 190, "subsets vary: " + seen.size());
    assertTrue(s.get(ih, 0, random, 1).isEmpty());
  }

  @Test
  void familyFilter() {
    PeerStore s = new PeerStore(100, 100, 1000, TTL);
    NodeId ih = ih();
    PeerAddress v4 = PeerAddress.parse("1.2.3.4:1");
    PeerAddress v6 = PeerAddress.parse("[2001:db8::1]:1");
    s.announce(ih, v4, false, 0);
    s.announce(ih, v6, false, 0);
    assertEquals(List.of(v4), s.get(ih, 10, random, 1, false));
    assertEquals(List.of(v6), s.get(ih, 10, random, 1, true));
    assertEquals(2, s.get(ih, 10, random, 1, null).size());
  }

  @Test
  void infoHashSamples() {
    PeerStore s = new PeerStore(10, 1000, 1000, TTL);
    Set<NodeId> stored = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      NodeId ih = ih();
      stored.add(ih);
      s.announce(ih, peer(i), false, 0);
    }
    List<NodeId> sample = s.infoHashes(20, random);
    assertEquals(20, sample.size());
    assertEquals(20, new HashSet<>(sample).size());
    assertTrue(stored.containsAll(sample));
    assertEquals(stored, new HashSet<>(s.infoHashes(1000, random)));
    assertFalse(s.infoHashes(0, random).iterator().hasNext());
  }

  @Test
  void randomWorkloadRespectsEveryCap() {
    PeerStore s = new PeerStore(7, 13, 50, TTL);
    Random r = new Random(5);
    NodeId[] ihs = new NodeId[30];
    for (int i = 0; i < ihs.length; i++) {
      ihs[i] = ih();
    }
    long now = 0;
    for (int step = 0; step < 20_000; step++) {
      now += r.nextInt(10_000_000);
      s.announce(ihs[r.nextInt(ihs.length)], peer(r.nextInt(100)), r.nextBoolean(), now);
      if (step % 97 == 0) {
        s.expire(now);
      }
      assertTrue(s.peerCount() <= 50);
      assertTrue(s.infoHashCount() <= 13);
    }
    int total = 0;
    for (NodeId ih : ihs) {
      int n = s.get(ih, 1000, r, now).size();
      assertTrue(n <= 7);
      total += n;
    }
    assertEquals(s.peerCount(), total);
    s.expire(now + TTL);
    assertEquals(0, s.peerCount());
    assertEquals(0, s.infoHashCount());
  }
}
