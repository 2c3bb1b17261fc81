package dev.jdht.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.BValue.BInteger;
import dev.jdht.krpc.bencode.BValue.BList;
import dev.jdht.krpc.bencode.BValue.BString;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KRPC messages and bencode trees as JSON trees, for {@code dht decode}.
 *
 * <p>A decoded message prints with its KRPC keys ({@code t}, {@code y}, {@code q}, {@code a},
 * {@code r}, {@code e}, {@code v}, {@code ip}) first, then the keys the codec kept as extras.
 * Binary KRPC fields print as lowercase hex, addresses as {@code "ip:port"}, node lists as
 * {@code {"id","ip","port"}} objects; other byte strings follow {@link ByteText}. When the raw
 * dictionary is given, any key the typed message does not carry (e.g. {@code ro: 0}) is printed
 * from it, so nothing the sender sent is hidden. Stateless and thread-safe.
 */
public final class KrpcJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Keys whose byte strings are always binary. */
  private static final Set<String> HEX_KEYS =
      Set.of("t", "id", "target", "info_hash", "token", "k", "sig", "BFsd", "BFpe");

  private KrpcJson() {}

  /**
   * A message as JSON. {@code raw} is the same datagram as a generic dictionary (from {@link
   * Bencode#decode(byte[])}), or null to print only what the typed message holds.
   */
  public static ObjectNode message(KrpcMessage m, BDict raw) {
    ObjectNode o = F.objectNode();
    o.put("t", m.transactionId().toHex());
    if (m instanceof Query q) {
      o.put("y", "q");
      o.put("q", ByteText.textOrHex(q.method().getBytes(StandardCharsets.ISO_8859_1)));
      o.set("a", queryArgs(q, child(raw, "a")));
      if (q.readOnly()) {
        o.put("ro", 1);
      }
    } else if (m instanceof Response r) {
      o.put("y", "r");
      o.set("r", responseBody(r, child(raw, "r")));
      if (r.externalIp() != null) {
        o.put("ip", r.externalIp().toString());
      }
    } else if (m instanceof ErrorMessage e) {
      o.put("y", "e");
      ArrayNode err = o.putArray("e");
      err.add(e.code());
      err.add(e.message());
    }
    if (m.version() != null) {
      o.put("v", ByteText.hex(m.version()));
    }
    putExtras(o, m.extras());
    putMissing(o, raw);
    return o;
  }

  /** Any bencode value as JSON with no KRPC knowledge: byte strings follow {@link ByteText}. */
  public static JsonNode generic(BValue v) {
    return render(null, v, false);
  }

  private static ObjectNode queryArgs(Query q, BDict raw) {
    if (q instanceof Query.Unknown u) {
      return (ObjectNode) render(null, u.args(), true);
    }
    ObjectNode a = F.objectNode();
    a.put("id", q.id().toHex());
    if (q instanceof Query.FindNode f) {
      a.put("target", f.target().toHex());
    } else if (q instanceof Query.SampleInfohashes s) {
      a.put("target", s.target().toHex());
    } else if (q instanceof Query.GetPeers g) {
      a.put("info_hash", g.infoHash().toHex());
    } else if (q instanceof Query.AnnouncePeer ap) {
      a.put("info_hash", ap.infoHash().toHex());
      if (ap.port() >= 0) {
        a.put("port", ap.port());
      }
      if (ap.impliedPort()) {
        a.put("implied_port", 1);
      }
      a.put("token", ByteText.hex(ap.token()));
    }
    List<String> want = q.meta().want();
    if (want != null) {
      ArrayNode w = a.putArray("want");
      for (String s : want) {
        w.add(ByteText.textOrHex(s.getBytes(StandardCharsets.ISO_8859_1)));
      }
    }
    putExtras(a, q.meta().argExtras());
    putMissing(a, raw);
    return a;
  }

  private static ObjectNode responseBody(Response r, BDict raw) {
    ObjectNode b = F.objectNode();
    b.put("id", r.id().toHex());
    if (r.hasNodes()) {
      b.set("nodes", nodes(r.nodes()));
    }
    if (r.hasNodes6()) {
      b.set("nodes6", nodes(r.nodes6()));
    }
    if (r.token() != null) {
      b.put("token", ByteText.hex(r.token()));
    }
    if (r.hasValues()) {
      ArrayNode vs = b.putArray("values");
      for (PeerAddress p : r.values()) {
        vs.add(p.toString());
      }
    }
    if (r.samples() != null) {
      ArrayNode s = b.putArray("samples");
      for (NodeId id : r.sampleIds()) {
        s.add(id.toHex());
      }
    }
    if (r.num() != null) {
      b.put("num", r.num());
    }
    if (r.interval() != null) {
      b.put("interval", r.interval());
    }
    if (r.value() != null) {
      b.set("v", storedValue(r.value()));
    }
    if (r.seq() != null) {
      b.put("seq", r.seq());
    }
    if (r.key() != null) {
      b.put("k", ByteText.hex(r.key()));
    }
    if (r.signature() != null) {
      b.put("sig", ByteText.hex(r.signature()));
    }
    if (r.seedsBloom() != null) {
      b.put("BFsd", ByteText.hex(r.seedsBloom()));
    }
    if (r.peersBloom() != null) {
      b.put("BFpe", ByteText.hex(r.peersBloom()));
    }
    putExtras(b, r.bodyExtras());
    putMissing(b, raw);
    return b;
  }

  /** BEP 44 "v": the stored value is itself bencode; shown decoded. */
  private static JsonNode storedValue(byte[] rawValue) {
    try {
      return generic(Bencode.decode(rawValue));
    } catch (DecodeException e) {
      // cannot happen for a value the codec accepted; show the bytes rather than fail
      return F.textNode(ByteText.hex(rawValue));
    }
  }

  private static ArrayNode nodes(CompactNodes ns) {
    ArrayNode a = F.arrayNode();
    for (NodeInfo n : ns) {
      ObjectNode o = a.addObject();
      o.put("id", n.id().toHex());
      o.put("ip", n.address().hostString());
      o.put("port", n.address().port());
    }
    return a;
  }

  private static void putExtras(ObjectNode o, Map<String, BValue> extras) {
    for (Map.Entry<String, BValue> e : extras.entrySet()) {
      String key = e.getKey();
      String name = ByteText.textOrHex(key.getBytes(StandardCharsets.ISO_8859_1));
      if (!o.has(name)) {
        o.set(name, render(key, e.getValue(), true));
      }
    }
  }

  /** Adds the keys of {@code raw} that {@code o} lacks. */
  private static void putMissing(ObjectNode o, BDict raw) {
    if (raw == null) {
      return;
    }
    for (Map.Entry<BString, BValue> e : raw.entries().entrySet()) {
      BString k = e.getKey();
      String name = ByteText.textOrHex(k.src(), k.off(), k.len());
      if (!o.has(name)) {
        o.set(name, render(latin1(k), e.getValue(), true));
      }
    }
  }

  private static BDict child(BDict raw, String key) {
    return raw != null && raw.get(key) instanceof BDict d ? d : null;
  }

  private static String latin1(BString s) {
    return new String(s.src(), s.off(), s.len(), StandardCharsets.ISO_8859_1);
  }

  /**
   * Renders a value found under {@code key} (null at the root or in a list). With {@code hints},
   * well-known KRPC keys get their KRPC form when the bytes fit it.
   */
  private static JsonNode render(String key, BValue v, boolean hints) {
    if (v instanceof BInteger i) {
      return F.numberNode(i.value());
    }
    if (v instanceof BString s) {
      if (hints && key != null) {
        JsonNode special = hinted(key, s);
        if (special != null) {
          return special;
        }
      }
      return F.textNode(ByteText.textOrHex(s.src(), s.off(), s.len()));
    }
    // below a "v" (client version or BEP 44 value) the keys are the sender's own: no hints
    boolean childHints = hints && !"v".equals(key);
    if (v instanceof BList l) {
      if (hints && "values".equals(key) && allPeers(l)) {
        ArrayNode a = F.arrayNode();
        for (BValue item : l.items()) {
          BString p = (BString) item;
          a.add(PeerAddress.fromCompact(p.src(), p.off(), p.len()).toString());
        }
        return a;
      }
      ArrayNode a = F.arrayNode();
      for (BValue item : l.items()) {
        a.add(render(null, item, childHints));
      }
      return a;
    }
    BDict d = (BDict) v;
    ObjectNode o = F.objectNode();
    for (Map.Entry<BString, BValue> e : d.entries().entrySet()) {
      BString k = e.getKey();
      o.set(ByteText.textOrHex(k.src(), k.off(), k.len()), render(latin1(k), e.getValue(), childHints));
    }
    return o;
  }

  private static JsonNode hinted(String key, BString s) {
    if (HEX_KEYS.contains(key)) {
      return F.textNode(ByteText.hex(s.src(), s.off(), s.len()));
    }
    switch (key) {
      case "ip":
        if (s.len() == PeerAddress.COMPACT_V4 || s.len() == PeerAddress.COMPACT_V6) {
          return F.textNode(PeerAddress.fromCompact(s.src(), s.off(), s.len()).toString());
        }
        return null;
      case "nodes":
      case "nodes6": {
        int stride = key.equals("nodes6") ? NodeInfo.COMPACT_V6 : NodeInfo.COMPACT_V4;
        if (s.len() % stride == 0) {
          return nodes(CompactNodes.view(s.src(), s.off(), s.len(), stride == NodeInfo.COMPACT_V6));
        }
        return null;
      }
      case "samples":
        if (s.len() % NodeId.LENGTH == 0) {
          ArrayNode a = F.arrayNode();
          for (int o = s.off(); o < s.off() + s.len(); o += NodeId.LENGTH) {
            a.add(ByteText.hex(s.src(), o, NodeId.LENGTH));
          }
          return a;
        }
        return null;
      default:
        return null;
    }
  }

  private static boolean allPeers(BList l) {
    for (BValue item : l.items()) {
      if (!(item instanceof BString p)
          || (p.len() != PeerAddress.COMPACT_V4 && p.len() != PeerAddress.COMPACT_V6)) {
        return false;
      }
    }
    return true;
  }
}
