package dev.jdht.krpc.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The BEP 33 scrape bloom filter: 2048 bits (256 bytes), k = 2. An IP address (4 or 16 bytes, no
 * port) is inserted by hashing it with SHA-1 and setting bits {@code (h[0] | h[1] << 8) % 2048} and
 * {@code (h[2] | h[3] << 8) % 2048}, bit {@code i} being {@code 1 << (i % 8)} of byte {@code i / 8}.
 * Filters of several nodes combine with OR; the count estimate is {@code ln(c / m) / (k * ln(1 -
 * 1/m))} with {@code c} the zero bits. Mutable, not thread-safe.
 */
public final class ScrapeBloom {
  /** Bytes in a filter on the wire. */
  public static final int BYTES = 256;
  private static final int M = BYTES * 8;
  private static final int K = 2;

  private final byte[] bits;

  private ScrapeBloom(byte[] bits) {
    this.bits = bits;
  }

  /** An empty filter. */
  public static ScrapeBloom empty() {
    return new ScrapeBloom(new byte[BYTES]);
  }

  /**
   * A copy of the filter in {@code b}.
   *
   * @throws IllegalArgumentException unless {@code b} has exactly {@link #BYTES} bytes
   */
  public static ScrapeBloom of(byte[] b) {
    if (b == null || b.length != BYTES) {
      throw new IllegalArgumentException("a scrape bloom filter has " + BYTES + " bytes, not "
          + (b == null ? "none" : b.length));
    }
    return new ScrapeBloom(b.clone());
  }

  /** Inserts an IP address (4 or 16 bytes). */
  public void insert(byte[] ip) {
    byte[] h = sha1(ip);
    set((h[0] & 0xff) | (h[1] & 0xff) << 8);
    set((h[2] & 0xff) | (h[3] & 0xff) << 8);
  }

  /** Inserts the IP of {@code peer} (its port is not part of the filter). */
  public void insert(PeerAddress peer) {
    insert(peer.ipBytes());
  }

  /** True if {@code ip} may have been inserted (false positives possible, no false negatives). */
  public boolean mightContain(byte[] ip) {
    byte[] h = sha1(ip);
    return get((h[0] & 0xff) | (h[1] & 0xff) << 8) && get((h[2] & 0xff) | (h[3] & 0xff) << 8);
  }

  /** ORs {@code other} into this filter (the union of the two sets). */
  public void or(ScrapeBloom other) {
    for (int i = 0; i < BYTES; i++) {
      bits[i] |= other.bits[i];
    }
  }

  /** Number of zero bits. */
  public int zeroBits() {
    int ones = 0;
    for (byte b : bits) {
      ones += Integer.bitCount(b & 0xff);
    }
    return M - ones;
  }

  /**
   * The BEP 33 estimate of how many distinct addresses were inserted: 0 for an empty filter, and
   * for a saturated one (no zero bit) the estimate of one zero bit (about 7,800) instead of
   * infinity.
   */
  public double estimate() {
    int zeros = zeroBits();
    if (zeros == M) {
      return 0;
    }
    double c = Math.max(1, zeros);
    return Math.log(c / M) / (K * Math.log(1.0 - 1.0 / M));
  }

  /** True if no bit is set. */
  public boolean isEmpty() {
    return zeroBits() == M;
  }

  /** The 256 bytes as sent on the wire (a copy). */
  public byte[] toBytes() {
    return bits.clone();
  }

  private void set(int index) {
    int i = index % M;
    bits[i / 8] |= (byte) (1 << (i % 8));
  }

  private boolean get(int index) {
    int i = index % M;
    return (bits[i / 8] & (1 << (i % 8))) != 0;
  }

  private static byte[] sha1(byte[] ip) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(ip);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
