package dev.jdht.bench.codec;

import bt.bencoding.serializers.BEParser;
import com.dampcake.bencode.Type;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.codec.KrpcCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode one KRPC datagram and read every field of it, with our codec ({@code *_jdht}) and the two
 * baselines ({@code *_bt}: bt-bencoding 1.10, {@code *_dampcake}: dampcake bencode 1.4.2). What
 * "read every field" means, identically for all three, is documented on {@link JdhtReads}; the
 * input bytes are {@link CodecFixtures}. The {@code getPeersDecodeOnly_*} benchmarks split the
 * get_peers cost: decoding to the typed message or generic tree with nothing read from it. Run
 * with {@code -prof gc} for B/op.
 *
 * <p>JMH state, one instance per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Decode {
  private byte[] ping;
  private byte[] findNode;
  private byte[] getPeers;
  private byte[] announce;
  private Sink sink;
  private JdhtReads ours;

  /** Copies the fixtures (so no benchmark shares an array with a static) and wraps the blackhole. */
  @Setup
  public void setup(Blackhole bh) {
    ping = CodecFixtures.PING.clone();
    findNode = CodecFixtures.FIND_NODE_RESPONSE.clone();
    getPeers = CodecFixtures.GET_PEERS_RESPONSE.clone();
    announce = CodecFixtures.ANNOUNCE_PEER.clone();
    if (getPeers.length != CodecFixtures.GET_PEERS_LENGTH) {
      throw new IllegalStateException("get_peers response must be 309 bytes");
    }
    sink = new BlackholeSink(bh);
    ours = new JdhtReads();
  }

  /** Decodes and reads every field of the ping query: ours. */
  @Benchmark
  public void ping_jdht() throws DecodeException {
    ours.ping(ping, sink);
  }

  /** Decodes and reads every field of the ping query: bt-bencoding. */
  @Benchmark
  public void ping_bt() {
    BtReads.ping(ping, sink);
  }

  /** Decodes and reads every field of the ping query: dampcake. */
  @Benchmark
  public void ping_dampcake() {
    DampcakeReads.ping(ping, sink);
  }

  /** Decodes and reads every field of the find_node response: ours. */
  @Benchmark
  public void findNodeResponse_jdht() throws DecodeException {
    ours.findNodeResponse(findNode, sink);
  }

  /** Decodes and reads every field of the find_node response: bt-bencoding. */
  @Benchmark
  public void findNodeResponse_bt() {
    BtReads.findNodeResponse(findNode, sink);
  }

  /** Decodes and reads every field of the find_node response: dampcake. */
  @Benchmark
  public void findNodeResponse_dampcake() {
    DampcakeReads.findNodeResponse(findNode, sink);
  }

  /** Decodes and reads every field of the 309-byte get_peers response: ours. */
  @Benchmark
  public void getPeersResponse_jdht() throws DecodeException {
    ours.getPeersResponse(getPeers, sink);
  }

  /** Decodes and reads every field of the 309-byte get_peers response: bt-bencoding. */
  @Benchmark
  public void getPeersResponse_bt() {
    BtReads.getPeersResponse(getPeers, sink);
  }

  /** Decodes and reads every field of the 309-byte get_peers response: dampcake. */
  @Benchmark
  public void getPeersResponse_dampcake() {
    DampcakeReads.getPeersResponse(getPeers, sink);
  }

  /** Breakdown: decode the get_peers response without reading anything from the result. */
  @Benchmark
  public Object getPeersDecodeOnly_jdht() throws DecodeException {
    return KrpcCodec.decode(getPeers);
  }

  /** Breakdown: bt-bencoding's generic tree of the get_peers response, nothing read. */
  @Benchmark
  public Object getPeersDecodeOnly_bt() {
    try (BEParser p = new BEParser(getPeers)) {
      return p.readMap();
    }
  }

  /** Breakdown: dampcake's generic tree of the get_peers response, nothing read. */
  @Benchmark
  public Object getPeersDecodeOnly_dampcake() {
    return DampcakeReads.BENCODE.decode(getPeers, Type.DICTIONARY);
  }

  /** Decodes and reads every field of the announce_peer query: ours. */
  @Benchmark
  public void announcePeer_jdht() throws DecodeException {
    ours.announcePeer(announce, sink);
  }

  /** Decodes and reads every field of the announce_peer query: bt-bencoding. */
  @Benchmark
  public void announcePeer_bt() {
    BtReads.announcePeer(announce, sink);
  }

  /** Decodes and reads every field of the announce_peer query: dampcake. */
  @Benchmark
  public void announcePeer_dampcake() {
    DampcakeReads.announcePeer(announce, sink);
  }
}
