package dev.jdht.core.node;

import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;

/**
 * The outcome of a ping.
 *
 * @param address who was pinged
 * @param id the responder's id, or null if it did not answer
 * @param rttNanos round-trip time, or -1
 * @param version the responder's client version "v", or null
 * @param error why it failed (timeout, KRPC error), or null on success
 */
public record PingResult(PeerAddress address, NodeId id, long rttNanos, byte[] version, String error) {
  public boolean ok() {
    return error == null;
  }
}
