package dev.jdht.crawl.store;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * How {@code dht crawl export} writes infohash rows: CSV with a header line, or JSON Lines. The
 * infohash is 40 lowercase hex digits; times are UTC ISO-8601 with milliseconds ({@code
 * 2026-12-06T13:09:42.123Z}). Stateless; thread-safe.
 */
public enum ExportFormat {
  /** {@code infohash,first_seen,last_seen,times_seen,reporters}, one header line. */
  CSV {
    @Override
    public void header(Writer out) throws IOException {
      out.write("infohash,first_seen,last_seen,times_seen,reporters\n");
    }

    @Override
    public void row(Writer out, StoreQueries.InfohashRow r) throws IOException {
      out.write(HEX.formatHex(r.infohash()));
      out.write(',');
      out.write(time(r.firstSeen()));
      out.write(',');
      out.write(time(r.lastSeen()));
      out.write(',');
      out.write(Long.toString(r.timesSeen()));
      out.write(',');
      out.write(Long.toString(r.reporters()));
      out.write('\n');
    }
  },
  /** One object a line: {@code {"infohash":"..","first_seen":"..","last_seen":"..","times_seen":n,"reporters":n}}. */
  JSONL {
    @Override
    public void header(Writer out) {}

    @Override
    public void row(Writer out, StoreQueries.InfohashRow r) throws IOException {
      out.write("{\"infohash\":\"");
      out.write(HEX.formatHex(r.infohash()));
      out.write("\",\"first_seen\":\"");
      out.write(time(r.firstSeen()));
      out.write("\",\"last_seen\":\"");
      out.write(time(r.lastSeen()));
      out.write("\",\"times_seen\":");
      out.write(Long.toString(r.timesSeen()));
      out.write(",\"reporters\":");
      out.write(Long.toString(r.reporters()));
      out.write("}\n");
    }
  };

  private static final HexFormat HEX = HexFormat.of();
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** A time in the export's format. */
  public static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }

  /** Writes what comes before the rows (nothing for JSON Lines). */
  public abstract void header(Writer out) throws IOException;

  /** Writes one row and its line end. */
  public abstract void row(Writer out, StoreQueries.InfohashRow r) throws IOException;
}
