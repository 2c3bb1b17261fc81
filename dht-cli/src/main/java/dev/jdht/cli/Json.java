package dev.jdht.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * The JSON every command prints: Jackson trees written pretty, two-space indented, {@code "key":
 * value}, one array element per line, {@code \n} line ends, empty containers as {@code []} and
 * {@code {}}. Thread-safe (the mapper and writer are immutable once built); the mapper is created
 * on first use so commands that print no JSON do not pay for it.
 */
public final class Json {
  private Json() {}

  private static final class Holder {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final ObjectWriter PRETTY = MAPPER.writer(printer());

    private static DefaultPrettyPrinter printer() {
      Separators sep = Separators.createDefaultInstance()
          .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
          .withObjectEmptySeparator("")
          .withArrayEmptySeparator("");
      DefaultIndenter indent = new DefaultIndenter("  ", "\n");
      DefaultPrettyPrinter p = new DefaultPrettyPrinter(sep);
      p.indentArraysWith(indent);
      p.indentObjectsWith(indent);
      return p;
    }
  }

  /** The shared mapper (for reading JSON, or building trees). */
  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  /** A new empty object node. */
  public static ObjectNode object() {
    return Holder.MAPPER.createObjectNode();
  }

  /** A new empty array node. */
  public static ArrayNode array() {
    return Holder.MAPPER.createArrayNode();
  }

  /** {@code value} (a tree or any Jackson-serializable object) as pretty JSON, no final newline. */
  public static String pretty(Object value) {
    try {
      return Holder.PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Prints {@code value} as pretty JSON followed by a newline, and flushes. */
  public static void print(PrintWriter out, Object value) {
    out.println(pretty(value));
    out.flush();
  }
}
