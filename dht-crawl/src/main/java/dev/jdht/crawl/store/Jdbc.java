package dev.jdht.crawl.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Connecting to the store's database, creating and migrating its schema, and turning JDBC errors
 * into one-line messages. Stateless; thread-safe.
 */
final class Jdbc {
  /** The schema version this program writes and reads. */
  static final int SCHEMA_VERSION = 1;
  /** pg_advisory_xact_lock key: instances starting at once migrate one after the other. */
  private static final long MIGRATION_LOCK = 0x6a646874L; // "jdht"

  private Jdbc() {}

  /** The URL with any password hidden, for messages. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
  }

  /** The file of a SQLite URL, or null for an in-memory database. */
  static Path sqliteFile(String url) {
    String rest = url.substring("jdbc:sqlite:".length());
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    int q = rest.indexOf('?');
    if (q >= 0) {
      rest = rest.substring(0, q);
    }
    if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith(":resource:")) {
      return null;
    }
    return Paths.get(rest);
  }

  /**
   * Opens a connection, in autocommit-off mode. SQLite gets WAL, synchronous=NORMAL (a commit
   * survives the process being killed), and a busy timeout (deferred transactions: sqlite-jdbc begins the next one at each commit, and an immediate one would hold the write lock while idle).
   * PostgreSQL gets connect and socket timeouts so an outage is noticed.
   *
   * @param mustExist refuse a SQLite file that does not exist yet (readers), instead of creating it
   */
  static Connection connect(String url, Dialect d, boolean mustExist) {
    Properties p = new Properties();
    if (d == Dialect.SQLITE) {
      Path f = sqliteFile(url);
      if (f != null) {
        if (mustExist && !Files.exists(f)) {
          throw new StoreException("no crawl database at " + f + " (run dht crawl first, or give --db)");
        }
        Path parent = f.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
          throw new StoreException("cannot open " + f + ": directory " + parent + " does not exist");
        }
        if (Files.isDirectory(f)) {
          throw new StoreException("cannot open " + f + ": is a directory");
        }
      }
      p.setProperty("journal_mode", "WAL");
      p.setProperty("synchronous", "NORMAL");
      p.setProperty("busy_timeout", "10000");
    } else {
      setIfAbsent(p, url, "connectTimeout", "10");
      setIfAbsent(p, url, "socketTimeout", "120");
      setIfAbsent(p, url, "tcpKeepAlive", "true");
      setIfAbsent(p, url, "ApplicationName", "jdht-crawl");
    }
    try {
      Connection c = DriverManager.getConnection(url, p);
      c.setAutoCommit(false);
      return c;
    } catch (SQLException e) {
      throw fail(url, e);
    }
  }

  private static void setIfAbsent(Properties p, String url, String key, String value) {
    if (!url.contains(key + "=")) {
      p.setProperty(key, value);
    }
  }

  /**
   * Creates the schema or brings it to {@link #SCHEMA_VERSION}, in one transaction.
   *
   * @throws StoreException when the database holds a newer schema
   */
  static void migrate(Connection c, Dialect d, String url) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (d == Dialect.POSTGRESQL) {
        s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      }
      s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
          + "version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)");
      int have = 0;
      try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
        if (rs.next()) {
          have = rs.getInt(1);
        }
      }
      if (have > SCHEMA_VERSION) {
        c.rollback();
        throw newerSchema(url, have);
      }
      for (int v = have + 1; v <= SCHEMA_VERSION; v++) {
        for (String sql : statements(d, v)) {
          s.execute(sql);
        }
        s.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (" + v + ", "
            + System.currentTimeMillis() + ")");
      }
    }
    c.commit();
  }

  /**
   * The schema version of a store opened for reading.
   *
   * @throws StoreException when it is no crawl store, or newer or older than this program's
   */
  static void checkReadable(Connection c, String url) throws SQLException {
    int have;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
      rs.next();
      have = rs.getInt(1);
    } catch (SQLException e) {
      c.rollback();
      if (isMissingTable(e)) {
        throw new StoreException("no crawl store in " + redact(url) + " (run dht crawl first)");
      }
      throw e;
    }
    if (have > SCHEMA_VERSION) {
      throw newerSchema(url, have);
    }
    if (have < SCHEMA_VERSION) {
      throw new StoreException("the crawl store in " + redact(url) + " has schema version " + have
          + ", older than this program's " + SCHEMA_VERSION + ": run dht crawl once to migrate it");
    }
  }

  private static boolean isMissingTable(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return "42P01".equals(e.getSQLState()) || m.contains("no such table");
  }

  private static StoreException newerSchema(String url, int have) {
    return new StoreException("the crawl store in " + redact(url) + " has schema version " + have
        + ", newer than this program's " + SCHEMA_VERSION + ": upgrade jdht");
  }

  /** The statements of one schema file: split at semicolons ending a line, comments dropped. */
  static List<String> statements(Dialect d, int version) {
    String name = "sql/" + d.dir + "/V" + version + ".sql";
    String text;
    try (InputStream in = Jdbc.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("schema file " + name + " missing from the jar");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read schema file " + name, e);
    }
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : text.split("\n")) {
      int comment = line.indexOf("--");
      String code = (comment >= 0 ? line.substring(0, comment) : line).strip();
      if (code.isEmpty()) {
        continue;
      }
      cur.append(code).append('\n');
      if (code.endsWith(";")) {
        out.add(cur.substring(0, cur.lastIndexOf(";")).strip());
        cur.setLength(0);
      }
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString().strip());
    }
    return out;
  }

  /** Whether an error means the connection is gone (reconnect), as opposed to a bad statement. */
  static boolean connectionLost(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") || state.startsWith("57P"));
  }

  /** A one-line, user-facing StoreException for a failure to use {@code url}. */
  static StoreException fail(String url, SQLException e) {
    return new StoreException(describe(url, e), e);
  }

  /** One line saying what went wrong with {@code url}. */
  static String describe(String url, SQLException e) {
    String where = redact(url);
    String msg = firstLine(e.getMessage());
    if (e instanceof SQLiteException se) {
      SQLiteErrorCode code = se.getResultCode();
      int primary = code == null ? -1 : code.code & 0xff;
      Path f = url.regionMatches(true, 0, "jdbc:sqlite:", 0, 12) ? sqliteFile(url) : null;
      String file = f != null ? f.toString() : where;
      switch (primary) {
        case 8: // SQLITE_READONLY
          return "cannot write " + file + ": the database is read-only";
        case 13: // SQLITE_FULL
          return "cannot write " + file + ": the disk is full";
        case 14: // SQLITE_CANTOPEN
          return "cannot open " + file + ": " + cleanSqlite(msg);
        case 26: // SQLITE_NOTADB
          return "cannot open " + file + ": not an SQLite database";
        case 3: // SQLITE_PERM
        case 23: // SQLITE_AUTH
          return "cannot open " + file + ": permission denied";
        default:
          return file + ": " + cleanSqlite(msg);
      }
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.startsWith("08")) {
      return "cannot connect to " + where + ": " + msg;
    }
    if (state.startsWith("28")) {
      return "login refused by " + where + ": " + msg;
    }
    if (state.equals("3D000")) {
      return "no such database: " + where + " (" + msg + ")";
    }
    if (state.equals("53100")) {
      return "cannot write to " + where + ": the server's disk is full";
    }
    if (state.equals("25006")) {
      return "cannot write to " + where + ": the database is read-only";
    }
    if (state.equals("42501")) {
      return "permission denied in " + where + ": " + msg;
    }
    return where + ": " + msg;
  }

  private static String cleanSqlite(String msg) {
    // "[SQLITE_CANTOPEN] Unable to open the database file (unable to open database file)"
    return msg.replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "");
  }

  static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "error";
    }
    String line = s.strip().split("\\R", 2)[0];
    // PostgreSQL's "Connection to 127.0.0.1:1 refused. Check that the hostname and port are correct..."
    int hint = line.indexOf(". Check that");
    return hint > 0 ? line.substring(0, hint) : line;
  }
}
