package dev.jdht.krpc.message;

import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A KRPC response ("y":"r"). A response does not name its method, so this is one type with
 * optional fields: those of BEP 5 ({@code id}, {@code nodes}, {@code values}, {@code token}), BEP
 * 32 ({@code nodes6}), BEP 51 ({@code samples}, {@code interval}, {@code num}), BEP 44 ({@code v},
 * {@code k}, {@code sig}, {@code seq}), BEP 33 ({@code BFsd}, {@code BFpe}) and BEP 42 ({@code
 * ip}). Absent fields are null (or an empty list for nodes and values). Interpreting a response
 * by method is the caller's job. Immutable.
 */
public final class Response implements KrpcMessage {
  private static final CompactNodes NO_NODES6 = CompactNodes.view(new byte[0], 0, 0, true);

  // the fields of a plain BEP 5 response are held directly (absent ones null); the rare ones of
  // other BEPs and unknown keys live in one holder that only responses using them allocate, so a
  // get_peers or find_node response object is small (one is made per datagram)
  private final TransactionId transactionId;
  private final byte[] version;
  private final PeerAddress externalIp;
  private final NodeId id;
  private final CompactNodes nodes;
  private final CompactNodes nodes6;
  private final CompactPeers values;
  private final byte[] token;
  private final Rare rare;

  /** BEP 51, 44 and 33 fields and unknown keys, as in the builder (null when absent). */
  private static final class Rare {
    private final byte[] samples;
    private final Long interval;
    private final Long num;
    private final byte[] value;
    private final byte[] key;
    private final byte[] signature;
    private final Long seq;
    private final byte[] seedsBloom;
    private final byte[] peersBloom;
    private final SortedMap<String, BValue> extras;
    private final SortedMap<String, BValue> bodyExtras;

    private Rare(Builder b) {
      samples = b.samples;
      interval = b.interval;
      num = b.num;
      value = b.value;
      key = b.key;
      signature = b.signature;
      seq = b.seq;
      seedsBloom = b.seedsBloom;
      peersBloom = b.peersBloom;
      extras = b.extras == null ? QueryMeta.noExtras() : b.extras;
      bodyExtras = b.bodyExtras == null ? QueryMeta.noExtras() : b.bodyExtras;
    }

    /** True if the builder sets none of these fields. */
    private static boolean noneIn(Builder b) {
      return b.samples == null && b.interval == null && b.num == null && b.value == null
          && b.key == null && b.signature == null && b.seq == null && b.seedsBloom == null
          && b.peersBloom == null && b.extras == null && b.bodyExtras == null;
    }
  }

  private Response(
      TransactionId transactionId,
      byte[] version,
      PeerAddress externalIp,
      NodeId id,
      CompactNodes nodes,
      CompactNodes nodes6,
      CompactPeers values,
      byte[] token,
      Rare rare) {
    if (transactionId == null) {
      throw new IllegalArgumentException("a response needs a transaction id");
    }
    if (id == null) {
      throw new IllegalArgumentException("a response needs the responder's id");
    }
    if (nodes != null && nodes.isIpv6()) {
      throw new IllegalArgumentException("nodes holds IPv4 entries; use nodes6");
    }
    if (nodes6 != null && !nodes6.isIpv6()) {
      throw new IllegalArgumentException("nodes6 holds IPv6 entries");
    }
    this.transactionId = transactionId;
    this.version = version;
    this.externalIp = externalIp;
    this.id = id;
    this.nodes = nodes;
    this.nodes6 = nodes6;
    this.values = values;
    this.token = token;
    this.rare = rare;
  }

  /**
   * A response with the fields of BEP 5 ({@code id}, {@code nodes}, {@code values}, {@code
   * token}), BEP 32 ({@code nodes6}) and BEP 42 ({@code ip}) only: the same as the {@link
   * Builder} with those fields set, without building one. Pass null for an absent field; {@code
   * t} and {@code id} are required. The arrays and views are kept, not copied.
   *
   * @throws IllegalArgumentException if {@code t} or {@code id} is null, {@code nodes} holds IPv6
   *     entries or {@code nodes6} IPv4 entries
   */
  public static Response of(
      TransactionId t,
      byte[] version,
      PeerAddress externalIp,
      NodeId id,
      CompactNodes nodes,
      CompactNodes nodes6,
      CompactPeers values,
      byte[] token) {
    return new Response(t, version, externalIp, id, nodes, nodes6, values, token, null);
  }

