package dev.jdht.core.node;

import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.core.bep44.ItemConfig;
import dev.jdht.core.lookup.LookupConfig;
import dev.jdht.core.routing.RoutingConfig;
import java.util.concurrent.TimeUnit;

/**
 * Every tunable and limit of a node. Immutable; build from {@link #defaults()} with the wither
 * methods. All durations are nanoseconds.
 *
 * @param version client version sent as top-level "v" in every message (4 bytes: 2 letters and
 *     2 version bytes by convention)
 * @param queryTimeoutNanos hard timeout of a single query outside lookups (ping, announce)
 * @param maxInFlight bound on in-flight transactions
 * @param maxLookups bound on concurrent lookups; more are rejected
 * @param lookup lookup tunables
 * @param routing routing table tunables
 * @param maxPeersPerInfoHash peer store cap per infohash
 * @param maxInfoHashes peer store cap on infohashes
 * @param maxStoredPeers peer store cap in total
 * @param peerTtlNanos how long an announced peer is kept
 * @param tokenRotateNanos token secret rotation period
 * @param perIpRate incoming datagrams per second allowed per source IP
 * @param perIpBurst burst size per source IP
 * @param globalRate incoming datagrams per second in total
 * @param globalBurst global burst size
 * @param maxReplyBytes bound on the size of our replies (libtorrent drops datagrams over 1,500)
 * @param readyMinGoodNodes good nodes needed for {@code ready()}
 * @param maintenanceIntervalNanos how often the routing table is maintained
 * @param announceRepeatNanos base period of kept-alive announces (jittered up to +50%)
 * @param readOnly BEP 43: send {@code ro=1} in every query so that others do not add this node to
 *     their routing tables (crawlers, mobile clients); queries are still answered
 * @param secureIds BEP 42: how contacts whose id does not match their address are treated, and
 *     whether our id is regenerated from our voted external IP (default PREFER)
 * @param items limits of the BEP 44 item store
 * @param security DoS blocker and routing table prefix caps ({@link SecurityConfig})
 */
