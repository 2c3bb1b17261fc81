package dev.jdht.cli;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** What every command asks about its invocation. Stateless and thread-safe. */
final class Commands {
  private Commands() {}

  /** The parse result of the whole command line (root and subcommands). */
  static ParseResult parseResult(CommandSpec spec) {
    return spec.root().commandLine().getParseResult();
  }

  /** Whether {@code -q} was given: then only errors go to stderr. */
  static boolean quiet(CommandSpec spec) {
    return Logging.quiet(parseResult(spec));
  }

  /** How many {@code -v} were given. */
  static int verbosity(CommandSpec spec) {
    return Logging.verbosity(parseResult(spec));
  }

  /**
   * Waits for {@code f} until {@code deadlineNanos} ({@link System#nanoTime()} based). Returns its
   * value, or null if the deadline passed first (the future is then cancelled). A failure, a
   * cancellation or an interrupt (which also cancels the future) becomes a {@link CommandFailed}
   * named after {@code what} ("lookup failed: ...", "announce cancelled", "interrupted").
   */
  static <T> T await(CompletableFuture<T> f, long deadlineNanos, String what) {
    try {
      return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(false);
      return null;
    } catch (ExecutionException e) {
      throw new CommandFailed(what + " failed: " + CliErrors.oneLine(e.getCause().getMessage()), e.getCause());
    } catch (CancellationException e) {
      throw new CommandFailed(what + " cancelled", CommandFailed.INTERRUPTED, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(false);
      throw new CommandFailed("interrupted", CommandFailed.INTERRUPTED, e);
    }
  }
}
