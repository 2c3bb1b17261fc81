package dev.jdht.core.bep44;

import dev.jdht.core.lookup.AnnounceRound;
import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.LookupObserver;
import dev.jdht.core.node.TokenRound;
import dev.jdht.core.routing.RoutingTable;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The client side of BEP 44 on one node: a get lookup that checks and keeps the items it meets,
 * and the put round that follows it. Runs on the node's thread; callbacks are invoked there.
 */
public final class ItemLookups {
  private ItemLookups() {}

  /**
   * What to look for: an immutable item under {@code target}, or the mutable item of {@code
   * publicKey} and {@code salt} (its target is derived from them).
   */
  public record Wanted(NodeId target, byte[] publicKey, byte[] salt) {
    public static Wanted immutable(NodeId target) {
      return new Wanted(target, null, null);
    }

    public static Wanted mutable(byte[] publicKey, byte[] salt) {
      if (publicKey == null || publicKey.length != Ed25519.KEY_LENGTH) {
        throw new IllegalArgumentException("public key must be 32 bytes");
      }
      byte[] s = salt == null ? new byte[0] : salt.clone();
      if (s.length > Item.MAX_SALT_BYTES) {
        throw new IllegalArgumentException("salt is longer than " + Item.MAX_SALT_BYTES + " bytes");
      }
      return new Wanted(Item.mutableTarget(publicKey, s), publicKey.clone(), s);
    }

    public boolean isMutable() {
      return publicKey != null;
    }

    /**
     * The item a response carries if it is a valid answer: the value hashes to the target
     * (immutable), or the key is ours and the signature verifies (mutable); else null.
     */
    Item itemIn(Response r) {
      if (r.value() == null) {
        return null;
      }
      if (!isMutable()) {
        Item i = Item.immutable(r.value());
        return i.target().equals(target) ? i : null;
      }
      if (r.key() == null || r.signature() == null || r.seq() == null
          || !java.util.Arrays.equals(r.key(), publicKey) || r.value().length > Item.MAX_VALUE_BYTES) {
        return null;
      }
      Item i = new Item(r.value(), r.key(), r.signature(), r.seq(), salt);
      return i.verify() ? i : null;
    }

    /** True when the response holds a value or a key, whether or not it checks out. */
    static boolean carriesItem(Response r) {
      return r.value() != null || r.key() != null;
    }
  }

  /**
   * The outcome of a get lookup.
   *
   * @param wanted what was looked for
   * @param lookup the lookup (its closest nodes carry their write tokens)
   * @param item the valid item with the highest seq seen (the first one for an immutable item),
   *     or null
   * @param valid responses with a valid item
   * @param invalid responses with an item that failed the checks (bad signature, wrong key or hash)
   * @param firstItemAt when the first valid item arrived, or -1
   * @param seqByNode for mutable items, the seq each node answered with (for {@code cas})
   * @param error why the lookup could not run, or null
   */
  public record GetResult(
      Wanted wanted,
      LookupResult lookup,
      Item item,
      int valid,
      int invalid,
      long firstItemAt,
      Map<PeerAddress, Long> seqByNode,
      String error) {
    public GetResult {
      seqByNode = Map.copyOf(seqByNode);
    }
  }

  /**
   * The outcome of a put round.
   *
   * @param item what was put
   * @param get the get lookup that found the nodes
   * @param targets nodes sent the put (the K closest responders that gave a token)
   * @param stored nodes that acknowledged it
   * @param errors nodes that refused it, with their KRPC error ("302 Sequence number less than current")
   * @param timeouts puts that got no answer
   * @param doneAt when the last answer arrived
   */
  public record PutResult(
      Item item,
      GetResult get,
      List<NodeInfo> targets,
      List<NodeInfo> stored,
      Map<NodeInfo, String> errors,
      int timeouts,
      long doneAt) {
    public PutResult {
      targets = List.copyOf(targets);
      stored = List.copyOf(stored);
      errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }
  }

  /** Runs a get lookup for {@code wanted} on {@code node}; {@code done} gets the result. */
  public static DhtNode.LookupHandle get(DhtNode node, Wanted wanted, Consumer<GetResult> done) {
    Map<PeerAddress, Long> seqs = new HashMap<>();
    Item[] best = {null};
    int[] counts = {0, 0};
    long[] firstAt = {-1};
    return node.get(wanted.target(), new LookupObserver() {
      @Override
      public void onResponse(NodeInfo from, Response r) {
        if (!Wanted.carriesItem(r)) {
          return;
        }
        Item item = wanted.itemIn(r);
        if (item == null) {
          counts[1]++;
          return;
        }
        counts[0]++;
        if (firstAt[0] < 0) {
          firstAt[0] = node.clock().nanos();
        }
        if (item.isMutable()) {
          seqs.put(from.address(), item.seq());
        }
        if (best[0] == null || (item.isMutable() && item.seq() > best[0].seq())) {
          best[0] = item;
        }
      }

      @Override
      public void onDone(LookupResult result, String error) {
        done.accept(new GetResult(wanted, result, best[0], counts[0], counts[1], firstAt[0], seqs, error));
      }
    });
  }

  /**
   * Puts {@code item} to the K closest nodes of {@code found} that gave a token, each with the
   * {@code cas} of the seq it answered with (mutable items; none when it had no item). {@code
   * done} gets the result once every put was answered or timed out.
   */
  public static void put(DhtNode node, GetResult found, Item item, Consumer<PutResult> done) {
    AnnounceRound round = new AnnounceRound(found.lookup().closest(), RoutingTable.K);
    List<NodeInfo> targets = new ArrayList<>();
    for (ClosestNode c : round.targets()) {
      targets.add(c.node());
    }
    Map<NodeInfo, String> errors = new LinkedHashMap<>();
    int[] timeouts = {0};
    TokenRound.run(
        round,
        (c, cb) -> node.put(c.node().address(), c.token(), item,
            item.isMutable() ? found.seqByNode().get(c.node().address()) : null, cb),
        new TokenRound.Failures() {
          @Override
          public void onError(NodeInfo n, ErrorMessage e) {
            errors.put(n, e.code() + " " + e.message());
          }

          @Override
          public void onTimeout(NodeInfo n) {
            timeouts[0]++;
          }

          @Override
          public void onNotSent(NodeInfo n) {
            errors.put(n, "not sent: too many queries in flight");
          }
        },
        () -> done.accept(
            new PutResult(item, found, targets, round.ackedNodes(), errors, timeouts[0], node.clock().nanos())));
  }
}
