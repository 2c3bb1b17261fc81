package dev.jdht.krpc.message;

import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.wire.TransactionId;
import java.util.SortedMap;
import java.util.TreeMap;

/** A KRPC error ("y":"e") with its code and message. */
public record ErrorMessage(
    TransactionId transactionId, int code, String message, byte[] version, SortedMap<String, BValue> extras)
    implements KrpcMessage {
  public static final int GENERIC = 201;
  public static final int SERVER = 202;
  public static final int PROTOCOL = 203;
  public static final int METHOD_UNKNOWN = 204;

  public ErrorMessage {
    extras = extras == null ? QueryMeta.noExtras() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(extras));
    message = message == null ? "" : message;
  }

  public ErrorMessage(TransactionId t, int code, String message, byte[] version) {
    this(t, code, message, version, null);
  }
}
