package dev.jdht.krpc.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.Messages;
import dev.jdht.krpc.RandomMessages;
import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.BValue.BInteger;
import dev.jdht.krpc.bencode.BValue.BList;
import dev.jdht.krpc.bencode.BValue.BString;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.bencode.BencodeReader;
import dev.jdht.krpc.message.KrpcMessage;
import dev.jdht.krpc.message.Query;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded randomized round trips: typed messages of every kind, and generic bencode trees. */
class RandomRoundTripTest {
  private static final long SEED = 0xD47_2026L;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ping", "find_node", "get_peers", "announce_peer", "sample_infohashes",
      "unknown", "response", "error"})
  void randomMessagesRoundTrip(String kind) throws DecodeException {
    RandomMessages gen = new RandomMessages(new Random(SEED ^ kind.hashCode()));
    for (int i = 0; i < 2000; i++) {
      KrpcMessage m = switch (kind) {
        case "response" -> gen.response();
        case "error" -> gen.error();
        default -> gen.query(kind);
      };
      byte[] wire = KrpcCodec.encode(m);
      String what = kind + " #" + i + ": " + Messages.describe(m);
      // canonical: the generic layer re-encodes it unchanged
      assertArrayEquals(wire, Bencode.encode(Bencode.decode(wire)), what);
      KrpcMessage back = KrpcCodec.decode(wire);
      assertEquals(m.getClass(), back.getClass(), what);
      assertEquals(Messages.describe(m), Messages.describe(back), what);
      assertArrayEquals(wire, KrpcCodec.encode(back), what);
      if (m instanceof Query q) {
        assertEquals(q.method(), ((Query) back).method());
      }
    }
  }

  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {1, 3, 6, 12})
  void randomTreesRoundTrip(int depth) throws DecodeException {
    RandomMessages gen = new RandomMessages(new Random(SEED + depth));
    Random rnd = new Random(SEED - depth);
    for (int i = 0; i < 2000; i++) {
      BValue v = gen.tree(depth);
      byte[] canonical = Bencode.encode(v);
      BValue back = Bencode.decode(canonical);
      assertArrayEquals(canonical, Bencode.encode(back));
      assertTrue(sameTree(v, back), "tree #" + i);
      assertEquals(0, back.start());
      assertEquals(canonical.length, back.end());
      // the same value with its dictionaries written in a random key order
      byte[] shuffled = shuffledEncoding(v, rnd);
      assertArrayEquals(canonical, Bencode.encode(Bencode.decode(shuffled)));
      // heap and direct buffers, and a slice in a larger array
      assertArrayEquals(canonical, Bencode.encode(Bencode.decode(ByteBuffer.wrap(shuffled))));
      ByteBuffer direct = ByteBuffer.allocateDirect(shuffled.length).put(shuffled).flip();
      assertArrayEquals(canonical, Bencode.encode(Bencode.decode(direct)));
      byte[] big = new byte[shuffled.length + 8];
      System.arraycopy(shuffled, 0, big, 4, shuffled.length);
      assertArrayEquals(canonical,
          Bencode.encode(Bencode.decode(big, 4, shuffled.length, BencodeReader.DEFAULT_MAX_DEPTH)));
      // skipping agrees with reading
      BencodeReader r = new BencodeReader(canonical);
      r.skipValue();
      r.finish();
    }
  }

  /** Structural equality of two trees (records compare positions too, so compare by content). */
  static boolean sameTree(BValue a, BValue b) {
    if (a instanceof BString s) {
      return b instanceof BString t && s.equals(t);
    }
    if (a instanceof BInteger i) {
      return b instanceof BInteger j && i.value() == j.value();
    }
    if (a instanceof BList l) {
      if (!(b instanceof BList m) || l.items().size() != m.items().size()) {
        return false;
      }
      for (int k = 0; k < l.items().size(); k++) {
        if (!sameTree(l.items().get(k), m.items().get(k))) {
          return false;
        }
      }
      return true;
    }
    BDict d = (BDict) a;
    if (!(b instanceof BDict e) || d.entries().size() != e.entries().size()) {
      return false;
    }
    for (Map.Entry<BString, BValue> x : d.entries().entrySet()) {
      BValue y = e.entries().get(x.getKey());
      if (y == null || !sameTree(x.getValue(), y)) {
        return false;
      }
    }
    return true;
  }

  /** Encodes with every dictionary's keys in a random order (valid, not canonical, input). */
  static byte[] shuffledEncoding(BValue v, Random rnd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeShuffled(v, rnd, out);
    return out.toByteArray();
  }

  private static void writeShuffled(BValue v, Random rnd, ByteArrayOutputStream out) {
    if (v instanceof BString s) {
      out.writeBytes((s.len() + ":").getBytes(StandardCharsets.US_ASCII));
      out.write(s.src(), s.off(), s.len());
    } else if (v instanceof BInteger i) {
      out.writeBytes(("i" + i.value() + "e").getBytes(StandardCharsets.US_ASCII));
    } else if (v instanceof BList l) {
      out.write('l');
      for (BValue x : l.items()) {
        writeShuffled(x, rnd, out);
      }
      out.write('e');
    } else {
      BDict d = (BDict) v;
      List<Map.Entry<BString, BValue>> entries = new ArrayList<>(d.entries().entrySet());
      Collections.shuffle(entries, rnd);
      out.write('d');
      for (Map.Entry<BString, BValue> e : entries) {
        writeShuffled(e.getKey(), rnd, out);
        writeShuffled(e.getValue(), rnd, out);
      }
      out.write('e');
    }
  }
}
