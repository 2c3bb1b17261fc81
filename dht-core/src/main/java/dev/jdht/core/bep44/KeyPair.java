package dev.jdht.core.bep44;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 key pair for mutable items. The secret key is either a 32-byte seed (RFC 8032, what
 * most libraries and {@code dht keygen} use) or libtorrent's 64-byte expanded secret key (clamped
 * scalar and prefix, as {@code ed25519_create_keypair} returns it); both sign identically for the
 * same seed. Immutable: the accessors return the internal arrays, which callers must not modify.
 */
public record KeyPair(byte[] publicKey, byte[] secretKey) {
  public KeyPair {
    if (publicKey == null || publicKey.length != Ed25519.KEY_LENGTH) {
      throw new IllegalArgumentException("public key must be 32 bytes");
    }
    if (secretKey == null
        || (secretKey.length != Ed25519.KEY_LENGTH && secretKey.length != Ed25519.EXPANDED_LENGTH)) {
      throw new IllegalArgumentException("secret key must be a 32-byte seed or a 64-byte expanded key");
    }
  }

  /** The key pair of a 32-byte seed or a 64-byte expanded secret key (the public key is derived). */
  public static KeyPair fromSecret(byte[] secret) {
    if (secret == null || (secret.length != Ed25519.KEY_LENGTH && secret.length != Ed25519.EXPANDED_LENGTH)) {
      throw new IllegalArgumentException("secret key must be a 32-byte seed or a 64-byte expanded key");
    }
    return new KeyPair(Ed25519.publicKey(secret), secret.clone());
  }

  /** A new key pair from a fresh random seed. */
  public static KeyPair generate(SecureRandom random) {
    byte[] seed = new byte[Ed25519.KEY_LENGTH];
    random.nextBytes(seed);
    return fromSecret(seed);
  }

  /** The public key in lowercase hex. */
  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyPair k && Arrays.equals(publicKey, k.publicKey) && Arrays.equals(secretKey, k.secretKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "KeyPair[" + publicKeyHex() + "]"; // never the secret
  }
}
