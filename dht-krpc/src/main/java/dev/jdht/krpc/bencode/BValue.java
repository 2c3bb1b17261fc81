package dev.jdht.krpc.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A decoded bencode value, with the byte range it was decoded from.
 *
 * <p>{@link BString} does not copy: it refers to the input array. {@link #start()} and {@link
 * #end()} give the value's raw bytes in the input (BEP 44 signs the raw bytes of {@code v}); for a
 * value built in code they are both -1.
 */
public sealed interface BValue permits BValue.BString, BValue.BInteger, BValue.BList, BValue.BDict {

  /** Absolute start offset of the value in the source array, or -1. */
  int start();

  /** Absolute end offset (exclusive) in the source array, or -1. */
  int end();

  /** A byte string: a view of {@code len} bytes at {@code off} of {@code src}. */
  record BString(byte[] src, int off, int len, int start, int end) implements BValue {
    public static BString of(byte[] b) {
      return new BString(b, 0, b.length, -1, -1);
    }

    public static BString of(String s) {
      return of(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
      return Arrays.copyOfRange(src, off, off + len);
    }

    /** The bytes as UTF-8 text (malformed sequences replaced). */
    public String text() {
      return new String(src, off, len, StandardCharsets.UTF_8);
    }

    /** Compares contents, unsigned byte order (the canonical key order). */
    public int compareBytes(BString o) {
      return Arrays.compareUnsigned(src, off, off + len, o.src, o.off, o.off + o.len);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BString s && Arrays.equals(src, off, off + len, s.src, s.off, s.off + s.len);
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (int i = off; i < off + len; i++) {
        h = 31 * h + src[i];
      }
      return h;
    }

    @Override
    public String toString() {
      return "BString[" + text() + "]";
    }
  }

  /** An integer. */
  record BInteger(long value, int start, int end) implements BValue {
    public static BInteger of(long v) {
      return new BInteger(v, -1, -1);
    }
  }

  /** A list. */
  record BList(List<BValue> items, int start, int end) implements BValue {
    public BList {
      items = Collections.unmodifiableList(items);
    }

    public static BList of(List<BValue> items) {
      return new BList(items, -1, -1);
    }
  }

  /**
   * A dictionary. Entries are kept sorted by key (unsigned bytes), so encoding is canonical even
   * when the input had unsorted keys.
   */
  record BDict(SortedMap<BString, BValue> entries, int start, int end) implements BValue {
    public BDict {
      entries = Collections.unmodifiableSortedMap(entries);
    }

    public static BDict of(SortedMap<BString, BValue> entries) {
      return new BDict(entries, -1, -1);
    }

    /** The value under an ASCII key, or null. */
    public BValue get(String key) {
      return entries.get(BString.of(key));
    }

    public Map<BString, BValue> map() {
      return entries;
    }
  }
}
