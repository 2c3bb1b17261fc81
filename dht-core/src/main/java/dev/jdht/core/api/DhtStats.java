package dev.jdht.core.api;

import java.util.Map;

/**
 * An immutable snapshot of a node's counters. Thread-safe (immutable).
 *
 * @param datagramsIn datagrams received
 * @param bytesIn bytes received
 * @param datagramsOut datagrams sent
 * @param bytesOut bytes sent
 * @param sendFailures datagrams the transport could not send
 * @param queriesIn queries received, by method ("other" for unknown methods)
 * @param queriesOut queries sent, by method
 * @param responsesIn responses matched to one of our transactions
 * @param errorsIn KRPC errors received for our transactions
 * @param errorsOut KRPC errors we sent
 * @param timeouts our queries that timed out
 * @param droppedMalformed datagrams dropped by the prefilter or the decoder
 * @param droppedUnknownTransaction responses with an unknown transaction id or from the wrong address
 * @param droppedRateLimited datagrams dropped by the rate limiter
 * @param handlerFailures exceptions while handling a datagram (a bug: counted, never fatal)
 * @param routingTableSize nodes in the routing table
 * @param goodNodes good nodes in the routing table
 * @param inFlight queries in flight
 * @param activeLookups lookups running
 * @param storedPeers peers in the peer store
 * @param storedInfoHashes infohashes in the peer store
 * @param queriesAnswered queries received that we answered with a response (not an error), by method
 * @param droppedWrongFamily datagrams from, and {@code nodes6} entries with, an address of the
 *     wrong family for the node (BEP 32: e.g. an IPv4-mapped address in {@code nodes6})
 * @param droppedIdChanged responses whose id differs from the one the routing table knows for that
 *     address (the table keeps the known id until the entry there fails)
 * @param idMismatchNodes BEP 42: routing table nodes whose id does not match their address
 * @param idRegenerations BEP 42: times our id was regenerated from our voted external IP
 * @param storedItems BEP 44 items in the item store
 * @param droppedSpoofed responses carrying the id of a transaction in flight but coming from
 *     another address than the one queried (also counted in droppedUnknownTransaction)
 * @param droppedBlocked datagrams dropped because their source was blocked by the DoS blocker
 * @param sourcesBlocked times a source was blocked by the DoS blocker
 * @param prefixCapRefused routing table newcomers refused by the per-IP / per-prefix cap
 * @param itemSourceCapEvictions BEP 44 items evicted because their source was at its per-source
 *     cap ({@code ItemConfig.maxItemsPerSource})
 */
public record DhtStats(
    long datagramsIn,
    long bytesIn,
    long datagramsOut,
    long bytesOut,
    long sendFailures,
    Map<String, Long> queriesIn,
    Map<String, Long> queriesOut,
    long responsesIn,
    long errorsIn,
    long errorsOut,
    long timeouts,
    long droppedMalformed,
    long droppedUnknownTransaction,
    long droppedRateLimited,
    long handlerFailures,
    int routingTableSize,
    int goodNodes,
    int inFlight,
    int activeLookups,
    int storedPeers,
    int storedInfoHashes,
    Map<String, Long> queriesAnswered,
    long droppedWrongFamily,
    long droppedIdChanged,
    int idMismatchNodes,
    long idRegenerations,
    int storedItems,
    long droppedSpoofed,
    long droppedBlocked,
    long sourcesBlocked,
    long prefixCapRefused,
    long itemSourceCapEvictions) {

  public DhtStats {
    queriesAnswered = Map.copyOf(queriesAnswered);
    queriesIn = Map.copyOf(queriesIn);
    queriesOut = Map.copyOf(queriesOut);
  }

  /** Stats without the BEP 32, BEP 42, BEP 44 and hardening counters (all 0). */
  public DhtStats(
      long datagramsIn,
      long bytesIn,
      long datagramsOut,
      long bytesOut,
      long sendFailures,
      Map<String, Long> queriesIn,
      Map<String, Long> queriesOut,
      long responsesIn,
      long errorsIn,
      long errorsOut,
      long timeouts,
      long droppedMalformed,
      long droppedUnknownTransaction,
      long droppedRateLimited,
      long handlerFailures,
      int routingTableSize,
      int goodNodes,
      int inFlight,
      int activeLookups,
      int storedPeers,
      int storedInfoHashes,
      Map<String, Long> queriesAnswered) {
    this(datagramsIn, bytesIn, datagramsOut, bytesOut, sendFailures, queriesIn, queriesOut, responsesIn, errorsIn,
        errorsOut, timeouts, droppedMalformed, droppedUnknownTransaction, droppedRateLimited, handlerFailures,
        routingTableSize, goodNodes, inFlight, activeLookups, storedPeers, storedInfoHashes, queriesAnswered, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * The sum of two nodes' counters (the IPv4 and the IPv6 node of one dual-stack DHT). The peer
   * store and the item store are shared by both, so their sizes (and the item store's evictions)
   * are taken from {@code this}, not added.
   */
  public DhtStats plus(DhtStats o) {
    return new DhtStats(
        datagramsIn + o.datagramsIn,
        bytesIn + o.bytesIn,
        datagramsOut + o.datagramsOut,
        bytesOut + o.bytesOut,
        sendFailures + o.sendFailures,
        sum(queriesIn, o.queriesIn),
        sum(queriesOut, o.queriesOut),
        responsesIn + o.responsesIn,
        errorsIn + o.errorsIn,
        errorsOut + o.errorsOut,
        timeouts + o.timeouts,
        droppedMalformed + o.droppedMalformed,
        droppedUnknownTransaction + o.droppedUnknownTransaction,
        droppedRateLimited + o.droppedRateLimited,
        handlerFailures + o.handlerFailures,
        routingTableSize + o.routingTableSize,
        goodNodes + o.goodNodes,
        inFlight + o.inFlight,
        activeLookups + o.activeLookups,
        storedPeers,
        storedInfoHashes,
        sum(queriesAnswered, o.queriesAnswered),
        droppedWrongFamily + o.droppedWrongFamily,
        droppedIdChanged + o.droppedIdChanged,
        idMismatchNodes + o.idMismatchNodes,
        idRegenerations + o.idRegenerations,
        storedItems,
        droppedSpoofed + o.droppedSpoofed,
        droppedBlocked + o.droppedBlocked,
        sourcesBlocked + o.sourcesBlocked,
        prefixCapRefused + o.prefixCapRefused,
        itemSourceCapEvictions);
  }

  private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
    Map<String, Long> m = new java.util.HashMap<>(a);
    b.forEach((k, v) -> m.merge(k, v, Long::sum));
    return m;
  }

  /** Total queries received. */
  public long totalQueriesIn() {
    return queriesIn.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Total queries sent. */
  public long totalQueriesOut() {
    return queriesOut.values().stream().mapToLong(Long::longValue).sum();
  }
}
