package dev.jdht.krpc.wire;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A read-only list view of a {@code values} list: compact peer infos of 6 (IPv4) or 18 (IPv6)
 * bytes each, each its own byte string. Elements are built on {@link #get(int)}.
 */
public final class CompactPeers extends AbstractList<PeerAddress> implements RandomAccess {
  private static final CompactPeers EMPTY = new CompactPeers(new byte[0], null, null, 0, 0, 0, 0);

  private final byte[] src;
  // entries at arbitrary positions: one offset and one length each; both null when uniform
  private final int[] offsets;
  private final byte[] lengths;
  // uniform entries (the usual case, e.g. "l6:......6:......e"): entry i is at first + i * stride
  // and is len bytes long, so no per-entry arrays are needed
  private final int first;
  private final int stride;
  private final int len;
  private final int count;

  private CompactPeers(
      byte[] src, int[] offsets, byte[] lengths, int first, int stride, int len, int count) {
    this.src = src;
    this.offsets = offsets;
    this.lengths = lengths;
    this.first = first;
    this.stride = stride;
    this.len = len;
    this.count = count;
  }

  /** Builder used by the decoder: entries are added as (offset, length) pairs into {@code src}. */
  public static final class Builder {
    private final byte[] src;
    private int[] offsets; // allocated only once the entries stop being uniform
    private byte[] lengths;
    private int first;
    private int stride;
    private int len;
    private int count;

    public Builder(byte[] src) {
      this.src = src;
    }

    /** Adds an entry; {@code len} must be 6 or 18. */
    public Builder add(int off, int len) {
      if (len != PeerAddress.COMPACT_V4 && len != PeerAddress.COMPACT_V6) {
        throw new IllegalArgumentException("compact peer info is 6 or 18 bytes, got " + len);
      }
      if (offsets == null) {
        if (count == 0) {
          first = off;
          this.len = len;
          count = 1;
          return this;
        }
        if (len == this.len) {
          if (count == 1) {
            stride = off - first;
            count = 2;
            return this;
          }
          if ((long) first + (long) count * stride == off) {
            count++;
            return this;
          }
        }
        // not uniform any more: spell out the entries so far
        int cap = Math.max(8, count * 2);
        offsets = new int[cap];
        lengths = new byte[cap];
        for (int i = 0; i < count; i++) {
          offsets[i] = first + i * stride;
          lengths[i] = (byte) this.len;
        }
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
      if (count == 0) {
        return EMPTY;
      }
      if (offsets == null) {
        return new CompactPeers(src, null, null, first, stride, len, count);
      }
      return new CompactPeers(src, offsets, lengths, 0, 0, 0, count);
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
    return offsets == null
        ? PeerAddress.fromCompact(src, first + i * stride, len)
        : PeerAddress.fromCompact(src, offsets[i], lengths[i]);
  }

  @Override
  public int size() {
    return count;
  }

  /** Encoded length of entry {@code i} (6 or 18). */
  public int lengthAt(int i) {
    checkIndex(i);
    return offsets == null ? len : lengths[i];
  }

  /** Offset of entry {@code i} in {@link #source()}. */
  public int offsetAt(int i) {
    checkIndex(i);
    return offsets == null ? first + i * stride : offsets[i];
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(i);
    }
  }

  public byte[] source() {
    return src;
  }
}
