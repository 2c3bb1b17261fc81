package dev.jdht.bench.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The light load generator of {@link ServerLoadBench} ({@code --generator native}): the C program
 * {@code udpload.c} (a resource of this package), compiled with the machine's {@code gcc} into a
 * temporary directory, one process per row. It sends with {@code sendmmsg} and receives with
 * {@code recvmmsg} in batches of 64 from one socket, choosing each query's source address
 * (127.{@code second}.x.y, as {@link LoopbackLoad} does with one socket per source) with an
 * {@code IP_PKTINFO} control message. Java NIO has no batched system calls, so the Java generator
 * spends about as much CPU per query as the node spends per reply; this one spends a small
 * fraction of it and leaves the node a core of its own on a 2-core machine. {@code --generator
 * native-spin} runs it in one thread that never sleeps (see {@link #open}). Linux only.
 */
final class NativeLoad implements ServerLoadBench.Generator {
  private final Path dir;
  private final Path binary;
  private final int sources;
  private final int second;
  private final boolean spin;

  private NativeLoad(Path dir, Path binary, int sources, int second, boolean spin) {
    this.dir = dir;
    this.binary = binary;
    this.sources = sources;
    this.second = second;
    this.spin = spin;
  }

  /**
   * Compiles the generator; fails with the compiler's message when gcc is missing or fails.
   *
   * @param spin one thread that never sleeps: it sends when queries are due and otherwise reads
   *     replies without blocking, so no generator thread ever waits on the socket and the node's
   *     {@code sendto} wakes nobody up (on a real network the client's receive work happens on
   *     another machine; over loopback the sender's system call does it, wake-up included). It
   *     keeps one core busy. Otherwise a sender that naps 50 us between batches and a receiver
   *     thread blocked in {@code recvmmsg}.
   */
  static NativeLoad open(int sources, int second, boolean spin) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("udpload");
    Path source = dir.resolve("udpload.c");
    try (InputStream in = NativeLoad.class.getResourceAsStream("udpload.c")) {
      if (in == null) {
        throw new IOException("udpload.c is not on the class path");
      }
      Files.copy(in, source);
    }
    Path binary = dir.resolve("udpload");
    Process cc;
    try {
      cc = new ProcessBuilder("gcc", "-O2", "-pthread", "-o", binary.toString(), source.toString())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("--generator native needs gcc (apt-get install gcc): " + e.getMessage(), e);
    }
    String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (cc.waitFor() != 0) {
      throw new IOException("gcc failed on udpload.c:\n" + out);
    }
    return new NativeLoad(dir, binary, sources, second, spin);
  }

  @Override
  public ServerLoadBench.Run run(InetSocketAddress server, long rate, int seconds, String query, byte[] id,
      Random rnd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(binary.toString(), server.getAddress().getHostAddress(),
        Integer.toString(server.getPort()), Long.toString(rate), Integer.toString(seconds),
        Integer.toString(sources), Integer.toString(second), query, HexFormat.of().formatHex(id), spin ? "spin" : "block"))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    // wait first (it prints one line at the end, so its pipe cannot fill): reading to the end of
    // its output would block for as long as it runs, and the timeout would never apply
    if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("udpload did not finish within " + (seconds + 30) + " s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.exitValue() != 0) {
      throw new IOException("udpload failed (exit " + p.exitValue() + "): " + out);
    }
    Map<String, Long> v = new HashMap<>();
    for (String kv : out.split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        v.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
      }
    }
    if (!v.keySet().containsAll(List.of("sent", "replies", "elapsed_ns", "p50_ns", "p99_ns", "max_ns"))) {
      throw new IOException("udpload printed an unexpected line: " + out);
    }
    return new ServerLoadBench.Run(v.get("sent"), v.get("replies"), v.get("elapsed_ns"), v.get("p50_ns"),
        v.get("p99_ns"), v.get("max_ns"));
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(binary);
    Files.deleteIfExists(dir.resolve("udpload.c"));
    Files.deleteIfExists(dir);
  }
}
