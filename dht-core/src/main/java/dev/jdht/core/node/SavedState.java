package dev.jdht.core.node;

import dev.jdht.krpc.bencode.BencodeReader;
import dev.jdht.krpc.bencode.BencodeWriter;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node saves between runs: its id and the nodes of its routing table, bencoded as
 * {@code d2:id20:...5:nodes<compact>6:nodes6<compact>e}. Pure: no file access (see the api
 * layer for atomic writes). Thread-safe (immutable).
 */
public record SavedState(NodeId id, List<NodeInfo> nodes) {
  /** Upper bound on nodes kept in a state file. */
  public static final int MAX_NODES = 2048;

  public SavedState {
    nodes = List.copyOf(nodes.size() > MAX_NODES ? nodes.subList(0, MAX_NODES) : nodes);
  }

  public byte[] encode() {
    BencodeWriter w = new BencodeWriter(64 + nodes.size() * 40);
    w.beginDict();
    w.key("id").string(id.toBytes());
    List<NodeInfo> v4 = nodes.stream().filter(n -> !n.address().isIpv6()).toList();
    List<NodeInfo> v6 = nodes.stream().filter(n -> n.address().isIpv6()).toList();
    byte[] b4 = new byte[v4.size() * NodeInfo.COMPACT_V4];
    CompactNodes.of(v4, false).copyTo(b4, 0);
    w.key("nodes").string(b4);
    byte[] b6 = new byte[v6.size() * NodeInfo.COMPACT_V6];
    CompactNodes.of(v6, true).copyTo(b6, 0);
    w.key("nodes6").string(b6);
    w.end();
    return w.toByteArray();
  }

  /** Decodes a state file; unknown keys are ignored, a bad file is a DecodeException. */
  public static SavedState decode(byte[] data) throws DecodeException {
    BencodeReader r = new BencodeReader(data, 0, data.length, 4);
    r.beginDict();
    NodeId id = null;
    List<NodeInfo> nodes = new ArrayList<>();
    while (r.nextKey()) {
      String key = new String(r.array(), r.keyOffset(), r.keyLength(), java.nio.charset.StandardCharsets.ISO_8859_1);
      switch (key) {
        case "id" -> {
          int at = r.offset();
          byte[] b = r.readBytes();
          if (b.length != NodeId.LENGTH) {
            throw new DecodeException("state file: id must be 20 bytes", at);
          }
          id = NodeId.of(b);
        }
        case "nodes", "nodes6" -> {
          int at = r.offset();
          int o = r.readString();
          int n = r.stringLength();
          boolean six = key.equals("nodes6");
          int stride = six ? NodeInfo.COMPACT_V6 : NodeInfo.COMPACT_V4;
          if (n % stride != 0) {
            throw new DecodeException("state file: " + key + " has a partial entry", at);
          }
          for (NodeInfo ni : CompactNodes.view(r.array(), o, n, six)) {
            if (nodes.size() < MAX_NODES) {
              nodes.add(ni);
            }
          }
        }
        default -> r.skipValue();
      }
    }
    r.finish();
    if (id == null) {
      throw new DecodeException("state file: no id", 0);
    }
    return new SavedState(id, nodes);
  }
}
