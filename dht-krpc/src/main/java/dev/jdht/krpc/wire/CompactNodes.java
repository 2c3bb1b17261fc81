package dev.jdht.krpc.wire;

import java.util.List;

/**
 * A read-only list view of a compact node info string ({@code nodes}: 26 bytes each, or {@code
 * nodes6}: 38 bytes each). Elements are materialised on {@link #get(int)}; nothing is copied up
 * front. Any number of entries is allowed (real nodes send 90 and more).
 */
public final class CompactNodes extends ReadOnlyList<NodeInfo> {
  private static final CompactNodes EMPTY4 = new CompactNodes(new byte[0], 0, 0, NodeInfo.COMPACT_V4);

  private final byte[] src;
  private final int off;
  // the entry count times two, plus one for 38-byte (IPv6) entries: one field instead of two
  // keeps a view at 24 bytes (one is made per decoded response)
  private final int countAndFamily;

  private CompactNodes(byte[] src, int off, int count, int stride) {
    this.src = src;
    this.off = off;
    this.countAndFamily = count << 1 | (stride == NodeInfo.COMPACT_V6 ? 1 : 0);
  }

  /** Bytes per entry: 26 or 38. */
  private int stride() {
    return (countAndFamily & 1) == 0 ? NodeInfo.COMPACT_V4 : NodeInfo.COMPACT_V6;
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
    return (countAndFamily & 1) != 0;
  }

  @Override
  public NodeInfo get(int i) {
    checkIndex(i);
    int stride = stride();
    return NodeInfo.fromCompact(src, off + i * stride, stride);
  }

  /** The id of entry {@code i}, without building its address. */
  public NodeId idAt(int i) {
    checkIndex(i);
    return NodeId.of(src, off + i * stride());
  }

  /**
   * The address and port of entry {@code i}, without building its id or a {@link NodeInfo}.
   */
  public PeerAddress addressAt(int i) {
    checkIndex(i);
    int stride = stride();
    return PeerAddress.fromCompact(src, off + i * stride + NodeId.LENGTH, stride - NodeId.LENGTH);
  }

  /** The port of entry {@code i}. */
  public int portAt(int i) {
    checkIndex(i);
    int stride = stride();
    int p = off + i * stride + stride - 2;
    return (src[p] & 0xff) << 8 | (src[p + 1] & 0xff);
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= countAndFamily >> 1) {
      throw new IndexOutOfBoundsException(i);
    }
  }

  @Override
  public int size() {
    return countAndFamily >> 1;
  }

  /** Number of bytes of the compact form. */
  public int byteLength() {
    return size() * stride();
  }

  /** Writes the compact bytes at {@code dstOff}. */
  public void copyTo(byte[] dst, int dstOff) {
    System.arraycopy(src, off, dst, dstOff, byteLength());
  }

  byte[] source() {
    return src;
  }

  int sourceOffset() {
    return off;
  }
}
