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
 * [--rate-limit 1000000] [--per-ip-rate-limit 1000000] [--dos-block-rate 0] [--generator java|native|native-spin]
 * [--socket-buffer 1048576]}. The DoS blocker is off
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
    String generator = "java";
    int socketBuffer = dev.jdht.core.io.EventLoop.DEFAULT_SOCKET_BUFFER_BYTES;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sources" -> sources = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--query" -> query = args[i + 1];
        case "--rate-limit" -> rateLimit = Long.parseLong(args[i + 1]);
        case "--per-ip-rate-limit" -> perIpLimit = Long.parseLong(args[i + 1]);
        case "--dos-block-rate" -> dosRate = Double.parseDouble(args[i + 1]);
        case "--generator" -> generator = args[i + 1];
        case "--socket-buffer" -> socketBuffer = Integer.parseInt(args[i + 1]);
        case "--rates" -> rates = Arrays.stream(args[i + 1].split(",")).mapToLong(Long::parseLong).toArray();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!List.of("ping", "find_node", "get_peers", "mix").contains(query)) {
      throw new IllegalArgumentException("--query: ping, find_node, get_peers or mix");
    }
    if (!List.of("java", "native", "native-spin").contains(generator)) {
      throw new IllegalArgumentException("--generator: java, native or native-spin");
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
        .socketBufferBytes(socketBuffer)
        .configure(c -> c.globalRate(global).globalBurst(globalBurst).perIpRate(perIp).perIpBurst(perIpBurst)
            .security(SecurityConfig.defaults().withDosRate(blockRate)))
        .start()) {
      InetSocketAddress server = dht.localAddresses().get(0);
      try (Generator load = generator.startsWith("native")
          ? NativeLoad.open(sources, 1, generator.equals("native-spin"))
          : new JavaLoad(LoopbackLoad.open(sources, 1))) {
        System.out.printf(Locale.ROOT,
            "one node on %s, %d source addresses, %s queries, node limits %,d/s global, %,d/s per IP, socket buffer %,d bytes, %d s per row, %s generator%n%n",
            server, sources, query, rateLimit, perIpLimit, socketBuffer, seconds, generator);
        System.out.println("| offered (q/s) | sent (q/s) | replies (q/s) | answered | latency p50 (ms) | p99 (ms) | max (ms) | dropped by the rate limit | malformed, handler or send failures | kernel receive-buffer drops | node loop CPU (% of a core) | loop CPU per reply (us) | of it in user mode (us) | replies/s one core would serve |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        // warm-up, not printed: the first seconds run interpreted and JIT-compiling code, which
        // otherwise shows as a p99 of 150-250 ms in the first row
        row(dht, server, load, Math.min(50_000, rates[0]), 5, query, false);
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

  /** What one row's load run measured. Latencies in nanoseconds, -1 when there was no reply. */
  record Run(long sent, long answered, long elapsedNanos, long p50, long p99, long max) {}

  /** Offers a paced load for one row; replies are counted until 1 s after the last query. */
  interface Generator extends AutoCloseable {
    Run run(InetSocketAddress server, long rate, int seconds, String query, byte[] id, Random rnd) throws Exception;

    @Override
    void close() throws Exception;
  }

  /** The Java generator: {@link LoopbackLoad}'s sender on this thread and its receiver thread. */
  private record JavaLoad(LoopbackLoad load) implements Generator {
    @Override
    public Run run(InetSocketAddress server, long rate, int seconds, String query, byte[] id, Random rnd)
        throws Exception {
      long[] sentAt = new long[LoopbackLoad.RING];
      load.drain();
      LoopbackLoad.Replies replies =
          load.startReceiver(sentAt, (int) Math.min(20_000_000L, rate * seconds + 1), "load-receiver");
      long start = System.nanoTime();
      long sent = load.sendPaced(server, rate, TimeUnit.SECONDS.toNanos(seconds), LoopbackLoad.templates(query, id),
          rnd, sentAt, null);
      long elapsed = System.nanoTime() - start;
      Thread.sleep(1000); // late replies
      replies.stop(load.selector());
      long[] lat = replies.sortedLatencies();
      return new Run(sent, replies.count.get(), elapsed, LoopbackLoad.pct(lat, 0.5), LoopbackLoad.pct(lat, 0.99),
          lat.length == 0 ? -1 : lat[lat.length - 1]);
    }

    @Override
    public void close() throws Exception {
      load.close();
    }
  }

  private static void row(Dht dht, InetSocketAddress server, Generator load, long rate, int seconds,
      String query, boolean print) throws Exception {
    DhtStats before = dht.stats().get(5, TimeUnit.SECONDS);
    Random rnd = new Random(rate);
    byte[] id = new byte[20];
    rnd.nextBytes(id);
    long loopThread = loopThreadId(dht);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpuBefore = mx.getThreadCpuTime(loopThread);
    long userBefore = mx.getThreadUserTime(loopThread);
    long kernelDropsBefore = FloodBench.udpReceiveBufferErrors();
    Run run = load.run(server, rate, seconds, query, id, rnd);
    // over the sending time and the 1 s of late replies; the "% of a core" column divides it by the
    // sending time alone (under overload the loop is still working off its backlog after it)
    long loopCpu = mx.getThreadCpuTime(loopThread) - cpuBefore;
    long loopUser = mx.getThreadUserTime(loopThread) - userBefore; // the rest of loopCpu is the kernel's
    long kernelDropsAfter = FloodBench.udpReceiveBufferErrors();
    DhtStats after = dht.stats().get(5, TimeUnit.SECONDS);
    double secs = run.elapsedNanos() / 1e9;
    long rateDrops = after.droppedRateLimited() - before.droppedRateLimited();
    long otherDrops = after.droppedMalformed() - before.droppedMalformed()
        + after.handlerFailures() - before.handlerFailures() + after.sendFailures() - before.sendFailures();
    if (!print) {
      return;
    }
    long answered = run.answered();
    double cpuPerReplyUs = answered == 0 ? 0 : loopCpu / 1e3 / answered;
    double userPerReplyUs = answered == 0 ? 0 : loopUser / 1e3 / answered;
    System.out.printf(Locale.ROOT, "| %,d | %,.0f | %,.0f | %.1f%% | %s | %s | %s | %,d | %,d | %s | %.0f%% | %.2f | %.2f | %,.0f |%n",
        rate, run.sent() / secs, answered / secs, run.sent() == 0 ? 0 : 100.0 * answered / run.sent(),
        LoopbackLoad.ms(run.p50()), LoopbackLoad.ms(run.p99()), LoopbackLoad.ms(run.max()), rateDrops, otherDrops,
        kernelDropsBefore < 0 || kernelDropsAfter < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", kernelDropsAfter - kernelDropsBefore),
        100.0 * loopCpu / run.elapsedNanos(), cpuPerReplyUs, userPerReplyUs,
        cpuPerReplyUs == 0 ? 0 : 1e6 / cpuPerReplyUs);
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
