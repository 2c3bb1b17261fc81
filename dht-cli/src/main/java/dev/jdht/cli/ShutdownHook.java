package dev.jdht.cli;

/**
 * Runs a clean-up task when the JVM is asked to stop (Ctrl-C, SIGTERM, {@code System.exit}), for
 * as long as the handle is open. Closing the handle unregisters the task, so commands run
 * in-process (tests) leave no hook behind. Thread-safe.
 */
public final class ShutdownHook implements AutoCloseable {
  private final Thread thread;

  private ShutdownHook(Thread thread) {
    this.thread = thread;
  }

  /** Registers {@code task}; it runs at most once, on its own thread, during JVM shutdown. */
  public static ShutdownHook register(String name, Runnable task) {
    Thread t = new Thread(task, name);
    Runtime.getRuntime().addShutdownHook(t);
    return new ShutdownHook(t);
  }

  /**
   * Registers a graceful stop for a command that prints a result: at JVM shutdown (Ctrl-C,
   * SIGTERM) it interrupts the thread that registered it, so the command stops waiting and prints
   * what it has (with {@code --json}, a document with {@code "error": {"code": "interrupted"}}),
   * waits up to {@value #OUTPUT_GRACE_MILLIS} ms for that output to be written, then runs {@code
   * cleanup}.
   */
  public static ShutdownHook registerInterrupting(String name, Runnable cleanup) {
    Thread owner = Thread.currentThread();
    return register(name, () -> {
      owner.interrupt();
      Main.awaitFinished(OUTPUT_GRACE_MILLIS);
      cleanup.run();
    });
  }

  /** How long an interrupted command may take to print its result during shutdown. */
  static final long OUTPUT_GRACE_MILLIS = 3_000;

  /** Unregisters the task (a no-op once shutdown has begun). */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(thread);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (or ran) anyway
    }
  }
}
