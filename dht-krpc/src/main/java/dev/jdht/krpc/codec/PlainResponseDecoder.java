package dev.jdht.krpc.codec;

import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
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
  // body keys, in canonical order
  private static final int ID = 1;
  private static final int NODES = 2;
  private static final int NODES6 = 3;
  private static final int TOKEN = 4;
  private static final int VALUES = 5;
  // top-level keys, in canonical order
  private static final int IP = 1;
  private static final int R = 2;
  private static final int T = 3;
  private static final int V = 4;
  private static final int Y = 5;

  /** Longest string length accepted here: no string in a datagram is longer. */
  private static final int MAX_LEN = KrpcCodec.MAX_MESSAGE_SIZE;

  private PlainResponseDecoder() {}

  /**
   * Reads a byte string header at {@code p}: returns its content's absolute offset in the high
   * 32 bits and its length in the low 32 bits, or -1 if there is no canonical byte string whose
   * content fits before {@code end}.
   */
  private static long string(byte[] b, int p, int end) {
    if (p >= end) {
      return -1;
    }
    int n = b[p] - '0';
    if (n < 0 || n > 9) {
      return -1;
    }
    p++;
    if (n != 0) { // "0:" is the only length that may start with 0
      while (p < end) {
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
    }
    if (p >= end || b[p] != ':') {
      return -1;
    }
    p++;
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

  /** The rank of a body key of length {@code n} at {@code k}, or 0 if not one of ours. */
  private static int bodyKey(byte[] b, int k, int n) {
    switch (n) {
      case 2:
        return b[k] == 'i' && b[k + 1] == 'd' ? ID : 0;
      case 5:
        if (b[k] == 'n') {
          return b[k + 1] == 'o' && b[k + 2] == 'd' && b[k + 3] == 'e' && b[k + 4] == 's' ? NODES : 0;
        }
        return b[k] == 't' && b[k + 1] == 'o' && b[k + 2] == 'k' && b[k + 3] == 'e' && b[k + 4] == 'n'
            ? TOKEN : 0;
      case 6:
        if (b[k] == 'n') {
          return b[k + 1] == 'o' && b[k + 2] == 'd' && b[k + 3] == 'e' && b[k + 4] == 's'
              && b[k + 5] == '6' ? NODES6 : 0;
        }
        return b[k] == 'v' && b[k + 1] == 'a' && b[k + 2] == 'l' && b[k + 3] == 'u' && b[k + 4] == 'e'
            && b[k + 5] == 's' ? VALUES : 0;
      default:
        return 0;
    }
  }

  /** The rank of a top-level key of length {@code n} at {@code k}, or 0 if not one of ours. */
  private static int topKey(byte[] b, int k, int n) {
    if (n == 1) {
      switch (b[k]) {
        case 'r':
          return R;
        case 't':
          return T;
        case 'v':
          return V;
        case 'y':
          return Y;
        default:
          return 0;
      }
    }
    return n == 2 && b[k] == 'i' && b[k + 1] == 'p' ? IP : 0;
  }

  /** Decodes the slice if it has the accepted shape, else returns null. */
  static Response tryDecode(byte[] b, int off, int length) {
    int end = off + length;
    if (length < 2 || b[off] != 'd') {
      return null;
    }
    int p = off + 1;
    int rank = 0;
    TransactionId t = null;
    byte[] version = null;
    PeerAddress ip = null;
    boolean isResponse = false;
    // the body
    NodeId id = null;
    CompactNodes nodes = null;
    CompactNodes nodes6 = null;
    byte[] token = null;
    CompactPeers values = null;
    while (true) {
      if (p >= end) {
        return null;
      }
      if (b[p] == 'e') {
        p++;
        break;
      }
      long k = string(b, p, end);
      if (k < 0) {
        return null;
      }
      int key = topKey(b, at(k), len(k));
      if (key <= rank) { // not ours, or out of order
        return null;
      }
      rank = key;
      p = at(k) + len(k);
      if (key == R) {
        if (p >= end || b[p] != 'd') {
          return null;
        }
        p++;
        int bodyRank = 0;
        while (true) {
          if (p >= end) {
            return null;
          }
          if (b[p] == 'e') {
            p++;
            break;
          }
          long bk = string(b, p, end);
          if (bk < 0) {
            return null;
          }
          int field = bodyKey(b, at(bk), len(bk));
          if (field <= bodyRank) {
            return null;
          }
          bodyRank = field;
          p = at(bk) + len(bk);
          if (field == VALUES) {
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
            continue;
          }
          long v = string(b, p, end);
          if (v < 0) {
            return null;
          }
          int o = at(v);
          int n = len(v);
          p = o + n;
          switch (field) {
            case ID:
              if (n != NodeId.LENGTH) {
                return null;
              }
              id = NodeId.of(b, o);
              break;
            case NODES:
              if (n % NodeInfo.COMPACT_V4 != 0) {
                return null;
              }
              nodes = CompactNodes.view(b, o, n, false);
              break;
            case NODES6:
              if (n % NodeInfo.COMPACT_V6 != 0) {
                return null;
              }
              nodes6 = CompactNodes.view(b, o, n, true);
              break;
            default: // TOKEN
              token = Arrays.copyOfRange(b, o, p);
              break;
          }
        }
        if (id == null) {
          return null;
        }
        continue;
      }
      long v = string(b, p, end);
      if (v < 0) {
        return null;
      }
      int o = at(v);
      int n = len(v);
      p = o + n;
      switch (key) {
        case IP:
          if (n != PeerAddress.COMPACT_V4 && n != PeerAddress.COMPACT_V6) {
            return null;
          }
          ip = PeerAddress.fromCompact(b, o, n);
          break;
        case T:
          t = TransactionId.of(b, o, n);
          break;
        case V:
          version = Arrays.copyOfRange(b, o, p);
          break;
        default: // Y
          if (n != 1 || b[o] != 'r') {
            return null;
          }
          isResponse = true;
          break;
      }
    }
    if (p != end || !isResponse || t == null || id == null) {
      return null;
    }
    return Response.of(t, version, ip, id, nodes, nodes6, values, token);
  }
}
