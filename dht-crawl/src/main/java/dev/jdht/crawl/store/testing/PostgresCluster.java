package dev.jdht.crawl.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests and benchmarks, <b>not for production use</b>: {@code
 * initdb} in a temporary directory, {@code pg_ctl start} on a free 127.0.0.1 port with its unix
 * socket in that directory, trust authentication for the user {@value #USER}; {@link #close}
 * stops it and deletes the directory. It lives in main sources only so that dht-bench can start
 * one the same way the store tests do.
 *
 * <p>The binaries are Debian's ({@code /usr/lib/postgresql/<version>/bin}, the newest version),
 * or those in {@code $PG_BIN}. PostgreSQL refuses to run as root, so when the JVM runs as root the
 * directory is handed to the {@code postgres} user (created by Debian's package) and every command
 * runs through {@code runuser -u postgres --}. Not thread-safe: one owner drives it.
 */
public final class PostgresCluster implements AutoCloseable {
  /** The database superuser the cluster is created with. */
  public static final String USER = "jdht";

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final boolean fast;
  private final String runAs;
  private int port;

  private PostgresCluster(Path bin, Path dir, boolean fast, String runAs) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.fast = fast;
    this.runAs = runAs;
  }

  /**
   * Creates and starts a cluster. With {@code fast}, durability is off ({@code fsync=off}, {@code
   * synchronous_commit=off}): right for tests, wrong for a benchmark of the real thing.
   *
   * @throws IllegalStateException with a one-line reason when PostgreSQL is missing or fails to start
   */
  public static PostgresCluster start(boolean fast) {
    Path bin = findBinaries();
    String runAs = isRoot() ? "postgres" : null;
    Path dir;
    try {
      dir = Files.createTempDirectory("jdht-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PostgresCluster c = new PostgresCluster(bin, dir, fast, runAs);
    try {
      if (runAs != null) {
        c.run(false, "chown", runAs, dir.toString());
      }
      c.run(true, bin.resolve("initdb").toString(), "-D", c.data.toString(), "-U", USER,
          "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
      c.startServer();
      return c;
    } catch (RuntimeException e) {
      c.deleteDir();
      throw e;
    }
  }

  /** The port the server listens on (127.0.0.1). */
  public int port() {
    return port;
  }

  /** A JDBC URL for {@code database} as the superuser. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  /** Creates a new, empty database with a unique name and returns its JDBC URL. */
  public String createDatabase() {
    String name = "jdht_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return url(name);
  }

  /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
  public void stopServer() {
    run(true, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop");
  }

  /** Starts the server again on the same port (or a new free one the first time). */
  public void startServer() {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      if (port == 0 || attempt > 0) {
        port = freePort();
      }
      String opts = "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir
          + " -c max_connections=50" + (fast ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : "");
      try {
        run(true, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
            "-o", opts, "-w", "-t", "60", "start");
        return;
      } catch (IllegalStateException e) {
        last = e; // the port may have been taken in between: try another
      }
    }
    throw last;
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public void close() {
    if (Files.isDirectory(data)) {
      try {
        run(true, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
      } catch (IllegalStateException e) {
        // not running
      }
    }
    deleteDir();
  }

  private void deleteDir() {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: it is a temp dir
    }
  }

  /** Runs a command, as the cluster's user when {@code asUser}; throws with its output on failure. */
  private void run(boolean asUser, String... cmd) {
    List<String> full = new ArrayList<>();
    if (asUser && runAs != null) {
      full.addAll(List.of("runuser", "-u", runAs, "--"));
    }
    full.addAll(List.of(cmd));
    Path out = null;
    try {
      out = Files.createTempFile("jdht-pg-cmd-", ".log");
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile())
          .directory(Paths.get("/").toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", full) + " did not finish in 120 s");
      }
      if (p.exitValue() != 0) {
        String log = Files.readString(out, StandardCharsets.UTF_8).strip();
        Path server = dir.resolve("server.log");
        if (Files.isReadable(server)) {
          log += " | server.log: " + Files.readString(server, StandardCharsets.UTF_8).strip();
        }
        throw new IllegalStateException(String.join(" ", full) + " failed (exit " + p.exitValue() + "): "
            + log.replaceAll("\\s*\\n\\s*", "; "));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + full.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + full.get(0), e);
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }

  /** The directory holding initdb and pg_ctl. */
  static Path findBinaries() {
    String env = System.getenv("PG_BIN");
    if (env != null && !env.isBlank()) {
      Path p = Paths.get(env);
      if (Files.isExecutable(p.resolve("initdb"))) {
        return p;
      }
      throw new IllegalStateException("PG_BIN=" + env + " holds no initdb");
    }
    Path root = Paths.get("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> s = Files.list(root)) {
        Path best = s.filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
            .max(Comparator.comparingInt(PostgresCluster::version)).orElse(null);
        if (best != null) {
          return best.resolve("bin");
        }
      } catch (IOException e) {
        // fall through
      }
    }
    throw new IllegalStateException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; "
        + "apt-get install postgresql, or set PG_BIN)");
  }

  private static int version(Path p) {
    try {
      return Integer.parseInt(p.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
