package dev.jdht.interop;

import static dev.jdht.interop.InteropProcess.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The harness against a fake node process (a few lines of Python); no DHT involved. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InteropProcessTest {
  /**
   * Prints a ready line, then answers "echo" at once, holds "slow" until the next command has been
   * answered (so replies overtake each other), fails "bad", and exits on "die".
   */
  private static final String FAKE = String.join("\n",
      "import json, sys",
      "print(json.dumps({'ready': True, 'nodes': [{'index': 0, 'addr': '127.9.9.9:1', 'id': '00' * 20}]}), flush=True)",
      "held = None",
      "for line in sys.stdin:",
      "    m = json.loads(line)",
      "    c = m['cmd']",
      "    if c == 'slow':",
      "        held = m",
      "        continue",
      "    if c == 'die':",
      "        sys.exit(3)",
      "    r = {'req': m['req'], 'cmd': c, 'ok': c != 'bad', 'echo': m.get('x')}",
      "    print(json.dumps(r), flush=True)",
      "    if held is not None:",
      "        print(json.dumps({'req': held['req'], 'cmd': 'slow', 'ok': True}), flush=True)",
      "        held = None");

  private static InteropProcess fake(Path dir, String script) throws Exception {
    return InteropProcess.start("fake", List.of(Interop.PYTHON, "-c", script, "--max-lifetime", "60"), dir,
        dir.resolve("logs"), Duration.ofSeconds(30));
  }

  @Test
  void matchesRepliesByReqEvenWhenTheyOvertakeEachOther(@TempDir Path dir) throws Exception {
    try (InteropProcess p = fake(dir, FAKE)) {
      assertEquals(List.of("127.9.9.9:1"), p.addresses());
      CompletableFuture<JsonNode> slow = p.send(command("slow"));
      JsonNode echo = p.call(command("echo").put("x", 42), Duration.ofSeconds(10));
      assertEquals(42, echo.path("echo").asInt());
      assertEquals("slow", slow.get(10, TimeUnit.SECONDS).path("cmd").asText());
      assertTrue(Files.readString(dir.resolve("logs/fake.jsonl")).contains("\"x\":42"), "transcript");
    }
  }

  @Test
  void failedCommandsAndExitsBecomeExceptions(@TempDir Path dir) throws Exception {
    try (InteropProcess p = fake(dir, FAKE)) {
      IOException bad = assertThrows(IOException.class, () -> p.call(command("bad"), Duration.ofSeconds(10)));
      assertTrue(bad.getMessage().contains("failed"), bad.getMessage());
      CompletableFuture<JsonNode> pending = p.send(command("slow"));
      p.send(command("die"));
      IOException gone = assertThrows(IOException.class, () -> p.await(pending, command("slow"), Duration.ofSeconds(10)));
      assertTrue(gone.getMessage().contains("exit code 3"), gone.getMessage());
      p.close();
      assertFalse(p.isAlive());
    }
  }

  @Test
  void aProcessThatIsNotReadyFailsToStart(@TempDir Path dir) {
    IOException e = assertThrows(IOException.class,
        () -> fake(dir, "import sys; print('{\"ready\": false, \"error\": \"nope\"}'); sys.exit(1)"));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> InteropProcess.start("x", List.of(Interop.PYTHON, "-c", "pass"), dir, dir, Duration.ofSeconds(5)));
  }
}
