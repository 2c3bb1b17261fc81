package dev.jdht.crawl.store;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jdht.crawl.store.testing.PostgresCluster;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the store tests run against: a SQLite file in the test's temp dir, and a fresh
 * database in one throwaway PostgreSQL cluster shared by the test JVM (started on first use,
 * stopped at exit). Without PostgreSQL the PostgreSQL cases fail when {@code CI=true} and are
 * skipped, with the reason, otherwise.
 */
final class Databases {
  enum Kind { SQLITE, POSTGRESQL }

  private static final AtomicInteger FILES = new AtomicInteger();
  private static PostgresCluster cluster;
  private static String clusterFailure;

  private Databases() {}

  /** Both kinds, for {@code @MethodSource}. */
  static Stream<Kind> both() {
    return Stream.of(Kind.SQLITE, Kind.POSTGRESQL);
  }

  /** A new, empty database of that kind. */
  static String newUrl(Kind kind, Path tmp) {
    if (kind == Kind.SQLITE) {
      return "jdbc:sqlite:" + tmp.resolve("crawl-" + FILES.incrementAndGet() + ".db");
    }
    return cluster().createDatabase();
  }

  /** The shared cluster, started on first use. */
  static synchronized PostgresCluster cluster() {
    if (cluster == null && clusterFailure == null) {
      try {
        cluster = PostgresCluster.start(true);
        PostgresCluster c = cluster;
        Runtime.getRuntime().addShutdownHook(new Thread(c::close, "pg-cluster-stop"));
      } catch (RuntimeException e) {
        clusterFailure = e.getMessage();
      }
    }
    if (cluster == null) {
      String why = "cannot start PostgreSQL for the store tests: " + clusterFailure;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why + " (skipped because CI is not set; ./test.sh installs PostgreSQL)");
    }
    return cluster;
  }
}
