package dev.jdht.cli;

/**
 * A usage or input error detected while a command runs (unreadable file, malformed datagram, bad
 * infohash, ...). The error handler prints its message as one line and exits with {@link
 * ExitCodes#USAGE}. Immutable; safe to throw from any thread.
 */
public final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An input error with a one-line, user-facing message. */
  public UsageError(String message) {
    super(message);
  }

  /** An input error with a one-line, user-facing message and the underlying cause (shown with -v). */
  public UsageError(String message, Throwable cause) {
    super(message, cause);
  }
}
