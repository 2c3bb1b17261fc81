package dev.jdht.core.bep44;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ed25519 and the BEP 44 test vectors (bittorrent.org bep_0044, "Test vectors"). */
class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();
  /** The BEP's key pair: a libtorrent 64-byte expanded secret key and its public key. */
  private static final byte[] BEP_SECRET = HEX.parseHex(
      "e06d3183d14159228433ed599221b80bd0a5ce8352e4bdf0262f76786ef1c74d"
          + "b7e7a9fea2c0eb269d61e3b38e450a22e754941ac78479d6c54e1faf6037881d");
  private static final byte[] BEP_PUBLIC =
      HEX.parseHex("77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548");
  private static final byte[] HELLO = ascii("12:Hello World!");

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void test1MutableSignatureAndTarget() {
    assertArrayEquals(ascii("3:seqi1e1:v12:Hello World!"), Item.signable(null, 1, HELLO));
    Item item = Item.signed(new KeyPair(BEP_PUBLIC, BEP_SECRET), null, 1, HELLO);
    assertEquals("305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff"
        + "1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01", HEX.formatHex(item.signature()));
    assertEquals("4a533d47ec9c7d95b1ad75f576cffc641853b750", item.target().toHex());
    assertTrue(item.verify(), "the JDK verifies the BEP's signature");
  }

  @Test
  void test2MutableWithSaltSignatureAndTarget() {
    byte[] salt = ascii("foobar");
    assertArrayEquals(ascii("4:salt6:foobar3:seqi1e1:v12:Hello World!"), Item.signable(salt, 1, HELLO));
    Item item = Item.signed(new KeyPair(BEP_PUBLIC, BEP_SECRET), salt, 1, HELLO);
    assertEquals("6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17d"
        + "df9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08", HEX.formatHex(item.signature()));
    assertEquals("411eba73b6f087ca51a3795d9c8c938d365e32c1", item.target().toHex());
    assertTrue(item.verify());
  }

  @Test
  void test3ImmutableTarget() {
    assertEquals("e5f96f6f38320f0f33959cb4d3d656452117aadb", Item.immutable(HELLO).target().toHex());
  }

  @Test
  void theExpandedKeyGivesTheBepPublicKey() {
    assertArrayEquals(BEP_PUBLIC, Ed25519.publicKey(BEP_SECRET));
    assertEquals(new KeyPair(BEP_PUBLIC, BEP_SECRET), KeyPair.fromSecret(BEP_SECRET));
  }

  @Test
  void aSeedAndItsExpandedKeySignIdenticallyToTheJdk() {
    Random rnd = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] seed = new byte[32];
      rnd.nextBytes(seed);
      byte[] msg = new byte[rnd.nextInt(200)];
      rnd.nextBytes(msg);
      byte[] pub = Ed25519.publicKey(seed);
      byte[] jdk = Ed25519.signWithSeed(seed, msg);
      byte[] expanded = Ed25519.sign(Ed25519.expand(seed), pub, msg);
      assertArrayEquals(jdk, expanded, "seed " + i);
      assertArrayEquals(pub, Ed25519.publicKey(Ed25519.expand(seed)));
      assertTrue(Ed25519.verify(pub, msg, jdk));
    }
  }

  @Test
  void verificationFailsOnAnyChange() {
    byte[] msg = Item.signable(null, 1, HELLO);
    byte[] sig = Item.signed(new KeyPair(BEP_PUBLIC, BEP_SECRET), null, 1, HELLO).signature();
    assertTrue(Ed25519.verify(BEP_PUBLIC, msg, sig));
    byte[] badSig = sig.clone();
    badSig[10] ^= 1;
    assertFalse(Ed25519.verify(BEP_PUBLIC, msg, badSig));
    byte[] badMsg = Item.signable(null, 2, HELLO);
    assertFalse(Ed25519.verify(BEP_PUBLIC, badMsg, sig));
    byte[] otherKey = Ed25519.publicKey(new byte[32]);
    assertFalse(Ed25519.verify(otherKey, msg, sig));
    assertFalse(Ed25519.verify(new byte[31], msg, sig));
    assertFalse(Ed25519.verify(BEP_PUBLIC, msg, new byte[63]));
    byte[] offCurve = new byte[32];
    offCurve[0] = 2; // y = 2 is not on the curve
    assertFalse(Ed25519.verify(offCurve, msg, sig));
  }

  @Test
  void keyPairsRejectWrongLengths() {
    assertThrows(IllegalArgumentException.class, () -> KeyPair.fromSecret(new byte[33]));
    assertThrows(IllegalArgumentException.class, () -> new KeyPair(new byte[31], new byte[32]));
  }
}
