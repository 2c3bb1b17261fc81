package dev.jdht.bench.codec;

import bt.bencoding.serializers.BEParser;
import com.dampcake.bencode.Type;
import dev.jdht.krpc.codec.KrpcCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A cross-check for the JMH numbers on a busy machine: runs the get_peers decode benchmarks in
 * one thread and reports <em>CPU time</em> per operation (the thread's CPU clock, so time spent
 * descheduled while other processes run is not counted), the best of several rounds. Not a
 * replacement for JMH (no forking, one JVM for all cases); it only tells whether a
 * JMH result was inflated by load.
 *
 * <p>Run: {@code java -cp dht-bench/target/benchmarks.jar dev.jdht.bench.codec.CpuTimeCheck}.
 * Single-threaded; not for use from other code.
 */
public final class CpuTimeCheck {
  private CpuTimeCheck() {}

  private interface Op {
    void run() throws Exception;
  }

  private static double round(ThreadMXBean mx, Op op, int n) throws Exception {
    long t0 = mx.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    return (mx.getCurrentThreadCpuTime() - t0) / (double) n;
  }

  /** Prints one line per case: best and median CPU ns/op over 10 rounds after warm-up. */
  public static void main(String[] args) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    byte[] gp = CodecFixtures.GET_PEERS_RESPONSE.clone();
    // the same sink as the JMH benchmarks, around a blackhole made outside JMH (JMH's own way of
    // allowing this is the password below); without JMH's compiler hints it is the classic,
    // slightly slower blackhole, so read costs here are an upper bound
    Blackhole bh = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    Sink s = new BlackholeSink(bh);
    Map<String, Op> cases = new LinkedHashMap<>();
    JdhtReads ours = new JdhtReads();
    cases.put("getPeersResponse_jdht", () -> ours.getPeersResponse(gp, s));
    cases.put("getPeersDecodeOnly_jdht", () -> s.consume(KrpcCodec.decode(gp)));
    cases.put("getPeersResponse_dampcake", () -> DampcakeReads.getPeersResponse(gp, s));
    cases.put("getPeersDecodeOnly_dampcake",
        () -> s.consume(DampcakeReads.BENCODE.decode(gp, Type.DICTIONARY)));
    cases.put("getPeersResponse_bt", () -> BtReads.getPeersResponse(gp, s));
    cases.put("getPeersDecodeOnly_bt", () -> {
      try (BEParser p = new BEParser(gp)) {
        s.consume(p.readMap());
      }
    });
    for (Map.Entry<String, Op> c : cases.entrySet()) {
      boolean slow = c.getKey().endsWith("_bt");
      int n = slow ? 20_000 : 500_000;
      for (int i = 0; i < 6; i++) {
        round(mx, c.getValue(), n);
      }
      double[] r = new double[10];
      for (int i = 0; i < r.length; i++) {
        r[i] = round(mx, c.getValue(), n);
      }
      java.util.Arrays.sort(r);
      System.out.printf("%-28s cpu ns/op: best %8.1f  median %8.1f%n", c.getKey(), r[0],
          (r[4] + r[5]) / 2);
    }
    bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
  }
}
