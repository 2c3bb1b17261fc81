package dev.jdht.core.sim;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * BEP 51 test data: puts infohashes in the peer stores of simulated nodes the way announces would,
 * each infohash on the {@code replicas} nodes whose ids are closest to it (among the nearest ids in
 * sorted order), with one made-up peer. Nodes then answer sample_infohashes from what they hold.
 */
public final class InfohashSeeder {
  private InfohashSeeder() {}

  /**
   * Creates {@code count} random infohashes, stores each on {@code replicas} online nodes near it,
   * and returns them (in creation order).
   */
  public static Set<NodeId> seed(SimulatedNetwork net, int count, int replicas, Random random) {
    List<SimNode> online = new ArrayList<>(net.onlineNodes());
    SimNode[] sorted = online.toArray(new SimNode[0]);
    Arrays.sort(sorted, (a, b) -> a.id().compareTo(b.id()));
    NodeId[] ids = new NodeId[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      ids[i] = sorted[i].id();
    }
    long now = net.now();
    PeerAddress peer = PeerAddress.parse("192.0.2.1:6881");
    Set<NodeId> out = new LinkedHashSet<>();
    while (out.size() < count) {
      NodeId ih = NodeId.random(random);
      if (!out.add(ih)) {
        continue;
      }
      for (SimNode n : closest(sorted, ids, ih, replicas)) {
        n.node().peerStore().announce(ih, peer, false, now);
      }
    }
    return out;
  }

  private static List<SimNode> closest(SimNode[] sorted, NodeId[] ids, NodeId target, int k) {
    int pos = Arrays.binarySearch(ids, target);
    if (pos < 0) {
      pos = -pos - 1;
    }
    int from = Math.max(0, pos - 2 * k);
    int to = Math.min(ids.length, pos + 2 * k);
    List<SimNode> window = new ArrayList<>(Arrays.asList(sorted).subList(from, to));
    window.sort((a, b) -> target.compareDistance(a.id(), b.id()));
    return window.subList(0, Math.min(k, window.size()));
  }
}
