package dev.jdht.cli;

import dev.jdht.krpc.wire.NodeId;
import java.util.List;
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
      description = "The node's own UDP address; repeat for several sockets (BEP 32): 0.0.0.0:PORT is "
          + "IPv4, [::]:PORT IPv4 and IPv6, [::1]:PORT IPv6 only (default: all interfaces, both "
          + "families where the machine has IPv6, port 6881, or any free port when 6881 is taken; "
          + ":0 for any free port).")
  List<BindAddress> bind;

  @Option(
      names = "--read-only",
      description = "BEP 43 read-only node: queries carry ro=1 so that other nodes do not add this "
          + "one to their routing tables (for crawlers and short-lived clients).")
  boolean readOnly;

  @Option(
      names = "--node-id",
      paramLabel = "HEX",
      converter = Converters.Id.class,
      description = "The node id, 40 hex digits (default: the saved one, else random).")
  NodeId nodeId;

  /** The first bind address asked for (the default when none was given). */
  public BindAddress bind() {
    return bind != null && !bind.isEmpty() ? bind.get(0) : BindAddress.defaults();
  }

  /** Every bind address asked for; empty for the default. */
  public List<BindAddress> binds() {
    return bind == null ? List.of() : List.copyOf(bind);
  }

  /** Whether --read-only was given. */
  public boolean readOnly() {
    return readOnly;
  }

  /** The node id asked for, or null. */
  public NodeId nodeId() {
    return nodeId;
  }
}
