package dev.jdht.cli;

import dev.jdht.krpc.wire.NodeId;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything needed to start a command's node, gathered from the options (or built by {@code dht
 * demo}). Immutable.
 *
 * @param bind the local address
 * @param nodeId the node id, or null for the saved or a random one
 * @param bootstrap contacts to join through; null for the default (saved state, else the public
 *     routers), empty for none
 * @param stateDir the state directory, or null for the default one
 * @param noState neither read nor write state
 * @param alpha lookup parallelism, or null for the library default
 * @param queryTimeout hard timeout of one query, or null for the library default
 */
public record NodeSettings(
    BindAddress bind,
    NodeId nodeId,
    List<InetSocketAddress> bootstrap,
    Path stateDir,
    boolean noState,
    Integer alpha,
    Duration queryTimeout) {

  /** Copies the bootstrap list. */
  public NodeSettings {
    bootstrap = bootstrap == null ? null : List.copyOf(bootstrap);
  }

  /** From the two option mixins (either may be null). */
  public static NodeSettings of(NodeOptions node, NetworkOptions net, Integer alpha, Duration queryTimeout) {
    return new NodeSettings(
        node != null ? node.bind() : BindAddress.defaults(),
        node != null ? node.nodeId() : null,
        net != null ? net.bootstrap() : null,
        net != null ? net.stateDir() : null,
        net != null && net.noState(),
        alpha,
        queryTimeout);
  }

  /** A copy that neither reads nor writes state. */
  public NodeSettings withoutState() {
    return new NodeSettings(bind, nodeId, bootstrap, stateDir, true, alpha, queryTimeout);
  }
}
