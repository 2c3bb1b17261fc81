package dev.jdht.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How {@code dht} shows a byte string whose meaning it does not know: as text when the bytes are
 * valid UTF-8 and every character is printable (tab, CR and LF allowed; other control
 * characters, unassigned, private-use and lone surrogate code points are not), otherwise as
 * lowercase hex. The empty string is text. Stateless and thread-safe.
 */
public final class ByteText {
  private static final HexFormat HEX = HexFormat.of();

  private ByteText() {}

  /** Lowercase hex of {@code len} bytes at {@code off}. */
  public static String hex(byte[] b, int off, int len) {
    return HEX.formatHex(b, off, off + len);
  }

  /** Lowercase hex of all of {@code b}. */
  public static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  /** Text if {@link #isPrintable printable}, else lowercase hex. */
  public static String textOrHex(byte[] b, int off, int len) {
    String s = printableText(b, off, len);
    return s != null ? s : hex(b, off, len);
  }

  /** Text if {@link #isPrintable printable}, else lowercase hex. */
  public static String textOrHex(byte[] b) {
    return textOrHex(b, 0, b.length);
  }

  /** Whether the bytes print as text under the rule above. */
  public static boolean isPrintable(byte[] b, int off, int len) {
    return printableText(b, off, len) != null;
  }

  /** The bytes as text if printable, else null. */
  private static String printableText(byte[] b, int off, int len) {
    boolean ascii = true;
    for (int i = off; i < off + len; i++) {
      int c = b[i] & 0xff;
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      if (!printable(c)) {
        return null;
      }
    }
    if (ascii) {
      return new String(b, off, len, StandardCharsets.US_ASCII);
    }
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    String s;
    try {
      CharBuffer cb = dec.decode(ByteBuffer.wrap(b, off, len));
      s = cb.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      if (!printable(cp)) {
        return null;
      }
      i += Character.charCount(cp);
    }
    return s;
  }

  private static boolean printable(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return true;
    }
    if (Character.isISOControl(cp)) {
      return false;
    }
    int type = Character.getType(cp);
    return type != Character.UNASSIGNED && type != Character.PRIVATE_USE && type != Character.SURROGATE;
  }
}
