package dev.jdht.krpc;

import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.BValue.BInteger;
import dev.jdht.krpc.bencode.BValue.BList;
import dev.jdht.krpc.bencode.BValue.BString;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Test helper: random but valid KRPC messages of every type and random bencode trees, from a
 * seeded {@link Random}. Not thread-safe.
 */
public final class RandomMessages {
  /** Top-level keys the codec interprets: extras must avoid them. */
  public static final Set<String> TOP_KEYS = Set.of("t", "y", "q", "a", "r", "e", "v", "ip", "ro");
  /** Keys inside "a" the codec interprets. */
  public static final Set<String> ARG_KEYS =
      Set.of("id", "target", "info_hash", "port", "implied_port", "token", "want",
          "seq", "v", "k", "sig", "cas", "salt");
  /** Keys inside "r" the codec interprets. */
  public static final Set<String> BODY_KEYS = Set.of("id", "nodes", "nodes6", "values", "token",
      "samples", "interval", "num", "v", "k", "sig", "seq", "BFsd", "BFpe");

  private static final String[] METHODS = {"ping", "find_node", "get_peers", "announce_peer",
      "sample_infohashes", "get", "put", "unknown"};

  private final Random rnd;

  public RandomMessages(Random rnd) {
    this.rnd = rnd;
  }

  public byte[] bytes(int maxLen) {
    byte[] b = new byte[rnd.nextInt(maxLen + 1)];
    rnd.nextBytes(b);
    return b;
  }

  private byte[] bytesOrNull(int maxLen) {
    return rnd.nextBoolean() ? null : bytes(maxLen);
  }

  public NodeId id() {
    return NodeId.random(rnd);
  }

  public TransactionId transactionId() {
    return TransactionId.of(bytes(rnd.nextInt(10) == 0 ? 20 : 4));
  }

  public PeerAddress address(boolean v6) {
    byte[] ip = new byte[v6 ? 16 : 4];
    rnd.nextBytes(ip);
    return PeerAddress.of(ip, rnd.nextInt(65536));
  }

