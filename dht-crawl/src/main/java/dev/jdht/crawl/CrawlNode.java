package dev.jdht.crawl;

import dev.jdht.core.api.HopReply;
import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.function.Consumer;

/**
 * What the crawler needs from a DHT node: the same crawler runs on a real {@code Dht} ({@link
 * DhtCrawlNode}) or inside a simulation ({@link SimCrawlNode}, or a light responder in the
 * benchmark). Every callback runs on the crawler's one thread (the one {@link #schedule} runs on).
 */
public interface CrawlNode {
  /** The node's id. */
  NodeId id();

  /** Monotonic time, nanoseconds (virtual in a simulation). */
  long nanos();

  /** Wall-clock milliseconds for the records handed to listeners (virtual in a simulation). */
  long wallMillis();

  /** Runs {@code task} on the crawler's thread after {@code delayNanos}. */
  void schedule(long delayNanos, Runnable task);

  /** Sends one query to one address; {@code reply} gets the outcome on the crawler's thread. */
  void query(SingleHopMethod method, PeerAddress to, NodeId target, Consumer<HopReply> reply);

  /** Sets the listener for get_peers / announce_peer queries reaching the node (crawler's thread). */
  void onInfohashQuery(Consumer<InfohashQuery> listener);
}
