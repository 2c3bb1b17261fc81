package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void scalarContainersThatFitGoOnOneLine() {
    ObjectNode o = Json.object();
    o.put("t", "aa");
    o.putArray("e").add(201).add("A Generic Error");
    o.putObject("node").put("id", "00").put("port", 6881);
    o.putArray("empty");
    o.putObject("none");
    assertEquals("{\n"
        + "  \"t\": \"aa\",\n"
        + "  \"e\": [201, \"A Generic Error\"],\n"
        + "  \"node\": {\"id\": \"00\", \"port\": 6881},\n"
        + "  \"empty\": [],\n"
        + "  \"none\": {}\n"
        + "}", Json.pretty(o));
  }

  @Test
  void longOrNestedContainersGetOneMemberPerLine() {
    ObjectNode o = Json.object();
    var list = o.putArray("peers");
    for (int i = 0; i < 10; i++) {
      list.add("203.0.113." + i + ":6881");
    }
    o.putArray("nested").addArray().add(1);
    assertTrue(Json.pretty(o).startsWith("{\n  \"peers\": [\n    \"203.0.113.0:6881\",\n    \"203.0.113.1:6881\",\n"),
        Json.pretty(o));
    String nested = Json.pretty(o).substring(Json.pretty(o).indexOf("\"nested\""));
    assertEquals("\"nested\": [\n    [1]\n  ]\n}", nested);
  }

  @Test
  void escapesKeysAndStrings() {
    ObjectNode o = Json.object();
    o.put("a\"b", "line\nbreak \u0001 café");
    assertEquals("{\"a\\\"b\": \"line\\nbreak \\u0001 café\"}", Json.pretty(o));
  }

  record Report(String infohash, List<String> peers, int queries) {}

  @Test
  void printsRecordsAndEndsWithNewline() {
    StringWriter sw = new StringWriter();
    Json.print(new PrintWriter(sw), new Report("ab", List.of("1.2.3.4:1"), 3));
    assertEquals("{\n  \"infohash\": \"ab\",\n  \"peers\": [\"1.2.3.4:1\"],\n  \"queries\": 3\n}\n", sw.toString());
  }
}
