package dev.jdht.bench.codec;

import dev.jdht.krpc.message.Query;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Maps the raw bytes of a query's {@code q} to a method name, returning the shared constant for
 * the known methods (as our decoder hands out {@link Query#PING} and friends) and a new string
 * only for unknown ones. Used by the baseline readers so that they dispatch on the method the
 * way a node would. Stateless and thread-safe.
 */
final class Methods {
  private static final byte[] PING = Query.PING.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FIND_NODE = Query.FIND_NODE.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GET_PEERS = Query.GET_PEERS.getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ANNOUNCE_PEER = Query.ANNOUNCE_PEER.getBytes(StandardCharsets.US_ASCII);

  private Methods() {}

  static String of(byte[] b) {
    if (Arrays.equals(b, PING)) {
      return Query.PING;
    }
    if (Arrays.equals(b, FIND_NODE)) {
      return Query.FIND_NODE;
    }
    if (Arrays.equals(b, GET_PEERS)) {
      return Query.GET_PEERS;
    }
    if (Arrays.equals(b, ANNOUNCE_PEER)) {
      return Query.ANNOUNCE_PEER;
    }
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
