package dev.jdht.cli;

import dev.jdht.krpc.wire.NodeId;
import picocli.CommandLine.Option;

/**
 * The options of every command that runs a node: {@code --bind} and {@code --node-id}. A picocli
 * mixin; one instance per invocation, not thread-safe.
 */
public final class NodeOptions {
  @Option(
      names = "--bind",
      paramLabel = "IP[:PORT]",
      converter = Converters.Bind.class,
      description = "The node's own UDP address (default: all interfaces, port 6881, or any free "
          + "port when 6881 is taken; :0 for any free port).")
  BindAddress bind;

  @Option(
      names = "--node-id",
      paramLabel = "HEX",
      converter = Converters.Id.class,
      description = "The node id, 40 hex digits (default: the saved one, else random).")
  NodeId nodeId;

  /** The bind address asked for (the default when none was given). */
  public BindAddress bind() {
    return bind != null ? bind : BindAddress.defaults();
  }

  /** The node id asked for, or null. */
  public NodeId nodeId() {
    return nodeId;
  }
}
