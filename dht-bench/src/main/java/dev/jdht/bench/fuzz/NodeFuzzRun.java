package dev.jdht.bench.fuzz;

import dev.jdht.core.api.DhtStats;
import dev.jdht.core.sim.NodeFuzzHarness;
import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.testdata.KrpcVectors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The long fuzz run of the whole node (issue 14): millions of inputs, each a fresh
 * {@link NodeFuzzHarness} fed one mutated input and checked after every datagram and by a final
 * ping. Not coverage-guided (that is the Jazzer target, dht-core's NodeFuzzTest, about 600
 * inputs/s under instrumentation); this one mutates seeds blindly but runs uninstrumented, tens of
 * thousands of inputs per second, so it reaches 10 million in minutes.
 *
 * <p>Seeds: every golden vector (valid, non-canonical, invalid) and the files of each
 * {@code --corpus} directory (Jazzer's saved inputs and generated corpus). Each datagram gets 1 mutation (half
 * of them) or 2 to 4 ({@link Mutator}) and is, half of the time, framed with up to 8 other mutated
 * datagrams from a few sources with clock advances in between (the harness's record format).
 *
 * <p>{@code java -cp dht-bench/target/benchmarks.jar dev.jdht.bench.fuzz.NodeFuzzRun
 * [--inputs 10000000] [--seed 1] [--corpus DIR]... [--findings DIR]}. Exit code 0 with no
 * finding, 1 with findings (each saved as a file, replayable as a NodeFuzzTest input).
 */
public final class NodeFuzzRun {
  private static final int MAX_FINDINGS = 10;

  private NodeFuzzRun() {}

  /** Runs the fuzzer; see the class comment. */
  public static void main(String[] args) throws IOException {
    long inputs = 10_000_000L;
    long seed = 1;
    List<Path> corpora = new ArrayList<>();
    Path findingsDir = Path.of("target", "fuzz-findings");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--inputs" -> inputs = Long.parseLong(args[i + 1]);
        case "--seed" -> seed = Long.parseLong(args[i + 1]);
        case "--corpus" -> corpora.add(Path.of(args[i + 1]));
        case "--findings" -> findingsDir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<byte[]> golden = goldenVectors();
    List<byte[]> seeds = seeds(golden, corpora);
    Mutator mutator = new Mutator(new Random(seed), seeds);
    System.out.printf(Locale.ROOT, "%,d seeds (%d golden vectors and the files of %s), %,d inputs, seed %d%n",
        seeds.size(), golden.size(), corpora, inputs, seed);
    long start = System.nanoTime();
    long lastReport = start;
    long datagrams = 0;
    long malformed = 0;
    long answered = 0;
    long errorsOut = 0;
    long rateLimited = 0;
    long wrongFamily = 0;
    long largest = 0;
    int findings = 0;
    long done = 0;
    for (; done < inputs && findings < MAX_FINDINGS; done++) {
      byte[] input = mutator.next();
      largest = Math.max(largest, input.length);
      NodeFuzzHarness h = new NodeFuzzHarness();
      try {
        h.feed(input);
        h.checkPing();
      } catch (RuntimeException | AssertionError e) {
        findings++;
        Path file = findingsDir.resolve("finding-" + done);
        Files.createDirectories(findingsDir);
        Files.write(file, input);
        System.out.printf(Locale.ROOT, "FINDING at input %,d: %s (saved to %s)%n", done, e, file);
        e.printStackTrace(System.out);
        continue;
      }
      DhtStats s = h.target().stats();
      datagrams += h.delivered();
      malformed += s.droppedMalformed();
      answered += s.queriesAnswered().values().stream().mapToLong(Long::longValue).sum();
      errorsOut += s.errorsOut();
      rateLimited += s.droppedRateLimited();
      wrongFamily += s.droppedWrongFamily();
      long now = System.nanoTime();
      if (now - lastReport > 10_000_000_000L) {
        lastReport = now;
        System.out.printf(Locale.ROOT, "%,d inputs, %,.0f inputs/s, %,d datagrams, %d findings%n",
            done + 1, (done + 1) / ((now - start) / 1e9), datagrams, findings);
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.println();
    System.out.println("| inputs | datagrams delivered | largest input (bytes) | malformed, dropped | queries answered"
        + " (ours to the target included) | KRPC errors sent | rate-limited | wrong family | findings | time (s) | inputs/s |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %d | %,.0f | %,.0f |%n",
        done, datagrams, largest, malformed, answered, errorsOut, rateLimited, wrongFamily, findings, secs, done / secs);
    System.exit(findings == 0 ? 0 : 1);
  }

  private static List<byte[]> goldenVectors() {
    List<byte[]> out = new ArrayList<>();
    KrpcVectors.valid().forEach(v -> out.add(v.bytes()));
    KrpcVectors.validNonCanonical().forEach(v -> out.add(v.bytes()));
    KrpcVectors.invalid().forEach(v -> out.add(v.bytes()));
    return out;
  }

  private static List<byte[]> seeds(List<byte[]> golden, List<Path> corpora) throws IOException {
    List<byte[]> out = new ArrayList<>(golden);
    for (Path dir : corpora) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.add(Files.readAllBytes(f));
        }
      }
    }
    return out;
  }

  /** Blind, bencode-aware mutations of seeds; deterministic for a given random. */
  static final class Mutator {
    private static final byte[] INTERESTING_BYTES = "\0\1\u007f\u00ffdelie:0189-".getBytes(StandardCharsets.ISO_8859_1);
    private static final String[] INTERESTING_INTS = {
      "0", "-1", "1", "-0", "00", "255", "256", "65535", "65536", "2147483647", "2147483648", "-2147483649",
      "9223372036854775807", "9223372036854775808", "99999999999999999999999", ""
    };
    private static final String[] KEYS = {
      "t", "y", "q", "r", "e", "a", "id", "target", "info_hash", "token", "port", "implied_port", "nodes", "nodes6",
      "values", "want", "ro", "v", "ip", "samples", "num", "interval", "seq", "sig", "k", "salt", "cas", "scrape",
      "noseed", "BFsd", "BFpe", "seed"
    };

    private final Random r;
    private final List<byte[]> seeds;

    Mutator(Random r, List<byte[]> seeds) {
      this.r = r;
      this.seeds = seeds;
    }

    /** The next input: a mutated datagram, or half of the time several framed with clock advances. */
    byte[] next() {
      if (r.nextBoolean()) {
        return datagram();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int n = 1 + r.nextInt(8);
      for (int i = 0; i < n; i++) {
        if (r.nextInt(4) == 0) {
          out.write(4 * r.nextInt(64)); // op % 4 == 0: the clock advances
          out.write(r.nextInt(256));
        }
        byte[] d = datagram();
        int op = r.nextInt(10) == 0 ? 129 + 2 * r.nextInt(63) : 1 + 2 * r.nextInt(63); // odd; over 128: IPv6
        out.write(op);
        out.write(0);
        out.write(r.nextInt(4)); // a few sources: repeated queriers, rate limits, id changes
        out.write(r.nextInt(3));
        out.write(d.length >> 8);
        out.write(d.length);
        out.write(d, 0, d.length);
      }
      return out.toByteArray();
    }

    private byte[] datagram() {
      byte[] d = seeds.get(r.nextInt(seeds.size())).clone();
      int n = r.nextBoolean() ? 1 : 2 + r.nextInt(3);
      for (int i = 0; i < n; i++) {
        d = mutate(d);
      }
      return d.length > 1500 ? Arrays.copyOf(d, 1500) : d;
    }

    private byte[] mutate(byte[] d) {
      if (r.nextInt(5) < 2) {
        byte[] t = mutateTree(d);
        if (t != null) {
          return t;
        }
      }
      switch (r.nextInt(9)) {
        case 0 -> { // flip a bit
          if (d.length > 0) {
            d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
          }
          return d;
        }
        case 1 -> { // an interesting byte
          if (d.length > 0) {
            d[r.nextInt(d.length)] = INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)];
          }
          return d;
        }
        case 2 -> { // erase a range
          if (d.length < 2) {
            return d;
          }
          int from = r.nextInt(d.length);
          int len = 1 + r.nextInt(Math.min(16, d.length - from));
          return concat(slice(d, 0, from), slice(d, from + len, d.length));
        }
        case 3 -> { // duplicate a range
          if (d.length == 0) {
            return d;
          }
          int from = r.nextInt(d.length);
          int len = 1 + r.nextInt(Math.min(32, d.length - from));
          int at = r.nextInt(d.length + 1);
          return concat(slice(d, 0, at), slice(d, from, from + len), slice(d, at, d.length));
        }
        case 4 -> { // splice with another seed
          byte[] o = seeds.get(r.nextInt(seeds.size()));
          int cut = d.length == 0 ? 0 : r.nextInt(d.length);
          int oc = o.length == 0 ? 0 : r.nextInt(o.length);
          return concat(slice(d, 0, cut), slice(o, oc, o.length));
        }
        case 5 -> { // change a string length prefix or an integer
          return replaceNumber(d);
        }
        case 6 -> { // insert a key with a random value somewhere
          int at = d.length == 0 ? 0 : r.nextInt(d.length);
          String k = KEYS[r.nextInt(KEYS.length)];
          return concat(slice(d, 0, at), ascii(k.length() + ":" + k), randomValue(2), slice(d, at, d.length));
        }
        case 7 -> { // deep nesting
          int depth = 1 + r.nextInt(r.nextBoolean() ? 8 : 600);
          byte[] open = new byte[depth];
          byte[] close = new byte[depth];
          for (int i = 0; i < depth; i++) {
            open[i] = (byte) (r.nextBoolean() ? 'l' : 'd');
            close[i] = 'e';
          }
          int at = d.length == 0 ? 0 : r.nextInt(d.length);
          return concat(slice(d, 0, at), open, r.nextBoolean() ? close : new byte[0], slice(d, at, d.length));
        }
        default -> { // replace a range with random bytes
          if (d.length == 0) {
            return d;
          }
          int from = r.nextInt(d.length);
          int len = 1 + r.nextInt(Math.min(8, d.length - from));
          for (int i = from; i < from + len; i++) {
            d[i] = (byte) r.nextInt(256);
          }
          return d;
        }
      }
    }

    /**
     * Decodes {@code d} as bencode, changes one value of the tree (replaced by a random value of any
     * type, a key removed or added, a string resized, an integer set to an edge value, a list item
     * dropped or added) and encodes it again: well-formed bencode that gets past the decoder to the
     * KRPC checks and the handlers. Null when {@code d} is not bencode.
     */
    private byte[] mutateTree(byte[] d) {
      BValue v;
      try {
        v = Bencode.decode(d, 0, d.length, 64);
      } catch (DecodeException | RuntimeException e) {
        return null;
      }
      return Bencode.encode(mutateValue(v, 0));
    }

    private BValue mutateValue(BValue v, int depth) {
      boolean here = depth > 6 || r.nextInt(3) == 0;
      if (v instanceof BValue.BDict dict && !dict.entries().isEmpty() && !here) {
        SortedMap<BValue.BString, BValue> m = new TreeMap<>(Bencode.KEY_ORDER);
        m.putAll(dict.entries());
        List<BValue.BString> keys = new ArrayList<>(m.keySet());
        BValue.BString k = keys.get(r.nextInt(keys.size()));
        switch (r.nextInt(6)) {
          case 0 -> m.remove(k);
          case 1 -> m.put(BValue.BString.of(KEYS[r.nextInt(KEYS.length)]), randomTree(2));
          default -> m.put(k, mutateValue(m.get(k), depth + 1));
        }
        return BValue.BDict.of(m);
      }
      if (v instanceof BValue.BList list && !list.items().isEmpty() && !here) {
        List<BValue> items = new ArrayList<>(list.items());
        int i = r.nextInt(items.size());
        switch (r.nextInt(5)) {
          case 0 -> items.remove(i);
          case 1 -> items.add(i, randomTree(1));
          default -> items.set(i, mutateValue(items.get(i), depth + 1));
        }
        return BValue.BList.of(items);
      }
      if (v instanceof BValue.BString str && r.nextBoolean()) {
        byte[] b = str.bytes();
        int len = r.nextBoolean() ? Math.max(0, b.length + r.nextInt(5) - 2)
            : new int[] {0, 1, 2, 4, 6, 18, 19, 20, 21, 26, 38, 64, 65, 1000, 1001}[r.nextInt(15)];
        byte[] out = Arrays.copyOf(b, len);
        if (len > b.length) {
          for (int i = b.length; i < len; i++) {
            out[i] = (byte) r.nextInt(256);
          }
        }
        return BValue.BString.of(out);
      }
      if (v instanceof BValue.BInteger && r.nextBoolean()) {
        long[] edges = {0, -1, 1, 65535, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
        return BValue.BInteger.of(edges[r.nextInt(edges.length)]);
      }
      return randomTree(2);
    }

    private BValue randomTree(int depth) {
      int kind = depth <= 0 ? r.nextInt(2) : r.nextInt(4);
      switch (kind) {
        case 0 -> {
          return BValue.BInteger.of(r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(70_000) - 2);
        }
        case 1 -> {
          int len = new int[] {0, 1, 2, 4, 6, 8, 18, 20, 26, 38, 64, 65, 256}[r.nextInt(13)];
          byte[] b = new byte[len];
          r.nextBytes(b);
          return BValue.BString.of(b);
        }
        case 2 -> {
          List<BValue> items = new ArrayList<>();
          for (int i = r.nextInt(4); i > 0; i--) {
            items.add(randomTree(depth - 1));
          }
          return BValue.BList.of(items);
        }
        default -> {
          SortedMap<BValue.BString, BValue> m = new TreeMap<>(Bencode.KEY_ORDER);
          for (int i = r.nextInt(4); i > 0; i--) {
            m.put(BValue.BString.of(KEYS[r.nextInt(KEYS.length)]), randomTree(depth - 1));
          }
          return BValue.BDict.of(m);
        }
      }
    }

    /** Replaces the digits of one number (a string length or an i...e integer) with an interesting one. */
    private byte[] replaceNumber(byte[] d) {
      List<int[]> runs = new ArrayList<>();
      for (int i = 0; i < d.length; i++) {
        if (d[i] >= '0' && d[i] <= '9') {
          int j = i;
          while (j < d.length && d[j] >= '0' && d[j] <= '9') {
            j++;
          }
          runs.add(new int[] {i, j});
          i = j;
        }
      }
      if (runs.isEmpty()) {
        return d;
      }
      int[] run = runs.get(r.nextInt(runs.size()));
      String v = r.nextInt(3) == 0
          ? Integer.toString(Integer.parseInt(new String(d, run[0], Math.min(9, run[1] - run[0]), StandardCharsets.US_ASCII))
              + (r.nextBoolean() ? 1 : -1))
          : INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)];
      return concat(slice(d, 0, run[0]), ascii(v), slice(d, run[1], d.length));
    }

    private byte[] randomValue(int depth) {
      int kind = depth <= 0 ? r.nextInt(2) : r.nextInt(4);
      return switch (kind) {
        case 0 -> ascii("i" + INTERESTING_INTS[r.nextInt(INTERESTING_INTS.length)] + "e");
        case 1 -> {
          int len = new int[] {0, 1, 2, 4, 6, 8, 18, 20, 26, 38, 64, 65, 256}[r.nextInt(13)];
          byte[] s = new byte[len];
          r.nextBytes(s);
          yield concat(ascii(len + ":"), s);
        }
        case 2 -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write('l');
          for (int i = r.nextInt(4); i > 0; i--) {
            out.writeBytes(randomValue(depth - 1));
          }
          out.write('e');
          yield out.toByteArray();
        }
        default -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write('d');
          for (int i = r.nextInt(4); i > 0; i--) {
            String k = KEYS[r.nextInt(KEYS.length)];
            out.writeBytes(ascii(k.length() + ":" + k));
            out.writeBytes(randomValue(depth - 1));
          }
          out.write('e');
          yield out.toByteArray();
        }
      };
    }

    private static byte[] ascii(String s) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] slice(byte[] d, int from, int to) {
      return Arrays.copyOfRange(d, from, to);
    }

    private static byte[] concat(byte[]... parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (byte[] p : parts) {
        out.writeBytes(p);
      }
      return out.toByteArray();
    }
  }
}
