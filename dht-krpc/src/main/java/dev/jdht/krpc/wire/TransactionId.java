package dev.jdht.krpc.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A KRPC transaction id: opaque bytes chosen by the querier. Immutable and thread-safe.
 *
 * <p>Ids of up to 7 bytes (nearly all of them: clients use 2 to 4) are held in one {@code long}
 * with no array, so a decoded message's id costs one small object; longer ids keep a copy of
 * their bytes.
 */
public final class TransactionId {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Longest id held inline. */
  private static final int INLINE_MAX = 7;

  // inline form (bytes == null): the length in the top byte, the id's bytes big-endian in the
  // low bytes; array form: 0
  private final long packed;
  private final byte[] bytes;

  private TransactionId(long packed, byte[] bytes) {
    this.packed = packed;
    this.bytes = bytes;
  }

  /** Takes ownership of {@code b}: inline if it is short enough, else keeps the array. */
  private static TransactionId own(byte[] b) {
    if (b.length > INLINE_MAX) {
      return new TransactionId(0, b);
    }
    return new TransactionId(pack(b, 0, b.length), null);
  }

  private static long pack(byte[] b, int off, int len) {
    long v = (long) len << 56;
    for (int i = 0; i < len; i++) {
      v |= (b[off + i] & 0xffL) << (8 * (len - 1 - i));
    }
    return v;
  }

  /** Copies {@code len} bytes at {@code off}. */
  public static TransactionId of(byte[] b, int off, int len) {
    if (len > 0 && len <= INLINE_MAX && off >= 0 && off <= b.length - 8) {
      // room for one 8-byte load: keep its first len bytes
      return new TransactionId((long) len << 56 | (long) LONG_BE.get(b, off) >>> (64 - 8 * len), null);
    }
    if (len >= 0 && len <= INLINE_MAX && off >= 0 && off <= b.length - len) {
      return new TransactionId(pack(b, off, len), null);
    }
    // out of bounds or long: exactly as a range copy behaves
    return own(Arrays.copyOfRange(b, off, off + len));
  }

  public static TransactionId of(byte[] b) {
    return of(b, 0, b.length);
  }

  /** A 2..8 byte id from a number (big-endian, {@code len} bytes). */
  public static TransactionId ofLong(long v, int len) {
    byte[] b = new byte[len];
    for (int i = len - 1; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return own(b);
  }

  public int length() {
    return bytes == null ? (int) (packed >>> 56) : bytes.length;
  }

  /** The id's bytes in a fresh array. */
  public byte[] toBytes() {
    return bytes == null ? unpack() : bytes.clone();
  }

  private byte[] unpack() {
    int len = (int) (packed >>> 56);
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (packed >>> (8 * (len - 1 - i)));
    }
    return b;
  }

  /**
   * The id's bytes without a defensive copy: the internal array of a long id, a fresh array for
   * a short (inline) one. Callers must not modify it.
   */
  public byte[] unsafeBytes() {
    return bytes == null ? unpack() : bytes;
  }

  public String toHex() {
    return HexFormat.of().formatHex(unsafeBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionId t && t.packed == packed && Arrays.equals(t.bytes, bytes);
  }

  /** The same value as {@link Arrays#hashCode(byte[])} of the id's bytes. */
  @Override
  public int hashCode() {
    if (bytes != null) {
      return Arrays.hashCode(bytes);
    }
    int len = (int) (packed >>> 56);
    int h = 1;
    for (int i = 0; i < len; i++) {
      h = 31 * h + (byte) (packed >>> (8 * (len - 1 - i)));
    }
    return h;
  }

  @Override
  public String toString() {
    return toHex();
  }
}
