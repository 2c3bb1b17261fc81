package dev.jdht.core.node;

import dev.jdht.core.lookup.LookupResult;
import dev.jdht.krpc.wire.ScrapeBloom;

/**
 * The outcome of a BEP 33 scrape: the get_peers lookup (sent with {@code scrape=1}) and the union
 * of the seeds ({@code BFsd}) and peers ({@code BFpe}) filters of the closest responders.
 *
 * @param lookup the get_peers lookup
 * @param seeds the combined seeds filter, 256 bytes
 * @param peers the combined peers (non-seeds) filter, 256 bytes
 * @param filters how many responders' filters were combined
 * @param error set when the scrape could not run
 */
public record ScrapeResult(LookupResult lookup, byte[] seeds, byte[] peers, int filters, String error) {
  /** Estimated distinct seed IPs. */
  public double estimatedSeeds() {
    return ScrapeBloom.of(seeds).estimate();
  }

  /** Estimated distinct peer (non-seed) IPs. */
  public double estimatedPeers() {
    return ScrapeBloom.of(peers).estimate();
  }
}
