package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.crawl.store.ExportFormat;
import dev.jdht.crawl.store.StoreException;
import dev.jdht.crawl.store.StoreQueries;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht crawl stats} and {@code dht crawl export}: read what a crawl stored, without starting
 * a node. Both take {@code --db} (default: the SQLite file {@code dht crawl} writes under the state
 * directory) and open it read-only through {@link StoreQueries}, which checks the schema.
 */
final class CrawlStoreCommands {
  private CrawlStoreCommands() {}

  /** The store URL: {@code db}, or the default SQLite file, which must exist (reading never creates one). */
  static String url(String db, Path stateDir) {
    if (db != null) {
      return CrawlCommand.jdbcUrl(db);
    }
    Path file = CrawlCommand.defaultDbFile(stateDir);
    if (!Files.isRegularFile(file)) {
      throw new CommandFailed("no crawl store at " + file + " (run 'dht crawl' first, or pass --db)");
    }
    return "jdbc:sqlite:" + file;
  }

  /** {@code --db} and {@code --state-dir}: which store to read. */
  static final class Where {
    @Option(names = "--db", paramLabel = "JDBC_URL", description = "The store (default: jdbc:sqlite:<state dir>/crawl.db).")
    private String db;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "The state directory holding crawl.db.")
    private Path stateDir;

