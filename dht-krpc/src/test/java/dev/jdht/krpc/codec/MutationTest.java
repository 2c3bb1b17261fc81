package dev.jdht.krpc.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.DecodeChecks;
import dev.jdht.krpc.RandomMessages;
import dev.jdht.testdata.KrpcVectors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded mutations of every golden vector (bit flips, truncations, insertions of random bytes and
 * of bencode syntax, deletions, duplications, swaps, digit changes): whatever happens, only a
 * {@link DecodeException} may escape, and whatever decodes must re-encode consistently (see
 * {@link DecodeChecks}). Tens of thousands of cases.
 */
class MutationTest {
  private static final long SEED = 0xF022_2026L;
  private static final int MUTATIONS_PER_VECTOR = 500;
  private static final byte[][] TOKENS = tokens("i", "e", "l", "d", ":", "-", "0", "9", "0:",
      "1:", "20:", "26:", "i0e", "i-0e", "i-1e", "le", "de", "99999999999:", "400000000:",
      "i9223372036854775808e", "1:t", "1:y1:q", "1:y1:r", "1:y1:e", "1:q4:ping", "1:ad", "1:rd",
      "2:id20:", "5:nodes", "6:valuesl", "2:ip6:", "2:roi1e", "4:wantl", "1:eli201e", "ll", "dd");

  private static byte[][] tokens(String... s) {
    byte[][] out = new byte[s.length][];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i].getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }

  static Stream<Arguments> seeds() {
    List<Arguments> out = new ArrayList<>();
    for (KrpcVectors.Vector v : KrpcVectors.valid()) {
      out.add(Arguments.of(v.name(), v.bytes()));
    }
    for (KrpcVectors.Vector v : KrpcVectors.validNonCanonical()) {
      out.add(Arguments.of(v.name(), v.bytes()));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("seeds")
  void mutationsOfAValidVectorOnlyThrowDecodeException(String name, byte[] seed) {
    Random rnd = new Random(SEED ^ name.hashCode());
    int decoded = 0;
    for (int i = 0; i < MUTATIONS_PER_VECTOR; i++) {
      byte[] m = seed;
      int rounds = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 6 : 2);
      for (int k = 0; k < rounds; k++) {
        m = mutate(m, rnd);
      }
      if (DecodeChecks.checkKrpc(m)) {
        decoded++;
      }
      DecodeChecks.checkBencode(m);
    }
    // sanity: the mutations are not all fatal (some flip bytes inside strings)
    assertTrue(decoded > 0, name + ": no mutation decoded");
  }

  @Test
  void mutationsOfRandomMessages() {
    Random rnd = new Random(SEED);
    RandomMessages gen = new RandomMessages(new Random(SEED + 1));
    for (int i = 0; i < 1000; i++) {
      byte[] seed = KrpcCodec.encode(gen.message());
      for (int j = 0; j < 10; j++) {
        byte[] m = mutate(seed, rnd);
        DecodeChecks.checkKrpc(m);
        DecodeChecks.checkBencode(m);
      }
    }
  }

  @Test
  void randomBytesAndTokenSoup() {
    Random rnd = new Random(SEED + 2);
    for (int i = 0; i < 10_000; i++) {
      byte[] m;
      if (i % 2 == 0) {
        m = new byte[rnd.nextInt(64)];
        rnd.nextBytes(m);
        if (m.length > 0 && rnd.nextBoolean()) {
          m[0] = 'd';
        }
      } else {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write('d');
        int n = rnd.nextInt(20);
        for (int k = 0; k < n; k++) {
          out.writeBytes(TOKENS[rnd.nextInt(TOKENS.length)]);
        }
        m = out.toByteArray();
      }
      DecodeChecks.checkKrpc(m);
      DecodeChecks.checkBencode(m);
    }
  }

  /** One random mutation. */
  static byte[] mutate(byte[] in, Random rnd) {
    int n = in.length;
    switch (rnd.nextInt(10)) {
      case 0: { // flip 1-3 bits
        byte[] out = in.clone();
        if (n == 0) {
          return out;
        }
        int flips = 1 + rnd.nextInt(3);
        for (int i = 0; i < flips; i++) {
          out[rnd.nextInt(n)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return out;
      }
      case 1: // truncate
        return java.util.Arrays.copyOf(in, n == 0 ? 0 : rnd.nextInt(n));
      case 2: { // insert random bytes
        byte[] ins = new byte[1 + rnd.nextInt(4)];
        rnd.nextBytes(ins);
        return insert(in, rnd.nextInt(n + 1), ins);
      }
      case 3: // insert bencode syntax
        return insert(in, rnd.nextInt(n + 1), TOKENS[rnd.nextInt(TOKENS.length)]);
      case 4: { // delete a range
        if (n == 0) {
          return in;
        }
        int from = rnd.nextInt(n);
        int to = Math.min(n, from + 1 + rnd.nextInt(8));
        byte[] out = new byte[n - (to - from)];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(in, to, out, from, n - to);
        return out;
      }
      case 5: { // replace a byte
        byte[] out = in.clone();
        if (n > 0) {
          out[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
        }
        return out;
      }
      case 6: { // duplicate a range somewhere else
        if (n == 0) {
          return in;
        }
        int from = rnd.nextInt(n);
        int to = Math.min(n, from + 1 + rnd.nextInt(40));
        return insert(in, rnd.nextInt(n + 1), java.util.Arrays.copyOfRange(in, from, to));
      }
      case 7: { // change a digit (lengths and integers)
        byte[] out = in.clone();
        for (int tries = 0; tries < 20 && n > 0; tries++) {
          int p = rnd.nextInt(n);
          if (out[p] >= '0' && out[p] <= '9') {
            out[p] = (byte) ('0' + rnd.nextInt(10));
            break;
          }
        }
        return out;
      }
      case 8: { // swap two ranges of equal length
        byte[] out = in.clone();
        if (n < 2) {
          return out;
        }
        int len = 1 + rnd.nextInt(Math.min(20, n / 2));
        int a = rnd.nextInt(n - len + 1);
        int b = rnd.nextInt(n - len + 1);
        byte[] tmp = java.util.Arrays.copyOfRange(out, a, a + len);
        System.arraycopy(out, b, out, a, len);
        System.arraycopy(tmp, 0, out, b, len);
        return out;
      }
      default: { // set a byte to a structural character
        byte[] out = in.clone();
        if (n > 0) {
          out[rnd.nextInt(n)] = (byte) "ield:-0123456789".charAt(rnd.nextInt(16));
        }
        return out;
      }
    }
  }

  static byte[] insert(byte[] in, int at, byte[] ins) {
    byte[] out = new byte[in.length + ins.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(ins, 0, out, at, ins.length);
    System.arraycopy(in, at, out, at + ins.length, in.length - at);
    return out;
  }
}
