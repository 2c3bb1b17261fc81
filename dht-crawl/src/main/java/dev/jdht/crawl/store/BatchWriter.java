package dev.jdht.crawl.store;

import dev.jdht.crawl.InfohashSeen;
import dev.jdht.crawl.NodeSeen;
import dev.jdht.crawl.PeerSeen;
import dev.jdht.krpc.wire.NodeId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes one batch of events in one transaction, as idempotent upserts ({@code INSERT ... ON
 * CONFLICT DO UPDATE}, the same SQL in SQLite and PostgreSQL but for MIN/LEAST and MAX/GREATEST).
 *
 * <p>A batch is first merged in memory (one row per infohash, node, peer), its keys sorted so that
 * writers sharing a PostgreSQL database lock rows in the same order and cannot deadlock. Distinct
 * reporters are exact: each (infohash, node id) pair is a row of {@code infohash_reporter},
 * inserted with {@code ON CONFLICT DO NOTHING RETURNING}; only the pairs that were really new add to
 * {@code infohash.reporters}, in the same transaction, so a replayed batch adds none. A row is
 * known to be new when the {@code times_seen} it returns equals what this batch added. Only the
 * writer thread uses it.
 */
final class BatchWriter implements AutoCloseable {
  /** Rows per multi-row INSERT (5 to 9 parameters a row: far below either database's limit). */
  static final int ROWS_PER_STATEMENT = 500;
  private static final int STATEMENT_CACHE = 32;

