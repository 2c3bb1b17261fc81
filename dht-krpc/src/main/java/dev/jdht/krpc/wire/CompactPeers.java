package dev.jdht.krpc.wire;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A read-only list view of a {@code values} list: compact peer infos of 6 (IPv4) or 18 (IPv6)
 * bytes each, each its own byte string. Elements are built on {@link #get(int)}.
 */
public final class CompactPeers extends AbstractList<PeerAddress> implements RandomAccess {
  private static final CompactPeers EMPTY = new CompactPeers(new byte[0], new int[0], new byte[0], 0);

  private final byte[] src;
  private final int[] offsets;
  private final byte[] lengths;
  private final int count;

  private CompactPeers(byte[] src, int[] offsets, byte[] lengths, int count) {
    this.src = src;
    this.offsets = offsets;
    this.lengths = lengths;
    this.count = count;
  }

  /** Builder used by the decoder: entries are added as (offset, length) pairs into {@code src}. */
  public static final class Builder {
    private final byte[] src;
    private int[] offsets = new int[8];
    private byte[] lengths = new byte[8];
    private int count;

    public Builder(byte[] src) {
      this.src = src;
    }

    /** Adds an entry; {@code len} must be 6 or 18. */
    public Builder add(int off, int len) {
      if (len != PeerAddress.COMPACT_V4 && len != PeerAddress.COMPACT_V6) {
        throw new IllegalArgumentException("compact peer info is 6 or 18 bytes, got " + len);
      }
      if (count == offsets.length) {
        offsets = java.util.Arrays.copyOf(offsets, count * 2);
        lengths = java.util.Arrays.copyOf(lengths, count * 2);
      }
      offsets[count] = off;
      lengths[count] = (byte) len;
      count++;
      return this;
    }

    public CompactPeers build() {
      return count == 0 ? EMPTY : new CompactPeers(src, offsets, lengths, count);
    }
  }

  /** Encodes peers into a fresh view. */
  public static CompactPeers of(List<PeerAddress> peers) {
    int total = 0;
    for (PeerAddress p : peers) {
      total += p.compactLength();
    }
    byte[] b = new byte[total];
    Builder bld = new Builder(b);
    int o = 0;
    for (PeerAddress p : peers) {
      int n = p.writeCompact(b, o);
      bld.add(o, n - o);
      o = n;
    }
    return bld.build();
  }

  public static CompactPeers empty() {
    return EMPTY;
  }

  @Override
  public PeerAddress get(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(i);
    }
    return PeerAddress.fromCompact(src, offsets[i], lengths[i]);
  }

  @Override
  public int size() {
    return count;
  }

  /** Encoded length of entry {@code i} (6 or 18). */
  public int lengthAt(int i) {
    return lengths[i];
  }

  /** Offset of entry {@code i} in {@link #source()}. */
  public int offsetAt(int i) {
    return offsets[i];
  }

  public byte[] source() {
    return src;
  }
}
