package dev.jdht.core.api;

import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.Response;

/**
 * The outcome of one query sent to one address ({@link DirectQueries#query}): the response, the
 * KRPC error, a timeout, or not sent at all (too many queries in flight, or the node closed).
 */
public record HopReply(Outcome outcome, Response response, ErrorMessage error) {
  /** What happened to the query. */
  public enum Outcome {
    RESPONSE,
    ERROR,
    TIMEOUT,
    NOT_SENT
  }

  public static HopReply of(Response r) {
    return new HopReply(Outcome.RESPONSE, r, null);
  }

  public static HopReply of(ErrorMessage e) {
    return new HopReply(Outcome.ERROR, null, e);
  }

  public static final HopReply TIMEOUT = new HopReply(Outcome.TIMEOUT, null, null);
  public static final HopReply NOT_SENT = new HopReply(Outcome.NOT_SENT, null, null);
}
