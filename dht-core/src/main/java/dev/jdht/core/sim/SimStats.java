package dev.jdht.core.sim;

/**
 * Traffic counters of a {@link SimulatedNetwork} since it was created. Immutable snapshot.
 *
 * @param sent datagrams handed to the network by online nodes
 * @param delivered datagrams handed to an online destination node
 * @param lost datagrams dropped by the random loss
 * @param toOffline datagrams whose destination was dead (or left) when they arrived
 * @param toNowhere datagrams sent to an address where no simulated node lives
 * @param inFlight datagrams on the way now
 * @param events timer and delivery events run
 * @param partitioned datagrams dropped because they crossed a {@link SimulatedNetwork#partition}
 */
public record SimStats(
    long sent, long delivered, long lost, long toOffline, long toNowhere, long inFlight, long events, long partitioned) {}
