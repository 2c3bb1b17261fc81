package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The exit codes and one-line messages for exceptions thrown by a command. */
class CliErrorsTest {

  /** A command that throws what it is told to. */
  @Command(name = "boom", footer = "  dht boom usage")
  static final class Boom implements Callable<Integer> {
    @Parameters(index = "0")
    String what;

    @Override
    public Integer call() throws Exception {
      switch (what) {
        case "usage":
          throw new UsageError("bad infohash 'x'");
        case "iae":
          throw new IllegalArgumentException("port out of range");
        case "failed":
          throw new CommandFailed("no peers found");
        case "io":
          throw new UncheckedIOException(new IOException("Network is unreachable"));
        case "checked-io":
          throw new IOException("socket closed");
        case "bug":
          throw new IllegalStateException("oops\nsecond line");
        case "npe":
          throw new NullPointerException();
        default:
          return ExitCodes.OK;
      }
    }
  }

  private static Cli.Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err));
    cmd.addSubcommand(new CommandLine(new Boom()));
    // handlers and streams are set on the hierarchy at the time of the call: set them again
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    cmd.getOut().flush();
    cmd.getErr().flush();
    return new Cli.Result(code, out.toString(), err.toString());
  }

  @Test
  void usageErrorsExitTwo() {
    Cli.Result r = run("boom", "usage");
    assertEquals(2, r.exitCode());
    assertEquals("dht boom: bad infohash 'x'\n", r.err());
    assertEquals("dht boom: port out of range\n", run("boom", "iae").err());
    assertEquals(2, run("boom", "iae").exitCode());
  }

  @Test
  void failuresExitOne() {
    Cli.Result r = run("boom", "failed");
    assertEquals(1, r.exitCode());
    assertEquals("dht boom: no peers found\n", r.err());
    Cli.Result io = run("boom", "io");
    assertEquals(1, io.exitCode());
    assertEquals("dht boom: I/O error: IOException: Network is unreachable (run with --verbose for details)\n", io.err());
    assertEquals(1, run("boom", "checked-io").exitCode());
  }

  @Test
  void bugsExitOneWithOneLine() {
    Cli.Result r = run("boom", "bug");
    assertEquals(1, r.exitCode());
    assertEquals(1, r.errLines().size(), r::toString);
    assertTrue(r.err().startsWith("dht boom: internal error: IllegalStateException: oops; second line"), r.err());
    Cli.Result npe = run("boom", "npe");
    assertEquals("dht boom: internal error: NullPointerException (run with --verbose for details)\n", npe.err());
  }

  @Test
  void verboseAddsTheStackTrace() {
    Cli.Result r = run("-v", "boom", "bug");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("java.lang.IllegalStateException: oops"), r.err());
    assertTrue(r.err().contains("\tat dev.jdht.cli.CliErrorsTest$Boom.call"), r.err());
    Cli.Result quiet = run("boom", "bug");
    assertFalse(quiet.err().contains("\tat "), quiet.err());
  }

  @Test
  void inheritedOptionsReachAddedCommands() {
    assertEquals(0, run("boom", "ok", "-q").exitCode());
  }

  @Test
  void oneLineCollapsesNewlines() {
    assertEquals("a; b; c", CliErrors.oneLine("a\nb\r\n  c\n"));
    assertEquals("error", CliErrors.oneLine(null));
  }
}
