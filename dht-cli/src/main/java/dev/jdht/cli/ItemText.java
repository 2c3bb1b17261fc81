package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.bep44.Item;
import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.codec.DecodeException;
import java.nio.charset.StandardCharsets;

/** BEP 44 values on the command line and in JSON, shared by {@code dht put} and {@code dht get}. */
final class ItemText {
  private ItemText() {}

  /** The bencoded value of a command-line VALUE: as a byte string (UTF-8), or as given with --bencode. */
  static byte[] value(String arg, boolean bencode) {
    byte[] b = arg.getBytes(StandardCharsets.UTF_8);
    if (bencode) {
      return b;
    }
    byte[] prefix = (b.length + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + b.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(b, 0, out, prefix.length, b.length);
    return out;
  }

  /** The payload of a value that is one byte string, or null for any other bencoded value. */
  static byte[] stringPayload(byte[] bencoded) {
    try {
      BValue v = Bencode.decode(bencoded);
      if (v instanceof BValue.BString s) {
        byte[] out = new byte[s.len()];
        System.arraycopy(s.src(), s.off(), out, 0, s.len());
        return out;
      }
    } catch (DecodeException e) {
      // a peer's value is bounded but may not be canonical bencode: shown as raw bytes
    }
    return null;
  }

  /** What {@code dht get} prints: a string value's text, else the raw bencoding (always with --bencode). */
  static String display(byte[] bencoded, boolean bencode) {
    byte[] s = bencode ? null : stringPayload(bencoded);
    return ByteText.textOrHex(s != null ? s : bencoded);
  }

  /** The item's fields: target, mutable, value (text or hex), bencoded, and for a mutable item key, salt, seq, sig. */
  static void json(ObjectNode o, Item item) {
    o.put("target", item.target().toHex());
    o.put("mutable", item.isMutable());
    byte[] s = stringPayload(item.value());
    if (s == null) {
      o.putNull("value");
    } else {
      o.put("value", ByteText.textOrHex(s));
    }
    o.put("bencoded", ByteText.textOrHex(item.value()));
    o.put("bencoded_hex", ByteText.hex(item.value()));
    if (item.isMutable()) {
      o.put("public_key", ByteText.hex(item.key()));
      o.put("salt", ByteText.textOrHex(item.salt()));
      o.put("seq", item.seq());
      o.put("signature", ByteText.hex(item.signature()));
    }
  }
}
