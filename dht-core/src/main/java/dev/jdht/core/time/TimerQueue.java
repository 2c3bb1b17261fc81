package dev.jdht.core.time;

import java.util.PriorityQueue;

/**
 * A deadline queue of timers. Single-threaded: owned by the loop thread (or the simulator). A
 * timer runs once when {@link #runDue(long)} is called at or after its deadline; timers with the
 * same deadline run in the order they were scheduled.
 */
public final class TimerQueue {
  /** A scheduled timer; cancel it to stop it from running. */
  public static final class Timer implements Comparable<Timer> {
    private final long deadline;
    private final long seq;
    private Runnable task;

    private Timer(long deadline, long seq, Runnable task) {
      this.deadline = deadline;
      this.seq = seq;
      this.task = task;
    }

    /** Absolute time (nanoseconds) at which the timer runs. */
    public long deadline() {
      return deadline;
    }

    /** Stops the timer from running; harmless if it already ran. */
    public void cancel() {
      task = null;
    }

    /** True if cancelled or already run. */
    public boolean isCancelled() {
      return task == null;
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(deadline, o.deadline);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Timer> queue = new PriorityQueue<>();
  private long seq;

  /** Schedules {@code task} at absolute time {@code deadlineNanos}. */
  public Timer schedule(long deadlineNanos, Runnable task) {
    Timer t = new Timer(deadlineNanos, seq++, task);
    queue.add(t);
    return t;
  }

  /** The earliest live deadline, or {@code Long.MAX_VALUE} if none. */
  public long nextDeadline() {
    while (!queue.isEmpty() && queue.peek().isCancelled()) {
      queue.poll();
    }
    return queue.isEmpty() ? Long.MAX_VALUE : queue.peek().deadline;
  }

  /**
   * Runs every timer due at {@code now}, including timers scheduled by those timers for a time
   * not after {@code now}. Returns how many ran. A throwing task propagates to the caller after
   * being removed, so it cannot run twice.
   */
  public int runDue(long now) {
    int ran = 0;
    while (!queue.isEmpty() && queue.peek().deadline <= now) {
      Timer t = queue.poll();
      Runnable task = t.task;
      if (task != null) {
        t.task = null;
        ran++;
        task.run();
      }
    }
    return ran;
  }

  /** Number of timers queued (cancelled ones may still be counted until they reach the head). */
  public int size() {
    return queue.size();
  }
}
