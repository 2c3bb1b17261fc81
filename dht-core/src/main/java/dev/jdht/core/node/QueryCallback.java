package dev.jdht.core.node;

import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.Response;

/** The owner of one query in flight: exactly one of these is called, on the node's thread. */
public interface QueryCallback {
  /** The queried address answered; {@code rttNanos} is the measured round trip. */
  void onResponse(Response r, long rttNanos);

  /** The queried address answered with a KRPC error. */
  void onError(ErrorMessage e);

  /** No answer before the query's deadline. */
  void onTimeout();
}
