package dev.jdht.core.node;

import java.util.HashMap;
import java.util.Map;

/** Mutable counters owned by the loop thread; {@link DhtNode#stats()} snapshots them. */
final class Counters {
  long datagramsIn;
  long bytesIn;
  long datagramsOut;
  long bytesOut;
  long sendFailures;
  final Map<String, Long> queriesIn = new HashMap<>();
  final Map<String, Long> queriesOut = new HashMap<>();
  final Map<String, Long> answered = new HashMap<>();
  long responsesIn;
  long errorsIn;
  long errorsOut;
  long timeouts;
  long droppedMalformed;
  long droppedUnknownTransaction;
  long droppedRateLimited;
  long handlerFailures;
  long droppedWrongFamily;
  long droppedIdChanged;
  long droppedSpoofed;
  long droppedBlocked;

  static void inc(Map<String, Long> m, String method) {
    m.merge(method, 1L, Long::sum);
  }
}
