package dev.jdht.krpc.message;

import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.wire.TransactionId;
import java.util.Map;

/**
 * A KRPC message: a query, a response or an error (BEP 5). Immutable once built.
 *
 * <p>Keys a message type does not define are kept in {@link #extras()} (top level) so that tools
 * can show them; the node ignores them.
 */
public sealed interface KrpcMessage permits Query, Response, ErrorMessage {
  /** Top-level "t". */
  TransactionId transactionId();

  /** Top-level "v" (client version), or null if absent. */
  byte[] version();

  /** Top-level keys this library does not interpret, by key (ISO-8859-1), sorted. */
  java.util.SortedMap<String, BValue> extras();
}
