package dev.jdht.krpc.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link BencodeWriter}: output format and the canonical-order guard. */
class BencodeWriterTest {

  static String s(BencodeWriter w) {
    return new String(w.toByteArray(), StandardCharsets.ISO_8859_1);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void writesEveryType() {
    BencodeWriter w = new BencodeWriter();
    w.beginDict()
        .key("a").integer(0)
        .key("b").integer(-42)
        .key("c").string("spam")
        .key("d").beginList().string(new byte[0]).integer(7).beginDict().end().end()
        .key("e").string(b("xhix"), 1, 2)
        .end();
    assertEquals("d1:ai0e1:bi-42e1:c4:spam1:dl0:i7edee1:e2:hie", s(w));
  }

  @Test
  void integerExtremes() {
    assertEquals("i9223372036854775807e", s(new BencodeWriter().integer(Long.MAX_VALUE)));
    assertEquals("i-9223372036854775808e", s(new BencodeWriter().integer(Long.MIN_VALUE)));
    assertEquals("i0e", s(new BencodeWriter().integer(0)));
    assertEquals("i-1e", s(new BencodeWriter().integer(-1)));
    assertEquals("i10e", s(new BencodeWriter().integer(10)));
    for (long v = 1; v > 0 && v < Long.MAX_VALUE / 10; v *= 10) {
      assertEquals("i" + v + "e", s(new BencodeWriter().integer(v)));
      assertEquals("i" + (v - 1) + "e", s(new BencodeWriter().integer(v - 1)));
      assertEquals("i-" + v + "e", s(new BencodeWriter().integer(-v)));
    }
  }

  @Test
  void stringLengthsAreDecimal() {
    for (int n : new int[] {0, 1, 9, 10, 99, 100, 1000, 65507, 100_000}) {
      byte[] out = new BencodeWriter(1).string(new byte[n]).toByteArray();
      String prefix = n + ":";
      assertEquals(prefix, new String(out, 0, prefix.length(), StandardCharsets.US_ASCII));
      assertEquals(prefix.length() + n, out.length);
    }
    assertEquals("5:caf\u00c3\u00a9", s(new BencodeWriter().string("caf\u00e9"))); // UTF-8 text
  }

  @Test
  void refusesKeysOutOfOrder() {
    assertThrows(IllegalStateException.class,
        () -> new BencodeWriter().beginDict().key("b").integer(1).key("a"));
    assertThrows(IllegalStateException.class,
        () -> new BencodeWriter().beginDict().key("a").integer(1).key("a"));
    // a prefix sorts first
    assertThrows(IllegalStateException.class,
        () -> new BencodeWriter().beginDict().key("ab").integer(1).key("a"));
    assertEquals("d1:ai1e2:abi2ee",
        s(new BencodeWriter().beginDict().key("a").integer(1).key("ab").integer(2).end()));
    // unsigned order: 0x80 sorts after 'z', never before
    assertEquals("d1:zi1e1:\u0080i2ee",
        s(new BencodeWriter().beginDict().key("z").integer(1).key(new byte[] {(byte) 0x80})
            .integer(2).end()));
    assertThrows(IllegalStateException.class,
        () -> new BencodeWriter().beginDict().key(new byte[] {(byte) 0x80}).integer(1).key("z"));
    // the order is per dictionary: a nested dictionary starts afresh
    assertEquals("d1:bd1:ai1ee1:ci2ee",
        s(new BencodeWriter().beginDict().key("b").beginDict().key("a").integer(1).end()
            .key("c").integer(2).end()));
    assertThrows(IllegalStateException.class,
        () -> new BencodeWriter().beginDict().key("b").beginDict().key("a").integer(1).end()
            .key("a"));
  }

  @Test
  void refusesMalformedStructure() {
    assertThrows(IllegalStateException.class, () -> new BencodeWriter().key("a"));
    assertThrows(IllegalStateException.class, () -> new BencodeWriter().beginList().key("a"));
    assertThrows(IllegalStateException.class, () -> new BencodeWriter().beginDict().integer(1));
    assertThrows(IllegalStateException.class,
        () -> new BencodeWriter().beginDict().key("a").key("b"));
    assertThrows(IllegalStateException.class, () -> new BencodeWriter().end());
    assertThrows(IllegalStateException.class, () -> new BencodeWriter().beginDict().key("a").end());
    assertThrows(IllegalStateException.class, () -> new BencodeWriter().beginList().toByteArray());
    assertThrows(IllegalStateException.class,
        () -> new BencodeWriter().beginDict().key("a").integer(1).string("x"));
  }

  @Test
  void resetAndBuffers() {
    BencodeWriter w = new BencodeWriter(16);
    w.beginList().string(new byte[100]).end();
    assertEquals(106, w.size());
    byte[] buf = w.buffer();
    w.reset();
    assertEquals(0, w.size());
    assertSame(buf, w.buffer());
    w.beginDict().key("k").raw(b("li1ee"), 0, 5).end();
    assertEquals("d1:kli1eee", s(w));
    ByteBuffer dst = ByteBuffer.allocate(64);
    w.writeTo(dst);
    assertEquals(10, dst.position());
    // a reset writer forgets an unfinished container
    w.reset().beginDict().key("z");
    w.reset();
    assertEquals("i1e", s(w.integer(1)));
  }

  @Test
  void deepNestingGrowsTheStack() {
    BencodeWriter w = new BencodeWriter();
    for (int i = 0; i < 100; i++) {
      w.beginDict().key("k");
    }
    w.integer(1);
    for (int i = 0; i < 100; i++) {
      w.end();
    }
    String out = s(w);
    assertTrue(out.startsWith("d1:kd1:k"));
    assertEquals(100 * 4 + 3 + 100, out.length());
  }
}
