package dev.jdht.core.routing;

/**
 * Liveness of a routing-table entry, as defined by BEP 5.
 *
 * <ul>
 *   <li>{@link #GOOD}: answered one of our queries within the good window (15 minutes), or has
 *       answered at some point and sent us a query within the good window.
 *   <li>{@link #QUESTIONABLE}: neither good nor bad (includes contacts that never answered).
 *   <li>{@link #BAD}: failed to answer {@code maxFailures} of our queries in a row.
 * </ul>
 */
public enum NodeState {
  /** Recently verified live. */
  GOOD,
  /** Unknown liveness: should be pinged before it is trusted or evicted. */
  QUESTIONABLE,
  /** Failed repeatedly; replaced as soon as a candidate exists, never returned by lookups. */
  BAD
}
