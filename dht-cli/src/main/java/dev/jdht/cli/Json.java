package dev.jdht.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON every command prints: two-space indents, {@code "key": value}, {@code \n} line ends.
 * An object or array whose members are all scalars is written on one line when that line fits in
 * {@value #WIDTH} columns (a node {@code {"id": ..., "ip": ..., "port": ...}}, an error {@code
 * [201, "..."]}); anything else gets one member per line. Thread-safe: the mapper is immutable
 * once built, and created on first use so commands that print no JSON do not pay for it.
 */
public final class Json {
  /** Widest line a compact container may produce. */
  public static final int WIDTH = 120;

  private Json() {}

  private static final class Holder {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** The shared mapper (for reading JSON, building trees, or converting objects to trees). */
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

  /** {@code value} (a tree, or any object Jackson can convert) as pretty JSON, no final newline. */
  public static String pretty(Object value) {
    JsonNode node = value instanceof JsonNode n ? n : Holder.MAPPER.valueToTree(value);
    StringBuilder sb = new StringBuilder(256);
    write(sb, node, 0, 0);
    return sb.toString();
  }

  /** Prints {@code value} as pretty JSON followed by a newline, and flushes. */
  public static void print(PrintWriter out, Object value) {
    out.print(pretty(value));
    out.print('\n');
    out.flush();
  }

  /** Writes {@code node} at the current position; {@code column} is where it starts. */
  private static void write(StringBuilder sb, JsonNode node, int indent, int column) {
    if (!node.isContainerNode()) {
      sb.append(node.toString());
      return;
    }
    boolean object = node.isObject();
    if (node.isEmpty()) {
      sb.append(object ? "{}" : "[]");
      return;
    }
    String oneLine = oneLine(node);
    if (oneLine != null && column + oneLine.length() + 1 <= WIDTH) {
      sb.append(oneLine);
      return;
    }
    sb.append(object ? '{' : '[');
    String pad = "  ".repeat(indent + 1);
    boolean first = true;
    if (object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sb.append(first ? "\n" : ",\n").append(pad);
        String key = TextNode.valueOf(e.getKey()).toString();
        sb.append(key).append(": ");
        write(sb, e.getValue(), indent + 1, pad.length() + key.length() + 2);
        first = false;
      }
    } else {
      for (JsonNode item : node) {
        sb.append(first ? "\n" : ",\n").append(pad);
        write(sb, item, indent + 1, pad.length());
        first = false;
      }
    }
    sb.append('\n').append("  ".repeat(indent)).append(object ? '}' : ']');
  }

  /** The container on one line if all its members are scalars, else null. */
  private static String oneLine(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    boolean object = node.isObject();
    sb.append(object ? '{' : '[');
    boolean first = true;
    if (object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isContainerNode()) {
          return null;
        }
        sb.append(first ? "" : ", ").append(TextNode.valueOf(e.getKey())).append(": ").append(e.getValue());
        first = false;
      }
    } else {
      for (JsonNode item : node) {
        if (item.isContainerNode()) {
          return null;
        }
        sb.append(first ? "" : ", ").append(item);
        first = false;
      }
    }
    return sb.append(object ? '}' : ']').toString();
  }
}
