package dev.jdht.krpc.wire;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A read-only list view of a compact node info string ({@code nodes}: 26 bytes each, or {@code
 * nodes6}: 38 bytes each). Elements are materialised on {@link #get(int)}; nothing is copied up
 * front. Any number of entries is allowed (real nodes send 90 and more).
 */
public final class CompactNodes extends AbstractList<NodeInfo> implements RandomAccess {
  private static final CompactNodes EMPTY4 = new CompactNodes(new byte[0], 0, 0, NodeInfo.COMPACT_V4);

  private final byte[] src;
  private final int off;
  private final int count;
  private final int stride;

  private CompactNodes(byte[] src, int off, int count, int stride) {
    this.src = src;
    this.off = off;
    this.count = count;
    this.stride = stride;
  }

  /** A view of {@code len} bytes of 26-byte (IPv4) or 38-byte (IPv6) entries. */
  public static CompactNodes view(byte[] src, int off, int len, boolean ipv6) {
    int stride = ipv6 ? NodeInfo.COMPACT_V6 : NodeInfo.COMPACT_V4;
    if (len % stride != 0) {
      throw new IllegalArgumentException("length " + len + " is not a multiple of " + stride);
    }
    return new CompactNodes(src, off, len / stride, stride);
  }

  /** Encodes nodes of one family (all IPv4 or all IPv6) into a fresh view. */
  public static CompactNodes of(List<NodeInfo> nodes, boolean ipv6) {
    int stride = ipv6 ? NodeInfo.COMPACT_V6 : NodeInfo.COMPACT_V4;
    byte[] b = new byte[nodes.size() * stride];
    int o = 0;
    for (NodeInfo n : nodes) {
      if (n.address().isIpv6() != ipv6) {
        throw new IllegalArgumentException("mixed address families: " + n);
      }
      o = n.writeCompact(b, o);
    }
    return new CompactNodes(b, 0, nodes.size(), stride);
  }

  public static CompactNodes empty() {
    return EMPTY4;
  }

  public boolean isIpv6() {
    return stride == NodeInfo.COMPACT_V6;
  }

  @Override
  public NodeInfo get(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(i);
    }
    return NodeInfo.fromCompact(src, off + i * stride, stride);
  }

  /** The id of entry {@code i}, without building its address. */
  public NodeId idAt(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(i);
    }
    return NodeId.of(src, off + i * stride);
  }

  /**
   * The address and port of entry {@code i}, without building its id or a {@link NodeInfo}.
   */
  public PeerAddress addressAt(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(i);
    }
    return PeerAddress.fromCompact(src, off + i * stride + NodeId.LENGTH, stride - NodeId.LENGTH);
  }

  /** The port of entry {@code i}. */
  public int portAt(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(i);
    }
    int p = off + i * stride + stride - 2;
    return (src[p] & 0xff) << 8 | (src[p + 1] & 0xff);
  }

  @Override
  public int size() {
    return count;
  }

  /** Number of bytes of the compact form. */
  public int byteLength() {
    return count * stride;
  }

  /** Writes the compact bytes at {@code dstOff}. */
  public void copyTo(byte[] dst, int dstOff) {
    System.arraycopy(src, off, dst, dstOff, count * stride);
  }

  byte[] source() {
    return src;
  }

  int sourceOffset() {
    return off;
  }
}
