package dev.jdht.krpc.bencode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.BValue.BInteger;
import dev.jdht.krpc.bencode.BValue.BList;
import dev.jdht.krpc.bencode.BValue.BString;
import dev.jdht.krpc.codec.DecodeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The generic {@link BValue} tree and {@link Bencode}. */
class BencodeTreeTest {

  @Test
  void buildsAndEncodesCanonically() {
    TreeMap<BString, BValue> m = new TreeMap<>(Bencode.KEY_ORDER);
    m.put(BString.of("z"), BInteger.of(1));
    m.put(BString.of("a"), BList.of(List.of(BString.of("x"), BInteger.of(-2))));
    m.put(BString.of(new byte[] {(byte) 0xff}), BString.of(""));
    byte[] out = Bencode.encode(BDict.of(m));
    assertEquals("d1:al1:xi-2ee1:zi1e1:\u00ff0:e", new String(out, StandardCharsets.ISO_8859_1));
  }

  @Test
  void stringEqualityIsByContent() throws DecodeException {
    byte[] in = "l3:abc3:abce".getBytes(StandardCharsets.US_ASCII);
    BList l = (BList) Bencode.decode(in);
    BString a = (BString) l.items().get(0);
    BString b = (BString) l.items().get(1);
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(a, BString.of("abc"));
    assertEquals(0, a.compareBytes(BString.of("abc")));
    assertNotEquals(a, BString.of("abd"));
    assertEquals("abc", a.text());
    assertEquals("BString[abc]", a.toString());
  }

  @Test
  void treesAreImmutable() throws DecodeException {
    BDict d = (BDict) Bencode.decode("d1:ali1eee".getBytes(StandardCharsets.US_ASCII));
    assertThrows(UnsupportedOperationException.class, () -> d.entries().clear());
    BList l = (BList) d.get("a");
    assertThrows(UnsupportedOperationException.class, () -> l.items().add(BInteger.of(2)));
    assertNull(d.get("missing"));
    assertEquals(1, d.map().size());
  }
}
