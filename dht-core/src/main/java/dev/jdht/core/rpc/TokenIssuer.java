package dev.jdht.core.rpc;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/**
 * Issues and checks the write tokens of BEP 5 ({@code get_peers} hands one out, {@code
 * announce_peer} must return it): the first {@link #TOKEN_LENGTH} bytes of SHA-1(secret || IP
 * address bytes). The port is not part of the token, so a peer may announce from another port of
 * the same host.
 *
 * <p>The 16-byte secret rotates every {@code rotateNanos} (BEP 5 suggests 5 minutes); tokens made
 * with the current or the previous secret are accepted, so a token stays valid for at least one
 * and at most two rotation periods. If more than one period passes without a call, the previous
 * secret is discarded as well.
 *
 * <p><b>Threading:</b> not thread-safe; owned by the loop thread. Never reads a clock.
 */
public final class TokenIssuer {
  /** Length of an issued token in bytes. */
  public static final int TOKEN_LENGTH = 8;

  private static final int SECRET_LENGTH = 16;

  private final Random random;
  private final long rotateNanos;
  private final MessageDigest sha1;
  private byte[] current;
  private byte[] previous; // null when none is valid
  private long rotatedAt;

  /**
   * @param random source of secrets (a {@link java.security.SecureRandom} in production)
   * @param rotateNanos rotation period, positive
   * @param now the current time; the first secret is made now
   */
  public TokenIssuer(Random random, long rotateNanos, long now) {
    if (rotateNanos <= 0) {
      throw new IllegalArgumentException("rotateNanos must be positive");
    }
    this.random = random;
    this.rotateNanos = rotateNanos;
    try {
      this.sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
    this.current = newSecret();
    this.rotatedAt = now;
  }

  /** A token for a requester at {@code ip} (4 or 16 address bytes). */
  public byte[] issue(byte[] ip, long now) {
    rotate(now);
    return token(current, ip);
  }

  /**
   * True if {@code token} was issued to {@code ip} with the current or the previous secret.
   * Compares in constant time.
   */
  public boolean validate(byte[] token, byte[] ip, long now) {
    rotate(now);
    if (token == null || ip == null || token.length != TOKEN_LENGTH) {
      return false;
    }
    if (MessageDigest.isEqual(token, token(current, ip))) {
      return true;
    }
    return previous != null && MessageDigest.isEqual(token, token(previous, ip));
  }

  private void rotate(long now) {
    long elapsed = now - rotatedAt;
    if (elapsed < rotateNanos) {
      return;
    }
    long periods = elapsed / rotateNanos;
    previous = periods == 1 ? current : null;
    current = newSecret();
    rotatedAt += periods * rotateNanos;
  }

  private byte[] newSecret() {
    byte[] s = new byte[SECRET_LENGTH];
    random.nextBytes(s);
    return s;
  }

  private byte[] token(byte[] secret, byte[] ip) {
    sha1.reset();
    sha1.update(secret);
    sha1.update(ip);
    byte[] digest = sha1.digest();
    byte[] t = new byte[TOKEN_LENGTH];
    System.arraycopy(digest, 0, t, 0, TOKEN_LENGTH);
    return t;
  }
}
