package dev.jdht.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code lt_node.py} / {@code bt_node.js} process spoken to with JSON lines (protocol 1 of
 * interop/README.md): it is spawned, its ready line is read, commands carry a numeric {@code req}
 * and replies are matched by it (replies may overtake each other), stderr goes to a log file, and
 * {@link #close()} stops the process (quit, then stdin EOF, then kill).
 *
 * <p>Threading: every method may be called from any thread. One daemon thread per process reads
 * stdout; reply futures complete on it. Every conversation line (both directions) is appended to
 * {@code <name>.jsonl} next to the stderr log {@code <name>.stderr.log}.
 */
public final class InteropProcess implements AutoCloseable {
  /** Jackson mapper shared by the harness (thread-safe once configured). */
  public static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Process process;
  private final BufferedWriter stdin;
  private final PrintWriter transcript;
  private final Path stderrLog;
  private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextReq = new AtomicLong(1);
  private volatile boolean closed;

  private InteropProcess(String name, Process process, Path transcriptFile, Path stderrLog) throws IOException {
    this.name = name;
    this.process = process;
    this.stderrLog = stderrLog;
    this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.transcript = new PrintWriter(Files.newBufferedWriter(transcriptFile, StandardCharsets.UTF_8), true);
    Thread reader = new Thread(this::readLoop, "interop-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Spawns {@code command} (which must contain {@code --max-lifetime}) in {@code workDir}, logging
   * to {@code logDir/<name>.*}, and waits up to
   * {@code readyTimeout} for a {@code "ready":true} line. Throws (after killing the process) if it
   * fails to start; the message quotes the end of its stderr.
   */
  public static InteropProcess start(String name, List<String> command, Path workDir, Path logDir, Duration readyTimeout)
      throws IOException, InterruptedException {
    if (!command.contains("--max-lifetime")) {
      throw new IllegalArgumentException("pass --max-lifetime: nothing may outlive the test");
    }
    Files.createDirectories(logDir);
    Path err = logDir.resolve(name + ".stderr.log");
    Path transcript = logDir.resolve(name + ".jsonl");
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectError(ProcessBuilder.Redirect.to(err.toFile()));
    InteropProcess p = new InteropProcess(name, pb.start(), transcript, err);
    p.transcript.println("# " + String.join(" ", command));
    try {
      JsonNode r = p.ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!r.path("ready").asBoolean(false)) {
        throw new IOException(name + " failed to start: " + r + p.stderrTail());
      }
      return p;
    } catch (ExecutionException | TimeoutException e) {
      p.close();
      throw new IOException(name + " did not print a ready line within " + readyTimeout + ": " + e + p.stderrTail(), e);
    } catch (IOException | RuntimeException | InterruptedException e) {
      p.close();
      throw e;
    }
  }

  private void readLoop() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        transcript.println("< " + line);
        JsonNode msg;
        try {
          msg = JSON.readTree(line);
        } catch (IOException e) {
          continue; // not JSON: recorded in the transcript, otherwise ignored
        }
        if (!ready.isDone()) {
          ready.complete(msg);
          continue;
        }
        JsonNode req = msg.get("req");
        if (req != null && req.canConvertToLong()) {
          CompletableFuture<JsonNode> f = pending.remove(req.asLong());
          if (f != null) {
            f.complete(msg);
          }
        }
      }
    } catch (IOException e) {
      // stdout closed: handled below
    }
    String why = name + " closed its stdout" + exitInfo();
    ready.completeExceptionally(new IOException(why));
    for (CompletableFuture<JsonNode> f : pending.values()) {
      f.completeExceptionally(new IOException(why));
    }
    pending.clear();
  }

  private String exitInfo() {
    try {
      if (process.waitFor(2, TimeUnit.SECONDS)) {
        return " (exit code " + process.exitValue() + ")";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "";
  }

  /** The process name used in logs and messages. */
  public String name() {
    return name;
  }

  /** The ready line. */
  public JsonNode readyLine() {
    return ready.join();
  }

  /** "ip:port" of every node of this process, by index. */
  public List<String> addresses() {
    List<String> out = new ArrayList<>();
    for (JsonNode n : readyLine().path("nodes")) {
      out.add(n.path("addr").asText());
    }
    return out;
  }

  /** Hex node id of every node, by index. */
  public List<String> ids() {
    List<String> out = new ArrayList<>();
    for (JsonNode n : readyLine().path("nodes")) {
      out.add(n.path("id").asText());
    }
    return out;
  }

  /** A new command object {@code {"cmd": cmd}} to fill in and pass to {@link #send}/{@link #call}. */
  public static ObjectNode command(String cmd) {
    ObjectNode o = JSON.createObjectNode();
    o.put("cmd", cmd);
    return o;
  }

  /**
   * Sends a command (a {@code req} id is added) and returns the future reply. The future fails if
   * the process exits first; it never times out by itself (see {@link #call}).
   */
  public CompletableFuture<JsonNode> send(ObjectNode cmd) throws IOException {
    if (closed) {
      throw new IOException(name + " is closed");
    }
    long req = nextReq.getAndIncrement();
    ObjectNode msg = cmd.deepCopy();
    msg.put("req", req);
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(req, f);
    String line = JSON.writeValueAsString(msg);
    synchronized (stdin) {
      transcript.println("> " + line);
      stdin.write(line);
      stdin.write('\n');
      stdin.flush();
    }
    return f;
  }

  /**
   * Sends a command and waits up to {@code timeout} for its reply. Throws if the reply has
   * {@code "ok":false}, the process exits, or the timeout passes.
   */
  public JsonNode call(ObjectNode cmd, Duration timeout) throws IOException, InterruptedException {
    CompletableFuture<JsonNode> f = send(cmd);
    return await(f, cmd, timeout);
  }

  /** Waits for a reply obtained from {@link #send}; same failures as {@link #call}. */
  public JsonNode await(CompletableFuture<JsonNode> f, ObjectNode cmd, Duration timeout)
      throws IOException, InterruptedException {
    JsonNode r;
    try {
      r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(name + ": no reply to " + cmd + " within " + timeout + " (log: " + stderrLog + ")");
    } catch (ExecutionException e) {
      throw new IOException(name + ": " + e.getCause().getMessage() + stderrTail(), e.getCause());
    }
    if (!r.path("ok").asBoolean(false)) {
      throw new IOException(name + ": command " + cmd + " failed: " + r);
    }
    return r;
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines of the stderr log, for error messages. */
  public String stderrTail() {
    try {
      List<String> lines = Files.readAllLines(stderrLog, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 15), lines.size());
      return tail.isEmpty() ? "" : "\n--- " + stderrLog + " (tail) ---\n" + String.join("\n", tail);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Stops the process: "quit", stdin EOF, then SIGTERM after 5 s and SIGKILL after 5 more.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (process.isAlive() && ready.isDone() && !ready.isCompletedExceptionally()) {
      try {
        send(command("quit")).get(3, TimeUnit.SECONDS);
      } catch (Exception e) {
        // stopping anyway
      }
    }
    closed = true;
    try {
      synchronized (stdin) {
        stdin.close();
      }
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    transcript.println("# exit " + (process.isAlive() ? "(still running)" : process.exitValue()));
    transcript.close();
  }
}
