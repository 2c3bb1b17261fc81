package dev.jdht.cli;

import dev.jdht.core.node.SavedState;
import dev.jdht.krpc.codec.DecodeException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The directory where {@code dht} keeps its node id and routing table ({@value #STATE_FILE}),
 * following the XDG base directory convention: {@code $XDG_STATE_HOME/jdht}, else {@code
 * ~/.local/state/jdht}; {@code --state-dir} overrides it.
 *
 * <p>One process at a time owns the directory: it holds an exclusive lock on {@value #LOCK_FILE}
 * and is the only one that writes the state file. Another process (say {@code dht peers} while
 * {@code dht serve} runs) reads the saved nodes to bootstrap from, but takes a fresh random node
 * id (two nodes must not share one) and does not save. Not thread-safe; one instance per command.
 */
public final class StateDir implements AutoCloseable {
  /** The state file name. */
  public static final String STATE_FILE = "dht.state";
  /** The lock file name. */
  public static final String LOCK_FILE = "dht.lock";

  private final Path dir;
  private FileChannel lockChannel;
  private FileLock lock;

  private StateDir(Path dir) {
    this.dir = dir;
  }

  /** The default directory for an environment ({@code System.getenv()}) and a home directory. */
  public static Path defaultDir(Map<String, String> env, String userHome) {
    String xdg = env.get("XDG_STATE_HOME");
    // the spec says a relative XDG_STATE_HOME is invalid and must be ignored
    if (xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute()) {
      return Paths.get(xdg, "jdht");
    }
    return Paths.get(userHome, ".local", "state", "jdht");
  }

  /** The directory {@code dir}, or the default one when null. Nothing is created yet. */
  public static StateDir of(Path dir) {
    return new StateDir(dir != null ? dir : defaultDir(System.getenv(), System.getProperty("user.home")));
  }

  /** The directory. */
  public Path dir() {
    return dir;
  }

  /** The state file in it. */
  public Path stateFile() {
    return dir.resolve(STATE_FILE);
  }

  /**
   * Creates the directory if needed and tries to take the lock. True when this process now owns
   * the directory; false when another process holds it.
   *
   * @throws UsageError when the directory cannot be created or is not a directory
   */
  public boolean tryLock() {
    if (lock != null) {
      return true;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UsageError("cannot use state directory " + dir + ": " + describe(e), e);
    }
    try {
      lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this JVM (another command running in-process)
      }
      if (lock == null) {
        lockChannel.close();
        lockChannel = null;
        return false;
      }
      return true;
    } catch (IOException e) {
      throw new UsageError("cannot lock state directory " + dir + ": " + describe(e), e);
    }
  }

  /** True while this process holds the lock. */
  public boolean owned() {
    return lock != null;
  }

  /** Reads the state file without taking ownership; null when there is none or it is unreadable. */
  public SavedState read() {
    try {
      return SavedState.decode(Files.readAllBytes(stateFile()));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | DecodeException e) {
      return null;
    }
  }

  /** Releases the lock. Idempotent. */
  @Override
  public void close() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      // the process is ending or the lock is gone already
    } finally {
      lock = null;
      lockChannel = null;
    }
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return "a file of that name exists";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
