package dev.jdht.krpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link CompactNodes}, {@link CompactPeers}, {@link NodeInfo} and {@link TransactionId}. */
class CompactFormsTest {

  static PeerAddress randomAddress(Random rnd, boolean v6) {
    byte[] ip = new byte[v6 ? 16 : 4];
    rnd.nextBytes(ip);
    return PeerAddress.of(ip, rnd.nextInt(65536));
  }

  @Test
  void nodesRoundTripAnyCount() {
    Random rnd = new Random(26);
    for (boolean v6 : new boolean[] {false, true}) {
      for (int count : new int[] {0, 1, 8, 90, 300}) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          nodes.add(new NodeInfo(NodeId.random(rnd), randomAddress(rnd, v6)));
        }
        CompactNodes c = CompactNodes.of(nodes, v6);
        assertEquals(count, c.size());
        assertEquals(v6, c.isIpv6());
        assertEquals(count * (v6 ? 38 : 26), c.byteLength());
        assertEquals(nodes, List.copyOf(c));
        byte[] raw = new byte[c.byteLength() + 3];
        c.copyTo(raw, 3);
        CompactNodes view = CompactNodes.view(raw, 3, c.byteLength(), v6);
        assertEquals(nodes, List.copyOf(view));
        for (int i = 0; i < count; i++) {
          assertEquals(nodes.get(i).id(), view.idAt(i));
          assertEquals(nodes.get(i).address().port(), view.portAt(i));
          byte[] one = new byte[nodes.get(i).compactLength()];
          assertEquals(one.length, nodes.get(i).writeCompact(one, 0));
          assertEquals(nodes.get(i), NodeInfo.fromCompact(one, 0, one.length));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(count));
        assertThrows(IndexOutOfBoundsException.class, () -> view.idAt(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> view.portAt(count));
      }
    }
    assertTrue(CompactNodes.empty().isEmpty());
  }

  @Test
  void nodesRejectBadShapes() {
    assertThrows(IllegalArgumentException.class, () -> CompactNodes.view(new byte[30], 0, 25, false));
    assertThrows(IllegalArgumentException.class, () -> CompactNodes.view(new byte[52], 0, 52, true));
    Random rnd = new Random(1);
    List<NodeInfo> mixed = List.of(new NodeInfo(NodeId.random(rnd), randomAddress(rnd, false)),
        new NodeInfo(NodeId.random(rnd), randomAddress(rnd, true)));
    assertThrows(IllegalArgumentException.class, () -> CompactNodes.of(mixed, false));
    assertThrows(IllegalArgumentException.class, () -> CompactNodes.of(mixed, true));
    assertThrows(IllegalArgumentException.class, () -> NodeInfo.fromCompact(new byte[40], 0, 27));
    assertThrows(NullPointerException.class, () -> new NodeInfo(null, randomAddress(rnd, false)));
    assertThrows(NullPointerException.class, () -> new NodeInfo(NodeId.zero(), null));
  }

  @Test
  void peersRoundTrip() {
    Random rnd = new Random(6);
    List<PeerAddress> peers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      peers.add(randomAddress(rnd, rnd.nextBoolean()));
    }
    CompactPeers c = CompactPeers.of(peers);
    assertEquals(peers, List.copyOf(c));
    for (int i = 0; i < peers.size(); i++) {
      assertEquals(peers.get(i).compactLength(), c.lengthAt(i));
      assertEquals(peers.get(i), PeerAddress.fromCompact(c.source(), c.offsetAt(i), c.lengthAt(i)));
    }
    assertThrows(IndexOutOfBoundsException.class, () -> c.get(200));
    assertTrue(CompactPeers.of(List.of()).isEmpty());
    assertTrue(CompactPeers.empty().isEmpty());
    CompactPeers.Builder b = new CompactPeers.Builder(new byte[30]);
    assertThrows(IllegalArgumentException.class, () -> b.add(0, 5));
    assertThrows(IllegalArgumentException.class, () -> b.add(0, 26));
    assertEquals(2, b.add(0, 6).add(6, 18).build().size());
  }

  @Test
  void transactionIds() {
    byte[] b = {1, 2, 3};
    TransactionId t = TransactionId.of(b);
    b[0] = 9;
    assertEquals("010203", t.toHex());
    assertEquals(t, TransactionId.of(new byte[] {0, 1, 2, 3, 4}, 1, 3));
    assertEquals(t.hashCode(), TransactionId.of(new byte[] {1, 2, 3}).hashCode());
    assertNotEquals(t, TransactionId.of(new byte[] {1, 2}));
    assertEquals(3, t.length());
    t.toBytes()[0] = 7;
    assertEquals("010203", t.toString());
    assertEquals("0102", TransactionId.ofLong(0x0102, 2).toHex());
    assertEquals("00000000ffffffff", TransactionId.ofLong(0xffffffffL, 8).toHex());
    assertEquals(TransactionId.ofLong(258, 2), TransactionId.of(new byte[] {1, 2}));
    assertFalse(TransactionId.of(new byte[0]).equals(null));
    assertEquals(0, TransactionId.of(new byte[0]).length());
  }
}