  private final String url;
  private final Dialect dialect;
  private Connection conn;
  private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true);
  /** Change in BEP 51 nodes from the last writeNodes call. */
  private long bep51Delta;

  /** What one committed batch added. */
  record Delta(long infohashes, long nodes, long bep51Nodes, long peers) {}

  BatchWriter(String url, Dialect dialect) {
    this.url = url;
    this.dialect = dialect;
  }

  /** Uses an already open connection (the one {@code open} validated the schema with). */
  void adopt(Connection c) {
    this.conn = c;
  }

  private static final class Ih {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long count;
    final Set<NodeId> reporters = new LinkedHashSet<>(2);
    long newReporters;
  }

  private static final class Nd {
    String ip;
    int port;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long count;
    Boolean bep51;
    Long num;
    Long interval;
  }

  private record PeerKey(NodeId infohash, String ip, int port) {}

  private static final Comparator<PeerKey> PEER_ORDER = Comparator.comparing(PeerKey::infohash)
      .thenComparing(PeerKey::ip).thenComparingInt(PeerKey::port);

  private static final class Pr {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long count;
  }

  /** Writes and commits the events and state entries; rolls back and throws on any failure. */
  Delta write(List<Object> events, Map<String, String> state, long nowMillis) throws SQLException {
    TreeMap<NodeId, Ih> ihs = new TreeMap<>();
    TreeMap<NodeId, Nd> nodes = new TreeMap<>();
    TreeMap<PeerKey, Pr> peers = new TreeMap<>(PEER_ORDER);
    for (Object e : events) {
      if (e instanceof InfohashSeen s) {
        Ih a = ihs.computeIfAbsent(s.infohash(), k -> new Ih());
        a.first = Math.min(a.first, s.atMillis());
        a.last = Math.max(a.last, s.atMillis());
        a.count++;
        if (s.reporterId() != null) {
          a.reporters.add(s.reporterId());
        }
      } else if (e instanceof NodeSeen n) {
        Nd a = nodes.computeIfAbsent(n.id(), k -> new Nd());
        if (n.atMillis() >= a.last || a.ip == null) {
          a.ip = n.address().hostString();
          a.port = n.address().port();
        }
        a.first = Math.min(a.first, n.atMillis());
        a.last = Math.max(a.last, n.atMillis());
        a.count++;
        a.bep51 = n.bep51() != null ? n.bep51() : a.bep51;
        a.num = n.num() != null ? n.num() : a.num;
        a.interval = n.intervalSeconds() != null ? n.intervalSeconds() : a.interval;
      } else if (e instanceof PeerSeen p) {
        Pr a = peers.computeIfAbsent(
            new PeerKey(p.infohash(), p.peer().hostString(), p.peer().port()), k -> new Pr());
        a.first = Math.min(a.first, p.atMillis());
        a.last = Math.max(a.last, p.atMillis());
        a.count++;
      }
    }
    if (conn == null) {
      conn = Jdbc.connect(url, dialect, false);
    }
    try {
      long newInfohashes = writeInfohashes(ihs);
      long newNodes = writeNodes(nodes);
      Delta d = new Delta(newInfohashes, newNodes, bep51Delta, writePeers(peers));
      writeState(state, nowMillis);
      conn.commit();
      return d;
    } catch (SQLException | RuntimeException e) {
      try {
        conn.rollback();
      } catch (SQLException ignored) {
        // the connection is gone; reset() will drop it
      }
      throw e;
    }
  }

  private long writeInfohashes(TreeMap<NodeId, Ih> ihs) throws SQLException {
    if (ihs.isEmpty()) {
      return 0;
    }
    // 1. reporter pairs: only the new ones come back
    List<Map.Entry<NodeId, NodeId>> pairs = new ArrayList<>();
    for (Map.Entry<NodeId, Ih> e : ihs.entrySet()) {
      List<NodeId> rs = new ArrayList<>(e.getValue().reporters);
      rs.sort(null);
      for (NodeId r : rs) {
        pairs.add(Map.entry(e.getKey(), r));
      }
    }
    for (int from = 0; from < pairs.size(); from += ROWS_PER_STATEMENT) {
      int n = Math.min(ROWS_PER_STATEMENT, pairs.size() - from);
      PreparedStatement ps = statement("INSERT INTO infohash_reporter (infohash, node_id) VALUES ", "(?, ?)", n,
          " ON CONFLICT DO NOTHING RETURNING infohash");
      int i = 1;
      for (int k = from; k < from + n; k++) {
        ps.setBytes(i++, pairs.get(k).getKey().toBytes());
        ps.setBytes(i++, pairs.get(k).getValue().toBytes());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ihs.get(NodeId.of(rs.getBytes(1))).newReporters++;
        }
      }
    }
    // 2. the infohashes themselves
    String upsert = " ON CONFLICT (infohash) DO UPDATE SET"
        + " first_seen = " + dialect.least + "(infohash.first_seen, excluded.first_seen),"
        + " last_seen = " + dialect.greatest + "(infohash.last_seen, excluded.last_seen),"
        + " times_seen = infohash.times_seen + excluded.times_seen,"
        + " reporters = infohash.reporters + excluded.reporters"
        + " RETURNING infohash, times_seen";
    long created = 0;
    Iterator<Map.Entry<NodeId, Ih>> it = ihs.entrySet().iterator();
    int left = ihs.size();
    while (left > 0) {
      int n = Math.min(ROWS_PER_STATEMENT, left);
      PreparedStatement ps = statement(
          "INSERT INTO infohash (infohash, first_seen, last_seen, times_seen, reporters) VALUES ",
          "(?, ?, ?, ?, ?)", n, upsert);
      int i = 1;
      for (int k = 0; k < n; k++) {
        Map.Entry<NodeId, Ih> e = it.next();
        Ih a = e.getValue();
        ps.setBytes(i++, e.getKey().toBytes());
        ps.setLong(i++, a.first);
        ps.setLong(i++, a.last);
        ps.setLong(i++, a.count);
        ps.setLong(i++, a.newReporters);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getLong(2) == ihs.get(NodeId.of(rs.getBytes(1))).count) {
            created++;
          }
        }
      }
      left -= n;
    }
    return created;
  }

  private long writeNodes(TreeMap<NodeId, Nd> nodes) throws SQLException {
    bep51Delta = 0;
    if (nodes.isEmpty()) {
      return 0;
    }
    String upsert = " ON CONFLICT (id) DO UPDATE SET ip = excluded.ip, port = excluded.port,"
        + " first_seen = " + dialect.least + "(node.first_seen, excluded.first_seen),"
        + " last_seen = " + dialect.greatest + "(node.last_seen, excluded.last_seen),"
        + " times_seen = node.times_seen + excluded.times_seen,"
        + " prev_bep51 = node.bep51,"
        + " bep51 = COALESCE(excluded.bep51, node.bep51),"
        + " num = COALESCE(excluded.num, node.num),"
        + " interval_s = COALESCE(excluded.interval_s, node.interval_s)"
        + " RETURNING id, times_seen, bep51, prev_bep51";
    long created = 0;
    Iterator<Map.Entry<NodeId, Nd>> it = nodes.entrySet().iterator();
    int left = nodes.size();
    while (left > 0) {
      int n = Math.min(ROWS_PER_STATEMENT, left);
      PreparedStatement ps = statement(
          "INSERT INTO node (id, ip, port, first_seen, last_seen, times_seen, bep51, prev_bep51, num, interval_s) VALUES ",
          "(?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)", n, upsert);
      int i = 1;
      for (int k = 0; k < n; k++) {
        Map.Entry<NodeId, Nd> e = it.next();
        Nd a = e.getValue();
        ps.setBytes(i++, e.getKey().toBytes());
        ps.setString(i++, a.ip);
        ps.setInt(i++, a.port);
        ps.setLong(i++, a.first);
        ps.setLong(i++, a.last);
        ps.setLong(i++, a.count);
        setNullable(ps, i++, a.bep51 == null ? null : (long) (a.bep51 ? 1 : 0), Types.INTEGER);
        setNullable(ps, i++, a.num, Types.BIGINT);
        setNullable(ps, i++, a.interval, Types.BIGINT);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean isNew = rs.getLong(2) == nodes.get(NodeId.of(rs.getBytes(1))).count;
          int now = rs.getInt(3) == 1 ? 1 : 0;
          int before = !isNew && rs.getInt(4) == 1 ? 1 : 0;
          bep51Delta += now - before;
          created += isNew ? 1 : 0;
        }
      }
      left -= n;
    }
    return created;
  }

  private long writePeers(TreeMap<PeerKey, Pr> peers) throws SQLException {
    if (peers.isEmpty()) {
      return 0;
    }
    String upsert = " ON CONFLICT (infohash, ip, port) DO UPDATE SET"
        + " first_seen = " + dialect.least + "(peer.first_seen, excluded.first_seen),"
        + " last_seen = " + dialect.greatest + "(peer.last_seen, excluded.last_seen),"
        + " times_seen = peer.times_seen + excluded.times_seen"
        + " RETURNING infohash, ip, port, times_seen";
    long created = 0;
    Iterator<Map.Entry<PeerKey, Pr>> it = peers.entrySet().iterator();
    int left = peers.size();
    while (left > 0) {
      int n = Math.min(ROWS_PER_STATEMENT, left);
      PreparedStatement ps = statement(
          "INSERT INTO peer (infohash, ip, port, first_seen, last_seen, times_seen) VALUES ",
          "(?, ?, ?, ?, ?, ?)", n, upsert);
      int i = 1;
      for (int k = 0; k < n; k++) {
        Map.Entry<PeerKey, Pr> e = it.next();
        ps.setBytes(i++, e.getKey().infohash().toBytes());
        ps.setString(i++, e.getKey().ip());
        ps.setInt(i++, e.getKey().port());
        ps.setLong(i++, e.getValue().first);
        ps.setLong(i++, e.getValue().last);
        ps.setLong(i++, e.getValue().count);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          PeerKey key = new PeerKey(NodeId.of(rs.getBytes(1)), rs.getString(2), rs.getInt(3));
          if (rs.getLong(4) == peers.get(key).count) {
            created++;
          }
        }
      }
      left -= n;
    }
    return created;
  }

  private void writeState(Map<String, String> state, long nowMillis) throws SQLException {
    if (state.isEmpty()) {
      return;
    }
    PreparedStatement ps = statement("INSERT INTO crawl_state (k, v, updated_at) VALUES ", "(?, ?, ?)", 1,
        " ON CONFLICT (k) DO UPDATE SET v = excluded.v, updated_at = excluded.updated_at");
    for (Map.Entry<String, String> e : new TreeMap<>(state).entrySet()) {
      ps.setString(1, e.getKey());
      ps.setString(2, e.getValue());
      ps.setLong(3, nowMillis);
      ps.addBatch();
    }
    ps.executeBatch();
  }

  private static void setNullable(PreparedStatement ps, int i, Long v, int type) throws SQLException {
    if (v == null) {
      ps.setNull(i, type);
    } else if (type == Types.INTEGER) {
      ps.setInt(i, v.intValue());
    } else {
      ps.setLong(i, v);
    }
  }

  /** A cached statement {@code head row, row, ... tail} with {@code rows} rows. */
  private PreparedStatement statement(String head, String row, int rows, String tail) throws SQLException {
    String key = head + rows + tail;
    PreparedStatement ps = statements.get(key);
    if (ps == null) {
      StringBuilder sb = new StringBuilder(head.length() + tail.length() + rows * (row.length() + 2));
      sb.append(head);
      for (int r = 0; r < rows; r++) {
        sb.append(r == 0 ? "" : ", ").append(row);
      }
      sb.append(tail);
      ps = conn.prepareStatement(sb.toString());
      statements.put(key, ps);
      if (statements.size() > STATEMENT_CACHE) {
        Iterator<PreparedStatement> oldest = statements.values().iterator();
        closeQuietly(oldest.next());
        oldest.remove();
      }
    }
    return ps;
  }

  /** Drops the connection (after an error): the next write reconnects. */
  void reset() {
    statements.values().forEach(BatchWriter::closeQuietly);
    statements.clear();
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // already broken
      }
      conn = null;
    }
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    reset();
  }
}
