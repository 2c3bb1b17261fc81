package dev.jdht.core.api;

import dev.jdht.core.io.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads of a {@link Dht} and how work crosses between them: the loop thread (all DHT
 * state; commands are posted to it), the io thread (DNS and the state file, never on the loop),
 * and the callback executor (futures and user callbacks: the user's executor, or one daemon thread
 * owned here). Thread-safe.
 */
final class Threads {
  private static final Logger log = LoggerFactory.getLogger(Threads.class);

  final EventLoop loop;
  final ExecutorService io = Executors.newSingleThreadExecutor(daemon("dht-io"));
  private final Executor callbacks;
  private final ExecutorService ownedCallbacks;

  /** {@code userExecutor} may be null: then a single daemon callback thread is created and owned. */
  Threads(EventLoop loop, Executor userExecutor) {
    this.loop = loop;
    if (userExecutor != null) {
      this.callbacks = userExecutor;
      this.ownedCallbacks = null;
    } else {
      this.ownedCallbacks = Executors.newSingleThreadExecutor(daemon("dht-callbacks"));
      this.callbacks = ownedCallbacks;
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Runs {@code r} on the loop thread; dropped (logged at debug) once the loop is closed. */
  void post(Runnable r) {
    try {
      loop.execute(r);
    } catch (RejectedExecutionException e) {
      log.debug("dropped a command: DHT closed");
    }
  }

  /** Completes {@code f} with {@code value}, or fails it with {@code error}, on the callback executor. */
  <T> void complete(CompletableFuture<T> f, Throwable error, T value) {
    try {
      callbacks.execute(
          () -> {
            if (error != null) {
              f.completeExceptionally(error);
            } else {
              f.complete(value);
            }
          });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(error != null ? error : new DhtException("DHT closed"));
    }
  }

  /** Runs a user callback on the callback executor (dropped once it is shut down). */
  void callback(Runnable r) {
    try {
      callbacks.execute(r);
    } catch (RejectedExecutionException e) {
      log.debug("dropped a callback: executor closed");
    }
  }

  static <T> CompletableFuture<T> failed(String why) {
    CompletableFuture<T> f = new CompletableFuture<>();
    f.completeExceptionally(new DhtException(why));
    return f;
  }

  /** Stops the io thread and the owned callback thread after the work already queued. */
  void shutdown() {
    io.shutdown();
    if (ownedCallbacks != null) {
      ownedCallbacks.shutdown();
      await(ownedCallbacks);
    }
    await(io);
  }

  private static void await(ExecutorService e) {
    try {
      e.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }
}
