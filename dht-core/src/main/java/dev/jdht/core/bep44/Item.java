package dev.jdht.core.bep44;

import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.wire.NodeId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * One BEP 44 item. {@code value} is the raw bencoding of "v" (what the target of an immutable
 * item and the signature of a mutable one cover). An immutable item has no key, signature or salt
 * (null) and seq 0; a mutable one has a 32-byte {@code key}, a 64-byte {@code signature}, its
 * {@code seq} and a {@code salt} (empty when none). Immutable; the accessors return the internal
 * arrays, which callers must not modify.
 */
public record Item(byte[] value, byte[] key, byte[] signature, long seq, byte[] salt) {
  /** Largest bencoded "v" BEP 44 allows. */
  public static final int MAX_VALUE_BYTES = 1000;
  /** Largest salt BEP 44 allows. */
  public static final int MAX_SALT_BYTES = 64;

  private static final byte[] NO_SALT = new byte[0];

  public Item {
    if (value == null) {
      throw new NullPointerException("value");
    }
    if (key != null) {
      if (key.length != Ed25519.KEY_LENGTH || signature == null || signature.length != Ed25519.SIGNATURE_LENGTH) {
        throw new IllegalArgumentException("a mutable item needs a 32-byte key and a 64-byte signature");
      }
      salt = salt == null ? NO_SALT : salt;
    } else if (signature != null || (salt != null && salt.length > 0) || seq != 0) {
      throw new IllegalArgumentException("an immutable item has no signature, salt or seq");
    } else {
      salt = null;
    }
  }

  /**
   * {@code v} if it is one bencoded value (strict, canonical) of at most 1,000 bytes, as a copy.
   *
   * @throws IllegalArgumentException otherwise, with a one-line reason
   */
  public static byte[] checkValue(byte[] v) {
    if (v == null) {
      throw new IllegalArgumentException("no value");
    }
    if (v.length > MAX_VALUE_BYTES) {
      throw new IllegalArgumentException("value is " + v.length + " bytes bencoded; BEP 44 allows " + MAX_VALUE_BYTES);
    }
    try {
      Bencode.decode(v);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("value is not one bencoded value: " + e.getMessage());
    }
    return v.clone();
  }

  /** An immutable item holding the bencoded {@code value}. */
  public static Item immutable(byte[] value) {
    return new Item(value, null, null, 0, null);
  }

  /** A mutable item signed with {@code keys}; {@code salt} may be null or empty for none. */
  public static Item signed(KeyPair keys, byte[] salt, long seq, byte[] value) {
    byte[] s = salt == null ? NO_SALT : salt;
    byte[] sig = Ed25519.sign(keys.secretKey(), keys.publicKey(), signable(s, seq, value));
    return new Item(value, keys.publicKey(), sig, seq, s);
  }

  public boolean isMutable() {
    return key != null;
  }

  /** Where the item lives: SHA-1 of the value (immutable) or of key and salt (mutable). */
  public NodeId target() {
    return isMutable() ? mutableTarget(key, salt) : immutableTarget(value);
  }

  /** True for an immutable item, or a mutable one whose signature verifies. */
  public boolean verify() {
    return !isMutable() || Ed25519.verify(key, signable(salt, seq, value), signature);
  }

  /** The target of an immutable item: SHA-1 of its bencoded value. */
  public static NodeId immutableTarget(byte[] value) {
    return NodeId.of(sha1(value, NO_SALT), 0);
  }

  /** The target of a mutable item: SHA-1 of the public key followed by the salt (may be null). */
  public static NodeId mutableTarget(byte[] key, byte[] salt) {
    return NodeId.of(sha1(key, salt == null ? NO_SALT : salt), 0);
  }

  /**
   * The bytes a mutable item's signature covers, as BEP 44 spells them: {@code 4:salt<n>:<salt>}
   * (only for a non-empty salt), then {@code 3:seqi<seq>e1:v} and the bencoded value.
   */
  public static byte[] signable(byte[] salt, long seq, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 96);
    if (salt != null && salt.length > 0) {
      out.writeBytes(ascii("4:salt" + salt.length + ":"));
      out.writeBytes(salt);
    }
    out.writeBytes(ascii("3:seqi" + seq + "e1:v"));
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] sha1(byte[] a, byte[] b) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      md.update(a);
      md.update(b);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
  }

  /** Same value, key, signature, seq and salt. */
  public boolean sameAs(Item o) {
    return o != null && seq == o.seq && Arrays.equals(value, o.value) && Arrays.equals(key, o.key)
        && Arrays.equals(signature, o.signature) && Arrays.equals(salt, o.salt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Item i && sameAs(i);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value) * 31 + Long.hashCode(seq);
  }

  @Override
  public String toString() {
    return "Item[" + (isMutable() ? "mutable seq=" + seq + ", " : "immutable, ") + value.length + " bytes]";
  }
}
