package dev.jdht.krpc.bencode;

import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.BValue.BInteger;
import dev.jdht.krpc.bencode.BValue.BList;
import dev.jdht.krpc.bencode.BValue.BString;
import dev.jdht.krpc.codec.DecodeException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Decoding to and encoding from the generic {@link BValue} tree. Stateless and thread-safe. */
public final class Bencode {
  /** Orders keys by unsigned bytes: the canonical bencode order. */
  public static final java.util.Comparator<BString> KEY_ORDER = BString::compareBytes;

  private Bencode() {}

  /** Decodes exactly one value that spans the whole array. */
  public static BValue decode(byte[] data) throws DecodeException {
    return decode(data, 0, data.length, BencodeReader.DEFAULT_MAX_DEPTH);
  }

  /** Decodes exactly one value spanning the slice; nothing is copied from the array. */
  public static BValue decode(byte[] data, int off, int len, int maxDepth) throws DecodeException {
    BencodeReader r = new BencodeReader(data, off, len, maxDepth);
    BValue v = read(r);
    r.finish();
    return v;
  }

  /**
   * Decodes the remaining bytes of a buffer. A heap buffer is decoded in place; a direct buffer's
   * bytes are copied once into an array first. The buffer's position is not changed.
   */
  public static BValue decode(ByteBuffer b) throws DecodeException {
    if (b.hasArray()) {
      return decode(b.array(), b.arrayOffset() + b.position(), b.remaining(),
          BencodeReader.DEFAULT_MAX_DEPTH);
    }
    byte[] copy = new byte[b.remaining()];
    b.duplicate().get(copy);
    return decode(copy);
  }

  /** Reads one value at the reader's position. */
  public static BValue read(BencodeReader r) throws DecodeException {
    int start = r.position();
    switch (r.peek()) {
      case STRING: {
        int o = r.readString();
        return new BString(r.array(), o, r.stringLength(), start, r.position());
      }
      case INTEGER: {
        long v = r.readLong();
        return new BInteger(v, start, r.position());
      }
      case LIST: {
        r.beginList();
        ArrayList<BValue> items = new ArrayList<>();
        while (r.hasNext()) {
          items.add(read(r));
        }
        return new BList(items, start, r.position());
      }
      case DICT: {
        r.beginDict();
        TreeMap<BString, BValue> m = new TreeMap<>(KEY_ORDER);
        while (r.nextKey()) {
          BString k = new BString(r.array(), r.keyOffset(), r.keyLength(), -1, -1);
          m.put(k, read(r));
        }
        return new BDict(m, start, r.position());
      }
      default:
        throw new AssertionError();
    }
  }

  /** Encodes canonically (sorted keys). */
  public static byte[] encode(BValue v) {
    BencodeWriter w = new BencodeWriter();
    write(w, v);
    return w.toByteArray();
  }

  public static void write(BencodeWriter w, BValue v) {
    if (v instanceof BString s) {
      w.string(s.src(), s.off(), s.len());
    } else if (v instanceof BInteger i) {
      w.integer(i.value());
    } else if (v instanceof BList l) {
      w.beginList();
      for (BValue e : l.items()) {
        write(w, e);
      }
      w.end();
    } else if (v instanceof BDict d) {
      w.beginDict();
      for (Map.Entry<BString, BValue> e : d.entries().entrySet()) {
        BString k = e.getKey();
        w.key(k.src(), k.off(), k.len());
        write(w, e.getValue());
      }
      w.end();
    }
  }

  /** The raw bytes of a decoded value (its exact input range). */
  public static byte[] rawBytes(byte[] src, BValue v) {
    if (v.start() < 0) {
      return encode(v);
    }
    return Arrays.copyOfRange(src, v.start(), v.end());
  }
}
