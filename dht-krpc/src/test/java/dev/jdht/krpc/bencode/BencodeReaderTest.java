package dev.jdht.krpc.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.BValue.BInteger;
import dev.jdht.krpc.bencode.BValue.BList;
import dev.jdht.krpc.bencode.BValue.BString;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.codec.KrpcCodec;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BencodeReader} and {@link Bencode#decode}: strictness, offsets, zero-copy, limits. */
class BencodeReaderTest {

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0:", "4:spam", "i0e", "i-1e", "i42e", "i9223372036854775807e",
      "i-9223372036854775808e", "le", "de", "l4:spami42ee", "d3:cow3:moo4:spam4:eggse",
      "d4:spaml1:a1:bee", "lli1eeli2eee", "d0:0:e", "d1:ad1:bd1:cdeeee"})
  void canonicalValuesRoundTrip(String s) throws DecodeException {
    assertArrayEquals(b(s), Bencode.encode(Bencode.decode(b(s))));
  }

  @ParameterizedTest(name = "{0} -> {1} at {2}")
  @CsvSource(delimiter = '|', value = {
      "i03e | integer has a leading zero | 0",
      "i-03e | integer has a leading zero | 0",
      "i00e | integer has a leading zero | 0",
      "i-0e | negative zero | 0",
      "i-e | integer has no digits | 0",
      "ie | integer has no digits | 0",
      "i9223372036854775808e | integer overflows 64 bits | 0",
      "i-9223372036854775809e | integer overflows 64 bits | 0",
      "i99999999999999999999999e | integer overflows 64 bits | 0",
      "i1.5e | invalid character in integer | 2",
      "i+1e | invalid character in integer | 1",
      "i--1e | invalid character in integer | 2",
      "i1 | unterminated integer | 0",
      "i | unterminated integer | 0",
      "03:abc | byte string length has a leading zero | 0",
      "00: | byte string length has a leading zero | 0",
      "400000000:a | byte string length 400000000 exceeds remaining input 1 | 0",
      "4:spa | byte string length 4 exceeds remaining input 3 | 0",
      "2: | exceeds remaining input 0 | 0",
      "99999999999:a | byte string length too large | 0",
      "2 | unterminated byte string length | 0",
      "12a:x | invalid byte string length | 2",
      "-1:a | unexpected byte 0x2d | 0",
      "'' | unexpected end of input | 0",
      "x | unexpected byte 0x78 | 0",
      "e | unexpected 'e' | 0",
      "l | unterminated list | 1",
      "l4:spam | unterminated list | 7",
      "d | unterminated dictionary | 1",
      "d1:a | unexpected end of input | 4",
      "di1e1:ae | dictionary key must be a byte string | 1",
      "dle1:ae | dictionary key must be a byte string | 1",
      "d1:a1:b1:a1:ce | duplicate dictionary key | 7",
      "d1:b1:x1:a1:y1:b1:ze | duplicate dictionary key | 13",
      "d1:ai1e1:bi2e1:ci3e1:bi4ee | duplicate dictionary key | 19",
      "i1ex | trailing data after the value (1 bytes) | 3",
      "dede | trailing data after the value (2 bytes) | 2",
      "4:spam4:eggs | trailing data after the value (6 bytes) | 6",
  })
  void invalidInputFailsWithReasonAndOffset(String in, String reason, int offset) {
    DecodeException e = assertThrows(DecodeException.class, () -> Bencode.decode(b(in)));
    assertTrue(e.reason().contains(reason), in + ": " + e.reason());
    assertEquals(offset, e.offset(), in + ": " + e.getMessage());
    assertEquals(DecodeException.PROTOCOL_ERROR, e.krpcCode());
  }

  @Test
  void nestingIsLimited() throws DecodeException {
    String ok = "l".repeat(32) + "e".repeat(32);
    assertArrayEquals(b(ok), Bencode.encode(Bencode.decode(b(ok))));
    DecodeException e = assertThrows(DecodeException.class,
        () -> Bencode.decode(b("l".repeat(10_000) + "e".repeat(10_000))));
    assertEquals("nesting deeper than 32", e.reason());
    assertEquals(32, e.offset());
    DecodeException d = assertThrows(DecodeException.class,
        () -> Bencode.decode(b("d1:a".repeat(100_000))));
    assertEquals(32 * 4, d.offset());
    // a custom limit
    byte[] three = b("llleee");
    Bencode.decode(three, 0, three.length, 3);
    assertThrows(DecodeException.class, () -> Bencode.decode(three, 0, three.length, 2));
    assertThrows(IllegalArgumentException.class, () -> new BencodeReader(three, 0, 6, 0));
    assertThrows(IllegalArgumentException.class, () -> new BencodeReader(three, 0, 6, 513));
    assertThrows(IllegalArgumentException.class, () -> new BencodeReader(three, 4, 3, 8));
    assertThrows(IllegalArgumentException.class, () -> new BencodeReader(three, -1, 2, 8));
  }

  /** Unsorted dictionaries nested in each other used to cost 2^depth (66 s for 310 bytes). */
  @Test
  void nestedUnsortedDictionariesCostLinearWork() throws DecodeException {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    byte[] bencode = nestedUnsorted(31); // 32 levels: the generic limit
    byte[] krpc = b("d1:ad2:id20:abcdefghij01234567891:x" + new String(nestedUnsorted(13),
        StandardCharsets.ISO_8859_1) + "e1:q4:ping1:t2:aa1:y1:qe");
    Bencode.decode(bencode);
    KrpcCodec.decode(krpc);
    long before = mx.getThreadAllocatedBytes(tid);
    BDict d = (BDict) Bencode.decode(bencode);
    KrpcCodec.decode(krpc);
    long used = mx.getThreadAllocatedBytes(tid) - before;
    assertTrue(used < 2_000_000, "allocated " + used + " bytes for " + bencode.length + " + "
        + krpc.length + " bytes of input");
    assertEquals(List.of("a", "b"), d.entries().keySet().stream().map(BString::text).toList());
    // and the duplicate check still works at every level
    String dup = new String(nestedUnsorted(10), StandardCharsets.ISO_8859_1);
    dup = dup.substring(0, dup.length() - 1) + "1:bi0ee";
    String input = dup;
    DecodeException e = assertThrows(DecodeException.class, () -> Bencode.decode(b(input)));
    assertEquals("duplicate dictionary key", e.reason());
    assertEquals(input.length() - 7, e.offset());
  }

  /** d1:b d1:b ... de ... 1:ai0ee 1:ai0ee: every level's keys are b then a (unsorted). */
  static byte[] nestedUnsorted(int levels) {
    StringBuilder sb = new StringBuilder();
    sb.append("d1:b".repeat(levels)).append("de");
    sb.append("1:ai0ee".repeat(levels));
    return b(sb.toString());
  }

  @Test
  void manyUnsortedKeysStillFindTheDuplicate() throws DecodeException {
    StringBuilder sb = new StringBuilder("d");
    for (int i = 999; i >= 0; i--) {
      String k = String.format("k%04d", i);
      sb.append(k.length()).append(':').append(k).append("i").append(i).append("e");
    }
    String ok = sb + "e";
    BDict d = (BDict) Bencode.decode(b(ok));
    assertEquals(1000, d.entries().size());
    assertEquals("k0000", d.entries().firstKey().text());
    String bad = sb + "5:k0500i1ee";
    DecodeException e = assertThrows(DecodeException.class, () -> Bencode.decode(b(bad)));
    assertEquals("duplicate dictionary key", e.reason());
    assertEquals(sb.length(), e.offset());
  }

  @Test
  void unsortedKeysAreAcceptedAndReEncodedSorted() throws DecodeException {
    BValue v = Bencode.decode(b("d1:b1:x1:a1:y2:aa1:z1:\u00ff1:w1:\u00801:ve"));
    // unsigned byte order: a < aa < b < 0x80 < 0xff
    assertArrayEquals(b("d1:a1:y2:aa1:z1:b1:x1:\u00801:v1:\u00ff1:we"), Bencode.encode(v));
  }

  @Test
  void byteStringsAreViewsIntoTheInput() throws DecodeException {
    byte[] in = b("xxd4:spaml1:a1:bi7ee3:keyi-5eeyy");
    BDict d = (BDict) Bencode.decode(in, 2, in.length - 4, 8);
    assertEquals(2, d.start());
    assertEquals(in.length - 2, d.end());
    BList l = (BList) d.get("spam");
    BString a = (BString) l.items().get(0);
    assertSame(in, a.src());
    assertEquals("a", a.text());
    assertArrayEquals(b("l1:a1:bi7ee"), Bencode.rawBytes(in, l));
    assertArrayEquals(b("1:a"), Bencode.rawBytes(in, a));
    BInteger i = (BInteger) d.get("key");
    assertEquals(-5, i.value());
    assertArrayEquals(b("i-5e"), Bencode.rawBytes(in, i));
    // a value built in code has no range: rawBytes encodes it
    assertArrayEquals(b("i3e"), Bencode.rawBytes(in, BInteger.of(3)));
    assertEquals(-1, BInteger.of(3).start());
  }

  @Test
  void errorOffsetsAreRelativeToTheSlice() {
    byte[] in = b("garbagei03e");
    DecodeException e = assertThrows(DecodeException.class,
        () -> Bencode.decode(in, 7, 4, BencodeReader.DEFAULT_MAX_DEPTH));
    assertEquals(0, e.offset());
    // bytes outside the slice are never read, even when they would complete a value
    byte[] cut = b("4:spam");
    DecodeException t = assertThrows(DecodeException.class,
        () -> Bencode.decode(cut, 0, 5, BencodeReader.DEFAULT_MAX_DEPTH));
    assertTrue(t.reason().contains("exceeds remaining input 3"));
  }

  @Test
  void byteBufferInput() throws DecodeException {
    byte[] in = b("xxl4:spami1eeyy");
    java.nio.ByteBuffer heap = java.nio.ByteBuffer.wrap(in, 2, in.length - 4).slice();
    assertArrayEquals(b("l4:spami1ee"), Bencode.encode(Bencode.decode(heap)));
    assertEquals(0, heap.position());
    java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(11);
    direct.put(b("l4:spami1ee")).flip();
    assertArrayEquals(b("l4:spami1ee"), Bencode.encode(Bencode.decode(direct)));
    assertEquals(0, direct.position());
  }

  @Test
  void pullApi() throws DecodeException {
    byte[] in = b("d2:id3:abc4:listli1ei2ee3:numi42ee");
    BencodeReader r = new BencodeReader(in);
    assertEquals(BType.DICT, r.peek());
    r.beginDict();
    assertEquals(1, r.depth());
    assertTrue(r.nextKey());
    assertTrue(r.keyIs(b("id")));
    assertFalse(r.keyIs(b("i")));
    assertEquals(BType.STRING, r.peek());
    int o = r.readString();
    assertEquals("abc", new String(in, o, r.stringLength(), StandardCharsets.US_ASCII));
    assertTrue(r.nextKey());
    assertEquals("list", new String(in, r.keyOffset(), r.keyLength(), StandardCharsets.US_ASCII));
    int listStart = r.position();
    r.skipValue();
    r.seekWithin(listStart);
    r.beginList();
    assertTrue(r.hasNext());
    assertEquals(1, r.readLong());
    assertTrue(r.hasNext());
    assertEquals(2, r.readLong());
    assertFalse(r.hasNext());
    assertTrue(r.nextKey());
    assertEquals(42, r.readLong());
    assertFalse(r.nextKey());
    assertEquals(0, r.depth());
    r.finish();
    assertEquals(in.length, r.offset());
    assertThrows(IllegalArgumentException.class, () -> r.seekWithin(in.length + 1));
    r.seek(0);
    assertArrayEquals(in, Bencode.encode(Bencode.read(r)));
  }

  @Test
  void pullApiMisuseIsAProgrammingError() throws DecodeException {
    BencodeReader r = new BencodeReader(b("li1ee"));
    assertThrows(IllegalStateException.class, r::nextKey);
    assertThrows(IllegalStateException.class, r::hasNext);
    r.beginList();
    assertThrows(IllegalStateException.class, r::nextKey);
    assertThrows(IllegalStateException.class, () -> r.seek(0));
    DecodeException e = assertThrows(DecodeException.class, r::readString);
    assertEquals("expected a byte string", e.reason());
    assertThrows(DecodeException.class, r::beginDict);
    assertEquals(1, r.readLong());
    assertThrows(DecodeException.class, r::readLong);
  }

  @Test
  void typedReadsRejectOtherTypes() {
    assertEquals("expected an integer",
        assertThrows(DecodeException.class, () -> new BencodeReader(b("le")).readLong()).reason());
    assertEquals("expected a list",
        assertThrows(DecodeException.class, () -> new BencodeReader(b("de")).beginList()).reason());
    assertEquals("expected a dictionary",
        assertThrows(DecodeException.class, () -> new BencodeReader(b("le")).beginDict()).reason());
    assertTrue(assertThrows(DecodeException.class, () -> new BencodeReader(b("")).readLong())
        .reason().startsWith("unexpected end of input"));
    assertTrue(assertThrows(DecodeException.class, () -> new BencodeReader(b("")).readString())
        .reason().startsWith("unexpected end of input"));
  }

  @Test
  void stringsMayHoldAnyByte() throws DecodeException {
    byte[] in = new byte[260];
    in[0] = '2';
    in[1] = '5';
    in[2] = '6';
    in[3] = ':';
    for (int i = 0; i < 256; i++) {
      in[4 + i] = (byte) i;
    }
    BString s = (BString) Bencode.decode(in);
    assertEquals(256, s.len());
    assertArrayEquals(java.util.Arrays.copyOfRange(in, 4, 260), s.bytes());
    assertArrayEquals(in, Bencode.encode(s));
  }
}
