package dev.jdht.krpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link NodeId}: bytes, hex, XOR distance order, bit operations, checked against BigInteger. */
class NodeIdTest {
  private static final long SEED = 0x5eed_1d5L;

  static BigInteger big(NodeId id) {
    return new BigInteger(1, id.toBytes());
  }

  @Test
  void bytesAndHexRoundTrip() {
    Random rnd = new Random(SEED);
    for (int i = 0; i < 1000; i++) {
      byte[] b = new byte[20];
      rnd.nextBytes(b);
      NodeId id = NodeId.of(b);
      assertArrayEquals(b, id.toBytes());
      assertEquals(id, NodeId.fromHex(id.toHex()));
      assertEquals(id, NodeId.fromHex(id.toHex().toUpperCase()));
      assertEquals(id.toHex(), id.toString());
      assertEquals(40, id.toHex().length());
      byte[] padded = new byte[30];
      System.arraycopy(b, 0, padded, 7, 20);
      assertEquals(id, NodeId.of(padded, 7));
      byte[] out = new byte[25];
      id.writeTo(out, 3);
      assertArrayEquals(b, Arrays.copyOfRange(out, 3, 23));
    }
    assertEquals("0000000000000000000000000000000000000000", NodeId.zero().toHex());
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[19]));
    assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[21]));
    assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[25], 6));
    assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[25], -1));
    assertThrows(IllegalArgumentException.class, () -> NodeId.fromHex("00"));
    assertThrows(IllegalArgumentException.class, () -> NodeId.fromHex("g".repeat(40)));
    assertThrows(IllegalArgumentException.class, () -> NodeId.fromHex("0".repeat(41)));
  }

  @Test
  void xorDistanceOrderMatchesBigInteger() {
    Random rnd = new Random(SEED);
    for (int i = 0; i < 20_000; i++) {
      NodeId target = NodeId.random(rnd);
      NodeId a = i % 3 == 0 ? target.flipBit(rnd.nextInt(160)) : NodeId.random(rnd);
      NodeId b = i % 5 == 0 ? a.flipBit(rnd.nextInt(160)) : NodeId.random(rnd);
      BigInteger da = big(a).xor(big(target));
      BigInteger db = big(b).xor(big(target));
      assertEquals(Integer.signum(da.compareTo(db)), Integer.signum(target.compareDistance(a, b)));
      assertEquals(da, big(a.xor(target)));
      assertEquals(0, target.compareDistance(a, a));
    }
  }

  @Test
  void sortingByDistanceFindsTheClosest() {
    Random rnd = new Random(SEED + 1);
    NodeId target = NodeId.random(rnd);
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ids.add(NodeId.random(rnd));
    }
    ids.add(target);
    ids.sort((x, y) -> target.compareDistance(x, y));
    assertEquals(target, ids.get(0));
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(big(ids.get(i - 1)).xor(big(target)).compareTo(big(ids.get(i)).xor(big(target))) < 0);
    }
  }

  @Test
  void naturalOrderIsUnsignedBytes() {
    Random rnd = new Random(SEED + 2);
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      ids.add(NodeId.random(rnd));
    }
    List<NodeId> byBytes = new ArrayList<>(ids);
    byBytes.sort(Comparator.comparing(NodeId::toBytes, Arrays::compareUnsigned));
    List<NodeId> natural = new ArrayList<>(ids);
    natural.sort(null);
    assertEquals(byBytes, natural);
    assertTrue(NodeId.fromHex("80" + "00".repeat(19)).compareTo(NodeId.fromHex("7f" + "ff".repeat(19))) > 0);
  }

  @Test
  void bitOperations() {
    Random rnd = new Random(SEED + 3);
    for (int n = 0; n < 200; n++) {
      NodeId id = NodeId.random(rnd);
      byte[] b = id.toBytes();
      for (int i = 0; i < 160; i++) {
        boolean expected = (b[i / 8] & (0x80 >>> (i % 8))) != 0;
        assertEquals(expected, id.bit(i), "bit " + i);
        NodeId f = id.flipBit(i);
        assertEquals(!expected, f.bit(i));
        assertEquals(i, id.commonPrefixLength(f));
        assertEquals(BigInteger.ONE.shiftLeft(159 - i), big(id.xor(f)));
        assertEquals(id, f.flipBit(i));
      }
      assertEquals(160, id.commonPrefixLength(id));
      NodeId other = NodeId.random(rnd);
      int cpl = id.commonPrefixLength(other);
      assertEquals(160 - big(id.xor(other)).bitLength(), cpl);
      assertEquals(cpl, other.commonPrefixLength(id));
    }
    NodeId z = NodeId.zero();
    assertThrows(IndexOutOfBoundsException.class, () -> z.bit(160));
    assertThrows(IndexOutOfBoundsException.class, () -> z.bit(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> z.flipBit(160));
  }

  @Test
  void withRandomSuffixKeepsThePrefix() {
    Random rnd = new Random(SEED + 4);
    NodeId id = NodeId.random(rnd);
    for (int prefix = 0; prefix <= 160; prefix++) {
      boolean sawZero = false;
      boolean sawOne = false;
      for (int i = 0; i < 40; i++) {
        NodeId r = id.withRandomSuffix(prefix, rnd);
        assertTrue(id.commonPrefixLength(r) >= prefix, "prefix " + prefix);
        if (prefix < 160) {
          if (r.bit(prefix)) {
            sawOne = true;
          } else {
            sawZero = true;
          }
        } else {
          assertEquals(id, r);
        }
      }
      if (prefix < 160) {
        assertTrue(sawZero && sawOne, "the bit after a " + prefix + "-bit prefix must be random");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> id.withRandomSuffix(-1, rnd));
    assertThrows(IllegalArgumentException.class, () -> id.withRandomSuffix(161, rnd));
  }

  @Test
  void equalityAndSeededRandomness() {
    NodeId a = NodeId.random(new Random(7));
    NodeId b = NodeId.random(new Random(7));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, a.flipBit(159));
    assertNotEquals(a, a.flipBit(0));
    assertNotEquals(a, a.flipBit(70));
    assertNotEquals(a, (Object) a.toHex());
  }
}
