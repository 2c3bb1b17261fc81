package dev.jdht.krpc.codec;

import dev.jdht.krpc.bencode.BencodeReader;
import dev.jdht.krpc.message.KrpcMessage;

/**
 * A reusable KRPC decoder for a thread that decodes many datagrams, such as a node's event loop:
 * the same results and errors as {@link KrpcCodec#decode(byte[], int, int)}, but the bencode
 * reader that messages off the fast path need (queries, errors, unusual responses) is made once
 * and reset for each message instead of allocated per datagram.
 *
 * <p>Not thread-safe: one instance per thread. Decoded messages do not refer to the decoder (they
 * may refer to the input array, as {@link KrpcCodec} describes), so they stay valid after later
 * calls.
 */
public final class KrpcDecoder {
  private final BencodeReader reader = new BencodeReader(new byte[0], 0, 0, KrpcCodec.MAX_DEPTH);

  /** Creates a decoder (about 130 bytes of reader state). */
  public KrpcDecoder() {}

  /** Decodes one KRPC message that spans the whole array. */
  public KrpcMessage decode(byte[] data) throws DecodeException {
    return decode(data, 0, data.length);
  }

  /**
   * Decodes one KRPC message that spans exactly the slice.
   *
   * @throws DecodeException if the bytes are not a valid KRPC message
   * @throws IllegalArgumentException if the slice is out of the array's bounds
   */
  public KrpcMessage decode(byte[] buf, int off, int len) throws DecodeException {
    KrpcMessage m = KrpcCodec.decodeFast(buf, off, len);
    if (m != null) {
      return m;
    }
    reader.reset(buf, off, len);
    return KrpcCodec.decode(reader, buf, off, len);
  }
}
