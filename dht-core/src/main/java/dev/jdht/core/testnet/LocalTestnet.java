package dev.jdht.core.testnet;

import dev.jdht.core.io.EventLoop;
import dev.jdht.core.node.AnnounceResult;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.routing.RoutingConfig;
import dev.jdht.core.time.Clock;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A private DHT of our own nodes on loopback: every node has its own 127.0.x.y address and a real
 * UDP socket, and all of them share ONE event-loop thread. For {@code dht demo}, tests and
 * benchmarks. Nothing here leaves 127.0.0.0/8.
 *
 * <p>Threading: the methods may be called from any thread; node logic runs on the loop thread.
 */
public final class LocalTestnet implements AutoCloseable {
  private final EventLoop loop;
  private final List<DhtNode> nodes = new ArrayList<>();
  private final List<PeerAddress> addresses = new ArrayList<>();

  private LocalTestnet(EventLoop loop) {
    this.loop = loop;
  }

  /** The loopback address of node {@code i}: 127.0.(10 + i / 250).(1 + i % 250). */
  public static InetAddress addressOf(int i, int thirdOctetBase) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, (byte) (thirdOctetBase + i / 250), (byte) (1 + i % 250)});
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A node configuration for loopback test networks: local addresses allowed, no rate limits. */
  public static NodeConfig testnetConfig() {
    return NodeConfig.builder()
        .routing(RoutingConfig.defaults().withAllowLoopbackAndPrivate(true))
        .perIpRate(1_000_000)
        .perIpBurst(1_000_000)
        .globalRate(10_000_000)
        .globalBurst(10_000_000)
        .build();
  }

  /**
   * Starts {@code size} nodes on 127.0.(base + i / 250).(1 + i % 250), port {@code port} (0 for
   * any), and bootstraps each from a few earlier ones. Returns when every node has a non-empty
   * routing table and has finished its bootstrap, or throws after {@code timeoutMillis}.
   */
  public static LocalTestnet start(int size, int thirdOctetBase, int port, long seed, long timeoutMillis)
      throws IOException, InterruptedException, TimeoutException {
    if (size < 2 || size > 250 * 50) {
      throw new IllegalArgumentException("size must be 2..12500");
    }
    EventLoop loop = new EventLoop(new InetSocketAddress(addressOf(0, thirdOctetBase), port), Clock.system(), "dht-testnet");
    LocalTestnet net = new LocalTestnet(loop);
    try {
      Random seeds = new Random(seed);
      NodeConfig cfg = testnetConfig();
      for (int i = 0; i < size; i++) {
        EventLoop.Endpoint ep =
            i == 0 ? loop.primary() : loop.open(new InetSocketAddress(addressOf(i, thirdOctetBase), port), 256 * 1024);
        Random r = new Random(seeds.nextLong());
        DhtNode n = new DhtNode(NodeId.random(r), cfg, ep, loop.timers(), loop.clock(), r);
        ep.setHandler(n::onDatagram);
        net.nodes.add(n);
        net.addresses.add(PeerAddress.of(ep.localAddress()));
      }
      loop.start();
      CompletableFuture<Void> all =
          loop.call(
                  () -> {
                    List<CompletableFuture<Void>> ready = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                      List<PeerAddress> boot = new ArrayList<>();
                      if (i > 0) {
                        boot.add(net.addresses.get(0));
                        for (int j = 0; j < 3; j++) {
                          boot.add(net.addresses.get(seeds.nextInt(i)));
                        }
                      }
                      DhtNode n = net.nodes.get(i);
                      n.start(List.of(), boot);
                      CompletableFuture<Void> f = new CompletableFuture<>();
                      n.whenReady(TimeUnit.MILLISECONDS.toNanos(timeoutMillis), err -> {
                        if (err == null) {
                          f.complete(null);
                        } else {
                          f.completeExceptionally(new IllegalStateException(err));
                        }
                      });
                      if (i > 0) {
                        ready.add(f);
                      }
                    }
                    return CompletableFuture.allOf(ready.toArray(new CompletableFuture<?>[0]));
                  })
              .thenCompose(f -> f);
      all.get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
      // the first node learned of others only through their queries: give it a lookup too
      net.loop.call(() -> net.nodes.get(0).findNode(net.nodes.get(0).id(), (r, e) -> {})).get(5, TimeUnit.SECONDS);
      return net;
    } catch (ExecutionException e) {
      net.close();
      throw new IllegalStateException("testnet did not come up: " + e.getCause().getMessage(), e.getCause());
    } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
      net.close();
      throw e;
    }
  }

  public int size() {
    return nodes.size();
  }

  /** The UDP address of every node. */
  public List<PeerAddress> addresses() {
    return List.copyOf(addresses);
  }

  /** Node ids, by index. */
  public List<NodeId> ids() {
    return nodes.stream().map(DhtNode::id).toList();
  }

  /**
   * Node {@code index} announces that it has a peer for {@code infoHash} on TCP {@code port} (at
   * its own address). Completes with the announce's outcome.
   */
  public CompletableFuture<AnnounceResult> announce(int index, NodeId infoHash, int port) {
    CompletableFuture<AnnounceResult> f = new CompletableFuture<>();
    loop.execute(() -> nodes.get(index).announce(infoHash, port, false, null, f::complete));
    return f;
  }

  /** Runs {@code task} with node {@code index} on the loop thread. */
  public <T> CompletableFuture<T> call(int index, java.util.function.Function<DhtNode, T> task) {
    return loop.call(() -> task.apply(nodes.get(index)));
  }

  /** Stops every node and the loop thread. */
  @Override
  public void close() {
    try {
      loop.call(() -> {
        nodes.forEach(DhtNode::close);
        return null;
      }).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    loop.close();
  }
}
