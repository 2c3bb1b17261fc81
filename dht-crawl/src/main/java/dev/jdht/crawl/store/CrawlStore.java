package dev.jdht.crawl.store;

import dev.jdht.crawl.CrawlListener;
import dev.jdht.crawl.InfohashSeen;
import dev.jdht.crawl.NodeSeen;
import dev.jdht.crawl.PeerSeen;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crawl's SQL store: a {@link CrawlListener} that queues what the crawl learns and writes it
 * to SQLite or PostgreSQL on a writer thread of its own, in batched idempotent upserts.
 *
 * <p>{@link #open} connects, creates or migrates the schema and proves it can write, all before
 * it returns, so a bad URL, a refused login, a read-only or full database or a newer schema is a
 * {@link StoreException} with a one-line message before the crawl sends a packet. After that
 * nothing throws at the caller: events go into a bounded queue (the oldest is dropped and counted
 * when it is full); the writer takes up to {@code batchSize} of them at a time (or what arrived
 * within {@code maxDelay}) and commits them in one transaction. When the database goes away the
 * writer keeps its batch, retries with exponential backoff and reconnects; the queue holds what
 * arrives meanwhile. A crash loses at most what was not yet committed, and since every write is an
 * upsert a restart creates no duplicates.
 *
 * <p>{@code crawl_state} is a small key-value table for the crawler to resume from: {@link
 * #putState} values are written with the next batch (never dropped), {@link #getState} reads them.
 * Thread-safe: listener methods, {@code flush}, {@code stats} and state calls may come from any
 * thread; only the writer thread touches the writing connection.
 */
public final class CrawlStore implements CrawlListener, AutoCloseable {
  private final String url;
  private final Dialect dialect;
  private final StoreOptions options;
  private final BatchWriter writer;
  private final Thread thread;
  private final Logger log = LoggerFactory.getLogger(CrawlStore.class);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition progress = lock.newCondition();
  // guarded by lock
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private final Map<String, String> pendingState = new LinkedHashMap<>();
  private long accepted; // sequence number of the last event queued (events are numbered from 1)
  private long inflightFrom = -1; // first sequence number of the batch being written, or -1
  private long stateVersion; // bumped by every putState
  private long stateCommitted; // stateVersion covered by the last commit
  private int flushWaiters;
  private boolean closing;
  private boolean abandon;
  private long infohashes;
  private long nodes;
  private long bep51Nodes;
  private long peers;
  private long dropped;
  private long written;
  private long batches;
  private long writeErrors;
  private String lastError;

  // the reader connection for getState, guarded by itself
  private final Object readLock = new Object();
  private Connection reader;

  private CrawlStore(String url, Dialect dialect, StoreOptions options, Connection c, long[] counts) {
    this.url = url;
    this.dialect = dialect;
    this.options = options;
    this.writer = new BatchWriter(url, dialect);
    writer.adopt(c);
    infohashes = counts[0];
    nodes = counts[1];
    bep51Nodes = counts[2];
    peers = counts[3];
    this.thread = new Thread(this::run, "crawl-store-writer");
    thread.setDaemon(true);
  }

  /** Opens the store with the default options. */
  public static CrawlStore open(String jdbcUrl) {
    return open(jdbcUrl, StoreOptions.DEFAULTS);
  }

  /**
   * Connects to {@code jdbcUrl} ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://...}),
   * creates or migrates the schema, checks that it can write, and starts the writer thread.
   *
   * @throws StoreException with a one-line message when the database cannot be used
   */
  public static CrawlStore open(String jdbcUrl, StoreOptions options) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(options, "options");
    Dialect d = Dialect.of(jdbcUrl);
    Connection c = Jdbc.connect(jdbcUrl, d, false);
    try {
      Jdbc.migrate(c, d, jdbcUrl);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO crawl_state (k, v, updated_at) VALUES (?, ?, ?)"
          + " ON CONFLICT (k) DO UPDATE SET v = excluded.v, updated_at = excluded.updated_at")) {
        long now = System.currentTimeMillis();
        ps.setString(1, "store.opened_at");
        ps.setString(2, Long.toString(now));
        ps.setLong(3, now);
        ps.executeUpdate();
      }
      c.commit();
      long[] counts = new long[4];
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM infohash), (SELECT COUNT(*) FROM node),"
              + " (SELECT COUNT(*) FROM node WHERE bep51 = 1), (SELECT COUNT(*) FROM peer)")) {
        rs.next();
        for (int i = 0; i < 4; i++) {
          counts[i] = rs.getLong(i + 1);
        }
      }
      c.commit();
      CrawlStore store = new CrawlStore(jdbcUrl, d, options, c, counts);
      store.thread.start();
      return store;
    } catch (SQLException e) {
      closeQuietly(c);
      throw Jdbc.fail(jdbcUrl, e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** The JDBC URL, password hidden. */
  public String url() {
    return Jdbc.redact(url);
  }

  /** Whether this store writes to PostgreSQL (else SQLite). */
  public boolean isPostgres() {
    return dialect == Dialect.POSTGRESQL;
  }

  @Override
  public void onInfohash(InfohashSeen seen) {
    enqueue(Objects.requireNonNull(seen, "seen"));
  }

  @Override
  public void onNode(NodeSeen node) {
    enqueue(Objects.requireNonNull(node, "node"));
  }

  @Override
  public void onPeer(PeerSeen peer) {
    enqueue(Objects.requireNonNull(peer, "peer"));
  }

  private void enqueue(Object event) {
    lock.lock();
    try {
      if (closing) {
        dropped++;
        return;
      }
      if (queue.size() >= options.queueCapacity()) {
        queue.pollFirst();
        dropped++;
      }
      queue.addLast(event);
      accepted++;
      if (queue.size() >= options.batchSize() || queue.size() == 1) {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stores {@code value} under {@code key} in {@code crawl_state}, written with the next batch.
   * A later put of the same key replaces it. Never dropped by a full queue.
   */
  public void putState(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    lock.lock();
    try {
      pendingState.put(key, value);
      stateVersion++;
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The value under {@code key}: the last one put, else the stored one, else null.
   *
   * @throws StoreException when the database cannot be read
   */
  public String getState(String key) {
    lock.lock();
    try {
      String v = pendingState.get(key);
      if (v != null) {
        return v;
      }
    } finally {
      lock.unlock();
    }
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT v FROM crawl_state WHERE k = ?")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    });
  }

  /**
   * Up to {@code limit} stored nodes, most recently heard from first, as {@link NodeSeen} with
   * {@code atMillis} = last seen and the stored BEP 51 support, {@code num} and {@code interval}:
   * what a resumed crawl needs to honour each node's interval. Rows with an unreadable address are
   * skipped.
   *
   * @throws StoreException when the database cannot be read
   */
  public List<NodeSeen> recentNodes(int limit) {
    return read(c -> {
      List<NodeSeen> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, ip, port, last_seen, bep51, num, interval_s FROM node ORDER BY last_seen DESC LIMIT ?")) {
        ps.setInt(1, Math.max(0, limit));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            PeerAddress address;
            try {
              address = PeerAddress.of(
                  InetAddress.getByName(rs.getString(2)).getAddress(), rs.getInt(3));
            } catch (IOException | IllegalArgumentException bad) {
              continue; // not an address literal: nothing we wrote
            }
            long bep51 = rs.getLong(5);
            Boolean supports = rs.wasNull() ? null : bep51 != 0;
            out.add(new NodeSeen(NodeId.of(rs.getBytes(1), 0), address, rs.getLong(4), supports,
                nullableLong(rs, 6), nullableLong(rs, 7)));
          }
        }
      }
      return out;
    });
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private interface Read<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Runs {@code query} on the reader connection (opened on first use) and commits. */
  private <T> T read(Read<T> query) {
    synchronized (readLock) {
      try {
        if (reader == null) {
          reader = Jdbc.connect(url, dialect, false);
        }
        T v = query.apply(reader);
        reader.commit();
        return v;
      } catch (SQLException e) {
        closeQuietly(reader);
        reader = null;
        throw Jdbc.fail(url, e);
      }
    }
  }

  /** A snapshot of the counters. */
  public StoreStats stats() {
    lock.lock();
    try {
      return new StoreStats(infohashes, nodes, bep51Nodes, peers, queue.size(), dropped, written, batches,
          writeErrors, lastError);
    } finally {
      lock.unlock();
    }
  }

  /** Waits until everything queued before this call is committed (or dropped). */
  public void flush() {
    try {
      flush(Duration.ofNanos(Long.MAX_VALUE));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits at most {@code timeout} until everything queued before this call is committed (or
   * dropped), and state put before it is written. True when that happened.
   */
  public boolean flush(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      long target = accepted;
      long stateTarget = stateVersion;
      flushWaiters++;
      work.signal();
      try {
        while (!drained(target, stateTarget)) {
          if (!thread.isAlive()) {
            return false;
          }
          if (nanos <= 0) {
            return false;
          }
          nanos = progress.awaitNanos(nanos);
        }
        return true;
      } finally {
        flushWaiters--;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Whether every event numbered up to {@code target} has left the queue and is not in flight. */
  private boolean drained(long target, long stateTarget) {
    long head = accepted - queue.size() + 1; // sequence number of the oldest queued event
    return head > target && (inflightFrom < 0 || inflightFrom > target) && stateCommitted >= stateTarget;
  }

  /**
   * Writes what is queued (trying for at most {@code closeTimeout} when the database is down),
   * stops the writer and closes the connections. Events that arrive afterwards are counted as
   * dropped. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(Math.max(1, options.closeTimeout().toMillis()));
      if (thread.isAlive()) {
        lock.lock();
        try {
          abandon = true;
          work.signalAll();
        } finally {
          lock.unlock();
        }
        thread.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      if (!queue.isEmpty()) {
        log.warn("crawl store closed with {} events not written: {}", queue.size(), lastError);
      }
    } finally {
      lock.unlock();
    }
    synchronized (readLock) {
      closeQuietly(reader);
      reader = null;
    }
  }

  private void run() {
    List<Object> batch = new ArrayList<>(Math.min(options.batchSize(), 65_536));
    try {
      while (true) {
        Map<String, String> state;
        long stateVer;
        lock.lock();
        try {
          while (!closing && queue.isEmpty() && pendingState.isEmpty()) {
            work.await();
          }
          // let the batch fill, unless someone waits for it
          long wait = options.maxDelay().toNanos();
          while (!closing && flushWaiters == 0 && queue.size() < options.batchSize() && wait > 0) {
            wait = work.awaitNanos(wait);
          }
          if (queue.isEmpty() && pendingState.isEmpty()) {
            if (closing) {
              return;
            }
            continue;
          }
          inflightFrom = accepted - queue.size() + 1;
          int n = Math.min(options.batchSize(), queue.size());
          for (int i = 0; i < n; i++) {
            batch.add(queue.pollFirst());
          }
          state = new LinkedHashMap<>(pendingState);
          stateVer = stateVersion;
        } finally {
          lock.unlock();
        }
        BatchWriter.Delta d = writeWithRetry(batch, state);
        lock.lock();
        try {
          inflightFrom = -1;
          if (d != null) {
            infohashes += d.infohashes();
            nodes += d.nodes();
            bep51Nodes += d.bep51Nodes();
            peers += d.peers();
            written += batch.size();
            batches++;
            lastError = null;
            state.forEach((k, v) -> pendingState.remove(k, v));
            stateCommitted = stateVer;
          }
          progress.signalAll();
          if (d == null) {
            // abandoned on close: put the batch back so close() can report it
            for (int i = batch.size() - 1; i >= 0; i--) {
              queue.addFirst(batch.get(i));
            }
            return;
          }
        } finally {
          lock.unlock();
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      log.error("crawl store writer stopped", e);
      throw e;
    } finally {
      writer.close();
      lock.lock();
      try {
        progress.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Writes the batch, retrying until it commits; null when abandoned because close() timed out. */
  private BatchWriter.Delta writeWithRetry(List<Object> batch, Map<String, String> state)
      throws InterruptedException {
    long backoff = options.minBackoff().toNanos();
    boolean failing = false;
    while (true) {
      try {
        BatchWriter.Delta d = writer.write(batch, state, System.currentTimeMillis());
        if (failing) {
          log.warn("crawl store: writing again to {}", Jdbc.redact(url));
        }
        return d;
      } catch (SQLException | StoreException e) {
        String line = e instanceof SQLException se ? Jdbc.describe(url, se) : e.getMessage();
        if (!failing) {
          log.warn("crawl store: write failed, retrying with backoff: {}", line);
        }
        failing = true;
        writer.reset();
        lock.lock();
        try {
          writeErrors++;
          lastError = line;
          long wait = backoff;
          while (!abandon && wait > 0) {
            wait = work.awaitNanos(wait);
          }
          if (abandon) {
            return null;
          }
        } finally {
          lock.unlock();
        }
        backoff = Math.min(backoff * 2, options.maxBackoff().toNanos());
        if (backoff <= 0) {
          backoff = TimeUnit.MILLISECONDS.toNanos(1);
        }
      }
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
