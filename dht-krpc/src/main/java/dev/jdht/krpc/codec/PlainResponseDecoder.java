package dev.jdht.krpc.codec;

import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The fast path of {@link KrpcCodec#decode(byte[], int, int)} for the messages a node receives
 * most: plain responses with keys in canonical (sorted) order. Accepted shape:
 *
 * <pre>
 * d [2:ip &lt;6 or 18 bytes&gt;] 1:r d 2:id &lt;20 bytes&gt; [5:nodes &lt;26n bytes&gt;]
 *   [6:nodes6 &lt;38n bytes&gt;] [5:token &lt;bytes&gt;] [6:values l (&lt;6 or 18 bytes&gt;)* e] e
 *   1:t &lt;bytes&gt; [1:v &lt;bytes&gt;] 1:y 1:r e
 * </pre>
 *
 * with every present key in that order (so none repeats), canonical string lengths, and nothing
 * after the final {@code e}. Anything else, valid or not (another key, another order, an
 * invalid byte anywhere), returns null and the general decoder handles the message, so errors
 * and unusual messages decode exactly as before. On the accepted shape the general decoder
 * builds the same {@link Response} (same fields, same views), only slower: it goes through a
 * {@code BencodeReader}, duplicate-key bookkeeping and a {@code Response.Builder}.
 *
 * <p>Stateless and thread-safe. Never throws on any input.
 */
final class PlainResponseDecoder {
  // little-endian views of byte sequences: the keys (with their length prefixes) this path
  // expects, compared eight bytes at a time
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long IP = pattern("2:ip");
  private static final long R = pattern("1:rd");
  private static final long ID = pattern("2:id20:");
  private static final long NODES = pattern("5:nodes");
  private static final long NODES6 = pattern("6:nodes6");
  private static final long TOKEN = pattern("5:token");
  private static final long VALUES = pattern("6:values");
  private static final long T = pattern("1:t");
  private static final long V = pattern("1:v");
  private static final long Y = pattern("1:y1:re");

  /** Longest string length accepted here: no string in a datagram is longer. */
  private static final int MAX_LEN = KrpcCodec.MAX_MESSAGE_SIZE;

  private PlainResponseDecoder() {}

  /** Up to 8 ASCII bytes as a little-endian long (compared under {@link #mask}). */
  private static long pattern(String s) {
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      v |= (long) (s.charAt(i) & 0xff) << (8 * i);
    }
    return v;
  }

  /** A mask of the low {@code n} bytes (1 to 8). */
  private static long mask(int n) {
    return n == 8 ? -1L : (1L << (8 * n)) - 1;
  }

  /**
   * True if the {@code n} bytes at {@code p} (all before {@code end}) are those of {@code
   * pattern}.
   */
  private static boolean match(byte[] b, int p, int end, long pattern, int n) {
    if (n > end - p) {
      return false;
    }
    if (p <= b.length - 8) {
      return ((long) LONG_LE.get(b, p) & mask(n)) == pattern;
    }
    int q = p + n - 8; // near the end of the array (so n < 8): the eight bytes ending there
    if (q >= 0) {
      return (long) LONG_LE.get(b, q) >>> (8 * (8 - n)) == pattern;
    }
    for (int i = 0; i < n; i++) { // an array shorter than eight bytes
      if (b[p + i] != (byte) (pattern >>> (8 * i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads a byte string header at {@code p}: returns its content's absolute offset in the high
   * 32 bits and its length in the low 32 bits, or -1 if there is no canonical byte string whose
   * content fits before {@code end}.
   */
  private static long string(byte[] b, int p, int end) {
    if (p >= end - 1) { // a length needs a digit and ':'
      return -1;
    }
    int n = b[p] - '0';
    if (n < 0 || n > 9) {
      return -1;
    }
    if (b[p + 1] == ':') { // one digit: most lengths here
      p += 2;
    } else {
      if (n == 0) { // "0:" is the only length that may start with 0
        return -1;
      }
      p++;
      while (true) {
        if (p >= end) {
          return -1;
        }
        int d = b[p] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        n = n * 10 + d;
        if (n > MAX_LEN) {
          return -1;
        }
        p++;
      }
      if (b[p] != ':') {
        return -1;
      }
      p++;
    }
    if (n > end - p) {
      return -1;
    }
    return (long) p << 32 | n;
  }

  private static int at(long s) {
    return (int) (s >>> 32);
  }

  private static int len(long s) {
    return (int) s;
  }

  /** Decodes the slice if it has the accepted shape, else returns null. */
  static Response tryDecode(byte[] b, int off, int length) {
    int end = off + length;
    if (length < 2 || b[off] != 'd') {
      return null;
    }
    int p = off + 1;
    PeerAddress ip = null;
    if (match(b, p, end, IP, 4)) {
      long v = string(b, p + 4, end);
      if (v < 0 || (len(v) != PeerAddress.COMPACT_V4 && len(v) != PeerAddress.COMPACT_V6)) {
        return null;
      }
      ip = PeerAddress.fromCompact(b, at(v), len(v));
      p = at(v) + len(v);
    }
    if (!match(b, p, end, R, 4)) {
      return null;
    }
    p += 4;
    // the body: id first, then optional nodes, nodes6, token, values
    if (!match(b, p, end, ID, 7) || NodeId.LENGTH > end - (p + 7)) {
      return null;
    }
    NodeId id = NodeId.of(b, p + 7);
    p += 7 + NodeId.LENGTH;
    CompactNodes nodes = null;
    if (match(b, p, end, NODES, 7)) {
      long v = string(b, p + 7, end);
      if (v < 0 || len(v) % NodeInfo.COMPACT_V4 != 0) {
        return null;
      }
      nodes = CompactNodes.view(b, at(v), len(v), false);
      p = at(v) + len(v);
    }
    CompactNodes nodes6 = null;
    if (match(b, p, end, NODES6, 8)) {
      long v = string(b, p + 8, end);
      if (v < 0 || len(v) % NodeInfo.COMPACT_V6 != 0) {
        return null;
      }
      nodes6 = CompactNodes.view(b, at(v), len(v), true);
      p = at(v) + len(v);
    }
    byte[] token = null;
    if (match(b, p, end, TOKEN, 7)) {
      long v = string(b, p + 7, end);
      if (v < 0) {
        return null;
      }
      token = Arrays.copyOfRange(b, at(v), at(v) + len(v));
      p = at(v) + len(v);
    }
    CompactPeers values = null;
    if (match(b, p, end, VALUES, 8)) {
      p += 8;
      if (p >= end || b[p] != 'l') {
        return null;
      }
      p++;
      CompactPeers.Builder pb = new CompactPeers.Builder(b);
      while (true) {
        if (p >= end) {
          return null;
        }
        if (b[p] == 'e') {
          p++;
          break;
        }
        long v = string(b, p, end);
        if (v < 0 || (len(v) != PeerAddress.COMPACT_V4 && len(v) != PeerAddress.COMPACT_V6)) {
          return null;
        }
        pb.add(at(v), len(v));
        p = at(v) + len(v);
      }
      values = pb.build();
    }
    if (p >= end || b[p] != 'e') { // another key, or keys out of order
      return null;
    }
    p++;
    if (!match(b, p, end, T, 3)) {
      return null;
    }
    long tv = string(b, p + 3, end);
    if (tv < 0) {
      return null;
    }
    TransactionId t = TransactionId.of(b, at(tv), len(tv));
    p = at(tv) + len(tv);
    byte[] version = null;
    if (match(b, p, end, V, 3)) {
      long v = string(b, p + 3, end);
      if (v < 0) {
        return null;
      }
      version = Arrays.copyOfRange(b, at(v), at(v) + len(v));
      p = at(v) + len(v);
    }
    // "y": "r", the end of the message, and nothing after it
    if (p != end - 7 || !match(b, p, end, Y, 7)) {
      return null;
    }
    return Response.of(t, version, ip, id, nodes, nodes6, values, token);
  }
}
