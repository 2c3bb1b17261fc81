package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteTextTest {
  private static String render(byte[] b) {
    return ByteText.textOrHex(b);
  }

  @Test
  void printableAsciiIsText() {
    assertEquals("ping", render("ping".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("", render(new byte[0]));
    assertEquals("a\tb\nc", render("a\tb\nc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void utf8TextIsText() {
    assertEquals("café ✓", render("café ✓".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void controlCharactersMakeHex() {
    assertEquals("610062", render(new byte[] {'a', 0, 'b'}));
    assertEquals("7f", render(new byte[] {0x7f}));
    assertEquals("c280", render("\u0080".getBytes(StandardCharsets.UTF_8))); // C1 control
  }

  @Test
  void invalidUtf8MakesHex() {
    assertEquals("ff", render(new byte[] {(byte) 0xff}));
    assertEquals("c3", render(new byte[] {(byte) 0xc3})); // truncated sequence
    assertEquals("eda080", render(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})); // surrogate
  }

  @Test
  void privateUseMakesHex() {
    assertEquals("ee8080", render("\ue000".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void hexIsLowercase() {
    assertEquals("abcdef", ByteText.hex(new byte[] {(byte) 0xab, (byte) 0xcd, (byte) 0xef}));
  }
}
