package dev.jdht.bench.server;

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator the server benchmarks share: client UDP sockets, each bound to its own
 * 127.{@code second}.(i / 250).(i % 250 + 1) address (a UDP source address is its socket's bind
 * address, so one source needs one socket), a paced sender of KRPC query templates spread round
 * robin over the sockets, and a receiver thread counting the replies (and their latency when the
 * send times are kept).
 *
 * <p>Threading: {@link #sendPaced} runs on the caller's thread, the receiver on its own; the
 * counters are safe to read from any thread.
 */
final class LoopbackLoad implements AutoCloseable {
  /** Send times are kept in a ring of this many slots, indexed by transaction id. */
  static final int RING = 1 << 22;

  private final List<DatagramChannel> clients = new ArrayList<>();
  private final Selector selector;

  /** A query's bytes with the offsets of its 20-byte target (-1: none) and 4-byte transaction id. */
  record Template(byte[] bytes, int targetAt, int seqAt) {}

  /** The replies seen by one {@link #startReceiver} run. */
  static final class Replies {
    final AtomicLong count = new AtomicLong();
    final long[] latencies;
    int nLat;
    final long[] sentAt;
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread thread;

    Replies(long[] sentAt, int maxLatencies) {
      this.sentAt = sentAt;
      this.latencies = new long[maxLatencies];
    }

    /** Stops the receiver and waits for it; the latencies are then safe to read. */
    void stop(Selector selector) throws InterruptedException {
      stop.set(true);
      selector.wakeup();
      thread.join();
    }

    /** The recorded latencies, sorted. */
    long[] sortedLatencies() {
      long[] lat = Arrays.copyOf(latencies, nLat);
      Arrays.sort(lat);
      return lat;
    }
  }

  private LoopbackLoad(Selector selector) {
    this.selector = selector;
  }

  /** Opens {@code sources} non-blocking sockets on 127.{@code second}.x.y, registered for reading. */
  static LoopbackLoad open(int sources, int second) throws IOException {
    if (sources < 1 || sources > 250 * 256) {
      throw new IllegalArgumentException("sources: 1..64000");
    }
    LoopbackLoad load = new LoopbackLoad(Selector.open());
    try {
      for (int i = 0; i < sources; i++) {
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        load.clients.add(ch);
        ch.bind(new InetSocketAddress("127." + second + "." + (i / 250) + "." + (i % 250 + 1), 0));
        ch.configureBlocking(false);
        ch.register(load.selector, SelectionKey.OP_READ);
      }
    } catch (IOException e) {
      load.close();
      throw new IOException("could not open " + sources + " sockets (ulimit -n?): " + e.getMessage(), e);
    }
    return load;
  }

  int size() {
    return clients.size();
  }

  Selector selector() {
    return selector;
  }

  /** Discards replies still queued in the client sockets. */
  void drain() throws IOException {
    ByteBuffer junk = ByteBuffer.allocate(2048);
    for (DatagramChannel ch : clients) {
      do {
        junk.clear();
      } while (ch.receive(junk) != null);
    }
  }

  /** Starts a thread counting replies; latencies are recorded when {@code sentAt} is not null. */
  Replies startReceiver(long[] sentAt, int maxLatencies, String name) {
    Replies r = new Replies(sentAt, sentAt == null ? 0 : maxLatencies);
    r.thread = new Thread(() -> receive(r), name);
    r.thread.setDaemon(true);
    r.thread.start();
    return r;
  }

  private void receive(Replies r) {
    ByteBuffer in = ByteBuffer.allocateDirect(2048);
    byte[] b = new byte[2048];
    try {
      while (!r.stop.get()) {
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
            r.count.incrementAndGet();
            if (r.sentAt != null) {
              int seq = transaction(b, n);
              if (seq >= 0 && r.sentAt[seq & (RING - 1)] != 0 && r.nLat < r.latencies.length) {
                r.latencies[r.nLat++] = now - r.sentAt[seq & (RING - 1)];
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends {@code rate} queries per second for {@code nanos} (or until {@code stop} is set), the
   * templates taken in turn and the sockets round robin; a template's target is randomised per
   * query and its transaction id is the query's sequence number. Returns the number sent.
   *
   * @param sentAt send times by transaction id (ring of {@link #RING}), or null
   */
  long sendPaced(InetSocketAddress server, long rate, long nanos, Template[] templates, Random rnd, long[] sentAt,
      AtomicBoolean stop) throws IOException {
    byte[] target = new byte[20];
    long start = System.nanoTime();
    long end = start + nanos;
    long sent = 0;
    ByteBuffer buf = ByteBuffer.allocateDirect(256);
    while (stop == null || !stop.get()) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      long due = (now - start) * rate / 1_000_000_000L;
      if (sent >= due) {
        // sleep rather than spin: a spinning sender takes a core from the node and the receiver
        LockSupport.parkNanos(100_000);
        continue;
      }
      while (sent < due) {
        int seq = (int) sent;
        Template t = templates[(int) (sent % templates.length)];
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
        if (sentAt != null) {
          sentAt[seq & (RING - 1)] = System.nanoTime();
        }
        clients.get((int) (sent % clients.size())).send(buf, server);
        sent++;
      }
    }
    return sent;
  }

  /** Nanoseconds as milliseconds with two decimals, "-" for a negative value. */
  static String ms(long nanos) {
    return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
  }

  /** The {@code p} quantile of sorted values, -1 when empty. */
  static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }

  /** The templates for {@code query}: one method, or ping, find_node and get_peers for "mix". */
  static Template[] templates(String query, byte[] id) {
    return query.equals("mix")
        ? new Template[] {template("ping", id), template("find_node", id), template("get_peers", id)}
        : new Template[] {template(query, id)};
  }

  static Template template(String method, byte[] id) {
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

  /** The 4-byte transaction id after {@code 1:t4:}, as an int, or -1. */
  static int transaction(byte[] b, int n) {
    for (int i = 0; i + 9 <= n; i++) {
      if (b[i] == '1' && b[i + 1] == ':' && b[i + 2] == 't' && b[i + 3] == '4' && b[i + 4] == ':') {
        return (b[i + 5] & 0xff) << 24 | (b[i + 6] & 0xff) << 16 | (b[i + 7] & 0xff) << 8 | (b[i + 8] & 0xff);
      }
    }
    return -1;
  }

  /** Closes every socket and the selector. */
  @Override
  public void close() throws IOException {
    for (DatagramChannel ch : clients) {
      ch.close();
    }
    selector.close();
  }

  /** Convenience: seconds to nanoseconds. */
  static long seconds(double s) {
    return (long) (s * TimeUnit.SECONDS.toNanos(1));
  }
}
