package dev.jdht.bench.crawl;

import dev.jdht.core.api.HopReply;
import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.crawl.CrawlConfig;
import dev.jdht.crawl.CrawlListener;
import dev.jdht.crawl.CrawlNode;
import dev.jdht.crawl.CrawlStats;
import dev.jdht.crawl.Crawler;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The crawler's own CPU throughput: the real {@link Crawler} and planner against a light
 * responder that answers every query 50 ms later (virtual time) with a prebuilt reply (20 samples,
 * num 60, interval 6 h, 8 random nodes), so nearly all CPU time is the crawler's. Counts thread
 * CPU time (ThreadMXBean) over the whole run, the responder's event queue included, so the figure
 * is a lower bound for the crawler alone.
 *
 * <p>Usage: {@code CrawlThroughput [nodes=200000] [packets=400000]}
 */
public final class CrawlThroughput implements CrawlNode {
  private record Event(long at, long seq, Runnable task) {}

  private final PriorityQueue<Event> queue =
      new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private final Map<PeerAddress, Integer> index = new HashMap<>();
  private final NodeInfo[] nodes;
  private final Response[] sampleReplies;
  private final Response[] findReplies;
  private final NodeId self;
  private long now;
  private long seq;
  long sent;

  CrawlThroughput(int n, Random r) {
    self = NodeId.random(r);
    nodes = new NodeInfo[n];
    for (int i = 0; i < n; i++) {
      byte[] ip = {(byte) (10 + (i >>> 24)), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
      nodes[i] = new NodeInfo(NodeId.random(r), PeerAddress.of(ip, 6881));
      index.put(nodes[i].address(), i);
    }
    sampleReplies = new Response[n];
    findReplies = new Response[n];
    TransactionId t = TransactionId.ofLong(1, 2);
    for (int i = 0; i < n; i++) {
      List<NodeInfo> some = new ArrayList<>(8);
      for (int k = 0; k < 8; k++) {
        some.add(nodes[r.nextInt(n)]);
      }
      byte[] samples = new byte[20 * 20];
      r.nextBytes(samples);
      sampleReplies[i] = Response.builder(t, nodes[i].id()).samples(samples).num(60L).interval(21_600L).nodes(some).build();
      findReplies[i] = Response.builder(t, nodes[i].id()).nodes(some).build();
    }
  }

  @Override
  public NodeId id() {
    return self;
  }

  @Override
  public long nanos() {
    return now;
  }

  @Override
  public long wallMillis() {
    return now / 1_000_000;
  }

  @Override
  public void schedule(long delayNanos, Runnable task) {
    queue.add(new Event(now + delayNanos, seq++, task));
  }

  @Override
  public void query(SingleHopMethod m, PeerAddress to, NodeId target, Consumer<HopReply> reply) {
    sent++;
    int i = index.get(to);
    Response r = m == SingleHopMethod.SAMPLE_INFOHASHES ? sampleReplies[i] : findReplies[i];
    schedule(50_000_000L, () -> reply.accept(HopReply.of(r)));
  }

  @Override
  public void onInfohashQuery(Consumer<InfohashQuery> listener) {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    long packets = args.length > 1 ? Long.parseLong(args[1]) : 400_000;
    Random r = new Random(5);
    CrawlThroughput net = new CrawlThroughput(n, r);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 3; round++) {
      CrawlThroughput fresh = round == 0 ? net : new CrawlThroughput(n, new Random(5));
      CrawlConfig config = CrawlConfig.builder().rate(20_000).perIpRate(1000).maxInFlight(4096).build();
      long cpu0 = mx.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      Crawler c = Crawler.start(fresh, config, CrawlListener.NONE, List.of(fresh.nodes[0], fresh.nodes[1]), 0, new Random(round));
      while (fresh.sent < packets && !fresh.queue.isEmpty()) {
        Event e = fresh.queue.poll();
        fresh.now = Math.max(fresh.now, e.at);
        e.task.run();
      }
      long cpu = mx.getCurrentThreadCpuTime() - cpu0;
      long wall = System.nanoTime() - wall0;
      CrawlStats s = c.stats();
      System.out.printf(Locale.ROOT,
          "round %d: %d packets sent, %d replies, %d nodes known, %d sampled, %d samples; CPU %.2f s = %.0f packets/s (wall %.2f s = %.0f packets/s)%n",
          round + 1, fresh.sent, s.packetsIn(), s.knownNodes(), s.sampledNodes(), s.samples(), cpu / 1e9,
          fresh.sent / (cpu / 1e9), wall / 1e9, fresh.sent / (wall / 1e9));
    }
  }
}
