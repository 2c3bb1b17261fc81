package dev.jdht.core.api;

import dev.jdht.krpc.wire.HostPort;
import dev.jdht.krpc.wire.PeerAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resolves bootstrap {@code host:port} contacts on the io thread (DNS never runs on the loop). */
final class BootstrapResolver {
  private static final Logger log = LoggerFactory.getLogger(BootstrapResolver.class);

  private BootstrapResolver() {}

  /** Resolves every contact on {@code io}; names that do not resolve are logged and skipped. */
  static CompletableFuture<List<PeerAddress>> resolveAsync(List<String> hostPorts, Executor io) {
    List<String> copy = List.copyOf(hostPorts);
    return CompletableFuture.supplyAsync(() -> resolve(copy), io);
  }

  static List<PeerAddress> resolve(List<String> hostPorts) {
    List<PeerAddress> out = new ArrayList<>();
    for (String hp : hostPorts) {
      try {
        HostPort a = HostPort.parse(hp);
        if (a.isLiteral()) {
          out.add(a.literal());
          continue;
        }
        for (InetAddress ia : InetAddress.getAllByName(a.host())) {
          out.add(PeerAddress.of(ia, a.port()));
        }
      } catch (UnknownHostException | IllegalArgumentException e) {
        log.warn("cannot use bootstrap node {}: {}", hp, e.getMessage());
      }
    }
    return out;
  }
}
