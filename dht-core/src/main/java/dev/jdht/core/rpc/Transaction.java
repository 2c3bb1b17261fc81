package dev.jdht.core.rpc;

import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;

/**
 * One query in flight, as remembered by a {@link TransactionTable}. Immutable.
 *
 * @param id the transaction id we put in {@code t}
 * @param method the query method ("ping", "find_node", ...): responses do not carry it
 * @param destination where the query went; a response must come from exactly there
 * @param sentAt when it was sent, or {@link #UNKNOWN_TIME} if the caller did not say
 * @param deadline when it times out (monotonic nanoseconds)
 * @param owner whoever waits for the answer (a lookup, a ping, ...)
 * @param <T> the owner type
 */
public record Transaction<T>(
    TransactionId id, String method, PeerAddress destination, long sentAt, long deadline, T owner) {
  /** The {@link #sentAt()} of a transaction registered without a send time. */
  public static final long UNKNOWN_TIME = Long.MIN_VALUE;

  /** The round trip if it completed at {@code now}, or -1 if the send time is unknown. */
  public long rttNanos(long now) {
    return sentAt == UNKNOWN_TIME ? -1 : Math.max(0, now - sentAt);
  }
}
