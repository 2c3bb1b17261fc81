package dev.jdht.crawl;

import java.time.Duration;

/**
 * Crawl settings; every limit is explicit. Build with {@link #defaults()} and the withers.
 *
 * @param ratePerSecond global budget of outgoing crawl packets per second (sampling, discovery and
 *     peer queries together); every 1 s window stays at or under it
 * @param perIpRate packets per second to any one IP address
 * @param maxInFlight crawl queries awaiting an answer at once (default: one second of the rate, so that
 *     2 s timeouts of dead nodes do not hold the crawl below its budget)
 * @param maxKnownNodes nodes the crawl remembers (beyond this, new ones are ignored and counted)
 * @param maxDistinctInfohashes infohashes remembered to count distinct ones and avoid repeating peer
 *     queries (beyond this, the distinct count stops growing)
 * @param minReaskNanos never ask a node for samples again sooner than this, whatever its interval
 * @param maxSamplesPerReply a reply with more samples is a flood: counted and dropped
 * @param maxNum a reply claiming more infohashes than this is absurd: counted and dropped
 * @param maxIntervalSeconds a reply with a larger interval is absurd: counted and dropped (BEP 51
 *     caps interval at 6 hours)
 * @param maxSamplesPerNode total samples taken from one node before it is not asked again
 * @param retryNanos a node that timed out is asked once more after this long
 * @param peers also send get_peers for each new infohash to the node that sampled it
 * @param maxPeerQueue pending get_peers queries (new infohashes beyond it get none)
 * @param shard the part of the keyspace this crawler covers
 */
public record CrawlConfig(
    int ratePerSecond,
    double perIpRate,
    int maxInFlight,
    int maxKnownNodes,
    int maxDistinctInfohashes,
    long minReaskNanos,
    int maxSamplesPerReply,
    long maxNum,
    long maxIntervalSeconds,
    int maxSamplesPerNode,
    long retryNanos,
    boolean peers,
    int maxPeerQueue,
    Shard shard) {

  public CrawlConfig {
    if (ratePerSecond < 2 || ratePerSecond > 1_000_000) {
      throw new IllegalArgumentException("rate must be between 2 and 1000000 packets per second");
    }
    if (!(perIpRate > 0) || perIpRate > 1000) {
      throw new IllegalArgumentException("per-IP rate must be > 0 and <= 1000 packets per second");
    }
    if (maxInFlight < 1 || maxKnownNodes < 1 || maxDistinctInfohashes < 0 || maxSamplesPerReply < 1
        || maxSamplesPerNode < 1 || maxPeerQueue < 0 || minReaskNanos < 0 || retryNanos < 0) {
      throw new IllegalArgumentException("crawl limits must be positive");
    }
    if (shard == null) {
      throw new IllegalArgumentException("shard");
    }
  }

  /** 200 pkt/s, 5 pkt/s per IP, 200 in flight, 2M nodes, 5M distinct infohashes remembered. */
  public static CrawlConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private int rate = 200;
    private double perIpRate = 5;
    private int maxInFlight;
    private int maxKnownNodes = 2_000_000;
    private int maxDistinctInfohashes = 5_000_000;
    private long minReaskNanos = Duration.ofMinutes(1).toNanos();
    private long retryNanos = Duration.ofSeconds(30).toNanos();
    private boolean peers;
    private Shard shard = Shard.ALL;

    private Builder() {}

    public Builder rate(int r) {
      this.rate = r;
      return this;
    }

    public Builder perIpRate(double r) {
      this.perIpRate = r;
      return this;
    }

    /** Default: one second's worth of the rate, between 64 and 4,096. */
    public Builder maxInFlight(int n) {
      this.maxInFlight = n;
      return this;
    }

    public Builder maxKnownNodes(int n) {
      this.maxKnownNodes = n;
      return this;
    }

    public Builder maxDistinctInfohashes(int n) {
      this.maxDistinctInfohashes = n;
      return this;
    }

    public Builder minReask(Duration d) {
      this.minReaskNanos = d.toNanos();
      return this;
    }

    public Builder retryAfter(Duration d) {
      this.retryNanos = d.toNanos();
      return this;
    }

    public Builder peers(boolean p) {
      this.peers = p;
      return this;
    }

    public Builder shard(Shard s) {
      this.shard = s;
      return this;
    }

    /** Validates and builds; IllegalArgumentException names the bad value. */
    public CrawlConfig build() {
      int inFlight = maxInFlight > 0 ? maxInFlight : Math.max(64, Math.min(4096, rate));
      return new CrawlConfig(rate, perIpRate, inFlight, maxKnownNodes, maxDistinctInfohashes, minReaskNanos,
          100, 100_000_000L, 6 * 3600, 10_000, retryNanos, peers, 10_000, shard);
    }
  }
}
