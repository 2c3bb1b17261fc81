package dev.jdht.cli;

import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds the bundled sample {@code samples/get_peers_response.bin} deterministically: a get_peers
 * response as a libtorrent-like node sends it, with a 2-byte transaction id, a client version,
 * our external address (BEP 42 {@code ip}), a token, 8 nodes and 5 peers. Every address is in the
 * documentation ranges (RFC 5737), so the sample names no real host. Run {@link #main} to rewrite
 * the file; {@code SampleDatagramTest} checks the bundled file equals {@link #build()}.
 */
final class SampleDatagram {
  private SampleDatagram() {}

  static byte[] build() {
    Random rnd = new Random(20261121L);
    NodeId infoHash = NodeId.random(rnd);
    NodeId responder = infoHash.withRandomSuffix(12, rnd);
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      byte[] ip = {(byte) 198, 51, 100, (byte) (10 + 17 * i)};
      int port = i % 3 == 0 ? 6881 : 20000 + rnd.nextInt(40000);
      nodes.add(new NodeInfo(infoHash.withRandomSuffix(16 + i, rnd), PeerAddress.of(ip, port)));
    }
    List<PeerAddress> peers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] ip = {(byte) 203, 0, 113, (byte) (20 + 31 * i)};
      peers.add(PeerAddress.of(ip, i == 0 ? 51413 : 10000 + rnd.nextInt(50000)));
    }
    byte[] token = new byte[8];
    rnd.nextBytes(token);
    Response r = Response.builder(TransactionId.of(new byte[] {(byte) 0x8f, 0x1c}), responder)
        .version(new byte[] {'L', 'T', 0x01, 0x02})
        .externalIp(PeerAddress.of(new byte[] {(byte) 192, 0, 2, 77}, 6881))
        .nodes(nodes)
        .values(peers)
        .token(token)
        .build();
    return KrpcCodec.encode(r);
  }

  /** Writes the sample to {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    Files.write(Path.of(args[0]), build());
  }
}
