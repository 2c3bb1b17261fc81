package dev.jdht.bench.server;

import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.node.SecurityConfig;
import dev.jdht.core.routing.RoutingConfig;
import dev.jdht.core.time.ManualClock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The server's CPU cost per query without the sockets: one {@link DhtNode} (the code the selector
 * thread runs for every datagram: rate limiters, DoS blocker, decode, routing table, token,
 * peer store, encode) gets a query from one of 1,000 verified sources through
 * {@link DhtNode#onDatagram} and sends its reply to a transport that only counts bytes. The
 * routing table holds the sources that fit (63 good nodes, the rest replacements), the peer store one infohash with
 * 50 peers. The per-datagram cost of the UDP syscalls comes on top: {@link ServerLoadBench} measures
 * the whole path over loopback. Run with {@code -prof gc} for B/op.
 *
 * <p>{@code java -jar dht-bench/target/benchmarks.jar ServerPath -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ServerPath {
  private static final int SOURCES = 1000;

  private final ManualClock clock = new ManualClock();
  private DhtNode node;
  private PeerAddress[] sources;
  private byte[][] pings;
  private byte[][] findNodes;
  private byte[][] getPeersNodes;
  private byte[][] getPeersValues;
  private long bytesOut;
  private int next;

  /** Builds the node, verifies every source (query, then answer our ping) and stores the peers. */
  @Setup
  public void setup() {
    Random random = new Random(7);
    NodeConfig cfg = NodeConfig.builder()
        .routing(RoutingConfig.defaults().withAllowLoopbackAndPrivate(true))
        .perIpRate(1e12).perIpBurst(Integer.MAX_VALUE).globalRate(1e12).globalBurst(Integer.MAX_VALUE)
        .security(SecurityConfig.defaults().withDosRate(0))
        .build();
    List<KrpcMessage> setupSent = new ArrayList<>();
    List<PeerAddress> setupTo = new ArrayList<>();
    boolean[] recording = {true};
    node = new DhtNode(NodeId.random(random), cfg, (to, d, off, len) -> {
      bytesOut += len;
      if (recording[0]) {
        try {
          setupSent.add(KrpcCodec.decode(d, off, len));
          setupTo.add(to);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return true;
    }, new TimerQueue(), clock, random);
    node.start(List.of(), List.of());
    sources = new PeerAddress[SOURCES];
    NodeId[] ids = new NodeId[SOURCES];
    pings = new byte[SOURCES][];
    findNodes = new byte[SOURCES][];
    getPeersNodes = new byte[SOURCES][];
    getPeersValues = new byte[SOURCES][];
    NodeId popular = NodeId.random(random);
    for (int i = 0; i < SOURCES; i++) {
      sources[i] = PeerAddress.of(new byte[] {10, 1, (byte) (i / 250), (byte) (i % 250 + 1)}, 6881);
      ids[i] = NodeId.random(random);
      TransactionId t = TransactionId.ofLong(i, 2);
      pings[i] = KrpcCodec.encode(new Query.Ping(t, ids[i], QueryMeta.NONE));
      findNodes[i] = KrpcCodec.encode(new Query.FindNode(t, ids[i], NodeId.random(random), QueryMeta.NONE));
      getPeersNodes[i] = KrpcCodec.encode(new Query.GetPeers(t, ids[i], NodeId.random(random), QueryMeta.NONE));
      getPeersValues[i] = KrpcCodec.encode(new Query.GetPeers(t, ids[i], popular, QueryMeta.NONE));
    }
    for (int i = 0; i < SOURCES; i++) {
      // our reply, then maybe the ping that verifies the new querier: answer it
      setupSent.clear();
      setupTo.clear();
      deliver(i, pings[i]);
      for (int m = 0; m < setupSent.size(); m++) {
        if (setupSent.get(m) instanceof Query q && setupTo.get(m).equals(sources[i])) {
          deliver(i, KrpcCodec.encode(Response.builder(q.transactionId(), ids[i]).build()));
        }
      }
      clock.advanceMillis(1);
    }
    for (int i = 0; i < 50; i++) {
      setupSent.clear();
      deliver(i, getPeersValues[i]);
      Response r = (Response) setupSent.get(0);
      byte[] announce = KrpcCodec.encode(new Query.AnnouncePeer(TransactionId.ofLong(i, 2), ids[i], popular, 7000 + i,
          false, r.token(), QueryMeta.NONE));
      deliver(i, announce);
    }
    if (node.stats().storedPeers() != 50) {
      throw new IllegalStateException("stored peers: " + node.stats().storedPeers());
    }
    if (node.routingTable().size() < 50) {
      throw new IllegalStateException("routing table: " + node.routingTable().size());
    }
    recording[0] = false;
  }

  private void deliver(int source, byte[] datagram) {
    node.onDatagram(sources[source], datagram, 0, datagram.length);
  }

  private int nextSource() {
    int i = next++;
    if (next == SOURCES) {
      next = 0;
      clock.advanceMillis(10); // 1,000 queries per 10 ms: 100,000/s
    }
    return i;
  }

  private long serve(byte[][] queries) {
    int i = nextSource();
    deliver(i, queries[i]);
    return bytesOut;
  }

  /** A ping query in, its reply out. */
  @Benchmark
  public long ping() {
    return serve(pings);
  }

  /** A find_node query in, a reply with 8 nodes out. */
  @Benchmark
  public long findNode() {
    return serve(findNodes);
  }

  /** A get_peers query for an infohash we hold nothing for in, a token and 8 nodes out. */
  @Benchmark
  public long getPeersNodes() {
    return serve(getPeersNodes);
  }

  /** A get_peers query for the infohash with 50 peers in, a token and the peers out. */
  @Benchmark
  public long getPeersValues() {
    return serve(getPeersValues);
  }
}
