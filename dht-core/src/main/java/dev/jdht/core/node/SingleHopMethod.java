package dev.jdht.core.node;

/** The methods of a query sent to one address outside any lookup (see {@link DhtNode#query}). */
public enum SingleHopMethod {
  /** BEP 51 sample_infohashes: the reply carries samples, num, interval and nodes. */
  SAMPLE_INFOHASHES,
  /** find_node: the reply carries nodes. */
  FIND_NODE,
  /** get_peers: the reply carries values or nodes, and a token. */
  GET_PEERS
}