  public static Builder builder(TransactionId t, NodeId id) {
    return new Builder().transactionId(t).id(id);
  }

  @Override
  public TransactionId transactionId() {
    return transactionId;
  }

  @Override
  public byte[] version() {
    return version;
  }

  /** Top-level "ip" (BEP 42): our address as the responder sees it, or null. */
  public PeerAddress externalIp() {
    return externalIp;
  }

  /** The responder's id. */
  public NodeId id() {
    return id;
  }

  /** IPv4 nodes ("nodes"); empty if absent. Any count is allowed. */
  public CompactNodes nodes() {
    return nodes == null ? CompactNodes.empty() : nodes;
  }

  /** IPv6 nodes ("nodes6", BEP 32); empty if absent. */
  public CompactNodes nodes6() {
    return nodes6 == null ? NO_NODES6 : nodes6;
  }

  public boolean hasNodes() {
    return nodes != null;
  }

  public boolean hasNodes6() {
    return nodes6 != null;
  }

  /** Peers ("values"); empty if absent. */
  public CompactPeers values() {
    return values == null ? CompactPeers.empty() : values;
  }

  public boolean hasValues() {
    return values != null;
  }

  /** "token", or null. */
  public byte[] token() {
    return token;
  }

  /** BEP 51 "samples": concatenated 20-byte infohashes, or null. */
  public byte[] samples() {
    return rare == null ? null : rare.samples;
  }

  /** The BEP 51 samples as ids (empty if absent). */
  public List<NodeId> sampleIds() {
    byte[] samples = samples();
    if (samples == null) {
      return List.of();
    }
    NodeId[] out = new NodeId[samples.length / NodeId.LENGTH];
    for (int i = 0; i < out.length; i++) {
      out[i] = NodeId.of(samples, i * NodeId.LENGTH);
    }
    return List.of(out);
  }

  /** BEP 51 "interval" in seconds, or null. */
  public Long interval() {
    return rare == null ? null : rare.interval;
  }

  /** BEP 51 "num", or null. */
  public Long num() {
    return rare == null ? null : rare.num;
  }

  /** BEP 44 "v": the raw bencoded bytes of the stored value (what the signature covers), or null. */
  public byte[] value() {
    return rare == null ? null : rare.value;
  }

  /** BEP 44 "k" (public key), or null. */
  public byte[] key() {
    return rare == null ? null : rare.key;
  }

  /** BEP 44 "sig", or null. */
  public byte[] signature() {
    return rare == null ? null : rare.signature;
  }

  /** BEP 44 "seq", or null. */
  public Long seq() {
    return rare == null ? null : rare.seq;
  }

  /** BEP 33 "BFsd", or null. */
  public byte[] seedsBloom() {
    return rare == null ? null : rare.seedsBloom;
  }

  /** BEP 33 "BFpe", or null. */
  public byte[] peersBloom() {
    return rare == null ? null : rare.peersBloom;
  }

  @Override
  public SortedMap<String, BValue> extras() {
    return rare == null ? QueryMeta.noExtras() : rare.extras;
  }

  /** Keys inside "r" that this library does not interpret. */
  public SortedMap<String, BValue> bodyExtras() {
    return rare == null ? QueryMeta.noExtras() : rare.bodyExtras;
  }

  /** All nodes of both families as one list. */
  public List<NodeInfo> allNodes() {
    CompactNodes v4 = nodes();
    if (nodes6 == null || nodes6.isEmpty()) {
      return v4;
    }
    if (v4.isEmpty()) {
      return nodes6;
    }
    java.util.ArrayList<NodeInfo> all = new java.util.ArrayList<>(v4.size() + nodes6.size());
    all.addAll(v4);
    all.addAll(nodes6);
    return all;
  }

