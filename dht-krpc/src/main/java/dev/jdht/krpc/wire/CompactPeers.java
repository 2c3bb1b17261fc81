package dev.jdht.krpc.wire;

import java.util.List;

/**
 * A read-only list view of a {@code values} list: compact peer infos of 6 (IPv4) or 18 (IPv6)
 * bytes each, each its own byte string. Elements are built on {@link #get(int)}.
 */
public final class CompactPeers extends ReadOnlyList<PeerAddress> {
  private static final CompactPeers EMPTY = new CompactPeers(new byte[0], null, 0, 0, 0);
  // largest distance between uniform entries (keeps stride * 2 + 1 in an int)
  private static final int MAX_STRIDE = 1 << 29;

  private final byte[] src;
  // entries at arbitrary positions: offset and length of entry i at 2i and 2i + 1; null when
  // uniform
  private final int[] entries;
  // uniform entries (the usual case, e.g. "l6:......6:......e"): entry i is at first + i * stride;
  // shape is stride * 2, plus 1 if entries are 18 bytes (else 6). Fields are packed so that a
  // view is 32 bytes: one is made per decoded response.
  private final int first;
  private final int shape;
  private final int count;

  private CompactPeers(byte[] src, int[] entries, int first, int shape, int count) {
    this.src = src;
    this.entries = entries;
    this.first = first;
    this.shape = shape;
    this.count = count;
  }

  private static int shape(int stride, int len) {
    return stride << 1 | (len == PeerAddress.COMPACT_V6 ? 1 : 0);
  }

  private static int lengthOf(int shape) {
    return (shape & 1) == 0 ? PeerAddress.COMPACT_V4 : PeerAddress.COMPACT_V6;
  }

  /** Builder used by the decoder: entries are added as (offset, length) pairs into {@code src}. */
  public static final class Builder {
    private final byte[] src;
    private int[] entries; // allocated only once the entries stop being uniform
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
      if (entries == null) {
        if (count == 0) {
          first = off;
          this.len = len;
          count = 1;
          return this;
        }
        if (len == this.len) {
          if (count == 1) {
            long s = (long) off - first;
            if (s >= 0 && s <= MAX_STRIDE) {
              stride = (int) s;
              count = 2;
              return this;
            }
          } else if ((long) first + (long) count * stride == off) {
            count++;
            return this;
          }
        }
        // not uniform any more: spell out the entries so far
        entries = new int[2 * Math.max(8, count * 2)];
        for (int i = 0; i < count; i++) {
          entries[2 * i] = first + i * stride;
          entries[2 * i + 1] = this.len;
        }
      }
      if (2 * count == entries.length) {
        entries = java.util.Arrays.copyOf(entries, 4 * count);
      }
      entries[2 * count] = off;
      entries[2 * count + 1] = len;
      count++;
      return this;
    }

    public CompactPeers build() {
      if (count == 0) {
        return EMPTY;
      }
      if (entries == null) {
        return new CompactPeers(src, null, first, shape(stride, len), count);
      }
      return new CompactPeers(src, entries, 0, 0, count);
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
    return entries == null
        ? PeerAddress.fromCompact(src, first + i * (shape >> 1), lengthOf(shape))
        : PeerAddress.fromCompact(src, entries[2 * i], entries[2 * i + 1]);
  }

  @Override
  public int size() {
    return count;
  }

  /** Encoded length of entry {@code i} (6 or 18). */
  public int lengthAt(int i) {
    checkIndex(i);
    return entries == null ? lengthOf(shape) : entries[2 * i + 1];
  }

  /** Offset of entry {@code i} in {@link #source()}. */
  public int offsetAt(int i) {
    checkIndex(i);
    return entries == null ? first + i * (shape >> 1) : entries[2 * i];
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
