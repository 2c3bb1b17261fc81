package dev.jdht.krpc;

import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.BValue.BList;
import dev.jdht.krpc.bencode.BValue.BString;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.ErrorMessage;
import dev.jdht.krpc.message.KrpcMessage;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The properties every input must satisfy, shared by the mutation test and the Jazzer fuzz test:
 *
 * <ul>
 *   <li>decoding throws nothing but {@link DecodeException}, whose offset lies within the input;
 *   <li>whatever decodes re-encodes without throwing, and the re-encoding decodes to the same
 *       thing and re-encodes byte-identical (a fixed point);
 *   <li>canonical input that decodes re-encodes byte-identical, except for the two documented
 *       normalisations of error messages (see docs/fuzzing.md).
 * </ul>
 *
 * Failures are {@link AssertionError}s naming the input in hex. Stateless.
 */
public final class DecodeChecks {
  private DecodeChecks() {}

  /** Checks {@link KrpcCodec} on {@code in}; returns true if it decoded. */
  public static boolean checkKrpc(byte[] in) {
    KrpcMessage m;
    try {
      m = KrpcCodec.decode(in);
    } catch (DecodeException e) {
      checkException(e, in);
      return false;
    } catch (RuntimeException | Error e) {
      throw failure("KrpcCodec.decode threw " + e, in, e);
    }
    byte[] out;
    KrpcMessage back;
    try {
      out = KrpcCodec.encode(m);
      back = KrpcCodec.decode(out);
    } catch (DecodeException | RuntimeException | Error e) {
      throw failure("re-encoding a decoded message failed: " + e, in, e);
    }
    String a = Messages.describe(m);
    String b = Messages.describe(back);
    if (!a.equals(b)) {
      throw failure("re-encoded message decodes differently:\n  " + a + "\n  " + b, in, null);
    }
    if (!Arrays.equals(out, KrpcCodec.encode(back))) {
      throw failure("encoding is not a fixed point", in, null);
    }
    if (!Arrays.equals(out, in) && isCanonical(in) && !normalised(m, in)) {
      throw failure("canonical input re-encoded differently: " + hex(out), in, null);
    }
    return true;
  }

  /** Checks {@link Bencode} on {@code in}; returns true if it decoded. */
  public static boolean checkBencode(byte[] in) {
    BValue v;
    try {
      v = Bencode.decode(in);
    } catch (DecodeException e) {
      checkException(e, in);
      return false;
    } catch (RuntimeException | Error e) {
      throw failure("Bencode.decode threw " + e, in, e);
    }
    byte[] out;
    byte[] again;
    try {
      out = Bencode.encode(v);
      again = Bencode.encode(Bencode.decode(out));
      // the ByteBuffer path agrees
      byte[] viaBuffer = Bencode.encode(Bencode.decode(ByteBuffer.wrap(in)));
      if (!Arrays.equals(out, viaBuffer)) {
        throw failure("ByteBuffer decoding differs", in, null);
      }
    } catch (DecodeException | RuntimeException e) {
      throw failure("re-encoding a decoded value failed: " + e, in, e);
    }
    if (!Arrays.equals(out, again)) {
      throw failure("bencode encoding is not a fixed point", in, null);
    }
    if (v.start() != 0 || v.end() != in.length) {
      throw failure("value range " + v.start() + ".." + v.end() + " is not the input", in, null);
    }
    return true;
  }

  private static void checkException(DecodeException e, byte[] in) {
    if (e.reason() == null || e.reason().isEmpty()) {
      throw failure("DecodeException without a reason", in, e);
    }
    if (e.offset() < 0 || e.offset() > in.length) {
      throw failure("DecodeException offset " + e.offset() + " outside the input", in, e);
    }
    if (e.krpcCode() != DecodeException.PROTOCOL_ERROR) {
      throw failure("DecodeException code " + e.krpcCode(), in, e);
    }
  }

  /** True if {@code in} is bencode in canonical form (sorted keys). */
  public static boolean isCanonical(byte[] in) {
    try {
      return Arrays.equals(in, Bencode.encode(Bencode.decode(in)));
    } catch (DecodeException e) {
      return false;
    }
  }

  /**
   * The documented lossy cases: an error whose message is not valid UTF-8 (decoded with
   * replacement characters) or whose 'e' list lacks the message (re-encoded with "").
   */
  private static boolean normalised(KrpcMessage m, byte[] in) {
    if (!(m instanceof ErrorMessage)) {
      return false;
    }
    try {
      BList e = (BList) ((BDict) Bencode.decode(in)).get("e");
      if (e.items().size() != 2) {
        return true;
      }
      BString msg = (BString) e.items().get(1);
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(msg.bytes()));
      return false;
    } catch (CharacterCodingException ex) {
      return true;
    } catch (DecodeException ex) {
      throw new AssertionError(ex);
    }
  }

  private static AssertionError failure(String what, byte[] in, Throwable cause) {
    return new AssertionError(what + "\n  input (" + in.length + " bytes): " + hex(in), cause);
  }

  private static String hex(byte[] b) {
    return b.length > 4096 ? HexFormat.of().formatHex(b, 0, 4096) + "..." : HexFormat.of().formatHex(b);
  }
}
