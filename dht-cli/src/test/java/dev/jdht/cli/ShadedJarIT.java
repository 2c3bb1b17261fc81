package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jdht.core.node.SavedState;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code target/dht.jar} (and the {@code ./dht} launcher) as separate
 * processes. Runs after {@code package} (the surefire execution {@code shaded-jar-it}, in {@code
 * mvn verify}); skipped, with a message, only when the jar has not been built.
 */
class ShadedJarIT {
  private static final Path JAR = Path.of("target", "dht.jar").toAbsolutePath();
  private static final Path LAUNCHER = Path.of("..", "dht").toAbsolutePath().normalize();

  @BeforeAll
  static void jarExists() {
    assumeTrue(Files.isRegularFile(JAR),
        "skipped: " + JAR + " is not built; run 'mvn -pl dht-cli verify' (or package first)");
  }

  record Proc(int exit, String out, String err) {}

  private static Proc run(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
    errReader.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished: " + command);
    errReader.join();
    return new Proc(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the process ended
    }
  }

  private static List<String> java(String... args) {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.add("-jar");
    c.add(JAR.toString());
    c.addAll(List.of(args));
    return c;
  }

  @Test
  void versionFromTheJar() throws Exception {
    Proc p = run(java("--version"));
    assertEquals(0, p.exit(), p::toString);
    assertEquals("dht " + VersionProvider.version(), p.out().lines().findFirst().orElse(""));
  }

  @Test
  void decodeSampleFromTheJar() throws Exception {
    Proc p = run(java("decode", "--sample"));
    assertEquals(0, p.exit(), p::toString);
    assertTrue(p.out().contains("\"values\": ["), p.out());
    assertEquals("", p.err());
  }

  @Test
  void malformedInputIsOneLineAndExitTwo() throws Exception {
    Proc p = run(java("decode", "--hex", "6431"));
    assertEquals(2, p.exit(), p::toString);
    assertEquals("", p.out());
    assertEquals(1, p.err().lines().count(), p.err());
    assertTrue(p.err().startsWith("dht decode: malformed KRPC message: "), p.err());
  }

  @Test
  void demoFromTheJarFindsEveryPeer() throws Exception {
    Proc p = run(java("demo", "--nodes", "60", "--seed", "9"));
    assertEquals(0, p.exit(), p::toString);
    assertEquals(8, p.out().lines().count(), p::toString);
    assertTrue(p.err().contains("All 8 announced peers were found."), p.err());
  }

  @Test
  void serveStopsCleanlyOnSigtermAndSavesItsState(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("state");
    List<String> cmd = java("serve", "--bind", "127.0.39.30:0", "--bootstrap", "none", "--state-dir", dir.toString(),
        "--stats-interval", "200ms");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectError(tmp.resolve("err.txt").toFile());
    Process p = pb.start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      assertTrue(first != null && first.matches("node [0-9a-f]{40} listening on UDP 127\\.0\\.39\\.30:\\d+"),
          first + " / " + Files.readString(tmp.resolve("err.txt")));
      String address = first.substring(first.lastIndexOf(' ') + 1);
      // it answers: another process pings it
      Proc ping = run(java("ping", address, "--bind", "127.0.39.31:0"));
      assertEquals(0, ping.exit(), ping::toString);
      assertTrue(ping.out().contains(first.substring(5, 45)), ping.out());
      String stats;
      while ((stats = out.readLine()) != null && !stats.contains("  nodes ")) {
        // skip to a line of statistics
      }
      assertTrue(stats != null, "a line of statistics");
      assertTrue(p.toHandle().destroy(), "SIGTERM sent"); // unlike Process.destroy, keeps stdout open
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped on SIGTERM");
      StringBuilder rest = new StringBuilder();
      for (String l; (l = out.readLine()) != null; ) {
        rest.append(l).append('\n');
      }
      assertTrue(rest.toString().contains("stopped; state saved to " + dir.resolve("dht.state")), rest.toString());
      assertTrue(Files.isRegularFile(dir.resolve("dht.state")), "state file present");
      assertEquals(first.substring(5, 45),
          SavedState.decode(Files.readAllBytes(dir.resolve("dht.state"))).id().toHex(), "the node id was saved");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void peersJsonInterruptedBySigtermStillPrintsOneDocument(@TempDir Path tmp) throws Exception {
    // a bootstrap node that never answers: the command is still joining when it is stopped
    try (java.net.DatagramSocket silent = new java.net.DatagramSocket(
        new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.39.33"), 0))) {
      List<String> cmd = java("peers", "c9e15763f722f23e98a29decdfae341b98d53056", "--json", "--no-state",
          "--bootstrap", "127.0.39.33:" + silent.getLocalPort(), "--bind", "127.0.39.32:0", "--timeout", "60s");
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.redirectError(tmp.resolve("err.txt").toFile());
      Process p = pb.start();
      try {
        // wait until the process has sent its first query, so it is past start-up
        silent.setSoTimeout(20_000);
        silent.receive(new java.net.DatagramPacket(new byte[1500], 1500));
        assertTrue(p.toHandle().destroy(), "SIGTERM sent");
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped on SIGTERM");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        com.fasterxml.jackson.databind.JsonNode doc = Json.mapper().readTree(out);
        assertEquals("interrupted", doc.path("error").path("code").asText(), out);
        assertEquals("c9e15763f722f23e98a29decdfae341b98d53056", doc.path("infohash").asText(), out);
        assertTrue(doc.path("peers").isArray() && doc.path("report").isObject(), out);
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void launcherRunsTheJar() throws Exception {
    assumeTrue(Files.isExecutable(LAUNCHER), "skipped: no executable launcher at " + LAUNCHER);
    Proc p = run(List.of("sh", LAUNCHER.toString(), "decode", "--sample"));
    assertEquals(0, p.exit(), p::toString);
    assertTrue(p.out().startsWith("{\n  \"t\": "), p.out());
  }
}
