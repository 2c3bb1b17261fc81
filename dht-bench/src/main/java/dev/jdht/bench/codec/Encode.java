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

  @Benchmark
  public byte[] ping_jdht() {
    return KrpcCodec.encode(ping);
  }

  @Benchmark
  public byte[] ping_bt() {
    return BtWrites.ping(ping);
  }

  @Benchmark
  public byte[] ping_dampcake() {
    return DampcakeWrites.ping(ping);
  }

  @Benchmark
  public byte[] findNodeResponse_jdht() {
    return KrpcCodec.encode(findNode);
  }

  @Benchmark
  public byte[] findNodeResponse_bt() {
    return BtWrites.response(findNode);
  }

  @Benchmark
  public byte[] findNodeResponse_dampcake() {
    return DampcakeWrites.response(findNode);
  }

  @Benchmark
  public byte[] getPeersResponse_jdht() {
    return KrpcCodec.encode(getPeers);
  }

  @Benchmark
  public byte[] getPeersResponse_bt() {
    return BtWrites.response(getPeers);
  }

  @Benchmark
  public byte[] getPeersResponse_dampcake() {
    return DampcakeWrites.response(getPeers);
  }

  @Benchmark
  public byte[] announcePeer_jdht() {
    return KrpcCodec.encode(announce);
  }

  @Benchmark
  public byte[] announcePeer_bt() {
    return BtWrites.announcePeer(announce);
  }

  @Benchmark
  public byte[] announcePeer_dampcake() {
    return DampcakeWrites.announcePeer(announce);
  }
}
