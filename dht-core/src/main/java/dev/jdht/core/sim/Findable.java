package dev.jdht.core.sim;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a get_peers lookup can be expected to find on a {@link SimulatedNetwork}, from the network's
 * omniscient view: the peers of an infohash held now (not expired) by the {@link #CLOSEST} online
 * nodes closest to it that the asker can reach, the asker itself excluded. A lookup ends at those
 * nodes, so a peer stored only farther away (on a node that newer nodes have displaced from the
 * closest) is not counted, and neither is one held only by dead nodes or across a partition.
 *
 * <p>Threading: like the network, on the simulator's thread only.
 */
public final class Findable {
  /** How many of the closest nodes count: K of BEP 5. */
  public static final int CLOSEST = 8;

  private static final int MAX_PEERS = 1 << 16;

  private Findable() {}

  /**
   * The findable peers of {@code infoHash} for {@code asker}: the union of what the {@link
   * #CLOSEST} online nodes closest to it, among those {@code reachable} accepts (null: all), other
   * than the asker, hold for it now.
   */
  public static Set<PeerAddress> peers(
      SimulatedNetwork net, NodeId infoHash, SimNode asker, Predicate<SimNode> reachable) {
    Set<PeerAddress> out = new LinkedHashSet<>();
    Random unused = new Random(0); // get() samples only when there are more than MAX_PEERS
    long now = net.now();
    for (SimNode n : net.closestOnline(infoHash, CLOSEST, n -> n != asker && (reachable == null || reachable.test(n)))) {
      out.addAll(n.node().peerStore().get(infoHash, MAX_PEERS, unused, now));
    }
    return out;
  }
}
