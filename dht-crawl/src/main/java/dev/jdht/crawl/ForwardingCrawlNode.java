package dev.jdht.crawl;

import dev.jdht.core.api.HopReply;
import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.function.Consumer;

/** A {@link CrawlNode} that passes everything to another; override what you want to observe. */
public abstract class ForwardingCrawlNode implements CrawlNode {
  protected final CrawlNode inner;

  protected ForwardingCrawlNode(CrawlNode inner) {
    this.inner = inner;
  }

  @Override
  public NodeId id() {
    return inner.id();
  }

  @Override
  public long nanos() {
    return inner.nanos();
  }

  @Override
  public long wallMillis() {
    return inner.wallMillis();
  }

  @Override
  public void schedule(long delayNanos, Runnable task) {
    inner.schedule(delayNanos, task);
  }

  @Override
  public void query(SingleHopMethod method, PeerAddress to, NodeId target, Consumer<HopReply> reply) {
    inner.query(method, to, target, reply);
  }

  @Override
  public void onInfohashQuery(Consumer<InfohashQuery> listener) {
    inner.onInfohashQuery(listener);
  }
}
