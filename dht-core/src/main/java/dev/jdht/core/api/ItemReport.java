package dev.jdht.core.api;

import dev.jdht.core.bep44.Item;
import dev.jdht.core.bep44.ItemLookups;
import dev.jdht.krpc.wire.NodeId;
import java.time.Duration;

/**
 * What a BEP 44 get found. Immutable and thread-safe.
 *
 * @param target the item's target
 * @param item the item: for a mutable one the highest seq seen with a valid signature; null if
 *     none was found
 * @param lookup the get lookup (queries, responses, timeouts, closest nodes with their tokens)
 * @param validResponses responses that carried a valid item
 * @param invalidResponses responses whose item failed the checks (bad signature, other key, a
 *     value that does not hash to the target)
 * @param timeToFirstItem from start to the first valid item, or null if none
 */
public record ItemReport(
    NodeId target, Item item, LookupReport lookup, int validResponses, int invalidResponses, Duration timeToFirstItem) {

  /** True when an item was found. */
  public boolean found() {
    return item != null;
  }

  static ItemReport of(ItemLookups.GetResult g) {
    Duration first = g.firstItemAt() < 0 ? null : Duration.ofNanos(g.firstItemAt() - g.lookup().startedAt());
    return new ItemReport(g.wanted().target(), g.item(), LookupReport.of(g.lookup()), g.valid(), g.invalid(), first);
  }

  /** Both families' reports as one: the better item (higher seq), counts added, earliest first item. */
  static ItemReport merge(ItemReport a, ItemReport b) {
    Item best = better(a.item, b.item);
    Duration first = a.timeToFirstItem == null ? b.timeToFirstItem
        : b.timeToFirstItem == null || a.timeToFirstItem.compareTo(b.timeToFirstItem) <= 0 ? a.timeToFirstItem
        : b.timeToFirstItem;
    return new ItemReport(a.target, best, LookupReport.merge(a.lookup, b.lookup),
        a.validResponses + b.validResponses, a.invalidResponses + b.invalidResponses, first);
  }

  static Item better(Item a, Item b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return b.seq() > a.seq() ? b : a;
  }
}
