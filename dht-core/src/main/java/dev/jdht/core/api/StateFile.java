package dev.jdht.core.api;

import dev.jdht.core.node.DhtNode;
import dev.jdht.core.node.SavedState;
import dev.jdht.krpc.codec.DecodeException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import dev.jdht.krpc.wire.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state file of a {@link Dht}: read once at start, snapshotted on the loop thread every save
 * interval and on close, written atomically on the io thread (never on the loop).
 */
final class StateFile {
  private static final Logger log = LoggerFactory.getLogger(StateFile.class);

  private final Path file;
  private final Duration interval;
  private final Executor io;

  /** {@code file} may be null: nothing is saved. */
  StateFile(Path file, Duration interval, Executor io) {
    this.file = file;
    this.interval = interval;
    this.io = io;
  }

  boolean enabled() {
    return file != null;
  }

  /** Loop thread: snapshots the node every interval and writes the snapshot on the io thread. */
  void scheduleSaves(List<DhtNode> nodes) {
    if (file == null) {
      return;
    }
    nodes.get(0).schedule(
        interval.toNanos(),
        () -> {
          byte[] state = snapshot(nodes);
          io.execute(() -> write(file, state));
          scheduleSaves(nodes);
        });
  }

  /**
   * Loop thread: the bytes to save now: the id and both routing tables ({@code nodes} and
   * {@code nodes6}), each family getting half of the room when both are full.
   */
  static byte[] snapshot(List<DhtNode> nodes) {
    return new SavedState(nodes.get(0).id(), nodesToSave(nodes, SavedState.MAX_NODES)).encode();
  }

  /** The nodes worth saving of every family, at most {@code max} in all. */
  static List<NodeInfo> nodesToSave(List<DhtNode> nodes, int max) {
    List<NodeInfo> out = new ArrayList<>();
    int share = nodes.size() == 1 ? max : max / 2;
    for (DhtNode n : nodes) {
      out.addAll(n.nodesToSave(share));
    }
    return out;
  }

  /** Writes now, on the caller's thread (used on close, after the loop stopped). */
  void writeNow(byte[] data) {
    if (file != null && data != null) {
      write(file, data);
    }
  }

  /** Writes the state file atomically: a temp file in the same directory, then a rename. */
  static void write(Path file, byte[] data) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        Files.write(tmp, data);
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      log.warn("cannot save DHT state to {}: {}", file, e.toString());
    }
  }

  /** Reads a state file; null if absent or unreadable (a corrupt file is logged and ignored). */
  static SavedState read(Path file) {
    if (file == null) {
      return null;
    }
    try {
      return SavedState.decode(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | DecodeException e) {
      log.warn("ignoring unreadable DHT state file {}: {}", file, e.getMessage());
      return null;
    }
  }
}
