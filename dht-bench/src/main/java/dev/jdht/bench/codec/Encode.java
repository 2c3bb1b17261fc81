package dev.jdht.bench.codec;

import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.Response;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encode one typed KRPC message to a fresh {@code byte[]}: ours ({@code *_jdht}: {@link
 * KrpcCodec#encode}) and the two baselines, which first build their generic tree from the same
 * typed message ({@link BtWrites}, {@link DampcakeWrites}). All three produce the bytes of {@link
 * CodecFixtures}. Run with {@code -prof gc} for B/op.
 *
 * <p>JMH state, one instance per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Encode {
  private Query.Ping ping;
  private Response findNode;
  private Response getPeers;
  private Query.AnnouncePeer announce;

  /** Picks up the typed messages (built once, immutable). */
  @Setup
  public void setup() {
    ping = EncodeInputs.PING;
    findNode = EncodeInputs.FIND_NODE_RESPONSE;
    getPeers = EncodeInputs.GET_PEERS_RESPONSE;
    announce = EncodeInputs.ANNOUNCE_PEER;
  }

  /** Encodes the ping query: ours. */
  @Benchmark
  public byte[] ping_jdht() {
    return KrpcCodec.encode(ping);
  }

  /** Encodes the ping query: bt-bencoding. */
  @Benchmark
  public byte[] ping_bt() {
    return BtWrites.ping(ping);
  }

  /** Encodes the ping query: dampcake. */
  @Benchmark
  public byte[] ping_dampcake() {
    return DampcakeWrites.ping(ping);
  }

  /** Encodes the find_node response: ours. */
  @Benchmark
  public byte[] findNodeResponse_jdht() {
    return KrpcCodec.encode(findNode);
  }

  /** Encodes the find_node response: bt-bencoding. */
  @Benchmark
  public byte[] findNodeResponse_bt() {
    return BtWrites.response(findNode);
  }

  /** Encodes the find_node response: dampcake. */
  @Benchmark
  public byte[] findNodeResponse_dampcake() {
    return DampcakeWrites.response(findNode);
  }

  /** Encodes the 309-byte get_peers response: ours. */
  @Benchmark
  public byte[] getPeersResponse_jdht() {
    return KrpcCodec.encode(getPeers);
  }

  /** Encodes the 309-byte get_peers response: bt-bencoding. */
  @Benchmark
  public byte[] getPeersResponse_bt() {
    return BtWrites.response(getPeers);
  }

  /** Encodes the 309-byte get_peers response: dampcake. */
  @Benchmark
  public byte[] getPeersResponse_dampcake() {
    return DampcakeWrites.response(getPeers);
  }

  /** Encodes the announce_peer query: ours. */
  @Benchmark
  public byte[] announcePeer_jdht() {
    return KrpcCodec.encode(announce);
  }

  /** Encodes the announce_peer query: bt-bencoding. */
  @Benchmark
  public byte[] announcePeer_bt() {
    return BtWrites.announcePeer(announce);
  }

  /** Encodes the announce_peer query: dampcake. */
  @Benchmark
  public byte[] announcePeer_dampcake() {
    return DampcakeWrites.announcePeer(announce);
  }
}
