package dev.jdht.cli;

import dev.jdht.core.io.EventLoop;
import dev.jdht.krpc.wire.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the values {@code dht} commands take. Each turns a bad value into a
 * {@link TypeConversionException} whose message picocli prints as {@code Invalid value for option
 * '--x': <message>} (exit 2). Stateless and thread-safe.
 */
public final class Converters {
  private Converters() {}

  /** An infohash: 40 hex digits, 32 base32 characters or a magnet link. */
  public static final class InfoHash implements ITypeConverter<NodeId> {
    @Override
    public NodeId convert(String value) {
      try {
        return InfoHashes.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A node id: 40 hex digits. */
  public static final class Id implements ITypeConverter<NodeId> {
    @Override
    public NodeId convert(String value) {
      String t = value.strip();
      if (t.length() != 40 || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new TypeConversionException("'" + (t.length() > 60 ? t.substring(0, 57) + "..." : t)
            + "' is not a node id (expected 40 hex digits)");
      }
      return NodeId.fromHex(t);
    }
  }

  /** One {@code host:port}. */
  public static final class HostPort implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      try {
        return dev.jdht.krpc.wire.HostPort.parse(value).toSocketAddress();
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A comma-separated {@code host:port} list, or {@code none} for an empty list. */
  public static final class HostPortList implements ITypeConverter<Contacts> {
    @Override
    public Contacts convert(String value) {
      try {
        return Contacts.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A local address to bind: {@code ip[:port]}. */
  public static final class Bind implements ITypeConverter<BindAddress> {
    @Override
    public BindAddress convert(String value) {
      try {
        return BindAddress.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Where to serve the dashboard and metrics: {@code PORT} (on loopback) or {@code IP:PORT}. */
  public static final class HttpAddress implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      try {
        return HttpOptions.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A positive duration ({@code 30s}, {@code 500ms}, ...). */
  public static final class PositiveDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d;
      try {
        d = Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      if (d.isZero()) {
        throw new TypeConversionException("'" + value + "' must be more than zero");
      }
      return d;
    }
  }

  /** Lookup parallelism: 1..64. */
  public static final class Alpha implements ITypeConverter<Integer> {
    /** Largest alpha accepted on the command line. */
    public static final int MAX = 64;

    @Override
    public Integer convert(String value) {
      return intIn(value, 1, MAX, "queries in flight");
    }
  }

  /** Queries per second for a server rate limit: 1..10,000,000. */
  public static final class QueryRate implements ITypeConverter<Integer> {
    /** Largest rate accepted on the command line. */
    public static final int MAX = 10_000_000;

    @Override
    public Integer convert(String value) {
      return intIn(value, 1, MAX, "queries per second");
    }
  }

  /** --dos-block-rate: 0 (off) .. 10,000,000 datagrams per second. */
  public static final class DosBlockRate implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return intIn(value, 0, QueryRate.MAX, "datagrams per second");
    }
  }

  /** --socket-buffer: bytes, or KiB/MiB with a k or m suffix; 4 KiB .. 1 GiB (the library's bounds). */
  public static final class SocketBuffer implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String v = value.trim().toLowerCase(java.util.Locale.ROOT);
      int shift = v.endsWith("k") ? 10 : v.endsWith("m") ? 20 : 0;
      String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
      long n;
      try {
        n = Long.parseLong(digits) << shift;
      } catch (NumberFormatException e) {
        throw new TypeConversionException("not a size in bytes (e.g. 4194304, 4096k or 4m): '" + value + "'");
      }
      if (digits.length() > 10 || n < EventLoop.MIN_SOCKET_BUFFER_BYTES || n > EventLoop.MAX_SOCKET_BUFFER_BYTES) {
        throw new TypeConversionException("socket buffer must be 4k to 1024m: '" + value + "'");
      }
      return (int) n;
    }
  }

  /** A TCP or UDP port: 1..65535. */
  public static final class Port implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return intIn(value, 1, 65535, "port");
    }
  }

  /** Nodes of the demo network: 10..5000. */
  public static final class DemoSize implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return intIn(value, DemoCommand.MIN_NODES, DemoCommand.MAX_NODES, "nodes");
    }
  }

  static int intIn(String value, int min, int max, String what) {
    String t = value.strip();
    int v;
    try {
      if (t.isEmpty() || t.length() > 10 || !t.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '-')) {
        throw new NumberFormatException();
      }
      v = Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a number (expected " + min + ".." + max + ")");
    }
    if (v < min || v > max) {
      throw new TypeConversionException(what + " out of range: " + v + " (expected " + min + ".." + max + ")");
    }
    return v;
  }
}
