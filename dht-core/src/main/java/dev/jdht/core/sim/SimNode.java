package dev.jdht.core.sim;

import dev.jdht.core.node.DhtNode;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;

/**
 * One node of a {@link SimulatedNetwork}: a real {@link DhtNode} at its own address. A node is
 * online from {@link SimulatedNetwork#join} until it is killed (it then drops every datagram and
 * sends nothing, like a host that vanished).
 *
 * <p>Threading: like the network, used only on the simulator's thread.
 */
public final class SimNode {
  private final int index;
  private final NodeId id;
  private final PeerAddress address;
  private DhtNode node; // null once released
  private boolean online;
  private boolean started;
  private long joinedAt = -1;
  private long leftAt = -1;

  SimNode(int index, NodeId id, PeerAddress address, DhtNode node) {
    this.index = index;
    this.id = id;
    this.address = address;
    this.node = node;
  }

  /** Position in the network (0-based, in creation order). */
  public int index() {
    return index;
  }

  /** The node id. */
  public NodeId id() {
    return id;
  }

  /** The node's UDP address. */
  public PeerAddress address() {
    return address;
  }

  /** Id and address. */
  public NodeInfo info() {
    return new NodeInfo(id, address);
  }

  /**
   * The real node logic. Call it only from the simulator's thread (e.g. between run calls).
   *
   * @throws IllegalStateException if the node died while {@link
   *     SimulatedNetwork#releaseDeadNodes} was on (its memory was given back)
   */
  public DhtNode node() {
    if (node == null) {
      throw new IllegalStateException("released when it died: " + this);
    }
    return node;
  }

  void release() {
    node = null;
  }

  /** True from start until killed. */
  public boolean isOnline() {
    return online;
  }

  /** True once started (it may have been killed since). */
  public boolean isStarted() {
    return started;
  }

  /** Virtual time of the start, or -1. */
  public long joinedAt() {
    return joinedAt;
  }

  /** Virtual time of the kill, or -1. */
  public long leftAt() {
    return leftAt;
  }

  void markStarted(long now) {
    started = true;
    online = true;
    joinedAt = now;
  }

  void markDead(long now) {
    online = false;
    leftAt = now;
  }

  @Override
  public String toString() {
    return "SimNode[" + index + " " + address + " " + id.toHex().substring(0, 8) + (online ? "" : " offline") + "]";
  }
}
