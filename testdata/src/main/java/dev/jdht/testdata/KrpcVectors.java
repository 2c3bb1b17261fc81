package dev.jdht.testdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Golden KRPC byte vectors, read from the classpath ({@code /krpc/*.vectors}).
 *
 * <p>Three sets:
 *
 * <ul>
 *   <li>{@link #valid()}: canonical messages (the BEP 5 examples byte for byte, every message
 *       type, IPv6, BEP 32/33/42/43/44/51 fields, unknown keys and methods, a 90-node response
 *       and the 309-byte {@code get_peers_response_309}). Each must decode and re-encode
 *       byte-identical.
 *   <li>{@link #validNonCanonical()}: messages with unsorted keys that must decode and re-encode
 *       sorted.
 *   <li>{@link #invalid()}: malformed datagrams, each with the reason and offset a strict decoder
 *       reports, and (see {@link #expectedTransactionId(String)}) the transaction id the error
 *       must carry when {@code t} was readable.
 * </ul>
 *
 * <p>Manifest format: blocks of {@code key: value} lines; {@code name:} starts a vector. The
 * bytes are the concatenation of its {@code text:} (ASCII with {@code \xNN} and {@code \\}
 * escapes), {@code hex:} and {@code repeat: N TEXT} lines, in order. Invalid vectors add {@code
 * reason:} (a substring of the expected reason), {@code offset:} (-1 if not checked) and
 * optionally {@code t:} (expected transaction id, text with escapes).
 *
 * <p>This class depends on nothing but the JDK. Thread-safe: the sets are parsed once and are
 * immutable; every {@code bytes()} call returns a fresh copy.
 */
public final class KrpcVectors {
  private static final String VALID = "/krpc/valid.vectors";
  private static final String NON_CANONICAL = "/krpc/valid-noncanonical.vectors";
  private static final String INVALID = "/krpc/invalid.vectors";

  private KrpcVectors() {}

  /**
   * A valid KRPC datagram.
   *
   * @param name unique name, e.g. {@code bep5_ping_query}
   * @param bytes the datagram; the accessor returns a copy
   * @param description what it exercises
   */
  public record Vector(String name, byte[] bytes, String description) {
    /** Copies {@code bytes}. */
    public Vector {
      bytes = bytes.clone();
    }

    /** A fresh copy of the datagram. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * A malformed KRPC datagram and the error a strict decoder must report.
   *
   * @param name unique name
   * @param bytes the datagram; the accessor returns a copy
   * @param expectedReasonSubstring a substring of the decoder's reason
   * @param expectedOffset the byte offset of the error, or -1 if not checked
   */
  public record InvalidVector(
      String name, byte[] bytes, String expectedReasonSubstring, int expectedOffset) {
    /** Copies {@code bytes}. */
    public InvalidVector {
      bytes = bytes.clone();
    }

    /** A fresh copy of the datagram. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final class Holder {
    static final List<Vector> VALID_SET = toVectors(parse(VALID, false));
    static final List<Vector> NON_CANONICAL_SET = toVectors(parse(NON_CANONICAL, false));
    static final List<Block> INVALID_BLOCKS = parse(INVALID, true);
    static final List<InvalidVector> INVALID_SET = toInvalid(INVALID_BLOCKS);
    static final Map<String, byte[]> INVALID_T = toTransactionIds(INVALID_BLOCKS);
  }

  /** The canonical valid vectors, in file order. */
  public static List<Vector> valid() {
    return Holder.VALID_SET;
  }

  /** The valid vector with this name. */
  public static Vector valid(String name) {
    for (Vector v : Holder.VALID_SET) {
      if (v.name().equals(name)) {
        return v;
      }
    }
    throw new NoSuchElementException("no valid vector named " + name);
  }

  /** Valid vectors whose keys are not sorted: they must re-encode canonically (sorted). */
  public static List<Vector> validNonCanonical() {
    return Holder.NON_CANONICAL_SET;
  }

  /** The invalid vectors, in file order. */
  public static List<InvalidVector> invalid() {
    return Holder.INVALID_SET;
  }

  /** The invalid vector with this name. */
  public static InvalidVector invalid(String name) {
    for (InvalidVector v : Holder.INVALID_SET) {
      if (v.name().equals(name)) {
        return v;
      }
    }
    throw new NoSuchElementException("no invalid vector named " + name);
  }

  /**
   * The transaction id the decoder's error must carry for this invalid vector (because {@code
   * t} was readable before the error), or null if the error must carry none.
   */
  public static byte[] expectedTransactionId(String invalidName) {
    invalid(invalidName); // fails on unknown names
    byte[] t = Holder.INVALID_T.get(invalidName);
    return t == null ? null : t.clone();
  }

  // -------------------------------------------------------------------------------------------
  // manifest parsing

  private record Block(String name, byte[] bytes, Map<String, String> fields) {}

  private static List<Vector> toVectors(List<Block> blocks) {
    List<Vector> out = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      out.add(new Vector(b.name, b.bytes, b.fields.getOrDefault("description", "")));
    }
    return Collections.unmodifiableList(out);
  }

  private static List<InvalidVector> toInvalid(List<Block> blocks) {
    List<InvalidVector> out = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      String reason = b.fields.get("reason");
      String offset = b.fields.get("offset");
      if (reason == null || offset == null) {
        throw new IllegalStateException(INVALID + ": " + b.name + " needs reason and offset");
      }
      out.add(new InvalidVector(b.name, b.bytes, reason, Integer.parseInt(offset)));
    }
    return Collections.unmodifiableList(out);
  }

  private static Map<String, byte[]> toTransactionIds(List<Block> blocks) {
    Map<String, byte[]> out = new HashMap<>();
    for (Block b : blocks) {
      String t = b.fields.get("t");
      if (t != null) {
        out.put(b.name, unescape(t, b.name));
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static List<Block> parse(String resource, boolean invalid) {
    String text = readResource(resource);
    List<Block> blocks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    String name = null;
    ByteArrayOutputStream bytes = null;
    Map<String, String> fields = null;
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalStateException(resource + ":" + lineNo + ": expected 'key: value'");
      }
      String key = line.substring(0, colon);
      String value = line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      String where = resource + ":" + lineNo;
      if (key.equals("name")) {
        if (name != null) {
          blocks.add(new Block(name, bytes.toByteArray(), fields));
        }
        name = value.strip();
        if (!names.add(name)) {
          throw new IllegalStateException(where + ": duplicate vector name " + name);
        }
        bytes = new ByteArrayOutputStream();
        fields = new LinkedHashMap<>();
        continue;
      }
      if (name == null) {
        throw new IllegalStateException(where + ": '" + key + "' before the first 'name:'");
      }
      switch (key) {
        case "text":
          bytes.writeBytes(unescape(value, where));
          break;
        case "hex":
          bytes.writeBytes(hex(value, where));
          break;
        case "repeat": {
          int sp = value.indexOf(' ');
          if (sp <= 0) {
            throw new IllegalStateException(where + ": expected 'repeat: N TEXT'");
          }
          int n = Integer.parseInt(value.substring(0, sp));
          byte[] unit = unescape(value.substring(sp + 1), where);
          for (int i = 0; i < n; i++) {
            bytes.writeBytes(unit);
          }
          break;
        }
        case "description":
          fields.put(key, value);
          break;
        case "reason":
        case "offset":
        case "t":
          if (!invalid) {
            throw new IllegalStateException(where + ": '" + key + "' only in invalid vectors");
          }
          fields.put(key, value);
          break;
        default:
          throw new IllegalStateException(where + ": unknown key '" + key + "'");
      }
    }
    if (name != null) {
      blocks.add(new Block(name, bytes.toByteArray(), fields));
    }
    return Collections.unmodifiableList(blocks);
  }

  private static String readResource(String resource) {
    try (InputStream in = KrpcVectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] hex(String s, String where) {
    String digits = s.replaceAll("\\s+", "");
    try {
      return HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(where + ": bad hex: " + e.getMessage());
    }
  }

  /** ASCII text with {@code \xNN} and {@code \\} escapes to bytes. */
  private static byte[] unescape(String s, String where) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0x7e || (c < 0x20 && c != '\t')) {
        throw new IllegalStateException(where + ": non-ASCII character; use \\xNN");
      }
      if (c != '\\') {
        out.write(c);
        continue;
      }
      if (i + 1 < s.length() && s.charAt(i + 1) == '\\') {
        out.write('\\');
        i++;
      } else if (i + 3 < s.length() && s.charAt(i + 1) == 'x') {
        out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        throw new IllegalStateException(where + ": bad escape at column " + i);
      }
    }
    return out.toByteArray();
  }
}