  @Override
  public String toString() {
    return "Response[t=" + transactionId + ", id=" + id + ", nodes=" + nodes().size()
        + ", nodes6=" + nodes6().size() + ", values=" + values().size()
        + (token != null ? ", token" : "") + "]";
  }

  /** Builds a response; only transaction id and id are required. */
  public static final class Builder {
    private TransactionId transactionId;
    private byte[] version;
    private PeerAddress externalIp;
    private NodeId id;
    private CompactNodes nodes;
    private CompactNodes nodes6;
    private CompactPeers values;
    private byte[] token;
    private byte[] samples;
    private Long interval;
    private Long num;
    private byte[] value;
    private byte[] key;
    private byte[] signature;
    private Long seq;
    private byte[] seedsBloom;
    private byte[] peersBloom;
    private SortedMap<String, BValue> extras;
    private SortedMap<String, BValue> bodyExtras;

    public Builder transactionId(TransactionId t) {
      this.transactionId = t;
      return this;
    }

    public Builder version(byte[] v) {
      this.version = v;
      return this;
    }

    public Builder externalIp(PeerAddress ip) {
      this.externalIp = ip;
      return this;
    }

    public Builder id(NodeId id) {
      this.id = id;
      return this;
    }

    public Builder nodes(CompactNodes n) {
      if (n != null && n.isIpv6()) {
        throw new IllegalArgumentException("nodes holds IPv4 entries; use nodes6");
      }
      this.nodes = n;
      return this;
    }

    /** Splits the given nodes by family into nodes and nodes6. */
    public Builder nodes(List<NodeInfo> all) {
      boolean anyV6 = false;
      for (NodeInfo n : all) {
        anyV6 |= n.address().isIpv6();
      }
      if (!anyV6) { // the usual case: one family, no copies (a server answers with its own family)
        this.nodes = CompactNodes.of(all, false);
        return this;
      }
      List<NodeInfo> v4 = new ArrayList<>(all.size());
      List<NodeInfo> v6 = new ArrayList<>(all.size());
      for (NodeInfo n : all) {
        (n.address().isIpv6() ? v6 : v4).add(n);
      }
      this.nodes = CompactNodes.of(v4, false);
      if (!v6.isEmpty()) {
        this.nodes6 = CompactNodes.of(v6, true);
      }
      return this;
    }

    public Builder nodes6(CompactNodes n) {
      if (n != null && !n.isIpv6()) {
        throw new IllegalArgumentException("nodes6 holds IPv6 entries");
      }
      this.nodes6 = n;
      return this;
    }

    public Builder values(CompactPeers v) {
      this.values = v;
      return this;
    }

    public Builder values(List<PeerAddress> peers) {
      this.values = CompactPeers.of(peers);
      return this;
    }

    public Builder token(byte[] t) {
      this.token = t;
      return this;
    }

    public Builder samples(byte[] s) {
      this.samples = s;
      return this;
    }

    public Builder interval(Long i) {
      this.interval = i;
      return this;
    }

    public Builder num(Long n) {
      this.num = n;
      return this;
    }

    /** BEP 44 "v": must be one complete canonical bencoded value. */
    public Builder value(byte[] rawBencoded) {
      this.value = rawBencoded;
      return this;
    }

    public Builder key(byte[] k) {
      this.key = k;
      return this;
    }

    public Builder signature(byte[] s) {
      this.signature = s;
      return this;
    }

    public Builder seq(Long s) {
      this.seq = s;
      return this;
    }

    public Builder seedsBloom(byte[] b) {
      this.seedsBloom = b;
      return this;
    }

    public Builder peersBloom(byte[] b) {
      this.peersBloom = b;
      return this;
    }

    public Builder extras(SortedMap<String, BValue> e) {
      this.extras = e == null ? null : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(e));
      return this;
    }

    public Builder bodyExtras(SortedMap<String, BValue> e) {
      this.bodyExtras = e == null ? null : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(e));
      return this;
    }

    public Response build() {
      Rare rare = Rare.noneIn(this) ? null : new Rare(this);
      return new Response(transactionId, version, externalIp, id, nodes, nodes6, values, token, rare);
    }
  }
}
