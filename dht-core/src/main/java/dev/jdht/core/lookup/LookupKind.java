package dev.jdht.core.lookup;

/** What a {@link Lookup} asks each node. Immutable. */
public enum LookupKind {
  /** find_node: the result is the closest set of responding nodes. */
  FIND_NODE,
  /** get_peers: also collects peers ({@code values}) and announce tokens. */
  GET_PEERS,
  /** BEP 44 get: also collects write tokens; the items are the caller's (see LookupObserver). */
  GET
}
