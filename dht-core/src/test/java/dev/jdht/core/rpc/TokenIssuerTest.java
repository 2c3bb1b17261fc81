package dev.jdht.core.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenIssuerTest {
  private static final long MIN = 60_000_000_000L;
  private static final long ROTATE = 5 * MIN;
  private static final long T0 = -123_456_789L; // monotonic time may be negative
  private static final byte[] IP = {1, 2, 3, 4};
  private static final byte[] OTHER_IP = {1, 2, 3, 5};

  @Test
  void tokenIsValidForItsIpOnly() {
    TokenIssuer t = new TokenIssuer(new Random(1), ROTATE, T0);
    byte[] token = t.issue(IP, T0);
    assertEquals(TokenIssuer.TOKEN_LENGTH, token.length);
    assertArrayEquals(token, t.issue(IP, T0 + MIN), "stable within a period");
    assertTrue(t.validate(token, IP, T0 + MIN));
    assertFalse(t.validate(token, OTHER_IP, T0 + MIN));
    byte[] v6 = new byte[16];
    v6[15] = 1;
    assertTrue(t.validate(t.issue(v6, T0), v6, T0));
    assertFalse(t.validate(t.issue(v6, T0), IP, T0));
  }

  @Test
  void currentAndPreviousSecretsAreAcceptedOlderAreNot() {
    TokenIssuer t = new TokenIssuer(new Random(2), ROTATE, T0);
    byte[] first = t.issue(IP, T0 + ROTATE - 1); // last moment of period 0
    assertTrue(t.validate(first, IP, T0 + ROTATE - 1));
    byte[] second = t.issue(IP, T0 + ROTATE); // period 1: new secret
    assertFalse(java.util.Arrays.equals(first, second));
    assertTrue(t.validate(first, IP, T0 + ROTATE), "previous secret still accepted");
    assertTrue(t.validate(first, IP, T0 + 2 * ROTATE - 1));
    assertTrue(t.validate(second, IP, T0 + 2 * ROTATE - 1));
    assertFalse(t.validate(first, IP, T0 + 2 * ROTATE), "two rotations old");
    assertTrue(t.validate(second, IP, T0 + 2 * ROTATE));
    assertFalse(t.validate(second, OTHER_IP, T0 + 2 * ROTATE));
    assertFalse(t.validate(second, IP, T0 + 3 * ROTATE));
  }

  @Test
  void aLongSilenceInvalidatesEverything() {
    TokenIssuer t = new TokenIssuer(new Random(3), ROTATE, T0);
    byte[] token = t.issue(IP, T0);
    // no call at all during two whole periods: the previous secret must not survive
    assertFalse(t.validate(token, IP, T0 + 2 * ROTATE + 1));
    byte[] fresh = t.issue(IP, T0 + 2 * ROTATE + 2);
    assertTrue(t.validate(fresh, IP, T0 + 3 * ROTATE - 1));
    assertTrue(t.validate(fresh, IP, T0 + 3 * ROTATE), "rotation stays on the period grid");
    assertFalse(t.validate(fresh, IP, T0 + 4 * ROTATE));
  }

  @Test
  void malformedTokensAreRejected() {
    TokenIssuer t = new TokenIssuer(new Random(4), ROTATE, T0);
    byte[] token = t.issue(IP, T0);
    assertFalse(t.validate(null, IP, T0));
    assertFalse(t.validate(new byte[0], IP, T0));
    assertFalse(t.validate(java.util.Arrays.copyOf(token, 7), IP, T0));
    assertFalse(t.validate(java.util.Arrays.copyOf(token, 9), IP, T0));
    byte[] flipped = token.clone();
    flipped[3] ^= 1;
    assertFalse(t.validate(flipped, IP, T0));
  }

  @Test
  void differentIssuersDisagree() {
    TokenIssuer a = new TokenIssuer(new Random(5), ROTATE, T0);
    TokenIssuer b = new TokenIssuer(new Random(6), ROTATE, T0);
    assertFalse(b.validate(a.issue(IP, T0), IP, T0));
  }
}
