package dev.jdht.crawl.store;

import java.util.Locale;

/** The SQL databases the store speaks to, told apart by their JDBC URL; what differs between them. */
enum Dialect {
  SQLITE("sqlite", "MIN", "MAX"),
  POSTGRESQL("postgresql", "LEAST", "GREATEST");

  /** The resource directory of its schema files. */
  final String dir;
  /** The two-argument minimum and maximum functions. */
  final String least;
  final String greatest;

  Dialect(String dir, String least, String greatest) {
    this.dir = dir;
    this.least = least;
    this.greatest = greatest;
  }

  /** The dialect of a JDBC URL. */
  static Dialect of(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new StoreException("unsupported database URL " + Jdbc.redact(url)
        + ": use jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE");
  }
}
