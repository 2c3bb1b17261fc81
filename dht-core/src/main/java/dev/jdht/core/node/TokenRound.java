package dev.jdht.core.node;

import dev.jdht.core.lookup.AnnounceRound;
import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeInfo;

/**
 * Sends one query (announce_peer, BEP 44 put) to each target of an {@link AnnounceRound} with the
 * token it gave, records acks and failures in the round, and runs {@code done} once when every
 * target has settled (at once if there is none). Node thread only.
 */
public final class TokenRound {
  private TokenRound() {}

  /** Sends the query for one target; false if it could not be sent. */
  public interface Sender {
    boolean send(ClosestNode target, QueryCallback callback);
  }

  /** Optional notes on failures, before the round records them. */
  public interface Failures {
    Failures NONE = new Failures() {};

    default void onError(NodeInfo node, ErrorMessage e) {}

    default void onTimeout(NodeInfo node) {}

    default void onNotSent(NodeInfo node) {}
  }

  public static void run(AnnounceRound round, Sender sender, Failures failures, Runnable done) {
    boolean[] reported = {false};
    Runnable maybeDone = () -> {
      if (round.isDone() && !reported[0]) {
        reported[0] = true;
        done.run();
      }
    };
    for (ClosestNode c : round.targets()) {
      NodeInfo n = c.node();
      QueryCallback cb = new QueryCallback() {
        @Override
        public void onResponse(Response r, long rttNanos) {
          round.onAck(n);
          maybeDone.run();
        }

        @Override
        public void onError(ErrorMessage e) {
          failures.onError(n, e);
          round.onFailure(n);
          maybeDone.run();
        }

        @Override
        public void onTimeout() {
          failures.onTimeout(n);
          round.onFailure(n);
          maybeDone.run();
        }
      };
      if (!sender.send(c, cb)) {
        failures.onNotSent(n);
        round.onFailure(n);
      }
    }
    maybeDone.run();
  }
}
