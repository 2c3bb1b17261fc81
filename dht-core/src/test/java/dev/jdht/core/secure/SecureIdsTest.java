package dev.jdht.core.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecureIdsTest {
  /** BEP 42's test vectors: IP, rand (the id's last byte), id. */
  private static final String[][] VECTORS = {
    {"124.31.75.21", "1", "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401"},
    {"21.75.31.124", "86", "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256"},
    {"65.23.51.170", "22", "a5d43220bc8f112a3d426c84764f8c2a1150e616"},
    {"84.124.73.14", "65", "1b0321dd1bb1fe518101ceef99462b947a01ff41"},
    {"43.213.53.83", "90", "e56f6cbf5b7c4be0237986d5243b87aa6d51305a"},
  };

  private static byte[] ip(String s) {
    return PeerAddress.parse(s + ":1").ipBytes();
  }

  private static int top21(NodeId id) {
    byte[] b = id.toBytes();
    return (b[0] & 0xff) << 13 | (b[1] & 0xff) << 5 | (b[2] & 0xff) >>> 3;
  }

  @Test
  void bep42VectorsMatchTheirAddresses() {
    for (String[] v : VECTORS) {
      NodeId id = NodeId.fromHex(v[2]);
      assertTrue(SecureIds.matches(id, ip(v[0])), v[0]);
      assertEquals(Integer.parseInt(v[1]), id.toBytes()[19] & 0xff, v[0]);
    }
  }

  @Test
  void generatedIdsHaveTheVectorsPrefixAndR() {
    Random rnd = new Random(5);
    for (String[] v : VECTORS) {
      int r = Integer.parseInt(v[1]) & 7;
      NodeId expected = NodeId.fromHex(v[2]);
      NodeId made = SecureIds.generate(ip(v[0]), r, rnd);
      assertEquals(top21(expected), top21(made), v[0]);
      assertEquals(r, made.toBytes()[19] & 7, v[0]);
      assertTrue(SecureIds.matches(made, ip(v[0])), v[0]);
    }
  }

  @Test
  void crcOfTheFirstVectorIsTheKnownValue() {
    // crc32c(0x200f0b15) = 0x5fbfbdb2: 124.31.75.21 masked with 0x030f3fff, r = 1 in the top bits
    assertEquals(0x5fbfbdb2, SecureIds.crc(ip("124.31.75.21"), 1));
  }

  @Test
  void oneFlippedPrefixBitOrAnotherRFailsAndTheFreeBitsDoNot() {
    NodeId id = NodeId.fromHex(VECTORS[1][2]);
    byte[] addr = ip(VECTORS[1][0]);
    for (int bit = 0; bit < 21; bit++) {
      assertFalse(SecureIds.matches(id.flipBit(bit), addr), "bit " + bit);
    }
    for (int bit = 21; bit < 152; bit++) {
      assertTrue(SecureIds.matches(id.flipBit(bit), addr), "bit " + bit);
    }
    assertFalse(SecureIds.matches(id.flipBit(159), addr), "r changed");
    assertFalse(SecureIds.matches(id, ip("21.75.31.125")) && SecureIds.matches(id, ip("22.75.31.124")));
  }

  @Test
  void ipv6IdsRoundTripAndDependOnTheFirst64BitsOnly() {
    Random rnd = new Random(9);
    byte[] a = ip("[2001:db8:1234:5678::1]");
    byte[] sameSlash64 = ip("[2001:db8:1234:5678:ffff::2]");
    for (int i = 0; i < 50; i++) {
      NodeId id = SecureIds.generate(a, rnd);
      assertTrue(SecureIds.matches(id, a));
      assertTrue(SecureIds.matches(id, sameSlash64));
    }
    int misses = 0;
    byte[] other = ip("[2001:db8:1234:5679::1]");
    for (int i = 0; i < 50; i++) {
      if (!SecureIds.matches(SecureIds.generate(a, rnd), other)) {
        misses++;
      }
    }
    assertTrue(misses > 45, "ids for one /64 rarely fit another: " + misses);
  }

  @Test
  void localAddressesAreExempt() {
    Random rnd = new Random(1);
    NodeId any = NodeId.random(rnd);
    for (String s : new String[] {"10.1.2.3", "172.16.0.9", "172.31.255.1", "192.168.1.1", "169.254.3.3",
        "127.0.0.1", "[::1]", "[fd00::5]", "[fe80::1]"}) {
      assertTrue(SecureIds.isExempt(ip(s)), s);
      assertTrue(SecureIds.matches(any, ip(s)), s);
    }
    for (String s : new String[] {"172.32.0.1", "8.8.8.8", "192.169.0.1", "[2001:db8::1]"}) {
      assertFalse(SecureIds.isExempt(ip(s)), s);
    }
  }

  @Test
  void prefixIsTheSlash24OrSlash64() {
    assertEquals(SecureIds.prefix(PeerAddress.parse("1.2.3.4:5")), SecureIds.prefix(PeerAddress.parse("1.2.3.200:7")));
    assertFalse(SecureIds.prefix(PeerAddress.parse("1.2.3.4:5")).equals(SecureIds.prefix(PeerAddress.parse("1.2.4.4:5"))));
    assertEquals(SecureIds.prefix(PeerAddress.parse("[2001:db8:1:2::1]:5")),
        SecureIds.prefix(PeerAddress.parse("[2001:db8:1:2:ffff::9]:5")));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> SecureIds.crc(new byte[5], 0));
    assertThrows(IllegalArgumentException.class, () -> SecureIds.crc(new byte[4], 8));
  }
}
