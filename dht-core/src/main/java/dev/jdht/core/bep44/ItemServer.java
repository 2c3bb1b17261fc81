package dev.jdht.core.bep44;

import dev.jdht.core.rpc.TokenIssuer;
import dev.jdht.core.server.RateLimiter;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.Arrays;

/**
 * The server side of BEP 44: answers {@code get} from the {@link ItemStore} and checks and stores
 * {@code put}. Write tokens are those of {@code announce_peer} (the same {@link TokenIssuer}: a
 * token given to an IP with any {@code get} or {@code get_peers} answer lets it put).
 *
 * <p>A put is checked in this order, and the first failure is the answer (nothing is stored):
 * {@code v} over 1000 bytes bencoded (205), {@code salt} over 64 bytes (207), a missing or invalid
 * token (203), a negative {@code seq} (203), a bad signature (206), {@code cas} other than the
 * stored item's seq (301), a {@code seq} below the stored one, or equal to it with another value
 * (302). A {@code k} or {@code sig} of the wrong length never gets here: the codec rejects the
 * query (203). Pure: no clock, no I/O. Node thread only.
 */
public final class ItemServer {
  /** BEP 44 error codes. */
  public static final int VALUE_TOO_BIG = 205;
  public static final int INVALID_SIGNATURE = 206;
  public static final int SALT_TOO_BIG = 207;
  public static final int CAS_MISMATCH = 301;
  public static final int SEQ_TOO_LOW = 302;

  /** Why a put was refused: the KRPC error to answer with. */
  public record Rejection(int code, String message) {}

  private final ItemStore store;
  private final TokenIssuer tokens;
  private long puts;
  private long rejected;

  public ItemServer(ItemStore store, TokenIssuer tokens) {
    this.store = store;
    this.tokens = tokens;
  }

  public ItemStore store() {
    return store;
  }

  /**
   * Adds a write token and, if stored, the item to the answer of {@code g} (the caller adds the
   * closest nodes). A mutable item newer than the query's {@code seq} (or any, without one) is
   * sent whole; an older or equal one only as its {@code seq}.
   */
  public Response.Builder get(Query.Get g, Response.Builder b, PeerAddress from, long now) {
    b.token(tokens.issue(from.ipBytes(), now));
    Item item = store.get(g.target(), now);
    if (item == null) {
      return b;
    }
    if (!item.isMutable()) {
      return b.value(item.value());
    }
    b.seq(item.seq());
    if (g.seq() == null || item.seq() > g.seq()) {
      b.value(item.value()).key(item.key()).signature(item.signature());
    }
    return b;
  }

  /** Checks and stores {@code p}: null when stored, else the error to answer with. */
  public Rejection put(Query.Put p, PeerAddress from, long now) {
    Rejection r = check(p, from, now);
    if (r != null) {
      rejected++;
    }
    return r;
  }

  private Rejection check(Query.Put p, PeerAddress from, long now) {
    if (p.value().length > Item.MAX_VALUE_BYTES) {
      return new Rejection(VALUE_TOO_BIG, "Message (v field) too big");
    }
    if (p.salt() != null && p.salt().length > Item.MAX_SALT_BYTES) {
      return new Rejection(SALT_TOO_BIG, "Salt (salt field) too big");
    }
    if (!tokens.validate(p.token(), from.ipBytes(), now)) {
      return new Rejection(ErrorMessage.PROTOCOL, "bad token");
    }
    if (!p.isMutable()) {
      store.put(Item.immutable(p.value()), RateLimiter.key(from), now);
      puts++;
      return null;
    }
    if (p.seq() < 0) {
      return new Rejection(ErrorMessage.PROTOCOL, "negative seq");
    }
    Item item = new Item(p.value(), p.key(), p.signature(), p.seq(), p.salt());
    if (!item.verify()) {
      return new Rejection(INVALID_SIGNATURE, "Invalid signature");
    }
    Item stored = store.get(item.target(), now);
    if (stored != null) {
      if (p.cas() != null && p.cas() != stored.seq()) {
        return new Rejection(CAS_MISMATCH, "CAS mismatch");
      }
      if (item.seq() < stored.seq()
          || (item.seq() == stored.seq() && !Arrays.equals(item.value(), stored.value()))) {
        return new Rejection(SEQ_TOO_LOW, "Sequence number less than current");
      }
    }
    store.put(item, RateLimiter.key(from), now);
    puts++;
    return null;
  }

  /** Puts stored (new items, replacements and refreshes). */
  public long puts() {
    return puts;
  }

  /** Puts refused with an error. */
  public long rejected() {
    return rejected;
  }
}
