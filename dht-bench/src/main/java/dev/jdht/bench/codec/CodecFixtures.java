package dev.jdht.bench.codec;

import dev.jdht.testdata.KrpcVectors;

/**
 * The four KRPC datagrams the codec benchmark decodes and encodes, taken from the golden vectors
 * in {@code testdata} ({@link KrpcVectors#valid(String)}) so the benchmark measures the same bytes
 * the tests check.
 *
 * <ul>
 *   <li>{@link #PING}: {@code bep5_ping_query}, the BEP 5 ping query byte for byte (56 bytes).
 *   <li>{@link #FIND_NODE_RESPONSE}: {@code find_node_response_8_nodes}: id, 8 IPv4 nodes, a
 *       client version {@code v} (263 bytes).
 *   <li>{@link #GET_PEERS_RESPONSE}: {@code get_peers_response_309}: exactly 309 bytes with
 *       {@code id}, 8 {@code nodes}, an 8-byte {@code token} and 2 {@code values}.
 *   <li>{@link #ANNOUNCE_PEER}: {@code bep5_announce_peer_query}, the BEP 5 announce_peer query
 *       byte for byte ({@code implied_port} 1, {@code port} 6881, 8-byte token).
 * </ul>
 *
 * <p>Immutable after class initialisation; callers must not modify the arrays (the benchmarks
 * work on clones). Thread-safe.
 */
public final class CodecFixtures {
  /** Size of the get_peers response the target is stated for. */
  public static final int GET_PEERS_LENGTH = 309;

  /** Vector names in {@code testdata}. */
  public static final String PING_NAME = "bep5_ping_query";
  public static final String FIND_NODE_NAME = "find_node_response_8_nodes";
  public static final String GET_PEERS_NAME = "get_peers_response_309";
  public static final String ANNOUNCE_NAME = "bep5_announce_peer_query";

  public static final byte[] PING = KrpcVectors.valid(PING_NAME).bytes();
  public static final byte[] FIND_NODE_RESPONSE = KrpcVectors.valid(FIND_NODE_NAME).bytes();
  public static final byte[] GET_PEERS_RESPONSE = KrpcVectors.valid(GET_PEERS_NAME).bytes();
  public static final byte[] ANNOUNCE_PEER = KrpcVectors.valid(ANNOUNCE_NAME).bytes();

  static {
    if (GET_PEERS_RESPONSE.length != GET_PEERS_LENGTH) {
      throw new AssertionError(
          GET_PEERS_NAME + " is " + GET_PEERS_RESPONSE.length + " bytes, expected 309");
    }
  }

  private CodecFixtures() {}
}
