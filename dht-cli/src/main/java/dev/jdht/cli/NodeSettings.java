package dev.jdht.cli;

import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.krpc.wire.NodeId;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything needed to start a command's node, gathered from the options (or built by {@code dht
 * demo}). Immutable.
 *
 * @param binds the local addresses, one socket each; empty for the library default (both
 *     families on port 6881 where the machine has IPv6)
 * @param nodeId the node id, or null for the saved or a random one
 * @param bootstrap contacts to join through; null for the default (saved state, else the public
 *     routers), empty for none
 * @param stateDir the state directory, or null for the default one
 * @param noState neither read nor write state
 * @param alpha lookup parallelism, or null for the library default
 * @param queryTimeout hard timeout of one query, or null for the library default
 * @param readOnly BEP 43 read-only mode ({@code ro=1} in queries)
 * @param rateLimit incoming queries per second the node answers in total (burst: two seconds'
 *     worth), or null for the library default
 * @param perIpRateLimit incoming queries per second per source IP (burst: two seconds' worth), or
 *     null for the library default
 * @param secureIds BEP 42 policy, or null for the library default (prefer)
 * @param dosBlockRate datagrams per second per source IP, averaged over 10 s, above which the
 *     source is ignored for 5 minutes (0: off), or null for the library default (docs/security.md)
 * @param socketBufferBytes kernel receive/send buffer of each socket in bytes, or null for the
 *     library default (1 MiB)
 */
public record NodeSettings(
    List<BindAddress> binds,
    NodeId nodeId,
    List<InetSocketAddress> bootstrap,
    Path stateDir,
    boolean noState,
    Integer alpha,
    Duration queryTimeout,
    boolean readOnly,
    Integer rateLimit,
    Integer perIpRateLimit,
    SecureIdPolicy secureIds,
    Integer dosBlockRate,
    Integer socketBufferBytes) {

  /** Copies the lists. */
  public NodeSettings {
    binds = List.copyOf(binds);
    bootstrap = bootstrap == null ? null : List.copyOf(bootstrap);
  }

  /** Default rate limits. */
  public NodeSettings(List<BindAddress> binds, NodeId nodeId, List<InetSocketAddress> bootstrap, Path stateDir,
      boolean noState, Integer alpha, Duration queryTimeout, boolean readOnly) {
    this(binds, nodeId, bootstrap, stateDir, noState, alpha, queryTimeout, readOnly, null, null, null, null, null);
  }

  /** One bind address, not read-only. */
  public NodeSettings(BindAddress bind, NodeId nodeId, List<InetSocketAddress> bootstrap, Path stateDir,
      boolean noState, Integer alpha, Duration queryTimeout) {
    this(List.of(bind), nodeId, bootstrap, stateDir, noState, alpha, queryTimeout, false);
  }

  /** The first bind address (the default one when none was given). */
  public BindAddress bind() {
    return binds.isEmpty() ? BindAddress.defaults() : binds.get(0);
  }

  /** From the two option mixins (either may be null). */
  public static NodeSettings of(NodeOptions node, NetworkOptions net, Integer alpha, Duration queryTimeout) {
    return new NodeSettings(
        node != null ? node.binds() : List.of(),
        node != null ? node.nodeId() : null,
        net != null ? net.bootstrap() : null,
        net != null ? net.stateDir() : null,
        net != null && net.noState(),
        alpha,
        queryTimeout,
        node != null && node.readOnly()).withSecureIds(node != null ? node.secureIds() : null);
  }

  /** A copy that neither reads nor writes state. */
  public NodeSettings withoutState() {
    return new NodeSettings(binds, nodeId, bootstrap, stateDir, true, alpha, queryTimeout, readOnly, rateLimit, perIpRateLimit,
        secureIds, dosBlockRate, socketBufferBytes);
  }

  /** A copy with this node id and these bootstrap addresses (null: the default routers). */
  public NodeSettings withIdAndBootstrap(NodeId id, List<InetSocketAddress> bootstrapAddresses) {
    return new NodeSettings(binds, id, bootstrapAddresses, stateDir, noState, alpha, queryTimeout, readOnly, rateLimit,
        perIpRateLimit, secureIds, dosBlockRate, socketBufferBytes);
  }

  /** A copy with these server rate limits (null: the library default). */
  public NodeSettings withRateLimits(Integer global, Integer perIp) {
    return new NodeSettings(binds, nodeId, bootstrap, stateDir, noState, alpha, queryTimeout, readOnly, global, perIp,
        secureIds, dosBlockRate, socketBufferBytes);
  }

  /** A copy with this BEP 42 policy (null: the library default). */
  public NodeSettings withSecureIds(SecureIdPolicy policy) {
    return new NodeSettings(binds, nodeId, bootstrap, stateDir, noState, alpha, queryTimeout, readOnly, rateLimit,
        perIpRateLimit, policy, dosBlockRate, socketBufferBytes);
  }

  /** A copy with another DoS blocker rate (null: the library default, 0: off). */
  public NodeSettings withDosBlockRate(Integer rate) {
    return new NodeSettings(binds, nodeId, bootstrap, stateDir, noState, alpha, queryTimeout, readOnly, rateLimit,
        perIpRateLimit, secureIds, rate, socketBufferBytes);
  }

  /** A copy with this socket buffer size in bytes (null: the library default). */
  public NodeSettings withSocketBuffer(Integer bytes) {
    return new NodeSettings(binds, nodeId, bootstrap, stateDir, noState, alpha, queryTimeout, readOnly, rateLimit,
        perIpRateLimit, secureIds, dosBlockRate, bytes);
  }
}
