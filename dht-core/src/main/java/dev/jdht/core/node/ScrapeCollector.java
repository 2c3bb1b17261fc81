package dev.jdht.core.node;

import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.ScrapeBloom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BEP 33 on the querier side: the seeds and peers filters each responder of a scrape lookup gave,
 * and their union over the {@code k} responders closest to the infohash that gave both. Bounded:
 * at most {@code max} responders are kept (one per address). Node thread only.
 */
final class ScrapeCollector {
  private record Filters(NodeInfo node, byte[] seeds, byte[] peers) {}

  private final NodeId target;
  private final int k;
  private final int max;
  private final Map<PeerAddress, Filters> byAddress = new LinkedHashMap<>();

  ScrapeCollector(NodeId target, int k, int max) {
    this.target = target;
    this.k = k;
    this.max = max;
  }

  /** Keeps the filters of one answer (the codec already refused filters of the wrong size). */
  void onResponse(NodeInfo from, Response r) {
    byte[] seeds = r.seedsBloom();
    byte[] peers = r.peersBloom();
    if (seeds == null || peers == null || seeds.length != ScrapeBloom.BYTES || peers.length != ScrapeBloom.BYTES) {
      return;
    }
    if (byAddress.size() < max || byAddress.containsKey(from.address())) {
      byAddress.put(from.address(), new Filters(from, seeds, peers));
    }
  }

  /** The union of the filters of the {@code k} closest responders that gave them. */
  ScrapeResult result(dev.jdht.core.lookup.LookupResult lookup, String error) {
    List<Filters> all = new ArrayList<>(byAddress.values());
    all.sort((a, b) -> target.compareDistance(a.node().id(), b.node().id()));
    ScrapeBloom seeds = ScrapeBloom.empty();
    ScrapeBloom peers = ScrapeBloom.empty();
    int used = 0;
    for (Filters f : all) {
      if (used == k) {
        break;
      }
      seeds.or(ScrapeBloom.of(f.seeds()));
      peers.or(ScrapeBloom.of(f.peers()));
      used++;
    }
    return new ScrapeResult(lookup, seeds.toBytes(), peers.toBytes(), used, error);
  }
}
