package dev.jdht.core.bep44;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * Ed25519 (RFC 8032) for BEP 44, over the JDK's EdDSA provider (Java 15+).
 *
 * <p>Verification, and signing with a 32-byte seed, are the JDK's. Two things the JDK API cannot
 * do are done here: deriving the public key from a secret key, and signing with a libtorrent-style
 * 64-byte <em>expanded</em> secret key (the clamped scalar {@code a} and the 32-byte prefix, i.e.
 * SHA-512 of the seed with the scalar clamped, as {@code ed25519_create_keypair} returns it), from
 * which the seed cannot be recovered. Both need a multiplication of the base point by a scalar,
 * which is done with {@link BigInteger} arithmetic in extended twisted Edwards coordinates. That
 * code is checked bit for bit against the JDK (a seed signed by the JDK and the same seed expanded
 * and signed here give identical signatures: Ed25519 is deterministic) and against the BEP 44 test
 * vectors. It is not constant-time; it runs only where a local user signs their own items.
 *
 * <p>Thread-safe (stateless).
 */
public final class Ed25519 {
  /** Length of a public key, a seed and half an expanded key. */
  public static final int KEY_LENGTH = 32;
  /** Length of an expanded secret key (libtorrent's secret_key). */
  public static final int EXPANDED_LENGTH = 64;
  /** Length of a signature. */
  public static final int SIGNATURE_LENGTH = 64;

  private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  /** Order of the base point. */
  private static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final BigInteger D2 = D.shiftLeft(1).mod(P);
  private static final BigInteger SQRT_M1 =
      BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
  private static final Point BASE = basePoint();

  private Ed25519() {}

  /** A point in extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z. */
  private record Point(BigInteger x, BigInteger y, BigInteger z, BigInteger t) {
    static final Point IDENTITY = new Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO);

    /** The unified addition of Hisil et al. for a = -1 (also correct for doubling). */
    Point add(Point o) {
      BigInteger a = y.subtract(x).multiply(o.y.subtract(o.x)).mod(P);
      BigInteger b = y.add(x).multiply(o.y.add(o.x)).mod(P);
      BigInteger c = t.multiply(D2).multiply(o.t).mod(P);
      BigInteger d = z.shiftLeft(1).multiply(o.z).mod(P);
      BigInteger e = b.subtract(a);
      BigInteger f = d.subtract(c);
      BigInteger g = d.add(c);
      BigInteger h = b.add(a);
      return new Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P));
    }

    Point times(BigInteger k) {
      Point r = IDENTITY;
      for (int i = k.bitLength() - 1; i >= 0; i--) {
        r = r.add(r);
        if (k.testBit(i)) {
          r = r.add(this);
        }
      }
      return r;
    }

    /** RFC 8032 encoding: y little-endian, the low bit of x in the top bit. */
    byte[] encode() {
      BigInteger zi = z.modInverse(P);
      BigInteger ax = x.multiply(zi).mod(P);
      BigInteger ay = y.multiply(zi).mod(P);
      byte[] out = littleEndian(ay);
      if (ax.testBit(0)) {
        out[31] |= (byte) 0x80;
      }
      return out;
    }
  }

  private static Point basePoint() {
    BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    BigInteger x = recoverX(y, false);
    return new Point(x, y, BigInteger.ONE, x.multiply(y).mod(P));
  }

  /** x from y and the sign bit, or null if y is not on the curve. */
  private static BigInteger recoverX(BigInteger y, boolean odd) {
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).mod(P).equals(x2)) {
      x = x.multiply(SQRT_M1).mod(P);
    }
    if (!x.multiply(x).mod(P).equals(x2)) {
      return null;
    }
    if (x.testBit(0) != odd) {
      x = P.subtract(x).mod(P);
    }
    return x;
  }

  private static byte[] littleEndian(BigInteger n) {
    byte[] be = n.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  private static BigInteger fromLittleEndian(byte[] b, int off, int len) {
    byte[] be = new byte[len];
    for (int i = 0; i < len; i++) {
      be[i] = b[off + len - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static byte[] sha512(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required by every Java platform", e);
    }
  }

  /** The 64-byte expanded secret key of a 32-byte seed: SHA-512(seed) with the scalar clamped. */
  public static byte[] expand(byte[] seed) {
    requireLength(seed, KEY_LENGTH, "seed");
    byte[] h = sha512(seed);
    h[0] &= (byte) 248;
    h[31] &= 127;
    h[31] |= 64;
    return h;
  }

  /** The public key of a 32-byte seed or a 64-byte expanded secret key. */
  public static byte[] publicKey(byte[] secret) {
    byte[] expanded = secret.length == KEY_LENGTH ? expand(secret) : secret;
    requireLength(expanded, EXPANDED_LENGTH, "secret key");
    return BASE.times(fromLittleEndian(expanded, 0, 32)).encode();
  }

  /**
   * Signs {@code message}. {@code secret} is a 32-byte seed (signed by the JDK) or a 64-byte
   * expanded key (signed here); {@code publicKey} must be the key that belongs to it.
   */
  public static byte[] sign(byte[] secret, byte[] publicKey, byte[] message) {
    requireLength(publicKey, KEY_LENGTH, "public key");
    if (secret.length == KEY_LENGTH) {
      return signWithSeed(secret, message);
    }
    requireLength(secret, EXPANDED_LENGTH, "secret key");
    BigInteger a = fromLittleEndian(secret, 0, 32);
    byte[] prefix = Arrays.copyOfRange(secret, 32, 64);
    BigInteger r = fromLittleEndian(sha512(prefix, message), 0, 64).mod(L);
    byte[] rEnc = BASE.times(r).encode();
    BigInteger k = fromLittleEndian(sha512(rEnc, publicKey, message), 0, 64).mod(L);
    BigInteger s = r.add(k.multiply(a)).mod(L);
    byte[] sig = new byte[SIGNATURE_LENGTH];
    System.arraycopy(rEnc, 0, sig, 0, 32);
    System.arraycopy(littleEndian(s), 0, sig, 32, 32);
    return sig;
  }

  /** The JDK's Ed25519 signature of {@code message} with a 32-byte seed. */
  static byte[] signWithSeed(byte[] seed, byte[] message) {
    requireLength(seed, KEY_LENGTH, "seed");
    try {
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      PrivateKey key = kf.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /**
   * True if {@code signature} is a valid Ed25519 signature of {@code message} by {@code
   * publicKey} (JDK verification). False for keys or signatures of the wrong length, keys not on
   * the curve and any other failure; never throws.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null || signature == null || publicKey.length != KEY_LENGTH
        || signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      boolean odd = (publicKey[31] & 0x80) != 0;
      byte[] yBytes = publicKey.clone();
      yBytes[31] &= 0x7f;
      BigInteger y = fromLittleEndian(yBytes, 0, 32);
      if (y.compareTo(P) >= 0 || recoverX(y, odd) == null) {
        return false;
      }
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      PublicKey key = kf.generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(odd, y)));
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static void requireLength(byte[] b, int n, String what) {
    if (b == null || b.length != n) {
      throw new IllegalArgumentException(what + " must be " + n + " bytes");
    }
  }
}
