package dev.jdht.core.node;

import dev.jdht.core.lookup.LookupResult;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;

/** Receives the events of one lookup. Called on the node's thread; must not block. */
public interface LookupObserver {
  /** A new distinct peer (get_peers only). */
  default void onPeer(PeerAddress peer) {}

  /** Each response to one of the lookup's queries, before the lookup takes it in. */
  default void onResponse(NodeInfo from, Response r) {}

  /** After each response or failure: the lookup's progress so far. */
  default void onProgress(LookupResult partial) {}

  /** The lookup finished (or was cancelled, or could not start: then {@code error} is set). */
  void onDone(LookupResult result, String error);
}
