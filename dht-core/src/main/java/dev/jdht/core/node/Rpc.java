package dev.jdht.core.node;

import dev.jdht.core.io.Transport;
import dev.jdht.core.lookup.LookupConfig;
import dev.jdht.core.lookup.RttEstimator;
import dev.jdht.core.rpc.Transaction;
import dev.jdht.core.rpc.TransactionTable;
import dev.jdht.core.time.Clock;
import dev.jdht.core.time.TimerQueue;
import dev.jdht.krpc.bencode.BencodeWriter;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing side of a node: encodes and sends messages, registers queries in the transaction
 * table, resends an unanswered query once at the adaptive soft timeout, and expires transactions
 * at their deadline. Node thread only.
 */
final class Rpc {
  private static final Logger log = LoggerFactory.getLogger(Rpc.class);

  /** Builds a query once its transaction id is known. */
  interface QueryFactory {
    Query build(TransactionId t);
  }

  private final Transport transport;
  private final TimerQueue timers;
  private final Clock clock;
  private final LookupConfig lookupConfig;
  private final RttEstimator rtt;
  private final Counters counters;
  private final TransactionTable<QueryCallback> transactions;
  private final BencodeWriter writer = new BencodeWriter(2048);
  private TimerQueue.Timer expiryTimer;
  private boolean closed;

  Rpc(
      Transport transport,
      TimerQueue timers,
      Clock clock,
      LookupConfig lookupConfig,
      RttEstimator rtt,
      Counters counters,
      TransactionTable<QueryCallback> transactions) {
    this.transport = transport;
    this.timers = timers;
    this.clock = clock;
    this.lookupConfig = lookupConfig;
    this.rtt = rtt;
    this.counters = counters;
    this.transactions = transactions;
  }

  /** Queries in flight. */
  int inFlight() {
    return transactions.size();
  }

  /** True when no further query can be registered until one finishes (the node is open). */
  boolean isFull() {
    return !closed && transactions.isFull();
  }

  /** The transaction that {@code t} from {@code from} answers (removed from the table), or null. */
  Transaction<QueryCallback> complete(TransactionId t, PeerAddress from) {
    return transactions.complete(t, from);
  }

  /** True if {@code t} is in flight (to whatever address). */
  boolean inFlight(TransactionId t) {
    return transactions.peek(t) != null;
  }

  /** Encodes and sends one message (a reply or an error). */
  void send(PeerAddress to, KrpcMessage message) {
    writer.reset();
    KrpcCodec.encode(message, writer);
    sendBuffer(to);
  }

  private void sendBuffer(PeerAddress to) {
    sendBytes(to, writer.buffer(), writer.size());
  }

  private void sendBytes(PeerAddress to, byte[] datagram, int n) {
    if (transport.send(to, datagram, 0, n)) {
      counters.datagramsOut++;
      counters.bytesOut += n;
    } else {
      counters.sendFailures++;
    }
  }

  /**
   * Registers a transaction and sends the query; false if the in-flight table is full or the node
   * is closed. Without an answer by the adaptive soft timeout (p90 of recent RTTs, clamped), the
   * identical datagram (same transaction id) goes out once more, if the timeout leaves room for a
   * second round trip: one lost datagram then no longer drops a node from a whole lookup.
   */
  boolean query(String method, PeerAddress to, QueryFactory f, long timeoutNanos, QueryCallback owner) {
    if (closed) {
      return false;
    }
    long now = clock.nanos();
    Transaction<QueryCallback> tx = transactions.register(method, to, now, now + timeoutNanos, owner);
    if (tx == null) {
      return false;
    }
    Counters.inc(counters.queriesOut, method);
    writer.reset();
    KrpcCodec.encode(f.build(tx.id()), writer);
    sendBuffer(to);
    armExpiry(tx.deadline());
    long resendDelay = lookupConfig.softTimeoutNanos(rtt);
    if (resendDelay <= timeoutNanos / 2) {
      byte[] datagram = Arrays.copyOf(writer.buffer(), writer.size());
      timers.schedule(now + resendDelay, () -> resend(tx, datagram));
    }
    return true;
  }

  private void resend(Transaction<QueryCallback> tx, byte[] datagram) {
    if (closed || transactions.peek(tx.id()) != tx) {
      return; // answered, expired or closed meanwhile
    }
    sendBytes(tx.destination(), datagram, datagram.length);
  }

  private void armExpiry(long deadline) {
    if (expiryTimer != null && !expiryTimer.isCancelled() && expiryTimer.deadline() <= deadline) {
      return;
    }
    if (expiryTimer != null) {
      expiryTimer.cancel();
    }
    expiryTimer = timers.schedule(deadline, this::expireTransactions);
  }

  private void expireTransactions() {
    expiryTimer = null;
    long now = clock.nanos();
    for (Transaction<QueryCallback> tx : transactions.expire(now)) {
      counters.timeouts++;
      try {
        tx.owner().onTimeout();
      } catch (RuntimeException e) {
        counters.handlerFailures++;
        log.debug("timeout handler failed", e);
      }
    }
    long next = transactions.nextDeadline();
    if (next != Long.MAX_VALUE && !closed) {
      armExpiry(next);
    }
  }

  /** Stops sending and cancels the expiry timer. */
  void close() {
    closed = true;
    if (expiryTimer != null) {
      expiryTimer.cancel();
    }
  }
}
