package dev.jdht.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.jdht.core.api.Dht;
import dev.jdht.krpc.wire.NodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Helpers shared by the interop tests and the comparison harness: where the scripts are, the
 * prerequisite check, starting libtorrent / bittorrent-dht processes and our node.
 *
 * <p>Threading: stateless static methods, safe from any thread.
 */
public final class Interop {
  /** The python that has the Debian libtorrent binding (a pyenv python on PATH does not). */
  public static final String PYTHON = "/usr/bin/python3";

  private Interop() {}

  /** The interop/ directory: system property {@code interop.dir}, else ./interop or ../interop. */
  public static Path interopDir() {
    String p = System.getProperty("interop.dir");
    if (p != null) {
      return Path.of(p).toAbsolutePath().normalize();
    }
    for (String c : List.of("interop", "../interop")) {
      if (Files.isRegularFile(Path.of(c, "lt_node.py"))) {
        return Path.of(c).toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("cannot find the interop/ directory: set -Dinterop.dir=/path/to/interop");
  }

  /** Directory for the processes' logs: system property {@code interop.logs}, else target/interop-logs. */
  public static Path logDir(String sub) {
    String p = System.getProperty("interop.logs", "target/interop-logs");
    return Path.of(p, sub).toAbsolutePath().normalize();
  }

  /**
   * Fails (never skips) with instructions unless both implementations are installed: the
   * libtorrent Python binding for /usr/bin/python3, node, and interop/node_modules.
   */
  public static void requireImplementations() {
    Path dir = interopDir();
    List<String> missing = new ArrayList<>();
    if (!Files.isRegularFile(dir.resolve("lt_node.py")) || !Files.isRegularFile(dir.resolve("bt_node.js"))) {
      missing.add("the scripts lt_node.py / bt_node.js in " + dir);
    }
    if (!runs(List.of(PYTHON, "-c", "import libtorrent"))) {
      missing.add("libtorrent for " + PYTHON + " (Debian package python3-libtorrent)");
    }
    if (!runs(List.of("node", "--version"))) {
      missing.add("node (Node.js) on PATH");
    }
    if (!Files.isRegularFile(dir.resolve("node_modules/bittorrent-dht/package.json"))) {
      missing.add("the npm package bittorrent-dht in " + dir.resolve("node_modules"));
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(
          "interop tests need real libtorrent and bittorrent-dht, but these are missing: "
              + String.join("; ", missing)
              + ". Install them with: interop/setup.sh (as root; ./test.sh runs it before mvn verify)");
    }
  }

  /** Like {@link #requireImplementations()} for a test that drives libtorrent only. */
  public static void requireLibtorrent() {
    if (!runs(List.of(PYTHON, "-c", "import libtorrent"))) {
      throw new AssertionError("this interop test needs libtorrent for " + PYTHON
          + " (Debian package python3-libtorrent). Install it with: interop/setup.sh (as root)");
    }
  }

  private static boolean runs(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Starts {@code count} libtorrent nodes on {@code ipBase}+i. {@code extra} are more options
   * (e.g. "--bootstrap", "ip:port"). The process exits by itself after {@code lifetime}.
   */
  public static InteropProcess libtorrent(String name, Path logs, int count, String ipBase, Duration lifetime,
      String... extra) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(PYTHON, interopDir().resolve("lt_node.py").toString(),
        "--count", Integer.toString(count), "--ip-base", ipBase,
        "--max-lifetime", Long.toString(lifetime.toSeconds())));
    cmd.addAll(List.of(extra));
    return InteropProcess.start(name, cmd, interopDir(), logs, Duration.ofSeconds(90));
  }

  /** Starts {@code count} bittorrent-dht nodes; like {@link #libtorrent}. */
  public static InteropProcess bittorrentDht(String name, Path logs, int count, String ipBase, Duration lifetime,
      String... extra) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("node", interopDir().resolve("bt_node.js").toString(),
        "--count", Integer.toString(count), "--ip-base", ipBase,
        "--max-lifetime", Long.toString(lifetime.toSeconds())));
    cmd.addAll(List.of(extra));
    return InteropProcess.start(name, cmd, interopDir(), logs, Duration.ofSeconds(60));
  }

  /**
   * A builder for our node on a fixed loopback address and node id, with no bootstrap contacts
   * (never the public routers) and loopback contacts allowed. Rate limits stay at the defaults.
   */
  public static Dht.Builder ourNode(String ip, NodeId id) throws IOException {
    return Dht.builder()
        .bind(new InetSocketAddress(InetAddress.getByName(ip), 0))
        .nodeId(id)
        .bootstrap(List.of())
        .allowLocalAddresses(true)
        .readyTimeout(Duration.ofSeconds(30))
        .saveInterval(Duration.ofHours(1));
  }

  /** "ip:port" of our node. */
  public static String addr(Dht dht) {
    InetSocketAddress a = dht.localAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  /**
   * Datagrams the kernel dropped at each bound IPv4 UDP socket because its receive buffer was
   * full ("drops" of /proc/net/udp), by "ip:port"; empty where /proc is not available.
   */
  public static Map<String, Long> udpDrops() {
    Map<String, Long> out = new TreeMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc/net/udp"));
    } catch (IOException e) {
      return out;
    }
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 13 || !f[1].contains(":")) {
        continue;
      }
      String[] local = f[1].split(":");
      long ip = Long.parseLong(local[0], 16); // host byte order (little-endian) on x86/arm
      String dotted = (ip & 0xff) + "." + ((ip >> 8) & 0xff) + "." + ((ip >> 16) & 0xff) + "." + ((ip >> 24) & 0xff);
      out.put(dotted + ":" + Integer.parseInt(local[1], 16), Long.parseLong(f[f.length - 1]));
    }
    return out;
  }

  /** The sum of {@link #udpDrops()} over the sockets bound to {@code addrs} ("ip:port"). */
  public static long udpDrops(Collection<String> addrs) {
    Map<String, Long> all = udpDrops();
    return addrs.stream().mapToLong(a -> all.getOrDefault(a, 0L)).sum();
  }

  /** A JSON array of strings. */
  public static ArrayNode strings(Collection<String> values) {
    ArrayNode a = InteropProcess.JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  /** The strings of a JSON array. */
  public static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** A long counter from a JSON object, 0 when absent. */
  public static long count(JsonNode obj, String key) {
    return obj.path(key).asLong(0);
  }
}
