package dev.jdht.bench.codec;

/**
 * Where the benchmark readers put every field they read. In a JMH fork the only implementation
 * loaded is {@link BlackholeSink}, so calls are monomorphic and inline; tests use a recording
 * implementation to prove that our reader and the baseline readers read the same values.
 *
 * <p>Implementations need not be thread-safe.
 */
public interface Sink {
  /** Consumes an object (a byte array, a TransactionId, a NodeId, a PeerAddress, a String). */
  void consume(Object o);

  /** Consumes an int (an IPv4 address, a port). */
  void consume(int v);

  /** Consumes a char (the message type 'y'). */
  void consume(char v);

  /** Consumes a boolean (implied_port). */
  void consume(boolean v);
}
