package dev.jdht.crawl.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Reads a crawl store for {@code dht crawl stats} and {@code dht crawl export}: counts, new rows
 * per hour, the infohashes most nodes reported, and every infohash streamed. Never creates or
 * changes anything (a missing SQLite file or schema is a {@link StoreException}). One connection;
 * not thread-safe.
 */
public final class StoreQueries implements AutoCloseable {
  /** Rows fetched per round trip when streaming; also what bounds the reader's memory. */
  static final int FETCH_SIZE = 5_000;

  private final String url;
  private final Connection conn;

  /** What the store holds. {@code firstSeen}/{@code lastSeen} are null when there are no infohashes. */
  public record Summary(
      long infohashes, long reporterPairs, long nodes, long bep51Nodes, long peers, Long firstSeen, Long lastSeen,
      int schemaVersion) {}

  /** Rows first seen in one hour (UTC): {@code hourStart} in ms since the epoch. */
  public record Hour(long hourStart, long infohashes, long nodes) {}

  /** One infohash row. */
  public record InfohashRow(byte[] infohash, long firstSeen, long lastSeen, long timesSeen, long reporters) {}

  private StoreQueries(String url, Connection conn) {
    this.url = url;
    this.conn = conn;
  }

  /**
   * Opens {@code jdbcUrl} for reading and checks its schema.
   *
   * @throws StoreException when it cannot be reached, is no crawl store, or has another schema version
   */
  public static StoreQueries open(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Dialect d = Dialect.of(jdbcUrl);
    Connection c = Jdbc.connect(jdbcUrl, d, true);
    try {
      Jdbc.checkReadable(c, jdbcUrl);
      c.commit();
      return new StoreQueries(jdbcUrl, c);
    } catch (SQLException e) {
      close(c);
      throw Jdbc.fail(jdbcUrl, e);
    } catch (RuntimeException e) {
      close(c);
      throw e;
    }
  }

  /** The URL, password hidden. */
  public String url() {
    return Jdbc.redact(url);
  }

  /** Counts of everything stored. */
  public Summary summary() {
    try (Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM infohash), (SELECT COUNT(*) FROM infohash_reporter),"
            + " (SELECT COUNT(*) FROM node), (SELECT COUNT(*) FROM node WHERE bep51 = 1), (SELECT COUNT(*) FROM peer),"
            + " (SELECT MIN(first_seen) FROM infohash), (SELECT MAX(last_seen) FROM infohash),"
            + " (SELECT MAX(version) FROM schema_version)")) {
      rs.next();
      Long first = rs.getLong(6);
      first = rs.wasNull() ? null : first;
      Long last = rs.getLong(7);
      last = rs.wasNull() ? null : last;
      Summary out = new Summary(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), first, last,
          rs.getInt(8));
      conn.commit();
      return out;
    } catch (SQLException e) {
      throw Jdbc.fail(url, e);
    }
  }

  /** Infohashes and nodes first seen per hour, for the hours starting at or after {@code sinceMillis}, oldest first. */
  public List<Hour> hourly(long sinceMillis) {
    Map<Long, long[]> hours = new TreeMap<>();
    try {
      countPerHour("infohash", sinceMillis, hours, 0);
      countPerHour("node", sinceMillis, hours, 1);
      conn.commit();
    } catch (SQLException e) {
      throw Jdbc.fail(url, e);
    }
    List<Hour> out = new ArrayList<>(hours.size());
    hours.forEach((h, c) -> out.add(new Hour(h * 3_600_000L, c[0], c[1])));
    return out;
  }

  private void countPerHour(String table, long since, Map<Long, long[]> hours, int slot) throws SQLException {
    // first_seen is never negative, so integer division is floor
    try (PreparedStatement ps = conn.prepareStatement("SELECT first_seen / 3600000 AS h, COUNT(*) FROM " + table
        + " WHERE first_seen >= ? GROUP BY first_seen / 3600000")) {
      ps.setLong(1, since - Math.floorMod(since, 3_600_000L));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          hours.computeIfAbsent(rs.getLong(1), k -> new long[2])[slot] = rs.getLong(2);
        }
      }
    }
  }

  /** The {@code n} infohashes reported by the most distinct nodes (ties: seen most often, then by value). */
  public List<InfohashRow> top(int n) {
    List<InfohashRow> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT infohash, first_seen, last_seen, times_seen, reporters"
        + " FROM infohash ORDER BY reporters DESC, times_seen DESC, infohash LIMIT ?")) {
      ps.setInt(1, n);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      conn.commit();
    } catch (SQLException e) {
      throw Jdbc.fail(url, e);
    }
    return out;
  }

  /** Receives streamed rows. */
  @FunctionalInterface
  public interface RowSink {
    void accept(InfohashRow row) throws IOException;
  }

  /**
   * Streams every stored infohash to {@code sink}, in storage order, holding at most {@value
   * #FETCH_SIZE} rows in memory (a forward-only cursor; PostgreSQL needs a transaction for that,
   * which autocommit-off gives). Returns the number of rows.
   *
   * @throws UncheckedIOException when the sink fails (a closed pipe, say)
   */
  public long export(RowSink sink) {
    long rows = 0;
    try (Statement s = conn.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      s.setFetchSize(FETCH_SIZE);
      try (ResultSet rs = s.executeQuery("SELECT infohash, first_seen, last_seen, times_seen, reporters FROM infohash")) {
        while (rs.next()) {
          sink.accept(row(rs));
          rows++;
        }
      }
      conn.commit();
    } catch (SQLException e) {
      throw Jdbc.fail(url, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static InfohashRow row(ResultSet rs) throws SQLException {
    return new InfohashRow(rs.getBytes(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
  }

  @Override
  public void close() {
    close(conn);
  }

  private static void close(Connection c) {
    try {
      c.rollback();
      c.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
