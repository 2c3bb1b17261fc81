package dev.jdht.krpc.wire;

import java.util.Arrays;
import java.util.HexFormat;

/** A KRPC transaction id: opaque bytes chosen by the querier. Immutable. */
public final class TransactionId {
  private final byte[] bytes;
  private final int hash;

  private TransactionId(byte[] b) {
    this.bytes = b;
    this.hash = Arrays.hashCode(b);
  }

  /** Copies {@code len} bytes at {@code off}. */
  public static TransactionId of(byte[] b, int off, int len) {
    return new TransactionId(Arrays.copyOfRange(b, off, off + len));
  }

  public static TransactionId of(byte[] b) {
    return new TransactionId(b.clone());
  }

  /** A 2..8 byte id from a number (big-endian, {@code len} bytes). */
  public static TransactionId ofLong(long v, int len) {
    byte[] b = new byte[len];
    for (int i = len - 1; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return new TransactionId(b);
  }

  public int length() {
    return bytes.length;
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The internal array; callers must not modify it. */
  public byte[] unsafeBytes() {
    return bytes;
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionId t && t.hash == hash && Arrays.equals(t.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return toHex();
  }
}
