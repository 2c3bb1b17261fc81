package dev.jdht.core.api;

import dev.jdht.core.bep44.Item;
import dev.jdht.core.bep44.ItemLookups;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a BEP 44 put. Immutable and thread-safe.
 *
 * @param target the item's target
 * @param item what was put (for a mutable item: with its new seq and signature)
 * @param get the get that came first: the item found then (for a mutable one, the seq that was
 *     increased) and the nodes with their tokens
 * @param targets nodes sent the put (the K closest responders that gave a token, per family)
 * @param stored nodes that acknowledged it
 * @param errors nodes that refused it, with their KRPC error (e.g. "302 Sequence number less than
 *     current")
 * @param timeouts puts that got no answer
 * @param timeToDone from the start of the get to the last answer to a put
 */
public record PutReport(
    NodeId target,
    Item item,
    ItemReport get,
    List<NodeInfo> targets,
    List<NodeInfo> stored,
    Map<NodeInfo, String> errors,
    int timeouts,
    Duration timeToDone) {
  public PutReport {
    targets = List.copyOf(targets);
    stored = List.copyOf(stored);
    errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
  }

  /** True when at least one node stored the item. */
  public boolean succeeded() {
    return !stored.isEmpty();
  }

  static PutReport of(ItemLookups.PutResult p, ItemReport get) {
    long started = p.get().lookup().startedAt();
    return new PutReport(p.item().target(), p.item(), get, p.targets(), p.stored(), p.errors(), p.timeouts(),
        Duration.ofNanos(Math.max(0, p.doneAt() - started)));
  }

  /** Both families' puts as one (lists joined, the later done). */
  static PutReport merge(PutReport a, PutReport b) {
    List<NodeInfo> targets = new ArrayList<>(a.targets);
    targets.addAll(b.targets);
    List<NodeInfo> stored = new ArrayList<>(a.stored);
    stored.addAll(b.stored);
    Map<NodeInfo, String> errors = new LinkedHashMap<>(a.errors);
    errors.putAll(b.errors);
    Duration done = a.timeToDone.compareTo(b.timeToDone) >= 0 ? a.timeToDone : b.timeToDone;
    return new PutReport(a.target, a.item, a.get, targets, stored, errors, a.timeouts + b.timeouts, done);
  }
}
