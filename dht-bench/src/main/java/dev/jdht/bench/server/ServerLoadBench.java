package dev.jdht.bench.server;

import dev.jdht.core.api.Dht;
import dev.jdht.core.api.DhtStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load generator for one node's server side over loopback UDP: many client sockets on their own
 * 127.x.y.z addresses offer a paced rate of queries (ping, find_node, get_peers or a mix) to one
 * {@link Dht} with the rate limits given, and measure the replies per second and the reply latency.
 * One table row per offered rate.
 *
 * <p>Usage: {@code java -cp dht-bench/target/benchmarks.jar dev.jdht.bench.server.ServerLoadBench
 * [--sources 1000] [--rates 10000,50000,100000,200000] [--seconds 5] [--query mix]
 * [--rate-limit 1000000] [--per-ip-rate-limit 1000000]}. The sender and the receiver are one
 * thread each, the node's selector another: on a 2-core machine they compete for the cores, so a
 * row's replies/s is a lower bound of what the node alone could serve.
 */
public final class ServerLoadBench {
  private static final int RING = 1 << 22;

  private ServerLoadBench() {}

  /** Runs the benchmark; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int sources = 1000;
    int seconds = 5;
    String query = "mix";
    long rateLimit = 1_000_000;
    long perIpLimit = 1_000_000;
    long[] rates = {10_000, 50_000, 100_000, 200_000};
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--sources" -> sources = Integer.parseInt(args[i + 1]);
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--query" -> query = args[i + 1];
        case "--rate-limit" -> rateLimit = Long.parseLong(args[i + 1]);
        case "--per-ip-rate-limit" -> perIpLimit = Long.parseLong(args[i + 1]);
        case "--rates" -> rates = Arrays.stream(args[i + 1].split(",")).mapToLong(Long::parseLong).toArray();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!List.of("ping", "find_node", "get_peers", "mix").contains(query)) {
      throw new IllegalArgumentException("--query: ping, find_node, get_peers or mix");
    }
    double global = rateLimit;
    double perIp = perIpLimit;
    int globalBurst = twoSeconds(rateLimit);
    int perIpBurst = twoSeconds(perIpLimit);
    try (Dht dht = Dht.builder()
        .bind(new InetSocketAddress("127.0.0.1", 0))
        .bootstrap(List.of())
        .allowLocalAddresses(true)
        .configure(c -> c.globalRate(global).globalBurst(globalBurst).perIpRate(perIp).perIpBurst(perIpBurst))
        .start()) {
      InetSocketAddress server = dht.localAddresses().get(0);
      List<DatagramChannel> clients = new ArrayList<>();
      Selector selector = Selector.open();
      for (int i = 0; i < sources; i++) {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.bind(new InetSocketAddress("127.1." + (i / 250) + "." + (i % 250 + 1), 0));
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
        clients.add(ch);
      }
      System.out.printf(Locale.ROOT,
          "one node on %s, %d source addresses, %s queries, node limits %,d/s global, %,d/s per IP, %d s per row%n%n",
          server, sources, query, rateLimit, perIpLimit, seconds);
      System.out.println("| offered (q/s) | sent (q/s) | replies (q/s) | answered | latency p50 (ms) | p99 (ms) | max (ms) | dropped by the rate limit | malformed, handler or send failures |");
      System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
      // warm-up, not printed: the first seconds run interpreted and JIT-compiling code, which
      // otherwise shows as a p99 of 150-250 ms in the first row
      row(dht, server, clients, selector, Math.min(20_000, rates[0]), 3, query, false);
      Thread.sleep(500);
      for (long rate : rates) {
        row(dht, server, clients, selector, rate, seconds, query, true);
        Thread.sleep(500);
      }
      for (DatagramChannel ch : clients) {
        ch.close();
      }
      selector.close();
    }
  }

  /** A burst of two seconds' worth, capped to an int. */
  private static int twoSeconds(long perSecond) {
    return (int) Math.min(Integer.MAX_VALUE, 2 * perSecond);
  }

