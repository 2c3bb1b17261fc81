package dev.jdht.core.lookup;

import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;

/**
 * Callbacks from a {@link Lookup}. They are invoked synchronously, on the thread that calls the
 * lookup's methods (the loop thread), from inside {@code start}, {@code onResponse}, etc.
 * Implementations must be quick, must not throw and must not call back into the same lookup.
 */
public interface LookupListener {
  /** A listener that ignores everything. */
  LookupListener NONE = new LookupListener() {};

  /** A new distinct peer from a get_peers response; each peer is reported once per lookup. */
  default void onPeer(PeerAddress peer) {}

  /**
   * A node answered one of our queries, under the id it reported (a verified contact that the
   * routing table may learn).
   */
  default void onNodeResponded(NodeInfo node, long rttNanos) {}

  /**
   * An unverified contact from a {@code nodes}/{@code nodes6} list that became a candidate of this
   * lookup (offered to the routing table). Each contact is reported at most once per lookup.
   */
  default void onNodeLearned(NodeInfo node) {}
}
