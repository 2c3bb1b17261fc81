package dev.jdht.cli;

import dev.jdht.core.node.AnnounceResult;
import dev.jdht.core.testnet.LocalTestnet;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One private DHT of our nodes on 127.0.40.x, shared by every test in the JVM (started on first
 * use, stopped when the JVM exits). Tests announce their own random infohashes, so they do not
 * see each other's peers. Clients in tests bind 127.0.39.x addresses, port 0.
 */
final class TestNet {
  static final int SIZE = 40;
  static final int THIRD_OCTET = 40;
  private static LocalTestnet net;

  private TestNet() {}

  static synchronized LocalTestnet get() {
    if (net == null) {
      try {
        net = LocalTestnet.start(SIZE, THIRD_OCTET, 0, 11, 20_000);
      } catch (Exception e) {
        throw new IllegalStateException("test network did not start", e);
      }
      LocalTestnet n = net;
      Runtime.getRuntime().addShutdownHook(new Thread(n::close));
    }
    return net;
  }

  /** "ip:port" of node {@code i}. */
  static String address(int i) {
    return get().addresses().get(i).toString();
  }

  /** A --bootstrap value: the first two nodes. */
  static String bootstrap() {
    return address(0) + "," + address(1);
  }

  /** Node {@code index} announces a peer at its own address and {@code port}; returns that peer. */
  static PeerAddress announce(int index, NodeId infoHash, int port) throws Exception {
    AnnounceResult r = get().announce(index, infoHash, port).get(20, TimeUnit.SECONDS);
    if (r.error() != null || r.acked().isEmpty()) {
      throw new IllegalStateException("announce not acknowledged: " + r);
    }
    return PeerAddress.of(get().addresses().get(index).inetAddress(), port);
  }

  /** Nodes 10, 15, 20 announce ports 7001..7003 for {@code infoHash}; returns the peers. */
  static Set<PeerAddress> announceThree(NodeId infoHash) throws Exception {
    Set<PeerAddress> s = new LinkedHashSet<>();
    for (int k = 0; k < 3; k++) {
      s.add(announce(10 + 5 * k, infoHash, 7001 + k));
    }
    return s;
  }

  /** The peers' text forms. */
  static List<String> texts(Set<PeerAddress> peers) {
    List<String> l = new ArrayList<>();
    peers.forEach(p -> l.add(p.toString()));
    return l;
  }
}