public record NodeConfig(
    byte[] version,
    long queryTimeoutNanos,
    int maxInFlight,
    int maxLookups,
    LookupConfig lookup,
    RoutingConfig routing,
    int maxPeersPerInfoHash,
    int maxInfoHashes,
    int maxStoredPeers,
    long peerTtlNanos,
    long tokenRotateNanos,
    double perIpRate,
    int perIpBurst,
    double globalRate,
    int globalBurst,
    int maxReplyBytes,
    int readyMinGoodNodes,
    long maintenanceIntervalNanos,
    long announceRepeatNanos,
    boolean readOnly,
    SecureIdPolicy secureIds,
    ItemConfig items,
    SecurityConfig security) {

  /** Our client version: "JD" and version 0.1. */
  public static final byte[] DEFAULT_VERSION = {'J', 'D', 0, 1};

  public NodeConfig {
    if (version == null || version.length == 0) {
      throw new IllegalArgumentException("version must not be empty");
    }
    if (maxInFlight < 1 || maxLookups < 1 || maxReplyBytes < 300) {
      throw new IllegalArgumentException("limits must be positive (maxReplyBytes at least 300)");
    }
    version = version.clone();
    secureIds = secureIds == null ? SecureIdPolicy.PREFER : secureIds;
    if (items == null) {
      throw new IllegalArgumentException("items must not be null");
    }
    if (security == null) {
      security = SecurityConfig.defaults();
    }
  }

  /** The defaults documented in README. */
  public static NodeConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.version = version;
    b.queryTimeoutNanos = queryTimeoutNanos;
    b.maxInFlight = maxInFlight;
    b.maxLookups = maxLookups;
    b.lookup = lookup;
    b.routing = routing;
    b.maxPeersPerInfoHash = maxPeersPerInfoHash;
    b.maxInfoHashes = maxInfoHashes;
    b.maxStoredPeers = maxStoredPeers;
    b.peerTtlNanos = peerTtlNanos;
    b.tokenRotateNanos = tokenRotateNanos;
    b.perIpRate = perIpRate;
    b.perIpBurst = perIpBurst;
    b.globalRate = globalRate;
    b.globalBurst = globalBurst;
    b.maxReplyBytes = maxReplyBytes;
    b.readyMinGoodNodes = readyMinGoodNodes;
    b.maintenanceIntervalNanos = maintenanceIntervalNanos;
    b.announceRepeatNanos = announceRepeatNanos;
    b.readOnly = readOnly;
    b.secureIds = secureIds;
    b.items = items;
    b.security = security;
    return b;
  }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private byte[] version = DEFAULT_VERSION;
    private long queryTimeoutNanos = TimeUnit.SECONDS.toNanos(2);
    private int maxInFlight = 4096;
    private int maxLookups = 256;
    private LookupConfig lookup = LookupConfig.defaults();
    private RoutingConfig routing = RoutingConfig.defaults();
    private int maxPeersPerInfoHash = 200;
    private int maxInfoHashes = 20_000;
    private int maxStoredPeers = 200_000;
    private long peerTtlNanos = TimeUnit.MINUTES.toNanos(30);
    private long tokenRotateNanos = TimeUnit.MINUTES.toNanos(5);
    private double perIpRate = 50;
    private int perIpBurst = 100;
    private double globalRate = 10_000;
    private int globalBurst = 20_000;
    private int maxReplyBytes = 1200;
    private int readyMinGoodNodes = 8;
    private long maintenanceIntervalNanos = TimeUnit.SECONDS.toNanos(5);
    private long announceRepeatNanos = TimeUnit.MINUTES.toNanos(20);
    private SecurityConfig security = SecurityConfig.defaults();
    private boolean readOnly;
    private SecureIdPolicy secureIds = SecureIdPolicy.PREFER;
    private ItemConfig items = ItemConfig.defaults();

    private Builder() {}

    public Builder version(byte[] v) {
      this.version = v;
      return this;
    }

    public Builder queryTimeoutNanos(long v) {
      this.queryTimeoutNanos = v;
      return this;
    }

    public Builder maxInFlight(int v) {
      this.maxInFlight = v;
      return this;
    }

    public Builder maxLookups(int v) {
      this.maxLookups = v;
      return this;
    }

    public Builder lookup(LookupConfig v) {
      this.lookup = v;
      return this;
    }

    public Builder routing(RoutingConfig v) {
      this.routing = v;
      return this;
    }

    public Builder maxPeersPerInfoHash(int v) {
      this.maxPeersPerInfoHash = v;
      return this;
    }

    public Builder maxInfoHashes(int v) {
      this.maxInfoHashes = v;
      return this;
    }

    public Builder maxStoredPeers(int v) {
      this.maxStoredPeers = v;
      return this;
    }

    public Builder peerTtlNanos(long v) {
      this.peerTtlNanos = v;
      return this;
    }

    public Builder tokenRotateNanos(long v) {
      this.tokenRotateNanos = v;
      return this;
    }

    public Builder perIpRate(double v) {
      this.perIpRate = v;
      return this;
    }

    public Builder perIpBurst(int v) {
      this.perIpBurst = v;
      return this;
    }

    public Builder globalRate(double v) {
      this.globalRate = v;
      return this;
    }

    public Builder globalBurst(int v) {
      this.globalBurst = v;
      return this;
    }

    public Builder maxReplyBytes(int v) {
      this.maxReplyBytes = v;
      return this;
    }

    public Builder readyMinGoodNodes(int v) {
      this.readyMinGoodNodes = v;
      return this;
    }

    public Builder maintenanceIntervalNanos(long v) {
      this.maintenanceIntervalNanos = v;
      return this;
    }

    public Builder announceRepeatNanos(long v) {
      this.announceRepeatNanos = v;
      return this;
    }

    /** BEP 42 policy (see {@link SecureIdPolicy}). */
    public Builder secureIds(SecureIdPolicy v) {
      this.secureIds = v;
      return this;
    }

    public Builder readOnly(boolean v) {
      this.readOnly = v;
      return this;
    }

    public Builder items(ItemConfig v) {
      this.items = v;
      return this;
    }

    public Builder security(SecurityConfig v) {
      this.security = v;
      return this;
    }

    public NodeConfig build() {
      return new NodeConfig(version, queryTimeoutNanos, maxInFlight, maxLookups, lookup, routing, maxPeersPerInfoHash, maxInfoHashes, maxStoredPeers, peerTtlNanos, tokenRotateNanos, perIpRate, perIpBurst, globalRate, globalBurst, maxReplyBytes, readyMinGoodNodes, maintenanceIntervalNanos, announceRepeatNanos, readOnly, secureIds, items, security);
    }
  }
}
