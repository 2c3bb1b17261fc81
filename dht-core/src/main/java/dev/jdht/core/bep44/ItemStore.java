package dev.jdht.core.bep44;

import dev.jdht.krpc.wire.NodeId;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * BEP 44 items stored on this node, by target. An item expires {@code ttlNanos} (BEP 44 practice:
 * 2 hours) after it was last put; a put of the same item refreshes it. Bounded: at most {@code
 * maxItems} items and {@code maxBytes} bytes of values; at a cap the item put least recently is
 * evicted to make room. The store checks nothing: validation (signature, seq, cas, sizes) is
 * {@link ItemServer}'s job.
 *
 * <p>Times are monotonic nanoseconds and must not go backwards between calls. <b>Threading:</b>
 * not thread-safe; owned by the loop thread.
 */
public final class ItemStore {
  private record Entry(Item item, long storedAt) {}

  private final int maxItems;
  private final long maxBytes;
  private final long ttlNanos;
  /** Target to entry, least recently put first. */
  private final LinkedHashMap<NodeId, Entry> items = new LinkedHashMap<>();
  private long bytes;

  /**
   * @param maxItems items kept, positive
   * @param maxBytes bytes of values kept, positive
   * @param ttlNanos lifetime of a put, positive
   */
  public ItemStore(int maxItems, long maxBytes, long ttlNanos) {
    if (maxItems <= 0 || maxBytes <= 0 || ttlNanos <= 0) {
      throw new IllegalArgumentException("caps and ttl must be positive");
    }
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
    this.ttlNanos = ttlNanos;
  }

  /** The unexpired item under {@code target}, or null. */
  public Item get(NodeId target, long now) {
    Entry e = items.get(target);
    if (e == null) {
      return null;
    }
    if (now - e.storedAt >= ttlNanos) {
      remove(target);
      return null;
    }
    return e.item;
  }

  /** Stores (or replaces, or refreshes) the item under its target; evicts the oldest at a cap. */
  public void put(Item item, long now) {
    NodeId target = item.target();
    remove(target);
    while (!items.isEmpty() && (items.size() >= maxItems || bytes + item.value().length > maxBytes)) {
      remove(items.keySet().iterator().next());
    }
    items.put(target, new Entry(item, now));
    bytes += item.value().length;
  }

  private void remove(NodeId target) {
    Entry e = items.remove(target);
    if (e != null) {
      bytes -= e.item.value().length;
    }
  }

  /** Drops every expired item. */
  public void expire(long now) {
    Iterator<Entry> it = items.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (now - e.storedAt < ttlNanos) {
        break; // put order: the rest are younger
      }
      bytes -= e.item.value().length;
      it.remove();
    }
  }

  /** Items stored (expired ones not yet dropped included). */
  public int size() {
    return items.size();
  }

  /** Bytes of values stored. */
  public long bytes() {
    return bytes;
  }
}
