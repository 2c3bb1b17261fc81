package dev.jdht.krpc.codec;

import dev.jdht.krpc.bencode.BType;
import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.bencode.BencodeReader;
import dev.jdht.krpc.bencode.BencodeWriter;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import dev.jdht.krpc.message.QueryMeta;
import dev.jdht.krpc.message.Response;
import dev.jdht.krpc.wire.CompactNodes;
import dev.jdht.krpc.wire.CompactPeers;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Bytes to typed KRPC messages and back. Stateless and thread-safe.
 *
 * <p>Decoding is strict bencode (see {@link BencodeReader}) plus KRPC validation; every failure
 * is a {@link DecodeException} with KRPC code 203 and, when it could be read, the message's
 * transaction id. Decoded messages may refer to the input array (compact nodes and values are
 * views), so the caller must not reuse the array while it keeps the message. Encoding is
 * canonical: keys sorted, extras merged in order.
 */
public final class KrpcCodec {
  /** Largest datagram accepted for decoding. */
  public static final int MAX_MESSAGE_SIZE = 65507;
  /** Nesting limit for KRPC messages (a well-formed one needs 3). */
  public static final int MAX_DEPTH = 16;

  private static final byte[] K_T = ascii("t");
  private static final byte[] K_Y = ascii("y");
  private static final byte[] K_Q = ascii("q");
  private static final byte[] K_A = ascii("a");
  private static final byte[] K_R = ascii("r");
  private static final byte[] K_E = ascii("e");
  private static final byte[] K_V = ascii("v");
  private static final byte[] K_IP = ascii("ip");
  private static final byte[] K_RO = ascii("ro");
  private static final byte[] K_ID = ascii("id");
  private static final byte[] K_TARGET = ascii("target");
  private static final byte[] K_INFO_HASH = ascii("info_hash");
  private static final byte[] K_PORT = ascii("port");
  private static final byte[] K_IMPLIED_PORT = ascii("implied_port");
  private static final byte[] K_TOKEN = ascii("token");
  private static final byte[] K_WANT = ascii("want");
  private static final byte[] K_NODES = ascii("nodes");
  private static final byte[] K_NODES6 = ascii("nodes6");
  private static final byte[] K_VALUES = ascii("values");
  private static final byte[] K_SAMPLES = ascii("samples");
  private static final byte[] K_INTERVAL = ascii("interval");
  private static final byte[] K_NUM = ascii("num");
  private static final byte[] K_K = ascii("k");
  private static final byte[] K_SIG = ascii("sig");
  private static final byte[] K_SEQ = ascii("seq");
  private static final byte[] K_CAS = ascii("cas");
  private static final byte[] K_SALT = ascii("salt");
  private static final byte[] K_BFSD = ascii("BFsd");
  private static final byte[] K_BFPE = ascii("BFpe");

