package dev.jdht.core.rpc;

import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * The queries we have in flight, keyed by transaction id. Ids are {@link #ID_LENGTH} random bytes,
 * unique among the transactions in flight (a collision is retried), so an off-path attacker cannot
 * guess them. A response matches only if its id is in flight AND it comes from the exact address
 * the query went to.
 *
 * <p>Bounded: at most {@code capacity} transactions; {@link #register} returns null when full.
 * Deadlines are ordered with {@link Long#compare}, which is right for monotonic nanoseconds as long
 * as they do not wrap around during the life of the table.
 *
 * <p><b>Threading:</b> not thread-safe; owned by the loop thread.
 *
 * @param <T> the owner type (whoever waits for the answer)
 */
public final class TransactionTable<T> {
  /** Transaction id length in bytes. */
  public static final int ID_LENGTH = 4;

  private static final int MAX_ID_ATTEMPTS = 64;

  private static final class Slot<T> implements Comparable<Slot<T>> {
    final Transaction<T> tx;
    final long seq;

    Slot(Transaction<T> tx, long seq) {
      this.tx = tx;
      this.seq = seq;
    }

    @Override
    public int compareTo(Slot<T> o) {
      int c = Long.compare(tx.deadline(), o.tx.deadline());
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final int capacity;
  private final Random random;
  private final Map<TransactionId, Slot<T>> inFlight;
  private final TreeSet<Slot<T>> byDeadline = new TreeSet<>();
  private long seq;

  /**
   * @param capacity maximum transactions in flight, positive
   * @param random source of ids (a {@link java.security.SecureRandom} or a well-seeded generator)
   */
  public TransactionTable(int capacity, Random random) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.random = random;
    this.inFlight = new HashMap<>(Math.min(capacity, 1 << 16) * 2);
  }

  /** True when {@link #register} would return null for want of room. */
  public boolean isFull() {
    return inFlight.size() >= capacity;
  }

  /**
   * Registers a query without a known send time ({@link Transaction#sentAt()} is {@link
   * Transaction#UNKNOWN_TIME}); prefer {@link #register(String, PeerAddress, long, long, Object)}
   * when the round trip matters.
   *
   * @return the transaction (use its id in {@code t}), or null when the table is full
   */
  public Transaction<T> register(String method, PeerAddress destination, long deadline, T owner) {
    return register(method, destination, Transaction.UNKNOWN_TIME, deadline, owner);
  }

  /**
   * Registers a query sent at {@code sentAt} that times out at {@code deadline}.
   *
   * @return the transaction (use its id in {@code t}), or null when the table is full
   */
  public Transaction<T> register(String method, PeerAddress destination, long sentAt, long deadline, T owner) {
    if (inFlight.size() >= capacity) {
      return null;
    }
    for (int attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      TransactionId id = TransactionId.ofLong(random.nextInt() & 0xffffffffL, ID_LENGTH);
      if (inFlight.containsKey(id)) {
        continue;
      }
      Transaction<T> tx = new Transaction<>(id, method, destination, sentAt, deadline, owner);
      Slot<T> slot = new Slot<>(tx, seq++);
      inFlight.put(id, slot);
      byDeadline.add(slot);
      return tx;
    }
    return null; // practically unreachable unless the table is nearly 2^32 large
  }

  /**
   * A response or error arrived with {@code id} from {@code from}. Returns and removes the
   * transaction only if the id is in flight and {@code from} equals its destination; otherwise
   * returns null and leaves the table unchanged (the caller counts it as unknown or spoofed).
   */
  public Transaction<T> complete(TransactionId id, PeerAddress from) {
    if (id == null) {
      return null;
    }
    Slot<T> slot = inFlight.get(id);
    if (slot == null || !slot.tx.destination().equals(from)) {
      return null;
    }
    remove(slot);
    return slot.tx;
  }

  /** The in-flight transaction with this id, or null; does not remove it. */
  public Transaction<T> peek(TransactionId id) {
    Slot<T> slot = id == null ? null : inFlight.get(id);
    return slot == null ? null : slot.tx;
  }

  /** Removes and returns every transaction whose deadline is at or before {@code now}, oldest deadline first. */
  public List<Transaction<T>> expire(long now) {
    List<Transaction<T>> out = new ArrayList<>();
    while (!byDeadline.isEmpty() && byDeadline.first().tx.deadline() <= now) {
      Slot<T> slot = byDeadline.pollFirst();
      inFlight.remove(slot.tx.id());
      out.add(slot.tx);
    }
    return out;
  }

  /** The earliest deadline in flight, or {@link Long#MAX_VALUE} when empty. */
  public long nextDeadline() {
    return byDeadline.isEmpty() ? Long.MAX_VALUE : byDeadline.first().tx.deadline();
  }

  /** Transactions in flight. */
  public int size() {
    return inFlight.size();
  }

  /** Maximum transactions in flight. */
  public int capacity() {
    return capacity;
  }

  /** Forgets a transaction (its answer will then be treated as unknown); no-op if absent. */
  public void cancel(TransactionId id) {
    Slot<T> slot = id == null ? null : inFlight.get(id);
    if (slot != null) {
      remove(slot);
    }
  }

  private void remove(Slot<T> slot) {
    inFlight.remove(slot.tx.id());
    byDeadline.remove(slot);
  }
}
