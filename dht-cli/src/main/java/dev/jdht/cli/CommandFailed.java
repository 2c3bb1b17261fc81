package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The command could not do its job for a reason outside the user's input: a lookup found nothing,
 * the network failed. The error handler prints its message as one line and exits with {@link
 * ExitCodes#FAILED}; with {@code --json} it also prints one JSON document on stdout: the partial
 * document attached with {@link #withJson} (if any) plus {@code "error": {"code", "message"}}.
 * Safe to throw from any thread once built.
 */
public final class CommandFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Error codes in JSON documents (stable: scripts may match on them). */
  public static final String FAILED = "failed";
  public static final String NOT_FOUND = "not_found";
  public static final String TIMEOUT = "timeout";
  public static final String NO_NODES = "no_nodes";
  public static final String INTERRUPTED = "interrupted";

  private final String code;
  private transient ObjectNode json;

  /** A failure with a one-line, user-facing message. */
  public CommandFailed(String message) {
    this(message, FAILED, null);
  }

  /** A failure with a one-line, user-facing message and its cause (shown with -v). */
  public CommandFailed(String message, Throwable cause) {
    this(message, FAILED, cause);
  }

  /** A failure with a machine-readable {@code code} (one of the constants) for JSON output. */
  public CommandFailed(String message, String code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The JSON error code. */
  public String code() {
    return code;
  }

  /** The partial JSON document of the command (what it found before failing), or null. */
  public ObjectNode json() {
    return json;
  }

  /** Attaches the partial document printed (with the error added) under {@code --json}. */
  public CommandFailed withJson(ObjectNode doc) {
    this.json = doc;
    return this;
  }
}
