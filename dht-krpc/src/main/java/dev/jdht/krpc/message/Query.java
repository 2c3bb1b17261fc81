package dev.jdht.krpc.message;

import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.TransactionId;
import java.util.Map;

/** A KRPC query ("y":"q"). Each method is its own record; unknown methods are kept generically. */
public sealed interface Query extends KrpcMessage
    permits Query.Ping, Query.FindNode, Query.GetPeers, Query.AnnouncePeer,
        Query.SampleInfohashes, Query.Get, Query.Put, Query.Unknown {

  /** Method names as they appear in "q". */
  String PING = "ping";
  String FIND_NODE = "find_node";
  String GET_PEERS = "get_peers";
  String ANNOUNCE_PEER = "announce_peer";
  String SAMPLE_INFOHASHES = "sample_infohashes";
  String GET = "get";
  String PUT = "put";

  /** The method name ("q"). */
  String method();

  /** The querying node's id ("a" / "id"); null only for an unknown method that lacks it. */
  NodeId id();

  QueryMeta meta();

  @Override
  default byte[] version() {
    return meta().version();
  }

  @Override
  default java.util.SortedMap<String, BValue> extras() {
    return meta().extras();
  }

  /** BEP 43 read-only flag. */
  default boolean readOnly() {
    return meta().readOnly();
  }

  /** ping. */
  record Ping(TransactionId transactionId, NodeId id, QueryMeta meta) implements Query {
    @Override
    public String method() {
      return PING;
    }
  }

  /** find_node: the closest nodes to {@code target}. */
  record FindNode(TransactionId transactionId, NodeId id, NodeId target, QueryMeta meta)
      implements Query {
    @Override
    public String method() {
      return FIND_NODE;
    }
  }

  /** get_peers: peers for {@code infoHash}, or the closest nodes. */
  record GetPeers(TransactionId transactionId, NodeId id, NodeId infoHash, QueryMeta meta)
      implements Query {
    @Override
    public String method() {
      return GET_PEERS;
    }

    /** BEP 33 {@code scrape=1}: the querier wants the seeds and peers bloom filters. */
    public boolean scrape() {
      return flag(meta, "scrape");
    }

    /** BEP 33 {@code noseed=1}: the querier (a seed itself) wants no seeds among the values. */
    public boolean noseed() {
      return flag(meta, "noseed");
    }
  }

  /** True when the integer argument {@code key} of "a" is present and not 0 (BEP 33 flags). */
  private static boolean flag(QueryMeta meta, String key) {
    return meta.argExtras().get(key) instanceof BValue.BInteger i && i.value() != 0;
  }

  /**
   * announce_peer: the sender is a peer for {@code infoHash} on {@code port}, or on the UDP source
   * port when {@code impliedPort} is set. {@code port} is -1 if absent (allowed with implied_port).
   */
  record AnnouncePeer(
      TransactionId transactionId,
      NodeId id,
      NodeId infoHash,
      int port,
      boolean impliedPort,
      byte[] token,
      QueryMeta meta)
      implements Query {
    @Override
    public String method() {
      return ANNOUNCE_PEER;
    }

    /** BEP 33 {@code seed=1}: the announced peer is a seed. */
    public boolean seed() {
      return flag(meta, "seed");
    }
  }

  /** sample_infohashes (BEP 51). */
  record SampleInfohashes(TransactionId transactionId, NodeId id, NodeId target, QueryMeta meta)
      implements Query {
    @Override
    public String method() {
      return SAMPLE_INFOHASHES;
    }
  }

  /**
   * get (BEP 44): the item stored under {@code target}. {@code seq} (null if absent) asks a node
   * holding a mutable item to send it only if its sequence number is greater.
   */
  record Get(TransactionId transactionId, NodeId id, NodeId target, Long seq, QueryMeta meta)
      implements Query {
    @Override
    public String method() {
      return GET;
    }
  }

  /**
   * put (BEP 44): store an item. {@code value} is the raw bencoding of "v" exactly as it arrived
   * (what the target and the signature cover). An immutable put has only {@code token} and {@code
   * value}; a mutable one also {@code key} (32 bytes), {@code signature} (64 bytes) and {@code
   * seq}, and optionally {@code cas} and {@code salt}. Absent fields are null.
   */
  record Put(
      TransactionId transactionId,
      NodeId id,
      byte[] token,
      byte[] value,
      byte[] key,
      byte[] signature,
      Long seq,
      Long cas,
      byte[] salt,
      QueryMeta meta)
      implements Query {
    @Override
    public String method() {
      return PUT;
    }

    /** True for a mutable item (key, signature and seq present). */
    public boolean isMutable() {
      return key != null;
    }
  }

  /** A method this library does not know; {@code args} is the whole "a" dictionary. */
  record Unknown(TransactionId transactionId, String method, NodeId id, BDict args, QueryMeta meta)
      implements Query {}
}