    StoreQueries open() {
      return CrawlStoreCommands.open(url(db, stateDir));
    }
  }

  static StoreQueries open(String url) {
    try {
      return StoreQueries.open(url);
    } catch (StoreException e) {
      throw new CommandFailed(CliErrors.oneLine(e.getMessage()), e);
    }
  }

  /** {@code dht crawl stats}. */
  @Command(
      name = "stats",
      description = "Summarises a crawl store: distinct infohashes, nodes (and how many answer BEP 51), peers, "
          + "first and last sighting, new infohashes and nodes per hour, and the most widely reported infohashes.",
      footer = {"  dht crawl stats", "  dht crawl stats --db jdbc:postgresql://db.example/dht?user=crawler --top 20 --json"})
  static final class Stats implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Mixin private Where where;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10", converter = TopN.class,
        description = "List the N infohashes reported by the most distinct nodes, 0..1000 (default: ${DEFAULT-VALUE}).")
    private int top;

    @Option(names = "--hours", paramLabel = "N", defaultValue = "24", converter = Hours.class,
        description = "Infohashes and nodes first seen per hour, for the last N hours of the crawl, 0..8760 "
            + "(default: ${DEFAULT-VALUE}).")
    private int hours;

    @Option(names = "--json", description = "Print one JSON document.")
    private boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (StoreQueries q = where.open()) {
        StoreQueries.Summary s = q.summary();
        List<StoreQueries.InfohashRow> rows = top == 0 ? List.of() : q.top(top);
        // the last N hours of the crawl, counted back from its last sighting (a store may be old)
        List<StoreQueries.Hour> perHour = hours == 0 || s.lastSeen() == null
            ? List.of() : q.hourly(s.lastSeen() - (hours - 1) * 3_600_000L);
        if (json) {
          ObjectNode o = Json.object();
          o.put("store", redact(q.url()));
          o.put("schema_version", s.schemaVersion());
          o.put("infohashes", s.infohashes());
          o.put("reports", s.reporterPairs());
          o.put("nodes", s.nodes());
          o.put("bep51_nodes", s.bep51Nodes());
          o.put("peers", s.peers());
          o.put("first_seen", s.firstSeen() == null ? null : Instant.ofEpochMilli(s.firstSeen()).toString());
          o.put("last_seen", s.lastSeen() == null ? null : Instant.ofEpochMilli(s.lastSeen()).toString());
          ArrayNode h = o.putArray("hourly");
          for (StoreQueries.Hour hr : perHour) {
            ObjectNode e = h.addObject();
            e.put("hour", Instant.ofEpochMilli(hr.hourStart()).toString());
            e.put("new_infohashes", hr.infohashes());
            e.put("new_nodes", hr.nodes());
          }
          ArrayNode a = o.putArray("top");
          for (StoreQueries.InfohashRow r : rows) {
            ObjectNode e = a.addObject();
            e.put("infohash", HexFormat.of().formatHex(r.infohash()));
            e.put("reporters", r.reporters());
            e.put("times_seen", r.timesSeen());
            e.put("first_seen", Instant.ofEpochMilli(r.firstSeen()).toString());
          }
          Json.print(out, o);
        } else {
          out.printf(Locale.ROOT, "store:       %s (schema %d)%n", redact(q.url()), s.schemaVersion());
          out.printf(Locale.ROOT, "infohashes:  %,d (%,d node reports)%n", s.infohashes(), s.reporterPairs());
          out.printf(Locale.ROOT, "nodes:       %,d (%,d answer BEP 51)%n", s.nodes(), s.bep51Nodes());
          out.printf(Locale.ROOT, "peers:       %,d%n", s.peers());
          if (s.firstSeen() != null) {
            out.printf(Locale.ROOT, "seen:        %s .. %s%n", Instant.ofEpochMilli(s.firstSeen()), Instant.ofEpochMilli(s.lastSeen()));
          }
          if (!perHour.isEmpty()) {
            out.println("first seen per hour (UTC):");
            for (StoreQueries.Hour hr : perHour) {
              out.printf(Locale.ROOT, "  %s  %,d infohashes, %,d nodes%n",
                  Instant.ofEpochMilli(hr.hourStart()).toString().substring(0, 13) + "h", hr.infohashes(), hr.nodes());
            }
          }
          if (!rows.isEmpty()) {
            out.println("most reported:");
            for (StoreQueries.InfohashRow r : rows) {
              out.printf(Locale.ROOT, "  %s  %,d nodes, seen %,d times%n", HexFormat.of().formatHex(r.infohash()), r.reporters(), r.timesSeen());
            }
          }
        }
        out.flush();
      }
      return ExitCodes.OK;
    }
  }

  /** {@code dht crawl export}. */
  @Command(
      name = "export",
      description = "Writes every stored infohash (first seen, last seen, times seen, reporting nodes) as CSV or "
          + "JSON Lines, streamed: memory stays bounded whatever the store's size.",
      footer = {"  dht crawl export > infohashes.csv", "  dht crawl export --format jsonl --output infohashes.jsonl"})
  static final class Export implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Mixin private Where where;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", converter = Format.class,
        description = "csv (with a header line) or jsonl (default: ${DEFAULT-VALUE}).")
    private ExportFormat format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of stdout (replaced if it exists).")
    private Path output;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      try (StoreQueries q = where.open()) {
        long rows;
        if (output != null) {
          try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            rows = write(q, w);
          } catch (IOException e) {
            throw new CommandFailed("cannot write " + output + ": " + e.getMessage(), e);
          }
          if (!Commands.quiet(spec)) {
            err.println(rows + " infohashes written to " + output);
            err.flush();
          }
        } else {
          PrintWriter w = spec.commandLine().getOut(); // stdout, as every command writes it
          try {
            write(q, w);
          } catch (IOException e) {
            throw new CommandFailed("cannot write to stdout: " + e.getMessage(), e);
          }
          w.flush();
          if (w.checkError()) {
            throw new CommandFailed("cannot write to stdout");
          }
        }
      }
      return ExitCodes.OK;
    }

    private long write(StoreQueries q, Writer w) throws IOException {
      format.header(w);
      try {
        return q.export(r -> format.row(w, r));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  /** Hides a password in a JDBC URL ({@code password=...}). */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /** 0..1000. */
  static final class TopN implements picocli.CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return Converters.intIn(value, 0, 1000, "--top");
    }
  }

  /** 0..8760. */
  static final class Hours implements picocli.CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return Converters.intIn(value, 0, 8760, "--hours");
    }
  }

  /** csv or jsonl. */
  static final class Format implements picocli.CommandLine.ITypeConverter<ExportFormat> {
    @Override
    public ExportFormat convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "csv" -> ExportFormat.CSV;
        case "jsonl", "json-lines", "ndjson" -> ExportFormat.JSONL;
        default -> throw new picocli.CommandLine.TypeConversionException("expected csv or jsonl, got '" + value + "'");
      };
    }
  }
}
