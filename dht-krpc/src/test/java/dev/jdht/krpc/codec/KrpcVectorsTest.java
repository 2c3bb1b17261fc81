package dev.jdht.krpc.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jdht.krpc.Messages;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.testdata.KrpcVectors;
import dev.jdht.testdata.KrpcVectors.InvalidVector;
import dev.jdht.testdata.KrpcVectors.Vector;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden vector from the testdata module against {@link KrpcCodec}. */
class KrpcVectorsTest {

  static List<Vector> valid() {
    return KrpcVectors.valid();
  }

  static List<Vector> nonCanonical() {
    return KrpcVectors.validNonCanonical();
  }

  static List<InvalidVector> invalid() {
    return KrpcVectors.invalid();
  }

  static Stream<Vector> allValid() {
    return Stream.concat(valid().stream(), nonCanonical().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validVectorRoundTripsByteIdentical(Vector v) throws DecodeException {
    byte[] in = v.bytes();
    KrpcMessage m = KrpcCodec.decode(in);
    byte[] out = KrpcCodec.encode(m);
    assertEquals(ascii(in), ascii(out), v.name());
    assertArrayEquals(in, out, v.name());
    // the generic bencode layer agrees that the vector is canonical
    assertArrayEquals(in, Bencode.encode(Bencode.decode(in)), v.name());
    // decoding the re-encoded bytes gives the same message
    assertEquals(Messages.describe(m), Messages.describe(KrpcCodec.decode(out)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allValid")
  void decodesFromTheMiddleOfALargerArray(Vector v) throws DecodeException {
    byte[] in = v.bytes();
    byte[] big = new byte[in.length + 40];
    Arrays.fill(big, (byte) 'e');
    System.arraycopy(in, 0, big, 17, in.length);
    KrpcMessage a = KrpcCodec.decode(in);
    KrpcMessage b = KrpcCodec.decode(big, 17, in.length);
    assertEquals(Messages.describe(a), Messages.describe(b));
    assertArrayEquals(KrpcCodec.encode(a), KrpcCodec.encode(b));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonCanonical")
  void nonCanonicalVectorReEncodesSorted(Vector v) throws DecodeException {
    byte[] in = v.bytes();
    byte[] canonical = Bencode.encode(Bencode.decode(in));
    assertFalse(Arrays.equals(in, canonical), v.name() + " is canonical already");
    KrpcMessage m = KrpcCodec.decode(in);
    byte[] out = KrpcCodec.encode(m);
    assertEquals(ascii(canonical), ascii(out), v.name());
    KrpcMessage again = KrpcCodec.decode(out);
    assertEquals(Messages.describe(m), Messages.describe(again));
    assertArrayEquals(out, KrpcCodec.encode(again));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidVectorFailsWithItsError(InvalidVector v) {
    byte[] in = v.bytes();
    DecodeException e = assertThrows(DecodeException.class, () -> KrpcCodec.decode(in), v.name());
    assertTrue(e.reason().contains(v.expectedReasonSubstring()),
        v.name() + ": expected '" + v.expectedReasonSubstring() + "', got '" + e.reason() + "'");
    if (v.expectedOffset() >= 0) {
      assertEquals(v.expectedOffset(), e.offset(), v.name() + ": " + e.getMessage());
    }
    assertEquals(DecodeException.PROTOCOL_ERROR, e.krpcCode(), v.name());
    byte[] t = KrpcVectors.expectedTransactionId(v.name());
    if (t == null) {
      assertNull(e.transactionId(), v.name() + ": no transaction id expected");
    } else {
      assertArrayEquals(t, e.transactionId(), v.name() + ": transaction id");
    }
    assertEquals(e.reason() + " at offset " + e.offset(), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidVectorOffsetsAreRelativeToTheSlice(InvalidVector v) {
    byte[] in = v.bytes();
    byte[] big = new byte[in.length + 10];
    System.arraycopy(in, 0, big, 5, in.length);
    // the bytes after the slice must not be read: fill them with a valid-looking tail
    Arrays.fill(big, 5 + in.length, big.length, (byte) 'e');
    DecodeException e =
        assertThrows(DecodeException.class, () -> KrpcCodec.decode(big, 5, in.length), v.name());
    assertTrue(e.reason().contains(v.expectedReasonSubstring()), v.name() + ": " + e.reason());
    if (v.expectedOffset() >= 0) {
      assertEquals(v.expectedOffset(), e.offset(), v.name());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allValid")
  void everyTruncationOfAValidVectorFails(Vector v) {
    byte[] in = v.bytes();
    for (int n = 0; n < in.length; n++) {
      int len = n;
      DecodeException e = assertThrows(DecodeException.class, () -> KrpcCodec.decode(in, 0, len),
          v.name() + " truncated to " + n);
      assertTrue(e.offset() >= 0 && e.offset() <= n, v.name() + " truncated to " + n + ": " + e);
    }
  }

  @Test
  void hugeDeclaredLengthFailsWithoutAllocating() {
    byte[] in = KrpcVectors.invalid("huge_string_length").bytes();
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    for (int i = 0; i < 1000; i++) { // warm up so class loading is not counted
      assertThrows(DecodeException.class, () -> KrpcCodec.decode(in));
    }
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100; i++) {
      assertThrows(DecodeException.class, () -> KrpcCodec.decode(in));
    }
    long perDecode = (mx.getThreadAllocatedBytes(tid) - before) / 100;
    assertTrue(perDecode < 4096, "allocated " + perDecode + " bytes per decode of 400000000:a");
  }

  @Test
  void vectorSetsAreWhatTheyClaim() {
    assertEquals(309, KrpcVectors.valid("get_peers_response_309").bytes().length);
    for (String name : List.of("bep5_ping_query", "bep5_ping_response", "bep5_find_node_query",
        "bep5_get_peers_query", "bep5_get_peers_response_values", "bep5_announce_peer_query",
        "bep5_announce_peer_response", "bep5_error")) {
      assertTrue(KrpcVectors.valid(name).bytes().length > 0, name);
    }
    assertTrue(KrpcVectors.valid().size() >= 50);
    assertTrue(KrpcVectors.invalid().size() >= 90);
    assertTrue(KrpcVectors.validNonCanonical().size() >= 5);
    assertThrows(java.util.NoSuchElementException.class, () -> KrpcVectors.valid("nope"));
    // accessors hand out copies
    byte[] b = KrpcVectors.valid("bep5_ping_query").bytes();
    b[0] = 'x';
    assertEquals('d', KrpcVectors.valid("bep5_ping_query").bytes()[0]);
  }

  @Test
  void ninetyNodeResponseHasNinetyNodes() throws DecodeException {
    var r = (dev.jdht.krpc.message.Response)
        KrpcCodec.decode(KrpcVectors.valid("find_node_response_90_nodes").bytes());
    assertEquals(90, r.nodes().size());
    assertEquals(2340, r.nodes().byteLength());
    assertTrue(KrpcVectors.valid("find_node_response_90_nodes").bytes().length > 2340);
  }

  @Test
  void allVectorNamesAreUnique() {
    long distinct = Stream.concat(allValid().map(Vector::name), invalid().stream().map(InvalidVector::name))
        .distinct().count();
    assertEquals(valid().size() + nonCanonical().size() + invalid().size(), distinct);
  }

  /** Printable rendering for readable assertion failures. */
  static String ascii(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      int c = x & 0xff;
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append("\\x").append(HexFormat.of().toHexDigits((byte) c));
      }
    }
    return sb.toString();
  }

  @SuppressWarnings("unused")
  private static void unused() {
    fail(new String(new byte[0], StandardCharsets.US_ASCII));
  }
}
