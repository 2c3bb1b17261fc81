package dev.jdht.crawl.store;

/**
 * The store cannot be used: the database is unreachable, refuses our login, is read-only or full,
 * holds a schema newer than this program, or is not a crawl store. The message is one line meant
 * for the user (no stack trace needed); the cause, when there is one, is the JDBC error.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A store error with a one-line message. */
  public StoreException(String message) {
    super(message);
  }

  /** A store error with a one-line message and its cause. */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
