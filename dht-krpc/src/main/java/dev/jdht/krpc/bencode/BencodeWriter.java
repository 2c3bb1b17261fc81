package dev.jdht.krpc.bencode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends bencoded values to a growable buffer.
 *
 * <p>Output is canonical: the writer refuses dictionary keys that are not in strictly ascending
 * (unsigned byte) order, so a caller that writes keys out of order finds out at once instead of
 * sending non-canonical bytes. Not thread-safe; reusable after {@link #reset()}.
 */
public final class BencodeWriter {
  private byte[] buf;
  private int len;
  // per open container: offset and length of the previous key (-1 if none); -2 marks a list
  private int[] lastKeyOff = new int[16];
  private int[] lastKeyLen = new int[16];
  private int depth;
  private boolean expectValue;

  public BencodeWriter() {
    this(256);
  }

  public BencodeWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Forgets everything written so far, keeping the buffer. */
  public BencodeWriter reset() {
    len = 0;
    depth = 0;
    expectValue = false;
    return this;
  }

  public int size() {
    return len;
  }

  /** A copy of the bytes written. */
  public byte[] toByteArray() {
    if (depth != 0) {
      throw new IllegalStateException("unclosed container");
    }
    return Arrays.copyOf(buf, len);
  }

  /** Copies the bytes written into {@code dst}. */
  public void writeTo(ByteBuffer dst) {
    dst.put(buf, 0, len);
  }

  /** The internal buffer; valid bytes are [0, size()). */
  public byte[] buffer() {
    return buf;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  private void beforeValue() {
    if (depth > 0 && lastKeyOff[depth] != -2) {
      if (!expectValue) {
        throw new IllegalStateException("dictionary value written without a key");
      }
      expectValue = false;
    }
  }

  private void push(boolean dict) {
    depth++;
    if (depth >= lastKeyOff.length) {
      lastKeyOff = Arrays.copyOf(lastKeyOff, depth * 2);
      lastKeyLen = Arrays.copyOf(lastKeyLen, depth * 2);
    }
    lastKeyOff[depth] = dict ? -1 : -2;
  }

  public BencodeWriter beginDict() {
    beforeValue();
    ensure(1);
    buf[len++] = 'd';
    push(true);
    return this;
  }

  public BencodeWriter beginList() {
    beforeValue();
    ensure(1);
    buf[len++] = 'l';
    push(false);
    return this;
  }

  public BencodeWriter end() {
    if (depth == 0) {
      throw new IllegalStateException("no open container");
    }
    if (expectValue) {
      throw new IllegalStateException("key without a value");
    }
    ensure(1);
    buf[len++] = 'e';
    depth--;
    return this;
  }

  /** Writes a dictionary key given as ASCII text. */
  public BencodeWriter key(String k) {
    byte[] b = k.getBytes(StandardCharsets.ISO_8859_1);
    return key(b, 0, b.length);
  }

  public BencodeWriter key(byte[] k) {
    return key(k, 0, k.length);
  }

  /** Writes a dictionary key; keys must come in strictly ascending order. */
  public BencodeWriter key(byte[] k, int off, int n) {
    if (depth == 0 || lastKeyOff[depth] == -2) {
      throw new IllegalStateException("key outside a dictionary");
    }
    if (expectValue) {
      throw new IllegalStateException("two keys in a row");
    }
    int prev = lastKeyOff[depth];
    writeStringRaw(k, off, n);
    int keyStart = len - n;
    if (prev >= 0
        && Arrays.compareUnsigned(buf, prev, prev + lastKeyLen[depth], buf, keyStart, len) >= 0) {
      throw new IllegalStateException(
          "dictionary keys out of order: "
              + new String(buf, keyStart, n, StandardCharsets.ISO_8859_1));
    }
    lastKeyOff[depth] = keyStart;
    lastKeyLen[depth] = n;
    expectValue = true;
    return this;
  }

  public BencodeWriter string(byte[] b) {
    return string(b, 0, b.length);
  }

  public BencodeWriter string(byte[] b, int off, int n) {
    beforeValue();
    writeStringRaw(b, off, n);
    return this;
  }

  /** Writes a text string as UTF-8 bytes. */
  public BencodeWriter string(String s) {
    return string(s.getBytes(StandardCharsets.UTF_8));
  }

  private void writeStringRaw(byte[] b, int off, int n) {
    ensure(n + 11);
    len = putDecimal(n);
    buf[len++] = ':';
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  public BencodeWriter integer(long v) {
    beforeValue();
    ensure(22);
    buf[len++] = 'i';
    if (v < 0) {
      buf[len++] = '-';
      if (v == Long.MIN_VALUE) {
        byte[] s = "9223372036854775808".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, buf, len, s.length);
        len += s.length;
        buf[len++] = 'e';
        return this;
      }
      v = -v;
    }
    len = putDecimal(v);
    buf[len++] = 'e';
    return this;
  }

  /** Copies an already-encoded bencode value verbatim (the caller vouches it is canonical). */
  public BencodeWriter raw(byte[] b, int off, int n) {
    beforeValue();
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  private int putDecimal(long v) {
    if (v < 10) {
      buf[len] = (byte) ('0' + v);
      return len + 1;
    }
    int digits = 0;
    for (long t = v; t > 0; t /= 10) {
      digits++;
    }
    int p = len + digits;
    for (int i = p - 1; i >= len; i--) {
      buf[i] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    return p;
  }
}
