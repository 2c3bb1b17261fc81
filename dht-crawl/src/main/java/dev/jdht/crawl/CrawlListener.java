package dev.jdht.crawl;

/**
 * Receives what a crawl learns, as it learns it. The crawler calls these on its own thread (never
 * the DHT's selector thread); an implementation must not block for long (a store queues the events
 * and writes them on a writer thread of its own).
 */
public interface CrawlListener {
  /** An infohash reported by a node (a BEP 51 sample) or seen in a query that reached us. */
  default void onInfohash(InfohashSeen seen) {}

  /** A node answered us (or was learned); its BEP 51 facts when it answered sample_infohashes. */
  default void onNode(NodeSeen node) {}

  /** A peer found by get_peers on a sampled infohash (only with peer harvesting on). */
  default void onPeer(PeerSeen peer) {}

  /** A listener that ignores everything. */
  CrawlListener NONE = new CrawlListener() {};
}
