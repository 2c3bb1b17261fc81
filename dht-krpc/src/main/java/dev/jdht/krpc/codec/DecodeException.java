package dev.jdht.krpc.codec;

/**
 * The one exception thrown for malformed bencode or KRPC input.
 *
 * <p>It carries the byte offset where decoding stopped and the KRPC error code a server should
 * answer with (203, protocol error, for anything malformed). When the transaction id of the bad
 * message could be read, it is kept so that the error reply can echo it.
 */
public final class DecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** KRPC error code for a malformed packet or bad arguments (BEP 5). */
  public static final int PROTOCOL_ERROR = 203;

  private final int offset;
  private final int krpcCode;
  private final transient byte[] transactionId;
  private final String reason;
  private final char messageType;

  public DecodeException(String reason, int offset) {
    this(reason, offset, PROTOCOL_ERROR, null);
  }

  public DecodeException(String reason, int offset, int krpcCode, byte[] transactionId) {
    this(reason, offset, krpcCode, transactionId, (char) 0);
  }

  private DecodeException(String reason, int offset, int krpcCode, byte[] transactionId, char type) {
    super(reason + " at offset " + offset, null, false, false);
    this.reason = reason;
    this.offset = offset;
    this.krpcCode = krpcCode;
    this.transactionId = transactionId;
    this.messageType = type;
  }

  /**
   * The message's "y" when it could be read ('q', 'r' or 'e'), else 0. A server answers a
   * malformed query with error 203, but never answers a malformed response or error.
   */
  public char messageType() {
    return messageType;
  }

  /** Offset in the input (from the start of the decoded slice) where the problem was found. */
  public int offset() {
    return offset;
  }

  /** The problem, without the offset. */
  public String reason() {
    return reason;
  }

  /** KRPC error code to answer with: 203 for malformed input. */
  public int krpcCode() {
    return krpcCode;
  }

  /** Transaction id of the offending message if it could be read, otherwise null. */
  public byte[] transactionId() {
    return transactionId == null ? null : transactionId.clone();
  }

  /** A copy of this exception that also carries the message's transaction id. */
  public DecodeException withTransactionId(byte[] t) {
    return new DecodeException(reason, offset, krpcCode, t, messageType);
  }

  /** A copy of this exception that also carries the transaction id and message type. */
  public DecodeException withContext(byte[] t, char type) {
    return new DecodeException(reason, offset, krpcCode, t, type);
  }
}
