package dev.jdht.bench.codec;

import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline: encodes a typed message with dampcake bencode 1.4.2: builds a {@code Map<String,
 * Object>} from the message's fields (byte strings as the same {@code byte[]}s {@link BtWrites}
 * builds, which dampcake accepts directly; integers as {@code Long}) and calls {@code
 * Bencode.encode(Map)}, which sorts the keys and returns the bytes. (Dampcake writes a {@link
 * ByteBuffer} value through {@code array()}, ignoring its offset, so a slice would be wrong; that
 * is why peers are copied out, as for bt.) Stateless and thread-safe.
 */
public final class DampcakeWrites {
  private static final byte[] Y_Q = {'q'};
  private static final byte[] Y_R = {'r'};

  private DampcakeWrites() {}

  private static Map<String, Object> query(Query q, Map<String, Object> a) {
    Map<String, Object> top = new HashMap<>();
    top.put("a", a);
    top.put("q", q.method().getBytes(StandardCharsets.ISO_8859_1));
    top.put("t", q.transactionId().unsafeBytes());
    top.put("y", Y_Q);
    return top;
  }

  /** ping query. */
  public static byte[] ping(Query.Ping q) {
    Map<String, Object> a = new HashMap<>();
    a.put("id", q.id().toBytes());
    return DampcakeReads.BENCODE.encode(query(q, a));
  }

  /** announce_peer query. */
  public static byte[] announcePeer(Query.AnnouncePeer q) {
    Map<String, Object> a = new HashMap<>();
    a.put("id", q.id().toBytes());
    if (q.impliedPort()) {
      a.put("implied_port", 1L);
    }
    a.put("info_hash", q.infoHash().toBytes());
    a.put("port", (long) q.port());
    a.put("token", q.token());
    return DampcakeReads.BENCODE.encode(query(q, a));
  }

  /** A response with id and, when present, nodes, token, values and v. */
  public static byte[] response(Response resp) {
    Map<String, Object> r = new HashMap<>();
    r.put("id", resp.id().toBytes());
    if (resp.hasNodes()) {
      CompactNodes n = resp.nodes();
      byte[] b = new byte[n.byteLength()];
      n.copyTo(b, 0);
      r.put("nodes", b);
    }
    if (resp.token() != null) {
      r.put("token", resp.token());
    }
    if (resp.hasValues()) {
      CompactPeers v = resp.values();
      List<Object> values = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        int o = v.offsetAt(i);
        values.add(Arrays.copyOfRange(v.source(), o, o + v.lengthAt(i)));
      }
      r.put("values", values);
    }
    Map<String, Object> top = new HashMap<>();
    top.put("r", r);
    top.put("t", resp.transactionId().unsafeBytes());
    if (resp.version() != null) {
      top.put("v", resp.version());
    }
    top.put("y", Y_R);
    return DampcakeReads.BENCODE.encode(top);
  }
}
