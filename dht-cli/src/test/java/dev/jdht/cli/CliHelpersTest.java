package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durations, terminal detection, the progress line, client versions, bind addresses, lazy commands. */
class CliHelpersTest {

  @Test
  void durations() {
    assertEquals(Duration.ofSeconds(30), Durations.parse("30"));
    assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals(Duration.ofHours(1), Durations.parse(" 1H "));
    for (String bad : new String[] {"", "s", "-1s", "1.2.3", "3 days", "10y", "1e3", "9999h"}) {
      assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
    }
    assertEquals("0.4 ms", Durations.format(Duration.ofNanos(400_000)));
    assertEquals("12 ms", Durations.format(Duration.ofMillis(12)));
    assertEquals("1.42 s", Durations.format(Duration.ofMillis(1420)));
    assertEquals("2 min 5 s", Durations.format(Duration.ofSeconds(125)));
    assertEquals(1.5, Durations.millis(Duration.ofNanos(1_500_000)));
    assertNull(Durations.millis(null));
  }

  @Test
  void terminalDetection(@TempDir Path tmp) throws Exception {
    Path fd = Files.createDirectories(tmp.resolve("fd"));
    Path pts = Files.createSymbolicLink(fd.resolve("2"), Path.of("/dev/pts/3"));
    Path pipe = Files.createSymbolicLink(fd.resolve("3"), Path.of("pipe:[12345]"));
    Path file = Files.createSymbolicLink(fd.resolve("4"), tmp.resolve("log.txt"));
    assertTrue(Terminal.decide(Map.of(), null, pts));
    assertFalse(Terminal.decide(Map.of(), null, pipe));
    assertFalse(Terminal.decide(Map.of(), null, file));
    assertFalse(Terminal.decide(Map.of("DHT_PROGRESS", "0"), null, pts), "the environment wins");
    assertTrue(Terminal.decide(Map.of("DHT_PROGRESS", "1"), null, pipe));
    assertTrue(Terminal.decide(Map.of("DHT_PROGRESS", "always"), "0", pipe), "environment before property");
    assertTrue(Terminal.decide(Map.of(), "yes", pipe));
    assertFalse(Terminal.decide(Map.of(), "never", pts));
    assertTrue(Terminal.decide(Map.of("DHT_PROGRESS", "auto"), null, pts), "auto: detect");
    assertTrue(Terminal.isTerminalDevice(Files.createSymbolicLink(fd.resolve("5"), Path.of("/dev/tty1"))));
  }

  @Test
  void progressLineIsErasedBeforeOtherOutput() {
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();
    PrintWriter e = new PrintWriter(err);
    try (ProgressLine p = new ProgressLine(e, true)) {
      p.show(() -> "working");
      p.redraw();
      p.println(new PrintWriter(out), "1.2.3.4:5");
    }
    assertEquals("1.2.3.4:5" + System.lineSeparator(), out.toString());
    String s = err.toString();
    assertTrue(s.startsWith("\r\u001b[Kworking"), s);
    assertTrue(s.endsWith("\r\u001b[K"), "erased at the end: " + s);

    StringWriter off = new StringWriter();
    try (ProgressLine p = new ProgressLine(new PrintWriter(off), false)) {
      p.show(() -> "working");
      p.redraw();
      p.println(new PrintWriter(off), "line");
    }
    assertEquals("line" + System.lineSeparator(), off.toString(), "disabled: just the line");
  }

  @Test
  void clientVersions() {
    assertEquals("JD 0.1 (jdht)", Reports.clientVersion(new byte[] {'J', 'D', 0, 1}));
    assertEquals("LT 1.2 (libtorrent)", Reports.clientVersion(new byte[] {'L', 'T', 1, 2}));
    assertEquals("XY 0.255", Reports.clientVersion(new byte[] {'X', 'Y', 0, (byte) 255}));
    assertEquals("0102", Reports.clientVersion(new byte[] {1, 2}));
    assertNull(Reports.clientVersion(null));
  }

  @Test
  void bindAddresses() {
    BindAddress a = BindAddress.parse("127.0.0.5");
    assertFalse(a.portGiven());
    assertEquals("127.0.0.5", a.toString());
    BindAddress b = BindAddress.parse("127.0.0.5:7000");
    assertTrue(b.portGiven());
    assertEquals(7000, b.address().getPort());
    assertTrue(BindAddress.parse(":0").portGiven());
    assertFalse(BindAddress.parse("[::1]").portGiven());
    assertTrue(BindAddress.parse("[::1]:6881").portGiven());
    assertEquals("[0:0:0:0:0:0:0:1]:6881", BindAddress.parse("[::1]:6881").toString());
  }

  @Test
  void onlyTheCommandBeingRunIsRegistered() {
    assertEquals(List.of("peers"), Main.commandsFor("peers", "x"));
    assertEquals(List.of("peers"), Main.commandsFor("-v", "peers", "--help"));
    assertEquals(List.of(), Main.commandsFor("--version"));
    assertEquals(List.of(), Main.commandsFor("-vV"));
    assertEquals(Main.COMMANDS, Main.commandsFor());
    assertEquals(Main.COMMANDS, Main.commandsFor("--help"));
    assertEquals(Main.COMMANDS, Main.commandsFor("-V", "-h"));
    assertEquals(Main.COMMANDS, Main.commandsFor("help", "peers"));
    assertEquals(Main.COMMANDS, Main.commandsFor("completion"));
    assertEquals(Main.COMMANDS, Main.commandsFor("pers"), "a typo gets a suggestion");
    Cli.Result r = Cli.run("pers");
    assertEquals(List.of("dht: Unmatched argument at index 0: 'pers'; did you mean 'peers'? (see 'dht --help')"),
        r.errLines());
  }

  @Test
  void dualStackReportsCarryEachFamily() {
    dev.jdht.krpc.wire.NodeId t = dev.jdht.krpc.wire.NodeId.fromHex("c9e15763f722f23e98a29decdfae341b98d53056");
    dev.jdht.core.api.LookupReport v4 = new dev.jdht.core.api.LookupReport(t, 10, 8, 2, null,
        java.time.Duration.ofMillis(100), java.util.Set.of(dev.jdht.krpc.wire.PeerAddress.parse("1.2.3.4:5")),
        java.util.List.of(), false);
    dev.jdht.core.api.LookupReport v6 = new dev.jdht.core.api.LookupReport(t, 5, 5, 0, null,
        java.time.Duration.ofMillis(300), java.util.Set.of(dev.jdht.krpc.wire.PeerAddress.parse("1.2.3.4:5"),
            dev.jdht.krpc.wire.PeerAddress.parse("[2001:db8::1]:5")), java.util.List.of(), false);
    com.fasterxml.jackson.databind.JsonNode j = Reports.json(dev.jdht.core.api.LookupReport.merge(v4, v6), false);
    assertEquals(15, j.get("queries").asInt());
    assertEquals(2, j.get("distinct_peers").asInt(), "a peer found by both families counts once");
    assertEquals(300.0, j.get("done_ms").asDouble());
    assertEquals(10, j.get("by_family").get("IPv4").get("queries").asInt());
    assertEquals(2, j.get("by_family").get("IPv6").get("distinct_peers").asInt());
    assertEquals(null, Reports.json(v4, false).get("by_family"));
  }
}
