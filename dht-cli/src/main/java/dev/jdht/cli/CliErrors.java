package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr and an exit code.
 *
 * <ul>
 *   <li>Bad options or arguments (picocli {@link ParameterException}), {@link UsageError} and
 *       {@link IllegalArgumentException}: exit {@link ExitCodes#USAGE} (2).
 *   <li>{@link CommandFailed} and I/O failures: exit {@link ExitCodes#FAILED} (1).
 *   <li>Anything else is a bug: exit 1 with "internal error".
 * </ul>
 *
 * <p>The line reads {@code "<command>: <message>"}. A stack trace follows only with {@code
 * --verbose}. When the command line has {@code --json}, stdout also gets exactly one JSON document:
 * the command's partial document (see {@link CommandFailed#withJson}) with {@code "error": {"code",
 * "message"}} added, so a script reading stdout always gets a document. Stateless and thread-safe.
 */
public final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

  /** Handles bad options and arguments: one line, exit 2. */
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    StringBuilder line = new StringBuilder(oneLine(ex.getMessage()));
    if (ex instanceof UnmatchedArgumentException u) {
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append("; did you mean '").append(suggestions.get(0)).append("'?");
      }
    }
    line.append(" (see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help')");
    err.println(cmd.getCommandSpec().qualifiedName() + ": " + line);
    err.flush();
    if (wantsJson(args)) {
      printJsonError(cmd.getOut(), null, "usage", oneLine(ex.getMessage()));
    }
    return ExitCodes.USAGE;
  }

  /** Handles exceptions thrown by a command: one line (plus a stack trace with -v). */
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult pr) {
    int code;
    String message;
    String jsonCode;
    ObjectNode partial = null;
    if (ex instanceof UsageError || ex instanceof IllegalArgumentException) {
      code = ExitCodes.USAGE;
      message = ex.getMessage();
      jsonCode = "usage";
    } else if (ex instanceof CommandFailed f) {
      code = ExitCodes.FAILED;
      message = ex.getMessage();
      jsonCode = f.code();
      partial = f.json();
    } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      code = ExitCodes.FAILED;
      message = "I/O error: " + describe(ex instanceof UncheckedIOException u ? u.getCause() : ex);
      jsonCode = "io";
    } else {
      code = ExitCodes.FAILED;
      message = "internal error: " + describe(ex);
      jsonCode = "internal";
    }
    boolean verbose = Logging.verbosity(pr) > 0;
    PrintWriter err = cmd.getErr();
    String line = cmd.getCommandSpec().qualifiedName() + ": " + oneLine(message);
    if (!verbose && code == ExitCodes.FAILED && !(ex instanceof CommandFailed)) {
      line += " (run with --verbose for details)";
    }
    err.println(line);
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    if (wantsJson(pr)) {
      printJsonError(cmd.getOut(), partial, jsonCode, oneLine(message));
    }
    return code;
  }

  /** Whether the command that ran (the innermost subcommand) was given {@code --json}. */
  static boolean wantsJson(ParseResult pr) {
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--json")) {
        return true;
      }
    }
    return false;
  }

  /** For arguments that did not parse: whether {@code --json} is among them. */
  private static boolean wantsJson(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--json")) {
        return true;
      }
    }
    return false;
  }

  /** Prints {@code partial} (or an empty object) with {@code "error": {"code", "message"}} added. */
  static void printJsonError(PrintWriter out, ObjectNode partial, String code, String message) {
    ObjectNode doc = partial != null ? partial : Json.object();
    ObjectNode error = doc.putObject("error");
    error.put("code", code);
    error.put("message", message);
    Json.print(out, doc);
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m;
  }

  /** Collapses a possibly multi-line message into one line. */
  static String oneLine(String s) {
    if (s == null || s.isBlank()) {
      return "error";
    }
    return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
  }
}
