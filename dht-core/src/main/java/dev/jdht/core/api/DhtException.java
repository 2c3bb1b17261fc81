package dev.jdht.core.api;

/** A DHT operation failed: the node is closed, a limit was reached, or nobody answered. */
public final class DhtException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DhtException(String message) {
    super(message);
  }

  public DhtException(String message, Throwable cause) {
    super(message, cause);
  }
}
