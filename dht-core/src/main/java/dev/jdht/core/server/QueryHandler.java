package dev.jdht.core.server;

import dev.jdht.core.bep44.ItemServer;
import dev.jdht.core.routing.RoutingTable;
import dev.jdht.core.rpc.TokenIssuer;
import dev.jdht.krpc.bencode.BencodeWriter;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.ScrapeBloom;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The server side of BEP 5 and BEP 51: turns one query into the message to answer it with. Pure:
 * it reads and updates the routing table (for {@code nodes}), the token issuer and the peer store,
 * and never sends anything itself. Node thread only.
 */
public final class QueryHandler {
  private static final int K = RoutingTable.K;
  private static final int MAX_SAMPLES = 20;
  private static final long SAMPLE_INTERVAL_SECONDS = 6 * 3600;
  private static final long SAMPLE_CACHE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private NodeId id;
  private final byte[] version;
  private final int maxReplyBytes;
  private final RoutingTable routing;
  private final TokenIssuer tokens;
  private final PeerStore peers;
  private final Random random;
  private final ItemServer items;
  private final BencodeWriter sizer = new BencodeWriter(2048);
  private RoutingTable otherFamily;
  private List<NodeId> sampleCache;
  private long sampleCachedAt;

  /**
   * @param version our client version {@code v} (may be null)
   * @param maxReplyBytes replies with {@code values} stay under this many bytes
   */
  public QueryHandler(
      NodeId id, byte[] version, int maxReplyBytes, RoutingTable routing, TokenIssuer tokens, PeerStore peers, Random random) {
    this(id, version, maxReplyBytes, routing, tokens, peers, random, null);
  }

  /** As above, also serving BEP 44 {@code get} and {@code put} through {@code items} (null: answered 204). */
  public QueryHandler(
      NodeId id, byte[] version, int maxReplyBytes, RoutingTable routing, TokenIssuer tokens, PeerStore peers,
      Random random, ItemServer items) {
    this.items = items;
    this.id = id;
    this.version = version;
    this.maxReplyBytes = maxReplyBytes;
    this.routing = routing;
    this.tokens = tokens;
    this.peers = peers;
    this.random = random;
  }

  /**
   * BEP 32: the routing table of the node serving the other address family (null: none), so that
   * {@code want} can ask this node for {@code n4} and {@code n6} alike.
   */
  public void setOtherFamily(RoutingTable other) {
    this.otherFamily = other;
  }

  /** The reply to {@code q} from {@code from}: a {@link Response} or an {@link ErrorMessage}. */
  public KrpcMessage answer(Query q, PeerAddress from, long now) {
    TransactionId t = q.transactionId();
    if (q instanceof Query.Ping) {
      return base(t, from).build();
    } else if (q instanceof Query.FindNode fn) {
      return base(t, from).nodes(closest(fn, fn.target(), from)).build();
    } else if (q instanceof Query.GetPeers gp) {
      return getPeers(gp, from, now);
    } else if (q instanceof Query.AnnouncePeer ap) {
      return announcePeer(ap, from, now);
    } else if (q instanceof Query.SampleInfohashes si) {
      return sampleInfohashes(si, from, now);
    } else if (q instanceof Query.Get g && items != null) {
      return withNodesThatFit(items.get(g, base(t, from), from, now), closest(g, g.target(), from));
    } else if (q instanceof Query.Put p && items != null) {
      ItemServer.Rejection r = items.put(p, from, now);
      return r == null ? base(t, from).build() : error(t, r.code(), r.message());
    }
    return error(t, ErrorMessage.METHOD_UNKNOWN, "Method Unknown");
  }

  /** A KRPC error from this node. */
  public ErrorMessage error(TransactionId t, int code, String message) {
    return new ErrorMessage(t, code, message, version);
  }

  private KrpcMessage getPeers(Query.GetPeers gp, PeerAddress from, long now) {
    Response.Builder b = base(gp.transactionId(), from).token(tokens.issue(from.ipBytes(), now));
    if (gp.scrape()) { // BEP 33: both filters, then values or nodes as usual
      ScrapeBloom seeds = ScrapeBloom.empty();
      ScrapeBloom downloaders = ScrapeBloom.empty();
      peers.fillBlooms(gp.infoHash(), now, seeds, downloaders);
      b.seedsBloom(seeds.toBytes()).peersBloom(downloaders.toBytes());
    }
    List<PeerAddress> found = peers.get(gp.infoHash(), 2 * maxReplyBytes / 8, random, now, null, gp.noseed());
    if (found.isEmpty()) {
      return b.nodes(closest(gp, gp.infoHash(), from)).build();
    }
    return withValues(b, found);
  }

