package dev.jdht.crawl;

import dev.jdht.core.api.HopReply;
import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.QueryCallback;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.core.sim.SimNode;
import dev.jdht.core.sim.SimulatedNetwork;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.function.Consumer;

/**
 * A {@link CrawlNode} on a node of the {@link SimulatedNetwork}: everything runs on the
 * simulator's thread in virtual time, so a crawl is deterministic.
 */
public final class SimCrawlNode implements CrawlNode {
  private final SimulatedNetwork net;
  private final SimNode node;

  public SimCrawlNode(SimulatedNetwork net, SimNode node) {
    this.net = net;
    this.node = node;
  }

  @Override
  public NodeId id() {
    return node.id();
  }

  @Override
  public long nanos() {
    return net.now();
  }

  @Override
  public long wallMillis() {
    return net.now() / 1_000_000L;
  }

  @Override
  public void schedule(long delayNanos, Runnable task) {
    net.timers().schedule(net.now() + delayNanos, task);
  }

  @Override
  public void query(SingleHopMethod method, PeerAddress to, NodeId target, Consumer<HopReply> reply) {
    boolean sent =
        node.node().query(method, to, target, new QueryCallback() {
          @Override
          public void onResponse(Response r, long rttNanos) {
            reply.accept(HopReply.of(r));
          }

          @Override
          public void onError(ErrorMessage e) {
            reply.accept(HopReply.of(e));
          }

          @Override
          public void onTimeout() {
            reply.accept(HopReply.TIMEOUT);
          }
        });
    if (!sent) {
      schedule(0, () -> reply.accept(HopReply.NOT_SENT));
    }
  }

  @Override
  public void onInfohashQuery(Consumer<InfohashQuery> listener) {
    node.node().onInfohashQuery(listener);
  }
}