  private static void row(Dht dht, InetSocketAddress server, List<DatagramChannel> clients, Selector selector,
      long rate, int seconds, String query, boolean print) throws Exception {
    long[] sentAt = new long[RING];
    long[] latencies = new long[(int) Math.min(20_000_000L, rate * seconds + 1)];
    int[] nLat = {0};
    long[] replies = {0};
    AtomicBoolean stop = new AtomicBoolean();
    drain(clients);
    DhtStats before = dht.stats().get(5, TimeUnit.SECONDS);
    Thread receiver = new Thread(() -> receive(selector, sentAt, latencies, nLat, replies, stop), "load-receiver");
    receiver.start();
    Random rnd = new Random(rate);
    byte[] id = new byte[20];
    byte[] target = new byte[20];
    rnd.nextBytes(id);
    Template[] templates = query.equals("mix")
        ? new Template[] {template("ping", id), template("find_node", id), template("get_peers", id)}
        : new Template[] {template(query, id)};
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    long sent = 0;
    ByteBuffer buf = ByteBuffer.allocateDirect(256);
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      long due = (now - start) * rate / 1_000_000_000L;
      if (sent >= due) {
        // sleep rather than spin: a spinning sender takes a core from the node and the receiver
        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        continue;
      }
      while (sent < due) {
        int seq = (int) sent;
        Template t = query.equals("mix") ? templates[seq % 3] : templates[0];
        byte[] d = t.bytes();
        if (t.targetAt() >= 0) {
          rnd.nextBytes(target);
          System.arraycopy(target, 0, d, t.targetAt(), 20);
        }
        d[t.seqAt()] = (byte) (seq >>> 24);
        d[t.seqAt() + 1] = (byte) (seq >>> 16);
        d[t.seqAt() + 2] = (byte) (seq >>> 8);
        d[t.seqAt() + 3] = (byte) seq;
        buf.clear();
        buf.put(d);
        buf.flip();
        sentAt[seq & (RING - 1)] = System.nanoTime();
        clients.get((int) (sent % clients.size())).send(buf, server);
        sent++;
      }
    }
    long elapsed = System.nanoTime() - start;
    Thread.sleep(1000); // late replies
    stop.set(true);
    selector.wakeup();
    receiver.join();
    DhtStats after = dht.stats().get(5, TimeUnit.SECONDS);
    long[] lat = Arrays.copyOf(latencies, nLat[0]);
    Arrays.sort(lat);
    double secs = elapsed / 1e9;
    long rateDrops = after.droppedRateLimited() - before.droppedRateLimited();
    long otherDrops = after.droppedMalformed() - before.droppedMalformed()
        + after.handlerFailures() - before.handlerFailures() + after.sendFailures() - before.sendFailures();
    if (!print) {
      return;
    }
    System.out.printf(Locale.ROOT, "| %,d | %,.0f | %,.0f | %.1f%% | %s | %s | %s | %,d | %,d |%n",
        rate, sent / secs, replies[0] / secs, sent == 0 ? 0 : 100.0 * replies[0] / sent,
        ms(pct(lat, 0.5)), ms(pct(lat, 0.99)), ms(lat.length == 0 ? -1 : lat[lat.length - 1]), rateDrops, otherDrops);
  }

  private static void receive(Selector selector, long[] sentAt, long[] latencies, int[] nLat, long[] replies,
      AtomicBoolean stop) {
    ByteBuffer in = ByteBuffer.allocateDirect(2048);
    byte[] b = new byte[2048];
    try {
      while (!stop.get()) {
        selector.select(100);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey k = it.next();
          it.remove();
          DatagramChannel ch = (DatagramChannel) k.channel();
          while (true) {
            in.clear();
            if (ch.receive(in) == null) {
              break;
            }
            long now = System.nanoTime();
            in.flip();
            int n = in.remaining();
            in.get(b, 0, n);
            int seq = transaction(b, n);
            replies[0]++;
            if (seq >= 0 && sentAt[seq & (RING - 1)] != 0 && nLat[0] < latencies.length) {
              latencies[nLat[0]++] = now - sentAt[seq & (RING - 1)];
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Discards replies of an earlier row still queued in the client sockets. */
  private static void drain(List<DatagramChannel> clients) throws IOException {
    ByteBuffer junk = ByteBuffer.allocate(2048);
    for (DatagramChannel ch : clients) {
      do {
        junk.clear();
      } while (ch.receive(junk) != null);
    }
  }

  /** The 4-byte transaction id after {@code 1:t4:}, as an int, or -1. */
  private static int transaction(byte[] b, int n) {
    for (int i = 0; i + 9 <= n; i++) {
      if (b[i] == '1' && b[i + 1] == ':' && b[i + 2] == 't' && b[i + 3] == '4' && b[i + 4] == ':') {
        return (b[i + 5] & 0xff) << 24 | (b[i + 6] & 0xff) << 16 | (b[i + 7] & 0xff) << 8 | (b[i + 8] & 0xff);
      }
    }
    return -1;
  }

  /** A query's bytes with the offsets of its 20-byte target (-1: none) and 4-byte transaction id. */
  private record Template(byte[] bytes, int targetAt, int seqAt) {}

  private static Template template(String method, byte[] id) {
    ByteBuffer b = ByteBuffer.allocate(256);
    encode(b, method, 0, id, new byte[20]);
    byte[] d = Arrays.copyOf(b.array(), b.position());
    int seqAt = d.length - "1:y1:qe".length() - 4;
    int targetAt = method.equals("ping") ? -1 : "d1:ad2:id20:".length() + 20 + (method.equals("find_node") ? "6:target20:" : "9:info_hash20:").length();
    return new Template(d, targetAt, seqAt);
  }

  private static void encode(ByteBuffer buf, String method, int seq, byte[] id, byte[] target) {
    put(buf, "d1:ad2:id20:");
    buf.put(id);
    switch (method) {
      case "find_node" -> {
        put(buf, "6:target20:");
        buf.put(target);
      }
      case "get_peers" -> {
        put(buf, "9:info_hash20:");
        buf.put(target);
      }
      default -> {}
    }
    put(buf, "e1:q" + method.length() + ":" + method + "1:t4:");
    buf.putInt(seq);
    put(buf, "1:y1:qe");
  }

  private static void put(ByteBuffer buf, String s) {
    buf.put(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }

  private static String ms(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }
}
