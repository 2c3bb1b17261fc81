package dev.jdht.core.api;

import dev.jdht.core.node.ScrapeResult;
import dev.jdht.krpc.wire.ScrapeBloom;

/**
 * The outcome of a BEP 33 scrape. Immutable and thread-safe (the arrays are copies).
 *
 * @param lookup the get_peers lookup (sent with {@code scrape=1})
 * @param seedsFilter the union of the closest responders' seeds filters ({@code BFsd}), 256 bytes
 * @param peersFilter the union of their peers filters ({@code BFpe}), 256 bytes
 * @param filters how many responders' filters were combined (0: no node answered the scrape)
 */
public record ScrapeReport(LookupReport lookup, byte[] seedsFilter, byte[] peersFilter, int filters) {
  public ScrapeReport {
    seedsFilter = ScrapeBloom.of(seedsFilter).toBytes();
    peersFilter = ScrapeBloom.of(peersFilter).toBytes();
  }

  @Override
  public byte[] seedsFilter() {
    return seedsFilter.clone();
  }

  @Override
  public byte[] peersFilter() {
    return peersFilter.clone();
  }

  /** Estimated seeds (distinct IPs), BEP 33's formula over the combined filter. */
  public double seeds() {
    return ScrapeBloom.of(seedsFilter).estimate();
  }

  /** Estimated peers that are not seeds (distinct IPs). */
  public double peers() {
    return ScrapeBloom.of(peersFilter).estimate();
  }

  /** Converts the node's result. */
  public static ScrapeReport of(ScrapeResult r) {
    return new ScrapeReport(LookupReport.of(r.lookup()), r.seeds(), r.peers(), r.filters());
  }

  /** Both families' scrapes as one: the filters ORed, the lookups merged. */
  public static ScrapeReport merge(ScrapeReport v4, ScrapeReport v6) {
    ScrapeBloom s = ScrapeBloom.of(v4.seedsFilter);
    s.or(ScrapeBloom.of(v6.seedsFilter));
    ScrapeBloom p = ScrapeBloom.of(v4.peersFilter);
    p.or(ScrapeBloom.of(v6.peersFilter));
    return new ScrapeReport(LookupReport.merge(v4.lookup, v6.lookup), s.toBytes(), p.toBytes(), v4.filters + v6.filters);
  }
}
