package dev.jdht.krpc.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;

/**
 * A 160-bit node id or infohash. Immutable and thread-safe.
 *
 * <p>Held as three primitive words (no array), so XOR-distance comparisons allocate nothing.
 */
public final class NodeId implements Comparable<NodeId> {
  /** Length in bytes. */
  public static final int LENGTH = 20;
  /** Length in bits. */
  public static final int BITS = 160;

  // big-endian word reads: one load each instead of assembling bytes (ids are read per node)
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final long w0; // bytes 0..7
  private final long w1; // bytes 8..15
  private final int w2; // bytes 16..19

  private NodeId(long w0, long w1, int w2) {
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
  }

  /** Reads 20 bytes at {@code off}. */
  public static NodeId of(byte[] b, int off) {
    if (off < 0 || off > b.length - LENGTH) {
      throw new IllegalArgumentException("a node id needs 20 bytes");
    }
    return new NodeId(readLong(b, off), readLong(b, off + 8), readInt(b, off + 16));
  }

  /** From exactly 20 bytes. */
  public static NodeId of(byte[] b) {
    if (b.length != LENGTH) {
      throw new IllegalArgumentException("a node id is 20 bytes, got " + b.length);
    }
    return of(b, 0);
  }

  /** From 40 hex digits (either case). */
  public static NodeId fromHex(String hex) {
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException("a node id is 40 hex digits, got " + hex.length());
    }
    try {
      return of(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex node id: " + hex);
    }
  }

  /** A uniformly random id. */
  public static NodeId random(Random rnd) {
    return new NodeId(rnd.nextLong(), rnd.nextLong(), rnd.nextInt());
  }

  /** The all-zero id. */
  public static NodeId zero() {
    return new NodeId(0, 0, 0);
  }

  private static long readLong(byte[] b, int o) {
    return (long) LONG_BE.get(b, o);
  }

  private static int readInt(byte[] b, int o) {
    return (int) INT_BE.get(b, o);
  }

  /** Writes the 20 bytes at {@code off}. */
  public void writeTo(byte[] dst, int off) {
    for (int i = 0; i < 8; i++) {
      dst[off + i] = (byte) (w0 >>> (56 - 8 * i));
      dst[off + 8 + i] = (byte) (w1 >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      dst[off + 16 + i] = (byte) (w2 >>> (24 - 8 * i));
    }
  }

  public byte[] toBytes() {
    byte[] b = new byte[LENGTH];
    writeTo(b, 0);
    return b;
  }

  public String toHex() {
    return HexFormat.of().formatHex(toBytes());
  }

  /** The XOR distance to another id, as an id. */
  public NodeId xor(NodeId o) {
    return new NodeId(w0 ^ o.w0, w1 ^ o.w1, w2 ^ o.w2);
  }

  /**
   * Compares the XOR distances of {@code a} and {@code b} to this id: negative if {@code a} is
   * closer, zero if equal, positive if {@code b} is closer. Allocates nothing.
   */
  public int compareDistance(NodeId a, NodeId b) {
    int c = Long.compareUnsigned(a.w0 ^ w0, b.w0 ^ w0);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(a.w1 ^ w1, b.w1 ^ w1);
    if (c != 0) {
      return c;
    }
    return Integer.compareUnsigned(a.w2 ^ w2, b.w2 ^ w2);
  }

  /** Number of leading bits this id shares with {@code o} (160 if equal). */
  public int commonPrefixLength(NodeId o) {
    long x = w0 ^ o.w0;
    if (x != 0) {
      return Long.numberOfLeadingZeros(x);
    }
    x = w1 ^ o.w1;
    if (x != 0) {
      return 64 + Long.numberOfLeadingZeros(x);
    }
    int y = w2 ^ o.w2;
    if (y != 0) {
      return 128 + Integer.numberOfLeadingZeros(y);
    }
    return BITS;
  }

  /** Bit {@code i}, counting from the most significant bit (0) of byte 0. */
  public boolean bit(int i) {
    if (i < 0 || i >= BITS) {
      throw new IndexOutOfBoundsException(i);
    }
    if (i < 64) {
      return (w0 << i) < 0;
    }
    if (i < 128) {
      return (w1 << (i - 64)) < 0;
    }
    return (w2 << (i - 128)) < 0;
  }

  /** A copy of this id with bit {@code i} flipped. */
  public NodeId flipBit(int i) {
    if (i < 0 || i >= BITS) {
      throw new IndexOutOfBoundsException(i);
    }
    if (i < 64) {
      return new NodeId(w0 ^ (Long.MIN_VALUE >>> i), w1, w2);
    }
    if (i < 128) {
      return new NodeId(w0, w1 ^ (Long.MIN_VALUE >>> (i - 64)), w2);
    }
    return new NodeId(w0, w1, w2 ^ (Integer.MIN_VALUE >>> (i - 128)));
  }

  /**
   * An id that keeps the first {@code prefixBits} bits of this id and takes the rest from
   * {@code random}: a random id inside this id's bucket of that prefix length.
   */
  public NodeId withRandomSuffix(int prefixBits, Random random) {
    if (prefixBits < 0 || prefixBits > BITS) {
      throw new IllegalArgumentException("prefix length " + prefixBits);
    }
    NodeId r = random(random);
    return new NodeId(
        mix(w0, r.w0, prefixBits), mix(w1, r.w1, prefixBits - 64), (int) mix32(w2, r.w2, prefixBits - 128));
  }

  private static long mix(long keep, long rnd, int bits) {
    if (bits <= 0) {
      return rnd;
    }
    if (bits >= 64) {
      return keep;
    }
    long mask = -1L << (64 - bits);
    return (keep & mask) | (rnd & ~mask);
  }

  private static long mix32(int keep, int rnd, int bits) {
    if (bits <= 0) {
      return rnd;
    }
    if (bits >= 32) {
      return keep;
    }
    int mask = -1 << (32 - bits);
    return (keep & mask) | (rnd & ~mask);
  }

  /** Unsigned numeric order (the same as comparing the byte arrays). */
  @Override
  public int compareTo(NodeId o) {
    int c = Long.compareUnsigned(w0, o.w0);
    if (c != 0) {
      return c;
    }
    c = Long.compareUnsigned(w1, o.w1);
    return c != 0 ? c : Integer.compareUnsigned(w2, o.w2);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeId n && n.w0 == w0 && n.w1 == w1 && n.w2 == w2;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(w0) * 31 + Long.hashCode(w1) * 17 + w2;
  }

  @Override
  public String toString() {
    return toHex();
  }
}
