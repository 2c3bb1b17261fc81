package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
  void launcherRunsTheJar() throws Exception {
    assumeTrue(Files.isExecutable(LAUNCHER), "skipped: no executable launcher at " + LAUNCHER);
    Proc p = run(List.of("sh", LAUNCHER.toString(), "decode", "--sample"));
    assertEquals(0, p.exit(), p::toString);
    assertTrue(p.out().startsWith("{\n  \"t\": "), p.out());
  }
}
