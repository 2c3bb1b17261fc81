package dev.jdht.core.bep44;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * BEP 44 items stored on this node, by target. An item expires {@code ttlNanos} (BEP 44 practice:
 * 2 hours) after it was last put; a put of the same item refreshes it. Bounded: at most {@code
 * maxItems} items and {@code maxBytes} bytes of values; at a cap the item put least recently is
 * evicted to make room. Each item is charged to the source that put it last (a key such as
 * {@code RateLimiter.key}: the IP, or the /64 for IPv6), and one source holds at most {@code
 * maxPerSource} items: a source at its cap makes room by evicting its own oldest, so one address
 * cannot flush everyone else's items out of the store. The store checks nothing else:
 * validation (signature, seq, cas, sizes) is {@link ItemServer}'s job.
 *
 * <p>Times are monotonic nanoseconds and must not go backwards between calls. <b>Threading:</b>
 * not thread-safe; owned by the loop thread.
 */
public final class ItemStore {
  private record Entry(Item item, PeerAddress source, long storedAt) {}

  private final int maxItems;
  private final long maxBytes;
  private final int maxPerSource;
  private final long ttlNanos;
  /** Target to entry, least recently put first. */
  private final LinkedHashMap<NodeId, Entry> items = new LinkedHashMap<>();
  /** Source to the targets charged to it, least recently put first; no empty sets. */
  private final Map<PeerAddress, LinkedHashSet<NodeId>> bySource = new HashMap<>();
  private long bytes;
  private long sourceCapEvictions;

  /**
   * No cap per source beyond the store's own.
   *
   * @param maxItems items kept, positive
   * @param maxBytes bytes of values kept, positive
   * @param ttlNanos lifetime of a put, positive
   */
  public ItemStore(int maxItems, long maxBytes, long ttlNanos) {
    this(maxItems, maxBytes, maxItems, ttlNanos);
  }

  /**
   * @param maxItems items kept, positive
   * @param maxBytes bytes of values kept, positive
   * @param maxPerSource items one source may hold, positive
   * @param ttlNanos lifetime of a put, positive
   */
  public ItemStore(int maxItems, long maxBytes, int maxPerSource, long ttlNanos) {
    if (maxItems <= 0 || maxBytes <= 0 || maxPerSource <= 0 || ttlNanos <= 0) {
      throw new IllegalArgumentException("caps and ttl must be positive");
    }
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
    this.maxPerSource = maxPerSource;
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

  /** Stores the item charged to no source (only the store's caps apply). */
  public void put(Item item, long now) {
    put(item, null, now);
  }

  /**
   * Stores (or replaces, or refreshes) the item under its target, charged to {@code source} (null:
   * none); evicts the source's oldest at its cap, then the store's oldest at a store cap.
   */
  public void put(Item item, PeerAddress source, long now) {
    NodeId target = item.target();
    remove(target);
    if (source != null) {
      LinkedHashSet<NodeId> own = bySource.get(source);
      while (own != null && own.size() >= maxPerSource) {
        remove(own.iterator().next());
        sourceCapEvictions++;
        own = bySource.get(source);
      }
    }
    while (!items.isEmpty() && (items.size() >= maxItems || bytes + item.value().length > maxBytes)) {
      remove(items.keySet().iterator().next());
    }
    items.put(target, new Entry(item, source, now));
    bytes += item.value().length;
    if (source != null) {
      bySource.computeIfAbsent(source, s -> new LinkedHashSet<>()).add(target);
    }
  }

  private void remove(NodeId target) {
    Entry e = items.remove(target);
    if (e != null) {
      forget(target, e);
    }
  }

  private void forget(NodeId target, Entry e) {
    bytes -= e.item.value().length;
    if (e.source != null) {
      LinkedHashSet<NodeId> own = bySource.get(e.source);
      own.remove(target);
      if (own.isEmpty()) {
        bySource.remove(e.source);
      }
    }
  }

  /** Drops every expired item. */
  public void expire(long now) {
    Iterator<Map.Entry<NodeId, Entry>> it = items.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<NodeId, Entry> e = it.next();
      if (now - e.getValue().storedAt < ttlNanos) {
        break; // put order: the rest are younger
      }
      it.remove();
      forget(e.getKey(), e.getValue());
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

  /** Items charged to {@code source}. */
  public int countFrom(PeerAddress source) {
    LinkedHashSet<NodeId> own = bySource.get(source);
    return own == null ? 0 : own.size();
  }

  /** Distinct sources holding items. */
  public int sources() {
    return bySource.size();
  }

  /** Items evicted because their source was at its cap (since start). */
  public long sourceCapEvictions() {
    return sourceCapEvictions;
  }
}