  private KrpcCodec() {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // ------------------------------------------------------------------------------------------
  // decoding

  public static KrpcMessage decode(byte[] data) throws DecodeException {
    return decode(data, 0, data.length);
  }

  /**
   * Decodes one KRPC message that spans exactly the slice. A thread that decodes many messages
   * can use a {@link KrpcDecoder} instead, which gives the same results and reuses its reader.
   */
  public static KrpcMessage decode(byte[] buf, int off, int len) throws DecodeException {
    KrpcMessage m = decodeFast(buf, off, len);
    return m != null ? m : decode(new BencodeReader(buf, off, len, MAX_DEPTH), buf, off, len);
  }

  /**
   * The checks and fast path that come before a reader is needed: the message, or null if the
   * general path must decode it.
   */
  static KrpcMessage decodeFast(byte[] buf, int off, int len) throws DecodeException {
    if (len > MAX_MESSAGE_SIZE) {
      throw new DecodeException("message larger than " + MAX_MESSAGE_SIZE + " bytes", 0);
    }
    if (off >= 0 && len >= 0 && off <= buf.length - len) {
      // plain responses in canonical order, the bulk of what a node receives, take a direct path
      return PlainResponseDecoder.tryDecode(buf, off, len);
    }
    return null;
  }

  /** The general path: {@code r} is a fresh or reset reader over exactly the slice. */
  static KrpcMessage decode(BencodeReader r, byte[] buf, int off, int len) throws DecodeException {
    if (len == 0 || buf[off] != 'd') {
      throw r.error("a KRPC message must be a dictionary");
    }
    r.beginDict();
    TransactionId t = null;
    int y = -1;
    String method = null;
    int bodyPos = -1;
    byte bodyKind = 0;
    byte[] version = null;
    PeerAddress ip = null;
    boolean ro = false;
    TreeMap<String, BValue> extras = null;
    int errPos = -1;
    // where 'q', 'ip' and 'ro' were found: a message type that does not use them keeps them
    int methodPos = -1;
    int ipPos = -1;
    int roPos = -1;
    Response.Builder responseBody = null;
    try {
      while (r.nextKey()) {
        if (r.keyLength() == 1) {
          byte k = buf[r.keyOffset()];
          if (k == 't' && r.peek() == BType.STRING) {
            int o = r.readString();
            t = TransactionId.of(buf, o, r.stringLength());
            continue;
          }
          if (k == 'y' && r.peek() == BType.STRING) {
            int o = r.readString();
            y = r.stringLength() == 1 ? buf[o] & 0xff : -2;
            continue;
          }
          if (k == 'q' && r.peek() == BType.STRING) {
            methodPos = r.position();
            int o = r.readString();
            method = new String(buf, o, r.stringLength(), StandardCharsets.ISO_8859_1);
            continue;
          }
          if ((k == 'a' || k == 'r') && r.peek() == BType.DICT) {
            if (bodyPos >= 0) {
              throw r.error("message has both 'a' and 'r'");
            }
            bodyPos = r.position();
            bodyKind = k;
            if (k == 'r') {
              // 'r' nearly always belongs to a response, whose 'y' only comes later: read the body
              // now instead of skipping it and reading it again. If that fails, skip it as before
              // and let the usual path report the error, so errors do not change.
              responseBody = tryReadResponseBody(r, bodyPos);
              if (responseBody != null) {
                continue;
              }
            }
            r.skipValue();
            continue;
          }
          if (k == 'e' && r.peek() == BType.LIST) {
            errPos = r.position();
            r.skipValue();
            continue;
          }
          if (k == 'v' && r.peek() == BType.STRING) {
            version = r.readBytes();
            continue;
          }
        } else if (r.keyIs(K_IP) && r.peek() == BType.STRING) {
          int at = r.position();
          int o = r.readString();
          int n = r.stringLength();
          if (n == PeerAddress.COMPACT_V4 || n == PeerAddress.COMPACT_V6) {
            ip = PeerAddress.fromCompact(buf, o, n);
            ipPos = at;
            continue;
          }
          r.seekWithin(at);
        } else if (r.keyIs(K_RO) && r.peek() == BType.INTEGER) {
          int at = r.position();
          long v = r.readLong();
          if (v == 1) { // any other value (ro=0 included) is kept as an extra, so it round-trips
            ro = true;
            roPos = at;
            continue;
          }
          r.seekWithin(at);
        }
        if (extras == null) {
          extras = new TreeMap<>();
        }
        extras.put(keyString(r), Bencode.read(r));
      }
      r.finish();
    } catch (DecodeException e) {
      // a bencode error after 't' was read still names the transaction, so a server can answer
      throw e.withContext(t == null ? null : t.unsafeBytes(), messageType(y));
    }
    if (t == null) {
      throw new DecodeException("missing transaction id 't'", 0);
    }
    byte[] tb = t.unsafeBytes();
    try {
      switch (y) {
        case 'q':
          if (method == null) {
            throw new DecodeException("query without method 'q'", 0);
          }
          if (bodyPos < 0 || bodyKind != 'a') {
            throw new DecodeException("query without arguments 'a'", 0);
          }
          extras = keep(extras, r, "e", errPos);
          extras = keep(extras, r, "ip", ipPos);
          r.seek(bodyPos);
          return readQuery(r, t, method, new QueryMetaBuilder(version, ro, extras));
        case 'r':
          if (bodyPos < 0 || bodyKind != 'r') {
            throw new DecodeException("response without 'r'", 0);
          }
          extras = keep(extras, r, "e", errPos);
          extras = keep(extras, r, "q", methodPos);
          extras = keep(extras, r, "ro", roPos);
          if (responseBody != null) {
            return finishResponse(responseBody, t, version, ip, extras);
          }
          r.seek(bodyPos);
          return readResponse(r, t, version, ip, extras);
        case 'e':
          if (errPos < 0) {
            throw new DecodeException("error without 'e'", 0);
          }
          extras = keep(extras, r, String.valueOf((char) bodyKind), bodyPos);
          extras = keep(extras, r, "q", methodPos);
          extras = keep(extras, r, "ro", roPos);
          r.seek(errPos);
          return readError(r, t, version, ip, extras);
        case -1:
          throw new DecodeException("missing message type 'y'", 0);
        default:
          throw new DecodeException("unknown message type 'y'", 0);
      }
    } catch (DecodeException e) {
      throw e.withContext(tb, messageType(y));
    }
  }

  /** 'q', 'r' or 'e' for a known message type, else 0. */
  private static char messageType(int y) {
    return y == 'q' || y == 'r' || y == 'e' ? (char) y : (char) 0;
  }

  /**
   * Keeps a top-level value that this message type does not use (say 'q' in a response) as an
   * extra, so that nothing is lost on re-encoding. {@code pos} is the value's position, or -1.
   */
  private static TreeMap<String, BValue> keep(
      TreeMap<String, BValue> extras, BencodeReader r, String key, int pos) throws DecodeException {
    if (pos < 0) {
      return extras;
    }
    TreeMap<String, BValue> m = extras == null ? new TreeMap<>() : extras;
    r.seek(pos);
    m.put(key, Bencode.read(r));
    return m;
  }

  private static String keyString(BencodeReader r) {
    return new String(r.array(), r.keyOffset(), r.keyLength(), StandardCharsets.ISO_8859_1);
  }

  private record QueryMetaBuilder(byte[] version, boolean ro, TreeMap<String, BValue> extras) {}

  private static NodeId readId(BencodeReader r, String what) throws DecodeException {
    if (r.peek() != BType.STRING) {
      throw r.error("'" + what + "' must be a byte string");
    }
    int at = r.offset();
    int o = r.readString();
    if (r.stringLength() != NodeId.LENGTH) {
      throw new DecodeException("'" + what + "' must be 20 bytes, got " + r.stringLength(), at);
    }
    return NodeId.of(r.array(), o);
  }

  private static Query readQuery(BencodeReader r, TransactionId t, String method, QueryMetaBuilder mb)
      throws DecodeException {
    boolean known;
    switch (method) {
      case Query.PING, Query.FIND_NODE, Query.GET_PEERS, Query.ANNOUNCE_PEER, Query.SAMPLE_INFOHASHES,
          Query.GET, Query.PUT:
        known = true;
        break;
      default:
        known = false;
    }
    if (!known) {
      int start = r.position();
      BValue a = Bencode.read(r);
      NodeId id = null;
      BValue idv = ((BDict) a).get("id");
      if (idv instanceof BValue.BString s && s.len() == NodeId.LENGTH) {
        id = NodeId.of(s.src(), s.off());
      }
      QueryMeta meta = new QueryMeta(mb.version, mb.ro, null, mb.extras, null);
      assert start >= 0;
      return new Query.Unknown(t, method, id, (BDict) a, meta);
    }
    int bodyStart = r.offset();
    r.beginDict();
    NodeId id = null;
    NodeId target = null;
    NodeId infoHash = null;
    long port = -1;
    boolean impliedPort = false;
    byte[] token = null;
    List<String> want = null;
    TreeMap<String, BValue> argExtras = null;
    boolean isFind = method.equals(Query.FIND_NODE) || method.equals(Query.SAMPLE_INFOHASHES)
        || method.equals(Query.GET);
    boolean isGet = method.equals(Query.GET_PEERS);
    boolean isAnnounce = method.equals(Query.ANNOUNCE_PEER);
    boolean isItemGet = method.equals(Query.GET);
    boolean isPut = method.equals(Query.PUT);
    ItemArgs item = isItemGet || isPut ? new ItemArgs() : null;
    while (r.nextKey()) {
      if (r.keyIs(K_ID)) {
        id = readId(r, "id");
      } else if (item != null && item.read(r, isPut)) {
        continue;
      } else if (isFind && r.keyIs(K_TARGET)) {
        target = readId(r, "target");
      } else if ((isGet || isAnnounce) && r.keyIs(K_INFO_HASH)) {
        infoHash = readId(r, "info_hash");
      } else if (isAnnounce && r.keyIs(K_PORT)) {
        if (r.peek() != BType.INTEGER) {
          throw r.error("'port' must be an integer");
        }
        int at = r.offset();
        port = r.readLong();
        if (port < 0 || port > 65535) {
          throw new DecodeException("'port' out of range: " + port, at);
        }
      } else if (isAnnounce && r.keyIs(K_IMPLIED_PORT)) {
        if (r.peek() != BType.INTEGER) {
          throw r.error("'implied_port' must be an integer");
        }
        int at = r.position();
        long v = r.readLong();
        impliedPort = v != 0;
        if (v != 1) { // implied_port=0 (or an odd value) is kept verbatim so it round-trips
          if (argExtras == null) {
            argExtras = new TreeMap<>();
          }
          argExtras.put("implied_port", new BValue.BInteger(v, at, r.position()));
        }
      } else if ((isAnnounce || isPut) && r.keyIs(K_TOKEN)) {
        if (r.peek() != BType.STRING) {
          throw r.error("'token' must be a byte string");
        }
        token = r.readBytes();
      } else if (r.keyIs(K_WANT) && r.peek() == BType.LIST) {
        want = new ArrayList<>(2);
        r.beginList();
        while (r.hasNext()) {
          if (r.peek() != BType.STRING) {
            throw r.error("'want' must be a list of byte strings");
          }
          int o = r.readString();
          want.add(new String(r.array(), o, r.stringLength(), StandardCharsets.ISO_8859_1));
        }
      } else {
        if (argExtras == null) {
          argExtras = new TreeMap<>();
        }
        argExtras.put(keyString(r), Bencode.read(r));
      }
    }
    if (id == null) {
      throw new DecodeException("query arguments lack 'id'", bodyStart);
    }
    QueryMeta meta = new QueryMeta(mb.version, mb.ro, want, mb.extras, argExtras);
    switch (method) {
      case Query.PING:
        return new Query.Ping(t, id, meta);
      case Query.FIND_NODE:
        if (target == null) {
          throw new DecodeException("find_node lacks 'target'", bodyStart);
        }
        return new Query.FindNode(t, id, target, meta);
      case Query.SAMPLE_INFOHASHES:
        if (target == null) {
          throw new DecodeException("sample_infohashes lacks 'target'", bodyStart);
        }
        return new Query.SampleInfohashes(t, id, target, meta);
      case Query.GET_PEERS:
        if (infoHash == null) {
          throw new DecodeException("get_peers lacks 'info_hash'", bodyStart);
        }
        return new Query.GetPeers(t, id, infoHash, meta);
      case Query.ANNOUNCE_PEER:
        if (infoHash == null) {
          throw new DecodeException("announce_peer lacks 'info_hash'", bodyStart);
        }
        if (token == null) {
          throw new DecodeException("announce_peer lacks 'token'", bodyStart);
        }
        if (port < 0 && !impliedPort) {
          throw new DecodeException("announce_peer lacks 'port'", bodyStart);
        }
        return new Query.AnnouncePeer(t, id, infoHash, (int) port, impliedPort, token, meta);
      case Query.GET:
        if (target == null) {
          throw new DecodeException("get lacks 'target'", bodyStart);
        }
        return new Query.Get(t, id, target, item.seq, meta);
      case Query.PUT:
        item.checkPut(token, bodyStart);
        return new Query.Put(t, id, token, item.value, item.key, item.sig, item.seq, item.cas, item.salt, meta);
      default:
        throw new AssertionError(method);
    }
  }

  /** The BEP 44 arguments of get ({@code seq}) and put (also v, k, sig, cas, salt) as read. */
  private static final class ItemArgs {
    byte[] value;
    byte[] key;
    byte[] sig;
    Long seq;
    Long cas;
    byte[] salt;

    /** Reads the current key's value if it is one of ours; false (nothing read) otherwise. */
    boolean read(BencodeReader r, boolean put) throws DecodeException {
      if (r.keyIs(K_SEQ)) {
        seq = readInt(r, "seq");
      } else if (!put) {
        return false;
      } else if (r.keyIs(K_V)) {
        int s = r.position();
        r.skipValue();
        value = Arrays.copyOfRange(r.array(), s, r.position());
      } else if (r.keyIs(K_K)) {
        key = readFixedOrMultiple(r, "k", 32, true);
      } else if (r.keyIs(K_SIG)) {
        sig = readFixedOrMultiple(r, "sig", 64, true);
      } else if (r.keyIs(K_CAS)) {
        cas = readInt(r, "cas");
      } else if (r.keyIs(K_SALT)) {
        if (r.peek() != BType.STRING) {
          throw r.error("'salt' must be a byte string");
        }
        salt = r.readBytes();
      } else {
        return false;
      }
      return true;
    }

    /** A put needs token and v; k, sig and seq come together, and cas and salt only with them. */
    void checkPut(byte[] token, int bodyStart) throws DecodeException {
      if (token == null) {
        throw new DecodeException("put lacks 'token'", bodyStart);
      }
      if (value == null) {
        throw new DecodeException("put lacks 'v'", bodyStart);
      }
      boolean mutable = key != null || sig != null;
      if (mutable && (key == null || sig == null || seq == null)) {
        throw new DecodeException("mutable put needs 'k', 'sig' and 'seq'", bodyStart);
      }
      if (!mutable && (seq != null || cas != null || salt != null)) {
        throw new DecodeException("immutable put with 'seq', 'cas' or 'salt'", bodyStart);
      }
    }
  }

  private static byte[] readFixedOrMultiple(BencodeReader r, String what, int unit, boolean exact)
      throws DecodeException {
    if (r.peek() != BType.STRING) {
      throw r.error("'" + what + "' must be a byte string");
    }
    int at = r.offset();
    byte[] b = r.readBytes();
    if (exact ? b.length != unit : b.length % unit != 0) {
      throw new DecodeException(
          "'" + what + "' must be " + (exact ? "" : "a multiple of ") + unit + " bytes, got " + b.length, at);
    }
    return b;
  }

  private static long readInt(BencodeReader r, String what) throws DecodeException {
    if (r.peek() != BType.INTEGER) {
      throw r.error("'" + what + "' must be an integer");
    }
    return r.readLong();
  }

  private static Response readResponse(
      BencodeReader r, TransactionId t, byte[] version, PeerAddress ip, TreeMap<String, BValue> extras)
      throws DecodeException {
    return finishResponse(readResponseBody(r), t, version, ip, extras);
  }

  private static Response finishResponse(
      Response.Builder b, TransactionId t, byte[] version, PeerAddress ip, TreeMap<String, BValue> extras) {
    b.transactionId(t).version(version).externalIp(ip);
    if (extras != null) {
      b.extras(extras);
    }
    return b.build();
  }

  /** The 'r' body read at {@code pos} (depth as now), or null after rewinding if it is invalid. */
  private static Response.Builder tryReadResponseBody(BencodeReader r, int pos) {
    int depth = r.depth();
    try {
      return readResponseBody(r);
    } catch (DecodeException e) {
      r.rewind(pos, depth);
      return null;
    }
  }

  /** Reads the 'r' dictionary into a builder that still lacks the top-level fields. */
  private static Response.Builder readResponseBody(BencodeReader r) throws DecodeException {
    byte[] buf = r.array();
    int bodyStart = r.offset();
    r.beginDict();
    Response.Builder b = new Response.Builder();
    TreeMap<String, BValue> bodyExtras = null;
    boolean haveId = false;
    while (r.nextKey()) {
      if (r.keyIs(K_ID)) {
        b.id(readId(r, "id"));
        haveId = true;
      } else if (r.keyIs(K_NODES) || r.keyIs(K_NODES6)) {
        boolean six = r.keyLength() == 6;
        String what = six ? "nodes6" : "nodes";
        if (r.peek() != BType.STRING) {
          throw r.error("'" + what + "' must be a byte string");
        }
        int at = r.offset();
        int o = r.readString();
        int n = r.stringLength();
        int stride = six ? NodeInfo.COMPACT_V6 : NodeInfo.COMPACT_V4;
        if (n % stride != 0) {
          throw new DecodeException("'" + what + "' length " + n + " is not a multiple of " + stride, at);
        }
        CompactNodes view = CompactNodes.view(buf, o, n, six);
        if (six) {
          b.nodes6(view);
        } else {
          b.nodes(view);
        }
      } else if (r.keyIs(K_VALUES)) {
        if (r.peek() != BType.LIST) {
          throw r.error("'values' must be a list");
        }
        r.beginList();
        CompactPeers.Builder pb = new CompactPeers.Builder(buf);
        while (r.hasNext()) {
          if (r.peek() != BType.STRING) {
            throw r.error("'values' entries must be byte strings");
          }
          int at = r.offset();
          int o = r.readString();
          int n = r.stringLength();
          if (n != PeerAddress.COMPACT_V4 && n != PeerAddress.COMPACT_V6) {
            throw new DecodeException("'values' entry must be 6 or 18 bytes, got " + n, at);
          }
          pb.add(o, n);
        }
        b.values(pb.build());
      } else if (r.keyIs(K_TOKEN)) {
        if (r.peek() != BType.STRING) {
          throw r.error("'token' must be a byte string");
        }
        b.token(r.readBytes());
      } else if (r.keyIs(K_SAMPLES)) {
        b.samples(readFixedOrMultiple(r, "samples", NodeId.LENGTH, false));
      } else if (r.keyIs(K_INTERVAL)) {
        b.interval(readInt(r, "interval"));
      } else if (r.keyIs(K_NUM)) {
        b.num(readInt(r, "num"));
      } else if (r.keyIs(K_SEQ)) {
        b.seq(readInt(r, "seq"));
      } else if (r.keyIs(K_V)) {
        int s = r.position();
        r.skipValue();
        b.value(Arrays.copyOfRange(buf, s, r.position()));
      } else if (r.keyIs(K_K)) {
        b.key(readFixedOrMultiple(r, "k", 32, true));
      } else if (r.keyIs(K_SIG)) {
        b.signature(readFixedOrMultiple(r, "sig", 64, true));
      } else if (r.keyIs(K_BFSD)) {
        b.seedsBloom(readFixedOrMultiple(r, "BFsd", 256, true));
      } else if (r.keyIs(K_BFPE)) {
        b.peersBloom(readFixedOrMultiple(r, "BFpe", 256, true));
      } else {
        if (bodyExtras == null) {
          bodyExtras = new TreeMap<>();
        }
        bodyExtras.put(keyString(r), Bencode.read(r));
      }
    }
    if (!haveId) {
      throw new DecodeException("response lacks 'id'", bodyStart);
    }
    if (bodyExtras != null) {
      b.bodyExtras(bodyExtras);
    }
    return b;
  }

  private static ErrorMessage readError(
      BencodeReader r, TransactionId t, byte[] version, PeerAddress ip, TreeMap<String, BValue> extras)
      throws DecodeException {
    int at = r.offset();
    r.beginList();
    if (!r.hasNext() || r.peek() != BType.INTEGER) {
      throw new DecodeException("'e' must start with an integer code", at);
    }
    long code = r.readLong();
    if (code < Integer.MIN_VALUE || code > Integer.MAX_VALUE) {
      throw new DecodeException("error code out of range", at);
    }
    String msg = "";
    if (r.hasNext()) {
      if (r.peek() != BType.STRING) {
        throw r.error("error message must be a byte string");
      }
      int o = r.readString();
      msg = new String(r.array(), o, r.stringLength(), StandardCharsets.UTF_8);
      if (r.hasNext()) {
        throw r.error("'e' must hold a code and a message only");
      }
    }
    if (ip != null) {
      if (extras == null) {
        extras = new TreeMap<>();
      }
      extras.put("ip", BValue.BString.of(ip.toCompact()));
    }
    return new ErrorMessage(t, (int) code, msg, version, extras);
  }

  // ------------------------------------------------------------------------------------------
  // encoding

  /** Encodes canonically into a fresh array. */
  public static byte[] encode(KrpcMessage m) {
    BencodeWriter w = new BencodeWriter(512);
    encode(m, w);
    return w.toByteArray();
  }

  /** Appends the canonical encoding of {@code m} to {@code w}. */
  public static void encode(KrpcMessage m, BencodeWriter w) {
    if (m instanceof Query q) {
      encodeQuery(q, w);
    } else if (m instanceof Response r) {
      encodeResponse(r, w);
    } else if (m instanceof ErrorMessage e) {
      encodeError(e, w);
    }
  }

  /** Writes known keys in order and slots extras in between so the result stays sorted. */
  private static final class Keys {
    private final BencodeWriter w;
    private final Iterator<Map.Entry<String, BValue>> it;
    private Map.Entry<String, BValue> next;

    Keys(BencodeWriter w, Map<String, BValue> extras) {
      this.w = w;
      this.it = extras.isEmpty() ? null : extras.entrySet().iterator();
      this.next = it != null && it.hasNext() ? it.next() : null;
    }

    BencodeWriter key(String k) {
      flushBefore(k);
      return w.key(k);
    }

    void flushBefore(String k) {
      while (next != null && (k == null || next.getKey().compareTo(k) < 0)) {
        w.key(next.getKey().getBytes(StandardCharsets.ISO_8859_1));
        Bencode.write(w, next.getValue());
        next = it.hasNext() ? it.next() : null;
      }
    }

    void finish() {
      flushBefore(null);
    }
  }

  private static void encodeQuery(Query q, BencodeWriter w) {
    QueryMeta meta = q.meta();
    w.beginDict();
    Keys top = new Keys(w, meta.extras());
    top.key("a");
    if (q instanceof Query.Unknown u) {
      Bencode.write(w, u.args());
    } else {
      w.beginDict();
      Keys a = new Keys(w, meta.argExtras());
      if (q instanceof Query.Put p && p.cas() != null) {
        a.key("cas").integer(p.cas());
      }
      a.key("id").string(idBytes(q.id()));
      if (q instanceof Query.AnnouncePeer ap) {
        if (ap.impliedPort() && !meta.argExtras().containsKey("implied_port")) {
          a.key("implied_port").integer(1);
        }
        a.key("info_hash").string(idBytes(ap.infoHash()));
        if (ap.port() >= 0) {
          a.key("port").integer(ap.port());
        }
      } else if (q instanceof Query.GetPeers gp) {
        a.key("info_hash").string(idBytes(gp.infoHash()));
      } else if (q instanceof Query.FindNode fn) {
        a.key("target").string(idBytes(fn.target()));
      } else if (q instanceof Query.SampleInfohashes si) {
        a.key("target").string(idBytes(si.target()));
      }
      if (q instanceof Query.AnnouncePeer ap) {
        a.key("token").string(ap.token());
      } else if (q instanceof Query.Get g) {
        if (g.seq() != null) {
          a.key("seq").integer(g.seq());
        }
        a.key("target").string(idBytes(g.target()));
      } else if (q instanceof Query.Put p) {
        encodePutArgs(p, a, w);
      }
      if (meta.want() != null) {
        a.key("want").beginList();
        for (String s : meta.want()) {
          w.string(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        w.end();
      }
      a.finish();
      w.end();
    }
    top.key("q").string(q.method().getBytes(StandardCharsets.ISO_8859_1));
    if (meta.readOnly()) {
      top.key("ro").integer(1);
    }
    top.key("t").string(q.transactionId().unsafeBytes());
    if (meta.version() != null) {
      top.key("v").string(meta.version());
    }
    top.key("y").string(Y_Q);
    top.finish();
    w.end();
  }

  /** The put arguments after "id", in key order (cas sorts before id and is written first). */
  private static void encodePutArgs(Query.Put p, Keys a, BencodeWriter w) {
    if (p.key() != null) {
      a.key("k").string(p.key());
    }
    if (p.salt() != null) {
      a.key("salt").string(p.salt());
    }
    if (p.seq() != null) {
      a.key("seq").integer(p.seq());
    }
    if (p.signature() != null) {
      a.key("sig").string(p.signature());
    }
    a.key("token").string(p.token());
    a.key("v").raw(p.value(), 0, p.value().length);
  }

  private static final byte[] Y_Q = {'q'};
  private static final byte[] Y_R = {'r'};
  private static final byte[] Y_E = {'e'};

  private static byte[] idBytes(NodeId id) {
    return id.toBytes();
  }

  private static void encodeResponse(Response r, BencodeWriter w) {
    w.beginDict();
    Keys top = new Keys(w, r.extras());
    if (r.externalIp() != null) {
      top.key("ip").string(r.externalIp().toCompact());
    }
    top.key("r");
    w.beginDict();
    Keys b = new Keys(w, r.bodyExtras());
    if (r.peersBloom() != null) {
      b.key("BFpe").string(r.peersBloom());
    }
    if (r.seedsBloom() != null) {
      b.key("BFsd").string(r.seedsBloom());
    }
    b.key("id").string(idBytes(r.id()));
    if (r.interval() != null) {
      b.key("interval").integer(r.interval());
    }
    if (r.key() != null) {
      b.key("k").string(r.key());
    }
    if (r.hasNodes()) {
      CompactNodes n = r.nodes();
      byte[] tmp = new byte[n.byteLength()];
      n.copyTo(tmp, 0);
      b.key("nodes").string(tmp);
    }
    if (r.hasNodes6()) {
      CompactNodes n = r.nodes6();
      byte[] tmp = new byte[n.byteLength()];
      n.copyTo(tmp, 0);
      b.key("nodes6").string(tmp);
    }
    if (r.num() != null) {
      b.key("num").integer(r.num());
    }
    if (r.samples() != null) {
      b.key("samples").string(r.samples());
    }
    if (r.seq() != null) {
      b.key("seq").integer(r.seq());
    }
    if (r.signature() != null) {
      b.key("sig").string(r.signature());
    }
    if (r.token() != null) {
      b.key("token").string(r.token());
    }
    if (r.value() != null) {
      b.key("v").raw(r.value(), 0, r.value().length);
    }
    if (r.hasValues()) {
      CompactPeers v = r.values();
      b.key("values").beginList();
      for (int i = 0; i < v.size(); i++) {
        w.string(v.source(), v.offsetAt(i), v.lengthAt(i));
      }
      w.end();
    }
    b.finish();
    w.end();
    top.key("t").string(r.transactionId().unsafeBytes());
    if (r.version() != null) {
      top.key("v").string(r.version());
    }
    top.key("y").string(Y_R);
    top.finish();
    w.end();
  }

  private static void encodeError(ErrorMessage e, BencodeWriter w) {
    w.beginDict();
    Keys top = new Keys(w, e.extras());
    top.key("e").beginList().integer(e.code()).string(e.message().getBytes(StandardCharsets.UTF_8)).end();
    top.key("t").string(e.transactionId().unsafeBytes());
    if (e.version() != null) {
      top.key("v").string(e.version());
    }
    top.key("y").string(Y_E);
    top.finish();
    w.end();
  }

  /** Convenience: a sorted, immutable extras map. */
  public static SortedMap<String, BValue> extras(Map<String, BValue> m) {
    return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(m));
  }
}