  private KrpcMessage announcePeer(Query.AnnouncePeer ap, PeerAddress from, long now) {
    TransactionId t = ap.transactionId();
    if (!tokens.validate(ap.token(), from.ipBytes(), now)) {
      return error(t, ErrorMessage.PROTOCOL, "bad token");
    }
    int port = ap.impliedPort() ? from.port() : ap.port();
    if (port <= 0) {
      return error(t, ErrorMessage.PROTOCOL, "bad port");
    }
    peers.announce(ap.infoHash(), from.withPort(port), ap.seed(), now);
    return base(t, from).build();
  }

  private KrpcMessage sampleInfohashes(Query.SampleInfohashes si, PeerAddress from, long now) {
    if (sampleCache == null || now - sampleCachedAt > SAMPLE_CACHE_NANOS) {
      sampleCache = peers.infoHashes(MAX_SAMPLES, random);
      sampleCachedAt = now;
    }
    List<NodeId> sample = sampleCache;
    byte[] s = new byte[sample.size() * NodeId.LENGTH];
    for (int i = 0; i < sample.size(); i++) {
      sample.get(i).writeTo(s, i * NodeId.LENGTH);
    }
    return base(si.transactionId(), from)
        .samples(s)
        .interval(SAMPLE_INTERVAL_SECONDS)
        .num((long) peers.infoHashCount())
        .nodes(closest(si, si.target(), from))
        .build();
  }

  /**
   * The K closest verified nodes (they have answered us) of each family the querier wants (BEP 32
   * {@code want}: {@code n4}, {@code n6}); without a {@code want} we know, the family the query
   * came from.
   */
  private List<NodeInfo> closest(Query q, NodeId target, PeerAddress from) {
    boolean n4 = q.meta().wants("n4");
    boolean n6 = q.meta().wants("n6");
    if (!n4 && !n6) {
      n4 = !from.isIpv6();
      n6 = from.isIpv6();
    }
    List<NodeInfo> out = new ArrayList<>(2 * K);
    for (RoutingTable table : new RoutingTable[] {routing, otherFamily}) {
      if (table != null) {
        for (NodeInfo n : table.closestVerified(target, K)) {
          if (n.address().isIpv6() ? n6 : n4) {
            out.add(n);
          }
        }
      }
    }
    return out;
  }

  private Response.Builder base(TransactionId t, PeerAddress requester) {
    return Response.builder(t, id).version(version).externalIp(requester);
  }

  /**
   * Adds as many of {@code nodes} (closest first) as fit under maxReplyBytes: a BEP 44 get reply
   * with a 1,000-byte item has room for few or none, and the reply must stay a safe datagram
   * (and a bounded multiple of the query that caused it).
   */
  private Response withNodesThatFit(Response.Builder b, List<NodeInfo> nodes) {
    int budget = bytesLeft(b) - 9; // "5:nodes0:" is always there
    List<NodeInfo> chosen = new ArrayList<>();
    boolean v4 = false;
    boolean v6 = false;
    for (NodeInfo n : nodes) {
      boolean six = n.address().isIpv6();
      // the compact entry, plus what the first entry of a family adds: a longer length prefix
      // for nodes, the key and length prefix for nodes6
      int cost = six ? 38 + (v6 ? 0 : 12) : 26 + (v4 ? 0 : 3);
      if (budget < cost) {
        continue; // a smaller entry of the other family may still fit
      }
      budget -= cost;
      chosen.add(n);
      v4 |= !six;
      v6 |= six;
    }
    return b.nodes(chosen).build();
  }

  /** How many bytes the reply {@code b} would build can still grow by under maxReplyBytes. */
  private int bytesLeft(Response.Builder b) {
    sizer.reset();
    KrpcCodec.encode(b.build(), sizer);
    return maxReplyBytes - sizer.size();
  }

  /** Adds as many peers as fit under maxReplyBytes. */
  private Response withValues(Response.Builder b, List<PeerAddress> found) {
    b.values(List.of());
    int budget = bytesLeft(b);
    List<PeerAddress> chosen = new ArrayList<>();
    for (PeerAddress p : found) {
      int cost = p.compactLength() + (p.isIpv6() ? 3 : 2);
      if (budget < cost) {
        break;
      }
      budget -= cost;
      chosen.add(p);
    }
    return b.values(chosen).build();
  }

  /** BEP 42: our id changed (regenerated from our external IP); later messages carry {@code newId}. */
  public void setId(NodeId newId) {
    this.id = newId;
  }
}
