package dev.jdht.cli;

import dev.jdht.krpc.wire.NodeId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses what a user types for an infohash: 40 hex digits, 32 base32 characters (RFC 4648, either
 * case), or a magnet link with {@code xt=urn:btih:<hex or base32>} (other parameters are ignored;
 * scheme, parameter names and the {@code urn:btih:} prefix are case-insensitive; {@code xt.1},
 * {@code xt.2}, ... are accepted). Stateless and thread-safe.
 */
public final class InfoHashes {
  private static final String EXPECTED =
      "expected 40 hex digits, 32 base32 characters or a magnet:?xt=urn:btih: link";

  private InfoHashes() {}

  /**
   * The infohash in {@code s}.
   *
   * @throws IllegalArgumentException with a one-line message when {@code s} is none of the forms
   */
  public static NodeId parse(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("empty infohash (" + EXPECTED + ")");
    }
    String t = s.strip();
    if (t.regionMatches(true, 0, "magnet:", 0, 7)) {
      return fromMagnet(t);
    }
    NodeId id = bare(t);
    if (id == null) {
      throw new IllegalArgumentException("not an infohash: '" + shorten(t) + "' (" + EXPECTED + ")");
    }
    return id;
  }

  /** 40 hex or 32 base32 characters, or null. */
  private static NodeId bare(String t) {
    if (t.length() == 40 && t.chars().allMatch(InfoHashes::isHex)) {
      return NodeId.fromHex(t);
    }
    if (t.length() == 32) {
      byte[] b = base32(t);
      return b == null ? null : NodeId.of(b);
    }
    return null;
  }

  private static NodeId fromMagnet(String link) {
    int q = link.indexOf('?');
    if (q < 0) {
      throw new IllegalArgumentException("magnet link without parameters: '" + shorten(link) + "'");
    }
    String query = link.substring(q + 1);
    int hash = query.indexOf('#');
    if (hash >= 0) {
      query = query.substring(0, hash);
    }
    boolean sawV2 = false;
    for (String param : query.split("&")) {
      int eq = param.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = param.substring(0, eq).toLowerCase(Locale.ROOT);
      if (!name.equals("xt") && !name.startsWith("xt.")) {
        continue;
      }
      String value;
      try {
        value = URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8).strip();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad percent-encoding in magnet link parameter '" + shorten(param) + "'");
      }
      String lower = value.toLowerCase(Locale.ROOT);
      if (lower.startsWith("urn:btih:")) {
        String h = value.substring("urn:btih:".length());
        NodeId id = bare(h);
        if (id == null) {
          throw new IllegalArgumentException(
              "bad infohash in magnet link: '" + shorten(h) + "' (expected 40 hex digits or 32 base32 characters)");
        }
        return id;
      }
      if (lower.startsWith("urn:btmh:")) {
        sawV2 = true;
      }
    }
    if (sawV2) {
      throw new IllegalArgumentException(
          "magnet link has only a BitTorrent v2 hash (urn:btmh:); the mainline DHT looks up v1 infohashes (urn:btih:)");
    }
    throw new IllegalArgumentException("magnet link has no xt=urn:btih: infohash");
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** RFC 4648 base32 of exactly 32 characters (160 bits, no padding), or null. */
  static byte[] base32(String s) {
    if (s.length() != 32) {
      return null;
    }
    byte[] out = new byte[20];
    long buffer = 0;
    int bits = 0;
    int o = 0;
    for (int i = 0; i < 32; i++) {
      char c = s.charAt(i);
      int v;
      if (c >= 'A' && c <= 'Z') {
        v = c - 'A';
      } else if (c >= 'a' && c <= 'z') {
        v = c - 'a';
      } else if (c >= '2' && c <= '7') {
        v = c - '2' + 26;
      } else {
        return null;
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (byte) (buffer >>> bits);
      }
    }
    return out;
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
