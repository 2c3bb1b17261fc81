package dev.jdht.bench.codec;

import dev.jdht.krpc.codec.DecodeException;
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
 * input bytes are {@link CodecFixtures}. Run with {@code -prof gc} for B/op.
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
  }

  @Benchmark
  public void ping_jdht() throws DecodeException {
    JdhtReads.ping(ping, sink);
  }

  @Benchmark
  public void ping_bt() {
    BtReads.ping(ping, sink);
  }

  @Benchmark
  public void ping_dampcake() {
    DampcakeReads.ping(ping, sink);
  }

  @Benchmark
  public void findNodeResponse_jdht() throws DecodeException {
    JdhtReads.findNodeResponse(findNode, sink);
  }

  @Benchmark
  public void findNodeResponse_bt() {
    BtReads.findNodeResponse(findNode, sink);
  }

  @Benchmark
  public void findNodeResponse_dampcake() {
    DampcakeReads.findNodeResponse(findNode, sink);
  }

  @Benchmark
  public void getPeersResponse_jdht() throws DecodeException {
    JdhtReads.getPeersResponse(getPeers, sink);
  }

  @Benchmark
  public void getPeersResponse_bt() {
    BtReads.getPeersResponse(getPeers, sink);
  }

  @Benchmark
  public void getPeersResponse_dampcake() {
    DampcakeReads.getPeersResponse(getPeers, sink);
  }

  @Benchmark
  public void announcePeer_jdht() throws DecodeException {
    JdhtReads.announcePeer(announce, sink);
  }

  @Benchmark
  public void announcePeer_bt() {
    BtReads.announcePeer(announce, sink);
  }

  @Benchmark
  public void announcePeer_dampcake() {
    DampcakeReads.announcePeer(announce, sink);
  }
}
