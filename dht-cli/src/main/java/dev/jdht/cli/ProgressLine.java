package dev.jdht.cli;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One status line on stderr, redrawn in place ({@code \r}, then the text, then "erase to end of
 * line"), refreshed by a daemon thread a few times a second, and erased before anything else is
 * printed (see {@link #println}). When disabled every method is a no-op except {@link #println},
 * which just prints.
 *
 * <p>Thread-safe: every write to stdout or stderr of a command that uses it goes through it, under
 * one lock, so lines are never torn by the redraw.
 */
public final class ProgressLine implements AutoCloseable {
  private static final String ERASE = "\r\u001b[K";
  private static final long REFRESH_MILLIS = 150;

  private final PrintWriter err;
  private final boolean enabled;
  private final Object lock = new Object();
  private volatile Supplier<String> text = () -> "";
  private ScheduledExecutorService ticker;
  private boolean shown;
  private boolean closed;

  /** A progress line on {@code err}; draws only when {@code enabled}. */
  public ProgressLine(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  /** Whether the line is drawn at all. */
  public boolean enabled() {
    return enabled;
  }

  /** What to show; called at each refresh (must be cheap and thread-safe). Starts the refresher. */
  public void show(Supplier<String> supplier) {
    this.text = supplier;
    if (!enabled) {
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (ticker == null) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "dht-progress");
          t.setDaemon(true);
          return t;
        });
        ticker.scheduleAtFixedRate(this::redraw, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Draws the current text now. */
  public void redraw() {
    if (!enabled) {
      return;
    }
    String t;
    try {
      t = text.get();
    } catch (RuntimeException e) {
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      err.print(ERASE);
      err.print(t);
      err.flush();
      shown = true;
    }
  }

  /** Erases the line, prints {@code line} on {@code w} (stdout or stderr), flushes, redraws. */
  public void println(PrintWriter w, String line) {
    synchronized (lock) {
      eraseLocked();
      w.println(line);
      w.flush();
    }
    if (enabled && !closed && ticker != null) {
      redraw();
    }
  }

  /** Erases the line and stops refreshing. Idempotent. */
  @Override
  public void close() {
    ScheduledExecutorService t;
    synchronized (lock) {
      eraseLocked();
      closed = true;
      t = ticker;
      ticker = null;
    }
    if (t != null) {
      t.shutdownNow();
    }
  }

  private void eraseLocked() {
    if (shown) {
      err.print(ERASE);
      err.flush();
      shown = false;
    }
  }
}
