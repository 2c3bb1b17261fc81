package dev.jdht.core.io;

import dev.jdht.krpc.wire.PeerAddress;

/**
 * Sends datagrams for a node. Implemented by the UDP event loop and by the simulated network.
 * Called only on the thread that owns the node; must not block.
 */
public interface Transport {
  /**
   * Sends {@code len} bytes of {@code data} from {@code off} to {@code to}. The array may be reused
   * by the caller as soon as this returns. Returns false if the datagram was dropped locally (for
   * example a full socket buffer).
   */
  boolean send(PeerAddress to, byte[] data, int off, int len);
}
