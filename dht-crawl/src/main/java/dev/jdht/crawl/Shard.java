package dev.jdht.crawl;

import dev.jdht.krpc.wire.NodeId;
import java.util.Random;

/**
 * Shard {@code index} of {@code count}: the ids whose top 64 bits, read as a fraction of the
 * keyspace, fall in [index/count, (index+1)/count). Several crawlers with the same count and
 * different indexes split the keyspace between them.
 */
public record Shard(int index, int count) {
  public static final Shard ALL = new Shard(0, 1);
  public static final int MAX_COUNT = 1024;

  public Shard {
    if (count < 1 || count > MAX_COUNT || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard must be i/n with 0 <= i < n <= " + MAX_COUNT);
    }
  }

  /** Parses "i/n". */
  public static Shard parse(String s) {
    int slash = s.indexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("shard must look like i/n (e.g. 0/4), got '" + s + "'");
    }
    try {
      return new Shard(Integer.parseInt(s.substring(0, slash).trim()), Integer.parseInt(s.substring(slash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("shard must look like i/n (e.g. 0/4), got '" + s + "'");
    }
  }

  /** The top 64 bits of an id, unsigned. */
  static long top64(NodeId id) {
    byte[] b = id.toBytes();
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }

  /** The shard an id falls in: floor(top64 * count / 2^64). */
  public int of(NodeId id) {
    long x = top64(id);
    return (int) (Math.multiplyHigh(x, count) + ((x >> 63) & count));
  }

  public boolean contains(NodeId id) {
    return count == 1 || of(id) == index;
  }

  /** A random id inside this shard. */
  public NodeId randomId(Random random) {
    while (true) {
      NodeId id = NodeId.random(random);
      if (contains(id)) {
        return id;
      }
    }
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
