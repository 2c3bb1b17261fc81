package dev.jdht.krpc.wire;

/**
 * A DHT node contact: id and UDP address, as in compact node info (26 bytes IPv4, 38 bytes IPv6).
 * Immutable.
 */
public record NodeInfo(NodeId id, PeerAddress address) {
  /** Compact IPv4 node info size. */
  public static final int COMPACT_V4 = 26;
  /** Compact IPv6 node info size. */
  public static final int COMPACT_V6 = 38;

  public NodeInfo {
    if (id == null || address == null) {
      throw new NullPointerException("id and address are required");
    }
  }

  public int compactLength() {
    return NodeId.LENGTH + address.compactLength();
  }

  /** Writes compact node info at {@code off}; returns the offset after it. */
  public int writeCompact(byte[] dst, int off) {
    id.writeTo(dst, off);
    return address.writeCompact(dst, off + NodeId.LENGTH);
  }

  /** Reads compact node info of {@code len} bytes (26 or 38). */
  public static NodeInfo fromCompact(byte[] b, int off, int len) {
    if (len != COMPACT_V4 && len != COMPACT_V6) {
      throw new IllegalArgumentException("compact node info is 26 or 38 bytes, got " + len);
    }
    return new NodeInfo(NodeId.of(b, off), PeerAddress.fromCompact(b, off + NodeId.LENGTH, len - NodeId.LENGTH));
  }

  @Override
  public String toString() {
    return id.toHex() + "@" + address;
  }
}
