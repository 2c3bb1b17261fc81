package dev.jdht.core.lookup;

import dev.jdht.krpc.wire.NodeInfo;
import java.util.Arrays;

/**
 * A node that answered a lookup, with the announce token it gave (null for find_node or when it
 * gave none) and the measured round-trip time of its answer. Immutable: the token is copied in and
 * the accessor returns the internal array, which callers must not modify.
 */
public record ClosestNode(NodeInfo node, byte[] token, long rttNanos) {
  /** Copies the token. */
  public ClosestNode {
    if (node == null) {
      throw new NullPointerException("node");
    }
    token = token == null ? null : token.clone();
  }

  /** True when the node gave an announce token. */
  public boolean hasToken() {
    return token != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClosestNode c
        && c.node.equals(node)
        && Arrays.equals(c.token, token)
        && c.rttNanos == rttNanos;
  }

  @Override
  public int hashCode() {
    return node.hashCode() * 31 + Arrays.hashCode(token) + Long.hashCode(rttNanos);
  }

  @Override
  public String toString() {
    return "ClosestNode[" + node + (token != null ? ", token" : "") + ", rtt=" + rttNanos + "ns]";
  }
}
