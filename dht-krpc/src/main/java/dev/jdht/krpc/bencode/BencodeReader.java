package dev.jdht.krpc.bencode;

import dev.jdht.krpc.codec.DecodeException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A strict, zero-copy pull parser over a slice of a byte array.
 *
 * <p>Byte strings are not copied: {@link #readString()} returns the offset of the string and sets
 * {@link #stringLength()}; callers copy only what they keep. Every length is checked against the
 * remaining input before anything is allocated, nesting is limited, integers must be canonical
 * (no leading zeros, no {@code -0}) and fit in a {@code long}, dictionary keys must be byte
 * strings and must not repeat (unsorted keys are accepted). All offsets reported in errors are
 * relative to the start of the slice.
 *
 * <p>Not thread-safe; one reader decodes one value at a time ({@link #reset} starts another).
 */
public final class BencodeReader {
  /** Default nesting limit: far deeper than any KRPC message, shallow enough for any stack. */
  public static final int DEFAULT_MAX_DEPTH = 32;

  private byte[] buf;
  private int base;
  private int end;
  private final int maxDepth;
  private int pos;
  private int depth;
  // per open container, three ints at LEVEL * (depth - 1): where it starts (the position of its
  // 'd', or -1 - position of its 'l' for a list), and the offset (-1 if none yet) and length of
  // the previous key of a dictionary. One small array instead of one per field: a reader is made
  // per datagram, so its allocations count.
  private static final int LEVEL = 3;
  private static final int START = 0;
  private static final int KEY_OFF = 1;
  private static final int KEY_LEN = 2;
  private int[] levels;
  // whether the innermost open container is a dictionary (false at depth 0): checked on every key
  // and list element, so kept at hand rather than looked up in levels
  private boolean topIsDict;
  // per depth, once a dictionary's keys stop being ascending: every key seen, to find duplicates
  private Object[] keySets;
  private int strLen;
  private int keyOff;
  private int keyLen;
  // true for the sub-reader that re-reads already validated keys: it must not check them again,
  // or nested unsorted dictionaries would be rescanned once per enclosing level (2^depth work)
  private boolean revalidating;

  public BencodeReader(byte[] buf) {
    this(buf, 0, buf.length, DEFAULT_MAX_DEPTH);
  }

  public BencodeReader(byte[] buf, int off, int len, int maxDepth) {
    checkSlice(buf, off, len);
    if (maxDepth < 1 || maxDepth > 512) {
      throw new IllegalArgumentException("maxDepth must be 1..512");
    }
    this.buf = buf;
    this.base = off;
    this.pos = off;
    this.end = off + len;
    this.maxDepth = maxDepth;
    levels = new int[LEVEL * Math.min(maxDepth, 4)];
  }

  private static void checkSlice(byte[] buf, int off, int len) {
    if (off < 0 || len < 0 || off > buf.length - len) {
      throw new IllegalArgumentException("slice out of bounds");
    }
  }

  /**
   * Starts reading another slice, as a new reader with the same depth limit would, keeping this
   * reader's buffers: a reader reused for every datagram of a thread allocates nothing per
   * message. Whatever was being read is forgotten.
   *
   * @throws IllegalArgumentException if the slice is out of the array's bounds
   */
  public void reset(byte[] buf, int off, int len) {
    checkSlice(buf, off, len);
    this.buf = buf;
    this.base = off;
    this.pos = off;
    this.end = off + len;
    depth = 0;
    topIsDict = false;
    if (keySets != null) {
      Arrays.fill(keySets, null);
    }
    strLen = 0;
    keyOff = 0;
    keyLen = 0;
  }

  /** The underlying array (byte strings are offsets into it). */
  public byte[] array() {
    return buf;
  }

  /** Current absolute position in {@link #array()}. */
  public int position() {
    return pos;
  }

  /** Current position relative to the start of the slice. */
  public int offset() {
    return pos - base;
  }

  /** Start of the slice in {@link #array()}. */
  public int base() {
    return base;
  }

  /** Current container nesting depth (0 at top level). */
  public int depth() {
    return depth;
  }

  public DecodeException error(String reason) {
    return new DecodeException(reason, pos - base);
  }

  private DecodeException errorAt(String reason, int absPos) {
    return new DecodeException(reason, absPos - base);
  }

  /** The type of the next value: one of {@link BType}; fails at end of input or on 'e'. */
  public BType peek() throws DecodeException {
    if (pos >= end) {
      throw error("unexpected end of input");
    }
    byte b = buf[pos];
    switch (b) {
      case 'd':
        return BType.DICT;
      case 'l':
        return BType.LIST;
      case 'i':
        return BType.INTEGER;
      default:
        if (b >= '0' && b <= '9') {
          return BType.STRING;
        }
        if (b == 'e') {
          throw error("unexpected 'e'");
        }
        throw error("unexpected byte 0x" + Integer.toHexString(b & 0xff));
    }
  }

  private void push(boolean dict) throws DecodeException {
    if (depth >= maxDepth) {
      throw error("nesting deeper than " + maxDepth);
    }
    depth++;
    int at = LEVEL * (depth - 1);
    if (at == levels.length) {
      int n = Math.min(maxDepth, 2 * levels.length / LEVEL);
      levels = Arrays.copyOf(levels, LEVEL * n);
      if (keySets != null) {
        keySets = Arrays.copyOf(keySets, n + 1);
      }
    }
    levels[at + START] = dict ? pos : -1 - pos;
    topIsDict = dict;
    levels[at + KEY_OFF] = -1;
    levels[at + KEY_LEN] = 0;
    if (keySets != null) {
      keySets[depth] = null;
    }
  }

  /** Consumes 'd'. Keys are then read with {@link #nextKey()}. */
  public void beginDict() throws DecodeException {
    if (pos >= end) {
      throw error("unexpected end of input, expected a dictionary");
    }
    if (buf[pos] != 'd') {
      throw error("expected a dictionary");
    }
    push(true);
    pos++;
  }

  /** Consumes 'l'. Elements are then read while {@link #hasNext()}. */
  public void beginList() throws DecodeException {
    if (pos >= end) {
      throw error("unexpected end of input, expected a list");
    }
    if (buf[pos] != 'l') {
      throw error("expected a list");
    }
    push(false);
    pos++;
  }

  /**
   * In a list: true if another element follows; false if the list ends, in which case its 'e' is
   * consumed and the list is closed.
   */
  public boolean hasNext() throws DecodeException {
    if (depth == 0 || inDict()) {
      throw new IllegalStateException("not in a list");
    }
    if (pos >= end) {
      throw error("unterminated list");
    }
    if (buf[pos] == 'e') {
      pos++;
      pop();
      return false;
    }
    return true;
  }

  /**
   * In a dictionary: reads the next key and returns true, or consumes the closing 'e' and returns
   * false. The key is then available through {@link #keyOffset()}, {@link #keyLength()} and
   * {@link #keyIs(byte[])}. Duplicate keys are rejected.
   */
  public boolean nextKey() throws DecodeException {
    if (depth == 0 || !inDict()) {
      throw new IllegalStateException("not in a dictionary");
    }
    if (pos >= end) {
      throw error("unterminated dictionary");
    }
    byte b = buf[pos];
    if (b == 'e') {
      pos++;
      if (keySets != null) {
        keySets[depth] = null;
      }
      pop();
      return false;
    }
    if (b < '0' || b > '9') {
      throw error("dictionary key must be a byte string");
    }
    int at = pos;
    int off = readString();
    int len = strLen;
    if (!revalidating) {
      checkDuplicate(off, len, at);
    }
    keyOff = off;
    keyLen = len;
    return true;
  }

  private void checkDuplicate(int off, int len, int at) throws DecodeException {
    int at0 = LEVEL * (depth - 1);
    int lo = levels[at0 + KEY_OFF];
    if (lo >= 0) {
      int loLen = levels[at0 + KEY_LEN];
      // keys nearly always differ in their first byte: decide that without a full comparison
      int c = loLen > 0 && len > 0 ? (buf[lo] & 0xff) - (buf[off] & 0xff) : 0;
      if (c == 0) {
        c = Arrays.compareUnsigned(buf, lo, lo + loLen, buf, off, off + len);
      }
      if (c == 0) {
        throw errorAt("duplicate dictionary key", at);
      }
      if (c > 0 || (keySets != null && keySets[depth] != null)) {
        // keys are no longer ascending: remember every key from here on in a set
        @SuppressWarnings("unchecked")
        Set<Slice> seen = keySets == null ? null : (Set<Slice>) keySets[depth];
        if (seen == null) {
          if (keySets == null) {
            keySets = new Object[levels.length / LEVEL + 1];
          }
          seen = new HashSet<>();
          keySets[depth] = seen;
          // we do not have the earlier keys, so rescan them: cheap since it happens once per dict
          rescanKeys(seen, at);
        }
        if (!seen.add(new Slice(buf, off, len))) {
          throw errorAt("duplicate dictionary key", at);
        }
      }
    }
    levels[at0 + KEY_OFF] = off;
    levels[at0 + KEY_LEN] = len;
  }

  /** Re-reads the keys of the current dictionary that came before {@code stop}. */
  private void rescanKeys(Set<Slice> seen, int stop) throws DecodeException {
    // find the start of the current dictionary by walking from the last key backwards is not
    // possible, so keys are collected through a sub-reader from the recorded dictionary start.
    int start = dictStart();
    BencodeReader sub = new BencodeReader(buf, start, stop - start, maxDepth);
    sub.revalidating = true;
    sub.pos = start + 1;
    sub.depth = 1;
    sub.levels[START] = start;
    sub.levels[KEY_OFF] = -1;
    sub.topIsDict = true;
    while (sub.pos < stop) {
      int o = sub.readString();
      seen.add(new Slice(buf, o, sub.strLen));
      sub.skipValue();
    }
  }

  /** Start of the current dictionary (the position of its 'd'). */
  private int dictStart() {
    return levels[LEVEL * (depth - 1) + START];
  }

  /** True if the innermost open container is a dictionary (depth must be at least 1). */
  private boolean inDict() {
    return topIsDict;
  }

  /** Closes the innermost container. */
  private void pop() {
    depth--;
    topIsDict = depth > 0 && levels[LEVEL * (depth - 1) + START] >= 0;
  }

  /** Offset of the last key read by {@link #nextKey()}. */
  public int keyOffset() {
    return keyOff;
  }

  public int keyLength() {
    return keyLen;
  }

  /** True if the last key read equals {@code k}. */
  public boolean keyIs(byte[] k) {
    if (keyLen != k.length) {
      return false;
    }
    for (int i = 0; i < k.length; i++) { // keys are short: a plain loop beats Arrays.equals here
      if (buf[keyOff + i] != k[i]) {
        return false;
      }
    }
    return true;
  }

  /** Reads a byte string and returns its absolute offset; its length is {@link #stringLength()}. */
  public int readString() throws DecodeException {
    if (pos >= end) {
      throw error("unexpected end of input, expected a byte string");
    }
    int start = pos;
    byte b = buf[pos];
    if (b < '0' || b > '9') {
      throw error("expected a byte string");
    }
    if (b == '0' && pos + 1 < end && buf[pos + 1] != ':') {
      throw error("byte string length has a leading zero");
    }
    long n = b - '0';
    int p = pos + 1;
    while (true) {
      if (p >= end) {
        throw errorAt("unterminated byte string length", start);
      }
      b = buf[p];
      if (b == ':') {
        break;
      }
      if (b < '0' || b > '9') {
        throw errorAt("invalid byte string length", p);
      }
      n = n * 10 + (b - '0');
      if (n > Integer.MAX_VALUE) {
        throw errorAt("byte string length too large", start);
      }
      p++;
    }
    p++; // ':'
    if (n > end - p) {
      throw errorAt("byte string length " + n + " exceeds remaining input " + (end - p), start);
    }
    strLen = (int) n;
    pos = p + strLen;
    return p;
  }

  /** Length of the byte string last read by {@link #readString()}. */
  public int stringLength() {
    return strLen;
  }

  /** Reads a byte string and returns a copy of it. */
  public byte[] readBytes() throws DecodeException {
    int o = readString();
    return Arrays.copyOfRange(buf, o, o + strLen);
  }

  /** Reads an integer. */
  public long readLong() throws DecodeException {
    if (pos >= end) {
      throw error("unexpected end of input, expected an integer");
    }
    if (buf[pos] != 'i') {
      throw error("expected an integer");
    }
    int start = pos;
    int p = pos + 1;
    boolean neg = false;
    if (p < end && buf[p] == '-') {
      neg = true;
      p++;
    }
    int digits = p;
    long v = 0;
    while (true) {
      if (p >= end) {
        throw errorAt("unterminated integer", start);
      }
      byte b = buf[p];
      if (b == 'e') {
        break;
      }
      if (b < '0' || b > '9') {
        throw errorAt("invalid character in integer", p);
      }
      int d = b - '0';
      // accumulate as a negative number so that Long.MIN_VALUE fits
      if (v < (Long.MIN_VALUE + d) / 10) {
        throw errorAt("integer overflows 64 bits", start);
      }
      v = v * 10 - d;
      p++;
    }
    int nd = p - digits;
    if (nd == 0) {
      throw errorAt("integer has no digits", start);
    }
    if (buf[digits] == '0' && nd > 1) {
      throw errorAt("integer has a leading zero", start);
    }
    if (neg && v == 0) {
      throw errorAt("negative zero", start);
    }
    if (!neg) {
      if (v == Long.MIN_VALUE) {
        throw errorAt("integer overflows 64 bits", start);
      }
      v = -v;
    }
    pos = p + 1;
    return v;
  }

  /** Skips one complete value of any type, checking it as strictly as reading it would. */
  public void skipValue() throws DecodeException {
    switch (peek()) {
      case STRING:
        readString();
        return;
      case INTEGER:
        readLong();
        return;
      case LIST:
        beginList();
        while (hasNext()) {
          skipValue();
        }
        return;
      case DICT:
        beginDict();
        while (nextKey()) {
          skipValue();
        }
        return;
      default:
        throw new AssertionError();
    }
  }

  /**
   * Moves back to an absolute position at top level, to re-read a value found earlier (for
   * example a dictionary whose meaning depends on a key that came after it).
   */
  public void seek(int absPos) {
    if (depth != 0) {
      throw new IllegalStateException("seek only at top level");
    }
    if (absPos < base || absPos > end) {
      throw new IllegalArgumentException("position out of the slice");
    }
    pos = absPos;
  }

  /**
   * Moves back to {@code absPos}, which must be the start of the value just after the current
   * dictionary key (used to re-read a value as generic bencode after peeking at it).
   */
  public void seekWithin(int absPos) {
    if (absPos < base || absPos > pos) {
      throw new IllegalArgumentException("can only move back");
    }
    pos = absPos;
  }

  /**
   * Abandons a value that was being read and moves back to its start: {@code absPos} must be a
   * position already passed, recorded together with {@code atDepth} (the depth at that moment,
   * at most the current one). Containers opened since are forgotten. Used to read a value again
   * another way after a first attempt stopped part way with an exception.
   */
  public void rewind(int absPos, int atDepth) {
    if (absPos < base || absPos > pos) {
      throw new IllegalArgumentException("can only move back");
    }
    if (atDepth < 0 || atDepth > depth) {
      throw new IllegalArgumentException("depth " + atDepth + " is not open");
    }
    pos = absPos;
    depth = atDepth;
    topIsDict = depth > 0 && levels[LEVEL * (depth - 1) + START] >= 0;
  }

  /** Fails unless the whole slice has been consumed. */
  public void finish() throws DecodeException {
    if (depth != 0) {
      throw error("unterminated container");
    }
    if (pos != end) {
      throw error("trailing data after the value (" + (end - pos) + " bytes)");
    }
  }

  /** A byte range in the input, used to detect duplicate keys. */
  private record Slice(byte[] buf, int off, int len) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Slice s
          && Arrays.equals(buf, off, off + len, s.buf, s.off, s.off + s.len);
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (int i = off; i < off + len; i++) {
        h = 31 * h + buf[i];
      }
      return h;
    }
  }
}
