package dev.jdht.cli;

/**
 * The command could not do its job for a reason outside the user's input: a lookup found nothing,
 * the network failed. The error handler prints its message as one line and exits with {@link
 * ExitCodes#FAILED}. Immutable; safe to throw from any thread.
 */
public final class CommandFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with a one-line, user-facing message. */
  public CommandFailed(String message) {
    super(message);
  }

  /** A failure with a one-line, user-facing message and its cause (shown with -v). */
  public CommandFailed(String message, Throwable cause) {
    super(message, cause);
  }
}
