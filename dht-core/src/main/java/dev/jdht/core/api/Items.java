package dev.jdht.core.api;

import dev.jdht.core.bep44.Item;
import dev.jdht.core.bep44.ItemLookups;
import dev.jdht.core.bep44.ItemLookups.GetResult;
import dev.jdht.core.bep44.ItemLookups.Wanted;
import dev.jdht.core.bep44.KeyPair;
import dev.jdht.core.node.DhtNode;
import dev.jdht.krpc.wire.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * BEP 44: storing and fetching items in the DHT, reached through {@link Dht#items()}.
 *
 * <p>Values are raw bencoding (e.g. {@code 12:Hello World!}), at most 1,000 bytes. An immutable
 * item lives under the SHA-1 of its value; a mutable item under the SHA-1 of its Ed25519 public
 * key and optional salt (at most 64 bytes), signed, with a sequence number that only goes up.
 * Every call runs a get lookup on each address family served; puts then go to the 8 closest
 * nodes of each family that gave a write token. Futures complete on the callback executor; the
 * value function of {@link #putMutable} runs there too, never on the loop thread. Thread-safe.
 */
public final class Items {
  private final Threads threads;
  private final List<DhtNode> nodes;

  Items(Threads threads, List<DhtNode> nodes) {
    this.threads = threads;
    this.nodes = List.copyOf(nodes);
  }

  /** The immutable item under {@code target}; the report's item is null if none was found. */
  public CompletableFuture<ItemReport> getImmutable(NodeId target) {
    return get(Wanted.immutable(Objects.requireNonNull(target, "target")));
  }

  /**
   * The mutable item of {@code publicKey} (32 bytes) and {@code salt} (null or empty for none):
   * the highest seq any node gave with a valid signature.
   */
  public CompletableFuture<ItemReport> getMutable(byte[] publicKey, byte[] salt) {
    return get(Wanted.mutable(publicKey, salt));
  }

  /**
   * Stores {@code bencodedValue} as an immutable item; its target is {@code report.target()}.
   *
   * @throws IllegalArgumentException if the value is not one bencoded value of at most 1,000 bytes
   */
  public CompletableFuture<PutReport> putImmutable(byte[] bencodedValue) {
    Item item = Item.immutable(Item.checkValue(bencodedValue));
    return getAll(Wanted.immutable(item.target()))
        .thenCompose(found -> put(found, item));
  }

  /**
   * Updates the mutable item of {@code keys} and {@code salt}: reads the current item, calls
   * {@code valueFunction} with its value (null if none was found) to get the new bencoded value,
   * and puts it with seq + 1 (1 for a new item) and, to each node, the {@code cas} of the seq it
   * gave. The future fails if the function throws or returns an invalid value.
   */
  public CompletableFuture<PutReport> putMutable(KeyPair keys, byte[] salt, UnaryOperator<byte[]> valueFunction) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(valueFunction, "valueFunction");
    Wanted wanted = Wanted.mutable(keys.publicKey(), salt);
    return getAll(wanted).thenCompose(found -> {
      Item current = found.report.item();
      byte[] value = Item.checkValue(valueFunction.apply(current == null ? null : current.value().clone()));
      long seq = current == null ? 1 : current.seq() + 1;
      return put(found, Item.signed(keys, wanted.salt(), seq, value));
    });
  }

  private CompletableFuture<ItemReport> get(Wanted wanted) {
    return getAll(wanted).thenApply(f -> f.report);
  }

  /** The get results of every family and their merged report. */
  private record Found(List<DhtNode> nodes, List<GetResult> results, ItemReport report) {}

  private CompletableFuture<Found> getAll(Wanted wanted) {
    CompletableFuture<Found> f = new CompletableFuture<>();
    threads.post(() -> {
      GetResult[] results = new GetResult[nodes.size()];
      int[] pending = {nodes.size()};
      for (int i = 0; i < nodes.size(); i++) {
        int family = i;
        ItemLookups.get(nodes.get(i), wanted, r -> {
          results[family] = r;
          if (--pending[0] == 0) {
            finishGet(f, List.of(results));
          }
        });
      }
    });
    return f;
  }

  private void finishGet(CompletableFuture<Found> f, List<GetResult> results) {
    ItemReport merged = null;
    String error = null;
    List<GetResult> ok = new ArrayList<>();
    List<DhtNode> okNodes = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      GetResult r = results.get(i);
      if (r.error() != null) {
        error = error == null ? r.error() : error;
        continue;
      }
      ok.add(r);
      okNodes.add(nodes.get(i));
      ItemReport one = ItemReport.of(r);
      merged = merged == null ? one : ItemReport.merge(merged, one);
    }
    if (ok.isEmpty()) {
      threads.complete(f, new DhtException(error), null);
    } else {
      threads.complete(f, null, new Found(okNodes, ok, merged));
    }
  }

  private CompletableFuture<PutReport> put(Found found, Item item) {
    CompletableFuture<PutReport> f = new CompletableFuture<>();
    threads.post(() -> {
      PutReport[] reports = new PutReport[found.results.size()];
      int[] pending = {reports.length};
      for (int i = 0; i < reports.length; i++) {
        int family = i;
        GetResult g = found.results.get(i);
        ItemLookups.put(found.nodes.get(i), g, item, p -> {
          reports[family] = PutReport.of(p, found.report);
          if (--pending[0] == 0) {
            PutReport all = reports[0];
            for (int j = 1; j < reports.length; j++) {
              all = PutReport.merge(all, reports[j]);
            }
            threads.complete(f, null, all);
          }
        });
      }
    });
    return f;
  }
}
