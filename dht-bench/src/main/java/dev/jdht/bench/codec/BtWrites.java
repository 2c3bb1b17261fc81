package dev.jdht.bench.codec;

import bt.bencoding.model.BEObject;
import bt.bencoding.types.BEInteger;
import bt.bencoding.types.BEList;
import bt.bencoding.types.BEMap;
import bt.bencoding.types.BEString;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Baseline: encodes a typed message with bt-bencoding 1.10: builds its tree ({@code BEMap} of
 * {@code BEString}, {@code BEInteger}, {@code BEList}) from the message's fields (ids via {@code
 * NodeId.toBytes()}, nodes copied out of the compact view, one array per peer) and writes it with
 * {@code BEMap.writeTo} into a {@link ByteArrayOutputStream} of 512 bytes (our encoder also starts
 * at 512), then takes the bytes. Stateless and thread-safe.
 */
public final class BtWrites {
  private static final BEString Y_Q = new BEString(new byte[] {'q'});
  private static final BEString Y_R = new BEString(new byte[] {'r'});

  private BtWrites() {}

  private static byte[] write(Map<String, BEObject<?>> top) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try {
      new BEMap(null, top).writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Map<String, BEObject<?>> query(Query q, Map<String, BEObject<?>> a) {
    Map<String, BEObject<?>> top = new HashMap<>();
    top.put("a", new BEMap(null, a));
    top.put("q", new BEString(q.method().getBytes(StandardCharsets.ISO_8859_1)));
    top.put("t", new BEString(q.transactionId().unsafeBytes()));
    top.put("y", Y_Q);
    return top;
  }

  /** ping query. */
  public static byte[] ping(Query.Ping q) {
    Map<String, BEObject<?>> a = new HashMap<>();
    a.put("id", new BEString(q.id().toBytes()));
    return write(query(q, a));
  }

  /** announce_peer query. */
  public static byte[] announcePeer(Query.AnnouncePeer q) {
    Map<String, BEObject<?>> a = new HashMap<>();
    a.put("id", new BEString(q.id().toBytes()));
    if (q.impliedPort()) {
      a.put("implied_port", new BEInteger(null, 1L));
    }
    a.put("info_hash", new BEString(q.infoHash().toBytes()));
    a.put("port", new BEInteger(null, (long) q.port()));
    a.put("token", new BEString(q.token()));
    return write(query(q, a));
  }

  /** A response with id and, when present, nodes, token, values and v. */
  public static byte[] response(Response resp) {
    Map<String, BEObject<?>> r = new HashMap<>();
    r.put("id", new BEString(resp.id().toBytes()));
    if (resp.hasNodes()) {
      CompactNodes n = resp.nodes();
      byte[] b = new byte[n.byteLength()];
      n.copyTo(b, 0);
      r.put("nodes", new BEString(b));
    }
    if (resp.token() != null) {
      r.put("token", new BEString(resp.token()));
    }
    if (resp.hasValues()) {
      CompactPeers v = resp.values();
      List<BEString> values = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        int o = v.offsetAt(i);
        values.add(new BEString(Arrays.copyOfRange(v.source(), o, o + v.lengthAt(i))));
      }
      r.put("values", new BEList(null, values));
    }
    Map<String, BEObject<?>> top = new HashMap<>();
    top.put("r", new BEMap(null, r));
    top.put("t", new BEString(resp.transactionId().unsafeBytes()));
    if (resp.version() != null) {
      top.put("v", new BEString(resp.version()));
    }
    top.put("y", Y_R);
    return write(top);
  }
}