  /** A string of characters 0..255 (what the codec maps byte for byte). */
  public String isoString(int maxLen) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(maxLen + 1);
    for (int i = 0; i < n; i++) {
      sb.append(rnd.nextInt(4) == 0 ? (char) rnd.nextInt(256) : (char) ('a' + rnd.nextInt(26)));
    }
    return sb.toString();
  }

  /** Any Unicode text without lone surrogates (it survives UTF-8 both ways). */
  public String unicode(int maxLen) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(maxLen + 1);
    for (int i = 0; i < n; i++) {
      int cp;
      switch (rnd.nextInt(4)) {
        case 0:
          cp = 0x20 + rnd.nextInt(0x5f);
          break;
        case 1:
          cp = rnd.nextInt(0x800);
          break;
        case 2:
          cp = rnd.nextInt(0xd800);
          break;
        default:
          cp = 0x10000 + rnd.nextInt(0x100000);
      }
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  /** A random bencode value nested at most {@code depth} containers deep. */
  public BValue tree(int depth) {
    int kind = rnd.nextInt(depth <= 0 ? 2 : 4);
    switch (kind) {
      case 0:
        return BString.of(bytes(rnd.nextInt(8) == 0 ? 300 : 12));
      case 1: {
        switch (rnd.nextInt(5)) {
          case 0:
            return BInteger.of(rnd.nextLong());
          case 1:
            return BInteger.of(rnd.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE);
          case 2:
            return BInteger.of(0);
          default:
            return BInteger.of(rnd.nextInt(2001) - 1000);
        }
      }
      case 2: {
        List<BValue> items = new ArrayList<>();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
          items.add(tree(depth - 1));
        }
        return BList.of(items);
      }
      default: {
        TreeMap<BString, BValue> m = new TreeMap<>(Bencode.KEY_ORDER);
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
          m.put(BString.of(bytes(6)), tree(depth - 1));
        }
        return BDict.of(m);
      }
    }
  }

  /** Extras whose keys avoid {@code reserved}; values nested at most {@code depth} deep. */
  public SortedMap<String, BValue> extras(Set<String> reserved, int depth) {
    TreeMap<String, BValue> m = new TreeMap<>();
    if (rnd.nextInt(3) != 0) {
      return m;
    }
    int n = 1 + rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      String k = isoString(6);
      if (!reserved.contains(k)) {
        m.put(k, tree(depth));
      }
    }
    return m;
  }

  public QueryMeta meta() {
    List<String> want = null;
    if (rnd.nextInt(3) == 0) {
      want = new ArrayList<>();
      int n = rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        want.add(rnd.nextBoolean() ? (rnd.nextBoolean() ? "n4" : "n6") : isoString(4));
      }
    }
    return new QueryMeta(bytesOrNull(6), rnd.nextBoolean(), want, extras(TOP_KEYS, 6),
        extras(ARG_KEYS, 6));
  }

  /** A random valid message of a random type. */
  public KrpcMessage message() {
    switch (rnd.nextInt(3)) {
      case 0:
        return query(METHODS[rnd.nextInt(METHODS.length)]);
      case 1:
        return response();
      default:
        return error();
    }
  }

  public Query query(String method) {
    TransactionId t = transactionId();
    switch (method) {
      case "ping":
        return new Query.Ping(t, id(), meta());
      case "find_node":
        return new Query.FindNode(t, id(), id(), meta());
      case "get_peers":
        return new Query.GetPeers(t, id(), id(), meta());
      case "sample_infohashes":
        return new Query.SampleInfohashes(t, id(), id(), meta());
      case "announce_peer": {
        boolean implied = rnd.nextBoolean();
        int port = implied && rnd.nextBoolean() ? -1 : rnd.nextInt(65536);
        return new Query.AnnouncePeer(t, id(), id(), port, implied, bytes(20), meta());
      }
      case "get":
        return new Query.Get(t, id(), id(), rnd.nextBoolean() ? null : rnd.nextLong(), meta());
      case "put": {
        byte[] v = Bencode.encode(tree(3));
        if (rnd.nextBoolean()) {
          return new Query.Put(t, id(), bytes(20), v, null, null, null, null, null, meta());
        }
        byte[] k = new byte[32];
        byte[] sig = new byte[64];
        rnd.nextBytes(k);
        rnd.nextBytes(sig);
        return new Query.Put(t, id(), bytes(20), v, k, sig, rnd.nextLong(),
            rnd.nextBoolean() ? null : rnd.nextLong(), bytesOrNull(64), meta());
      }
      default: {
        TreeMap<BString, BValue> args = new TreeMap<>(Bencode.KEY_ORDER);
        NodeId id = null;
        if (rnd.nextInt(4) != 0) {
          id = id();
          args.put(BString.of("id"), BString.of(id.toBytes()));
        }
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
          String k = isoString(6);
          if (!k.equals("id")) {
            args.put(BString.of(k.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), tree(6));
          }
        }
        String name;
        do {
          name = isoString(12);
        } while (List.of(METHODS).contains(name));
        QueryMeta m = meta();
        // an unknown method's arguments are kept whole: its meta carries no want or argExtras
        m = new QueryMeta(m.version(), m.readOnly(), null, m.extras(), null);
        return new Query.Unknown(t, name, id, BDict.of(args), m);
      }
    }
  }

  public Response response() {
    Response.Builder b = Response.builder(transactionId(), id());
    if (rnd.nextBoolean()) {
      b.version(bytes(6));
    }
    if (rnd.nextInt(4) == 0) {
      b.externalIp(address(rnd.nextBoolean()));
    }
    if (rnd.nextBoolean()) {
      b.nodes(CompactNodes.of(nodes(false, rnd.nextInt(4) == 0 ? 100 : 8), false));
    }
    if (rnd.nextInt(3) == 0) {
      b.nodes6(CompactNodes.of(nodes(true, 8), true));
    }
    if (rnd.nextBoolean()) {
      List<PeerAddress> peers = new ArrayList<>();
      int n = rnd.nextInt(rnd.nextInt(5) == 0 ? 200 : 10);
      boolean mixed = rnd.nextBoolean();
      boolean v6 = rnd.nextBoolean();
      for (int i = 0; i < n; i++) {
        peers.add(address(mixed ? rnd.nextBoolean() : v6));
      }
      b.values(CompactPeers.of(peers));
    }
    if (rnd.nextBoolean()) {
      b.token(bytes(20));
    }
    if (rnd.nextInt(4) == 0) {
      byte[] s = new byte[20 * rnd.nextInt(20)];
      rnd.nextBytes(s);
      b.samples(s).interval((long) rnd.nextInt(21601)).num(rnd.nextLong());
    }
    if (rnd.nextInt(4) == 0) {
      b.value(Bencode.encode(tree(4)));
      if (rnd.nextBoolean()) {
        byte[] k = new byte[32];
        byte[] sig = new byte[64];
        rnd.nextBytes(k);
        rnd.nextBytes(sig);
        b.key(k).signature(sig).seq(rnd.nextLong());
      }
    }
    if (rnd.nextInt(5) == 0) {
      byte[] sd = new byte[256];
      byte[] pe = new byte[256];
      rnd.nextBytes(sd);
      rnd.nextBytes(pe);
      b.seedsBloom(sd).peersBloom(pe);
    }
    b.extras(extras(TOP_KEYS, 6));
    b.bodyExtras(extras(BODY_KEYS, 6));
    return b.build();
  }

  private List<NodeInfo> nodes(boolean v6, int max) {
    List<NodeInfo> out = new ArrayList<>();
    int n = rnd.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      out.add(new NodeInfo(id(), address(v6)));
    }
    return out;
  }

  public ErrorMessage error() {
    int code;
    switch (rnd.nextInt(3)) {
      case 0:
        code = 201 + rnd.nextInt(4);
        break;
      case 1:
        code = rnd.nextInt();
        break;
      default:
        code = rnd.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
    }
    TreeMap<String, BValue> extras = new TreeMap<>(extras(TOP_KEYS, 6));
    return new ErrorMessage(transactionId(), code, unicode(30), bytesOrNull(6), extras);
  }
}
