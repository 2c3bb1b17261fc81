package dev.jdht.krpc;

import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;

/**
 * Test helper: a complete, deterministic text rendering of a KRPC message, so that two messages
 * can be compared field by field (the message types hold arrays and have no value equality).
 */
public final class Messages {
  private static final HexFormat HEX = HexFormat.of();

  private Messages() {}

  /** Every field of {@code m}, as text; equal texts mean equal messages. */
  public static String describe(KrpcMessage m) {
    StringBuilder sb = new StringBuilder();
    sb.append(m.getClass().getSimpleName()).append(" t=").append(m.transactionId().toHex());
    sb.append(" v=").append(hex(m.version()));
    if (m instanceof Query q) {
      QueryMeta meta = q.meta();
      sb.append(" q=").append(hex(q.method().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
      sb.append(" id=").append(q.id() == null ? "null" : q.id().toHex());
      sb.append(" ro=").append(meta.readOnly()).append(" want=").append(meta.want());
      if (q instanceof Query.FindNode f) {
        sb.append(" target=").append(f.target().toHex());
      } else if (q instanceof Query.SampleInfohashes s) {
        sb.append(" target=").append(s.target().toHex());
      } else if (q instanceof Query.GetPeers g) {
        sb.append(" info_hash=").append(g.infoHash().toHex());
      } else if (q instanceof Query.AnnouncePeer a) {
        sb.append(" info_hash=").append(a.infoHash().toHex()).append(" port=").append(a.port())
            .append(" implied_port=").append(a.impliedPort()).append(" token=").append(hex(a.token()));
      } else if (q instanceof Query.Get g) {
        sb.append(" target=").append(g.target().toHex()).append(" seq=").append(g.seq());
      } else if (q instanceof Query.Put p) {
        sb.append(" token=").append(hex(p.token())).append(" v=").append(hex(p.value()))
            .append(" k=").append(hex(p.key())).append(" sig=").append(hex(p.signature()))
            .append(" seq=").append(p.seq()).append(" cas=").append(p.cas()).append(" salt=").append(hex(p.salt()));
      } else if (q instanceof Query.Unknown u) {
        sb.append(" args=").append(hex(Bencode.encode(u.args())));
      }
      sb.append(" extras=").append(extras(meta.extras()));
      sb.append(" argExtras=").append(extras(meta.argExtras()));
    } else if (m instanceof Response r) {
      sb.append(" ip=").append(r.externalIp()).append(" id=").append(r.id().toHex());
      sb.append(" nodes=").append(r.hasNodes() ? nodes(r.nodes()) : "absent");
      sb.append(" nodes6=").append(r.hasNodes6() ? nodes(r.nodes6()) : "absent");
      sb.append(" values=").append(r.hasValues() ? peers(r.values()) : "absent");
      sb.append(" token=").append(hex(r.token())).append(" samples=").append(hex(r.samples()));
      sb.append(" interval=").append(r.interval()).append(" num=").append(r.num());
      sb.append(" v=").append(hex(r.value())).append(" k=").append(hex(r.key()));
      sb.append(" sig=").append(hex(r.signature())).append(" seq=").append(r.seq());
      sb.append(" BFsd=").append(hex(r.seedsBloom())).append(" BFpe=").append(hex(r.peersBloom()));
      sb.append(" extras=").append(extras(r.extras()));
      sb.append(" bodyExtras=").append(extras(r.bodyExtras()));
    } else if (m instanceof ErrorMessage e) {
      sb.append(" code=").append(e.code()).append(" message=").append(e.message());
      sb.append(" extras=").append(extras(e.extras()));
    }
    return sb.toString();
  }

  static String hex(byte[] b) {
    return b == null ? "null" : HEX.formatHex(b);
  }

  private static String nodes(java.util.List<NodeInfo> ns) {
    StringJoiner j = new StringJoiner(",", "[", "]");
    for (NodeInfo n : ns) {
      j.add(n.toString());
    }
    return j.toString();
  }

  private static String peers(java.util.List<PeerAddress> ps) {
    StringJoiner j = new StringJoiner(",", "[", "]");
    for (PeerAddress p : ps) {
      j.add(p.toString());
    }
    return j.toString();
  }

  private static String extras(SortedMap<String, BValue> m) {
    StringJoiner j = new StringJoiner(",", "{", "}");
    for (Map.Entry<String, BValue> e : m.entrySet()) {
      j.add(hex(e.getKey().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) + "="
          + hex(Bencode.encode(e.getValue())));
    }
    return j.toString();
  }
}
