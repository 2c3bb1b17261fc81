package dev.jdht.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One host, one /24 or one /64 cannot fill the routing table. */
class PrefixCapTest {
  private static final long T0 = 1_000_000_000L;
  private final Random random = new Random(5);
  private final NodeId self = NodeId.random(random);

  private void feed(RoutingTable t, int n, java.util.function.IntFunction<String> address) {
    for (int i = 0; i < n; i++) {
      NodeInfo node = new NodeInfo(NodeId.random(random), PeerAddress.parse(address.apply(i)));
      switch (i % 3) {
        case 0 -> t.onResponse(node, T0, -1);
        case 1 -> t.onQuery(node, T0);
        default -> t.offer(node, T0);
      }
    }
  }

  private static int entries(RoutingTable t) {
    return t.size() + t.replacementCount();
  }

  @Test
  void oneAddressGetsOneEntryWhateverIdsAndPortsItClaims() {
    RoutingTable t = new RoutingTable(self, RoutingConfig.defaults(), new Random(1));
    feed(t, 5000, i -> "203.0.113.7:" + (1 + i));
    assertEquals(1, entries(t));
    assertTrue(t.prefixCap().refused() > 4000);
  }

  @Test
  void oneSlash24GetsOneEntryPerBucketAndAtMostEightInTheTable() {
    RoutingTable t = new RoutingTable(self, RoutingConfig.defaults(), new Random(1));
    feed(t, 5000, i -> "203.0.113." + (1 + i % 254) + ":" + (1 + i));
    assertTrue(entries(t) <= PrefixCap.DEFAULT_PER_PREFIX_PER_TABLE, "entries " + entries(t));
    Set<Integer> buckets = new HashSet<>();
    for (NodeEntry e : t.entries()) {
      assertTrue(buckets.add(t.bucketIndex(e.id())), "two entries of one /24 in bucket " + t.bucketIndex(e.id()));
    }
  }

  @Test
  void oneSlash64IsCappedLikeASlash24() {
    RoutingTable t = new RoutingTable(self, RoutingConfig.defaults(), new Random(1));
    feed(t, 5000, i -> "[2001:db8:5:6:" + Integer.toHexString(i) + "::1]:6881");
    assertTrue(entries(t) <= PrefixCap.DEFAULT_PER_PREFIX_PER_TABLE, "entries " + entries(t));
  }

  @Test
  void manyPrefixesStillFillTheTable() {
    RoutingTable t = new RoutingTable(self, RoutingConfig.defaults(), new Random(1));
    feed(t, 5000, i -> (1 + i / 250) + "." + (i % 250) + ".0.1:6881");
    assertTrue(t.size() > 40, "live " + t.size());
    assertEquals(0, t.prefixCap().refused());
  }

  @Test
  void freedSlotsAreCountedDown() {
    RoutingTable t = new RoutingTable(self, RoutingConfig.defaults(), new Random(1));
    NodeInfo first = new NodeInfo(NodeId.random(random), PeerAddress.parse("198.51.100.1:1"));
    t.onResponse(first, T0, -1);
    NodeInfo second = new NodeInfo(NodeId.random(random), PeerAddress.parse("198.51.100.1:2"));
    assertFalse(t.onResponse(second, T0, -1), "one entry per IP");
    for (int i = 0; i < 3; i++) {
      t.onFailure(first, T0);
    }
    // a bad entry with no replacement stays; it yields its slot only when unindexed, so a new
    // response from the same IP is refused until then: the cap counts what the table holds
    assertEquals(1, entries(t));
  }

  @Test
  void loopbackTestnetsAreExemptWhenLocalAddressesAreAllowedAndCappedOtherwise() {
    RoutingTable testnet = new RoutingTable(self, RoutingConfig.defaults().withAllowLoopbackAndPrivate(true), new Random(1));
    feed(testnet, 500, i -> "127.0.10." + (1 + i % 250) + ":" + (6000 + i));
    assertTrue(testnet.size() > 30, "live " + testnet.size());
    assertEquals(0, testnet.prefixCap().refused());

    RoutingTable capped = new RoutingTable(self, RoutingConfig.defaults().withAllowLoopbackAndPrivate(true), new Random(1));
    capped.setPrefixCap(PrefixCap.defaults(false));
    feed(capped, 500, i -> "127.0.10." + (1 + i % 250) + ":" + (6000 + i));
    assertTrue(entries(capped) <= PrefixCap.DEFAULT_PER_PREFIX_PER_TABLE, "entries " + entries(capped));

    RoutingTable lan = new RoutingTable(self, RoutingConfig.defaults(), new Random(1));
    feed(lan, 500, i -> "10.1.1." + (1 + i % 250) + ":6881");
    assertTrue(entries(lan) <= PrefixCap.DEFAULT_PER_PREFIX_PER_TABLE, "private ranges are capped on the public internet");
  }

  @Test
  void prefixesAndLocalRanges() {
    assertEquals(PeerAddress.parse("1.2.3.0:0"), PrefixCap.prefixOf(PeerAddress.parse("1.2.3.4:5")));
    assertEquals(PeerAddress.parse("[2001:db8:1:2::]:0"), PrefixCap.prefixOf(PeerAddress.parse("[2001:db8:1:2:3:4:5:6]:5")));
    for (String a : new String[] {"127.0.0.1:1", "10.9.9.9:1", "172.16.0.1:1", "172.31.255.1:1", "192.168.1.1:1",
        "100.64.0.1:1", "169.254.1.1:1", "[::1]:1", "[fe80::1]:1", "[fd00::1]:1"}) {
      assertTrue(PrefixCap.isLocal(PeerAddress.parse(a)), a);
    }
    for (String a : new String[] {"172.32.0.1:1", "1.1.1.1:1", "100.128.0.1:1", "[2001:db8::1]:1", "[::2]:1"}) {
      assertFalse(PrefixCap.isLocal(PeerAddress.parse(a)), a);
    }
  }
}
