package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.NodeId;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InfoHashesTest {
  private static final String HEX = "c9e15763f722f23e98a29decdfae341b98d53056";
  // the same 20 bytes in RFC 4648 base32 (computed independently with Python's base64.b32encode)
  private static final String B32 = "ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMCW";
  // a 32-byte multihash digest for BitTorrent v2 links (urn:btmh:1220...)
  private static final String MH = HEX + "c9e15763f722f23e98a29dec";
  private static final NodeId ID = NodeId.fromHex(HEX);

  @ParameterizedTest
  @ValueSource(strings = {
    HEX,
    "C9E15763F722F23E98A29DECDFAE341B98D53056",
    "  " + HEX + "\n",
    B32,
    "zhqvoy7xelzd5gfctxwn7lrudomnkmcw",
    "magnet:?xt=urn:btih:" + HEX,
    "magnet:?xt=urn:btih:" + B32,
    "magnet:?dn=Some+Name&tr=udp%3A%2F%2Ftracker.example%3A80&xt=urn:btih:" + HEX + "&xl=123",
    "MAGNET:?XT=URN:BTIH:C9E15763F722F23E98A29DECDFAE341B98D53056",
    "magnet:?xt=urn%3Abtih%3A" + HEX,
    "magnet:?xt.1=urn:btmh:1220" + MH + "&xt.2=urn:btih:" + HEX,
    "magnet:?xt=urn:btih:" + HEX + "#fragment",
  })
  void acceptsEveryForm(String input) {
    assertEquals(ID, InfoHashes.parse(input));
  }

  @Test
  void base32RoundTripsRandomIds() {
    Random rnd = new Random(42);
    for (int i = 0; i < 500; i++) {
      byte[] b = new byte[20];
      rnd.nextBytes(b);
      String enc = base32(b);
      assertEquals(NodeId.of(b), InfoHashes.parse(enc), enc);
      assertEquals(NodeId.of(b), InfoHashes.parse("magnet:?xt=urn:btih:" + enc.toLowerCase()), enc);
    }
  }

  /** A plain RFC 4648 encoder, written independently of the decoder under test. */
  private static String base32(byte[] b) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder sb = new StringBuilder();
    for (int bit = 0; bit < b.length * 8; bit += 5) {
      int v = 0;
      for (int k = 0; k < 5; k++) {
        int i = bit + k;
        v = (v << 1) | ((b[i / 8] >> (7 - i % 8)) & 1);
      }
      sb.append(alphabet.charAt(v));
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "   ",
    "c9e15763f722f23e98a29decdfae341b98d5305",      // 39 digits
    "c9e15763f722f23e98a29decdfae341b98d530566",    // 41 digits
    "g9e15763f722f23e98a29decdfae341b98d53056",     // not hex
    "ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMC1",             // '1' is not base32
    "magnet:",
    "magnet:?dn=nothing",
    "magnet:?xt=urn:btih:abc",
    "magnet:?xt=urn:btmh:1220" + MH,
    "magnet:?xt=urn%ZZbtih",
    "https://example.com/file.torrent",
  })
  void rejectsWithOneLineMessage(String input) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InfoHashes.parse(input));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void messagesSayWhatWasExpected() {
    String m = assertThrows(IllegalArgumentException.class, () -> InfoHashes.parse("abc")).getMessage();
    assertEquals("not an infohash: 'abc' (expected 40 hex digits, 32 base32 characters or a "
        + "magnet:?xt=urn:btih: link)", m);
    String v2 = assertThrows(IllegalArgumentException.class,
        () -> InfoHashes.parse("magnet:?xt=urn:btmh:1220" + MH)).getMessage();
    assertTrue(v2.contains("v2"), v2);
    String none = assertThrows(IllegalArgumentException.class,
        () -> InfoHashes.parse("magnet:?dn=x")).getMessage();
    assertEquals("magnet link has no xt=urn:btih: infohash", none);
  }

  @Test
  void longInputIsShortenedInTheMessage() {
    String m = assertThrows(IllegalArgumentException.class, () -> InfoHashes.parse("x".repeat(500))).getMessage();
    assertTrue(m.length() < 200, m);
  }
}
