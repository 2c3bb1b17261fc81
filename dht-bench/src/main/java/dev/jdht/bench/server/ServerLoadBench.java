package dev.jdht.bench.server;

import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtStats;
import dev.jdht.core.node.SecurityConfig;
import java.net.InetSocketAddress;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Load generator for one node's server side over loopback UDP: many client sockets on their own
 * 127.x.y.z addresses offer a paced rate of queries (ping, find_node, get_peers or a mix) to one
 * {@link Dht} with the rate limits given, and measure the replies per second and the reply latency.
 * One table row per offered rate.
 *
 * <p>Usage: {@code java -cp dht-bench/target/benchmarks.jar dev.jdht.bench.server.ServerLoadBench
 * [--sources 1000] [--rates 10000,50000,100000,200000] [--seconds 5] [--query mix]
 * [--rate-limit 1000000] [--per-ip-rate-limit 1000000] [--dos-block-rate 0]}. The DoS blocker is off
 * by default here (0): this bench measures throughput, and its sources send far more than the
 * blocker's 50/s each (docs/security.md section 4; {@link FloodBench} measures the blocker). The sender and the receiver are one
 * thread each, the node's selector another: on a 2-core machine they compete for the cores, so a
 * row's replies/s is a lower bound of what the node alone could serve.
 */
public final class ServerLoadBench {
  private ServerLoadBench() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int sources = 1000;
    int seconds = 5;
    String query = "mix";
    long rateLimit = 1_000_000;
    long perIpLimit = 1_000_000;
    long[] rates = {10_000, 50_000, 100_000, 200_000};
    double dosRate = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sources" -> sources = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--query" -> query = args[i + 1];
        case "--rate-limit" -> rateLimit = Long.parseLong(args[i + 1]);
        case "--per-ip-rate-limit" -> perIpLimit = Long.parseLong(args[i + 1]);
        case "--dos-block-rate" -> dosRate = Double.parseDouble(args[i + 1]);
        case "--rates" -> rates = Arrays.stream(args[i + 1].split(",")).mapToLong(Long::parseLong).toArray();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!List.of("ping", "find_node", "get_peers", "mix").contains(query)) {
      throw new IllegalArgumentException("--query: ping, find_node, get_peers or mix");
    }
    double blockRate = dosRate;
    double global = rateLimit;
    double perIp = perIpLimit;
    int globalBurst = twoSeconds(rateLimit);
    int perIpBurst = twoSeconds(perIpLimit);
    try (Dht dht = Dht.builder()
        .bind(new InetSocketAddress("127.0.0.1", 0))
        .bootstrap(List.of())
        .allowLocalAddresses(true)
        .configure(c -> c.globalRate(global).globalBurst(globalBurst).perIpRate(perIp).perIpBurst(perIpBurst)
            .security(SecurityConfig.defaults().withDosRate(blockRate)))
        .start()) {
      InetSocketAddress server = dht.localAddresses().get(0);
      try (LoopbackLoad load = LoopbackLoad.open(sources, 1)) {
        System.out.printf(Locale.ROOT,
            "one node on %s, %d source addresses, %s queries, node limits %,d/s global, %,d/s per IP, %d s per row%n%n",
            server, sources, query, rateLimit, perIpLimit, seconds);
        System.out.println("| offered (q/s) | sent (q/s) | replies (q/s) | answered | latency p50 (ms) | p99 (ms) | max (ms) | dropped by the rate limit | malformed, handler or send failures | node loop CPU (% of a core) | loop CPU per reply (us) | replies/s one core would serve |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        // warm-up, not printed: the first seconds run interpreted and JIT-compiling code, which
        // otherwise shows as a p99 of 150-250 ms in the first row
        row(dht, server, load, Math.min(20_000, rates[0]), 3, query, false);
        Thread.sleep(500);
        for (long rate : rates) {
          row(dht, server, load, rate, seconds, query, true);
          Thread.sleep(500);
        }
      }
    }
  }

  /** A burst of two seconds' worth, capped to an int. */
  private static int twoSeconds(long perSecond) {
    return (int) Math.min(Integer.MAX_VALUE, 2 * perSecond);
  }

  private static void row(Dht dht, InetSocketAddress server, LoopbackLoad load, long rate, int seconds,
      String query, boolean print) throws Exception {
    long[] sentAt = new long[LoopbackLoad.RING];
    load.drain();
    DhtStats before = dht.stats().get(5, TimeUnit.SECONDS);
    LoopbackLoad.Replies replies =
        load.startReceiver(sentAt, (int) Math.min(20_000_000L, rate * seconds + 1), "load-receiver");
    Random rnd = new Random(rate);
    byte[] id = new byte[20];
    rnd.nextBytes(id);
    long loopThread = loopThreadId(dht);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpuBefore = mx.getThreadCpuTime(loopThread);
    long start = System.nanoTime();
    long sent = load.sendPaced(server, rate, TimeUnit.SECONDS.toNanos(seconds), LoopbackLoad.templates(query, id),
        rnd, sentAt, null);
    long elapsed = System.nanoTime() - start;
    Thread.sleep(1000); // late replies
    long loopCpu = mx.getThreadCpuTime(loopThread) - cpuBefore; // over elapsed + the 1 s of late replies
    replies.stop(load.selector());
    DhtStats after = dht.stats().get(5, TimeUnit.SECONDS);
    long[] lat = replies.sortedLatencies();
    double secs = elapsed / 1e9;
    long rateDrops = after.droppedRateLimited() - before.droppedRateLimited();
    long otherDrops = after.droppedMalformed() - before.droppedMalformed()
        + after.handlerFailures() - before.handlerFailures() + after.sendFailures() - before.sendFailures();
    if (!print) {
      return;
    }
    long answered = replies.count.get();
    double cpuPerReplyUs = answered == 0 ? 0 : loopCpu / 1e3 / answered;
    System.out.printf(Locale.ROOT, "| %,d | %,.0f | %,.0f | %.1f%% | %s | %s | %s | %,d | %,d | %.0f%% | %.2f | %,.0f |%n",
        rate, sent / secs, answered / secs, sent == 0 ? 0 : 100.0 * answered / sent,
        LoopbackLoad.ms(LoopbackLoad.pct(lat, 0.5)), LoopbackLoad.ms(LoopbackLoad.pct(lat, 0.99)),
        LoopbackLoad.ms(lat.length == 0 ? -1 : lat[lat.length - 1]), rateDrops, otherDrops,
        100.0 * loopCpu / (elapsed + 1e9), cpuPerReplyUs, cpuPerReplyUs == 0 ? 0 : 1e6 / cpuPerReplyUs);
  }

  /** The id of the node's loop thread (named {@code dht-loop-<id prefix>} by Dht; the only node here). */
  private static long loopThreadId(Dht dht) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("dht-loop-")) {
        return t.getId();
      }
    }
    throw new IllegalStateException("no loop thread for " + dht.nodeId());
  }
}
