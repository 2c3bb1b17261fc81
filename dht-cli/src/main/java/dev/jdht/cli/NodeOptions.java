package dev.jdht.cli;

import dev.jdht.core.secure.SecureIdPolicy;
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
      names = "--secure-ids",
      paramLabel = "off|prefer|enforce",
      converter = SecureIdsConverter.class,
      description = "BEP 42 node ids bound to addresses: prefer (default) favours nodes whose id matches "
          + "their IP in the routing table and in lookups and takes an id matching our external IP "
          + "once replies agree on it; enforce also refuses the others; off checks nothing.")
  SecureIdPolicy secureIds;

  /** Parses --secure-ids. */
  public static final class SecureIdsConverter implements picocli.CommandLine.ITypeConverter<SecureIdPolicy> {
    @Override
    public SecureIdPolicy convert(String value) {
      try {
        return SecureIdPolicy.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

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

  /** The BEP 42 policy asked for, or null for the library default (prefer). */
  public SecureIdPolicy secureIds() {
    return secureIds;
  }

  /** The node id asked for, or null. */
  public NodeId nodeId() {
    return nodeId;
  }
}
