package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input to every argument of every network command: exit 2, one line, nothing on stdout. */
class ArgumentErrorsTest {
  private static final String IH = "c9e15763f722f23e98a29decdfae341b98d53056";

  static Stream<Arguments> badInput() {
    return Stream.of(
        // peers
        bad("not an infohash: 'xyz'", "peers", "xyz"),
        bad("not an infohash: '" + IH + "0'", "peers", IH + "0"),
        bad("magnet link has no xt=urn:btih: infohash", "peers", "magnet:?dn=x"),
        bad("bad infohash in magnet link", "peers", "magnet:?xt=urn:btih:1234"),
        bad("Missing required parameter: 'INFOHASH|MAGNET'", "peers"),
        bad("missing port in '1.2.3.4'", "peers", IH, "--bootstrap", "1.2.3.4"),
        bad("port out of range in '1.2.3.4:70000'", "peers", IH, "--bootstrap", "1.2.3.4:70000"),
        bad("port out of range in '1.2.3.4:0'", "peers", IH, "--bootstrap", "1.2.3.4:0"),
        bad("not a host name: 'bad host'", "peers", IH, "--bootstrap", "bad host:1"),
        bad("empty entry in address list", "peers", IH, "--bootstrap", "1.2.3.4:1,,"),
        bad("queries in flight out of range: 0 (expected 1..64)", "peers", IH, "--alpha", "0"),
        bad("queries in flight out of range: 65 (expected 1..64)", "peers", IH, "--alpha", "65"),
        bad("'three' is not a number", "peers", IH, "--alpha", "three"),
        bad("'123' is not a node id (expected 40 hex digits)", "peers", IH, "--node-id", "123"),
        bad("is not a node id", "peers", IH, "--node-id", IH.replace('c', 'x')),
        bad("not an IPv4 address: '999.1.1.1'", "peers", IH, "--bind", "999.1.1.1"),
        bad("bind needs an IP address, not a host name", "peers", IH, "--bind", "example.com:80"),
        bad("port out of range in '127.0.0.1:65536'", "peers", IH, "--bind", "127.0.0.1:65536"),
        bad("'soon' is not a duration", "peers", IH, "--timeout", "soon"),
        bad("'0' must be more than zero", "peers", IH, "--timeout", "0"),
        bad("Unknown option: '--frobnicate'", "peers", IH, "--frobnicate"),
        bad("Unmatched argument at index 2: 'extra'", "peers", IH, "extra"),
        // announce
        bad("not an infohash: 'nope'", "announce", "nope", "--port", "1"),
        bad("port out of range: 0 (expected 1..65535)", "announce", IH, "--port", "0"),
        bad("port out of range: 70000 (expected 1..65535)", "announce", IH, "--port", "70000"),
        bad("'http' is not a number", "announce", IH, "--port", "http"),
        bad("queries in flight out of range", "announce", IH, "--port", "1", "--alpha", "-1"),
        bad("Unknown option: '--keepalive'", "announce", IH, "--port", "1", "--keepalive"),
        // ping
        bad("missing port in 'localhost'", "ping", "localhost"),
        bad("port out of range in '127.0.0.1:0'", "ping", "127.0.0.1:0"),
        bad("expected [IPv6]:port", "ping", "[::1:6881"),
        bad("IPv6 addresses need brackets", "ping", "::1:6881"),
        bad("'forever' is not a duration", "ping", "127.0.0.1:6881", "--timeout", "forever"),
        bad("not an IPv4 address: '1.2.3'", "ping", "127.0.0.1:6881", "--bind", "1.2.3"),
        bad("Missing required parameter: 'HOST:PORT'", "ping"),
        // find-node
        bad("'abc' is not a node id (expected 40 hex digits)", "find-node", "abc"),
        bad("is not a node id", "find-node", IH.substring(1)),
        bad("queries in flight out of range: 100", "find-node", IH, "--alpha", "100"),
        // serve
        bad("'often' is not a duration", "serve", "--stats-interval", "often"),
        bad("'0s' must be more than zero", "serve", "--duration", "0s"),
        bad("not an IPv4 address: '256.0.0.1'", "serve", "--bind", "256.0.0.1:6881"),
        bad("is not a node id", "serve", "--node-id", "zz"),
        bad("Unknown option: '--daemon'", "serve", "--daemon"),
        bad("queries per second out of range: 0 (expected 1..10000000)", "serve", "--rate-limit", "0"),
        bad("'lots' is not a number (expected 1..10000000)", "serve", "--per-ip-rate-limit", "lots"),
        bad("datagrams per second out of range: -1 (expected 0..10000000)", "serve", "--dos-block-rate", "-1"),
        bad("socket buffer must be 4k to 1024m: '1k'", "serve", "--socket-buffer", "1k"),
        bad("socket buffer must be 4k to 1024m: '2048m'", "serve", "--socket-buffer", "2048m"),
        bad("not a size in bytes (e.g. 4194304, 4096k or 4m): 'big'", "serve", "--socket-buffer", "big"),
        bad("port out of range in '70000' (0-65535)", "serve", "--http", "70000"),
        bad("expected [IP:]PORT, e.g. 9090 or 127.0.0.1:9090, got 'localhost'", "serve", "--http", "localhost"),
        bad("expected [IP:]PORT, e.g. 9090 or 127.0.0.1:9090, got '127.0.0.1'", "serve", "--http", "127.0.0.1"),
        bad("bind needs an IP address, not a host name", "serve", "--http", "example.com:9090"),
        bad("not an IPv4 address: '300.0.0.1'", "serve", "--http", "300.0.0.1:9090"),
        bad("Missing required parameter for option '--http'", "serve", "--http"),
        // demo
        bad("nodes out of range: 5 (expected 10..2000)", "demo", "--nodes", "5"),
        bad("'lots' is not a number", "demo", "--nodes", "lots"),
        bad("Invalid value for option '--seed': 'abc' is not a long", "demo", "--seed", "abc"),
        bad("Unknown option: '--json2'", "demo", "--json2"));
  }

  private static Arguments bad(String expected, String... args) {
    return Arguments.of(String.join(" ", args), expected, args);
  }

  @ParameterizedTest(name = "dht {0}")
  @MethodSource("badInput")
  void exitTwoWithOneLine(String name, String expected, String[] args) {
    Cli.Result r = Cli.run(args);
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals("", r.out(), r::toString);
    assertEquals(1, r.errLines().size(), r::toString);
    String line = r.errLines().get(0);
    assertTrue(line.startsWith("dht " + args[0] + ": "), line);
    assertTrue(line.contains(expected), "'" + expected + "' in: " + line);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  @Test
  void aBindAddressOfAnotherMachineIsExitTwo() {
    Cli.Result r = Cli.run("ping", "127.0.0.1:9", "--bind", "203.0.113.7:0");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals(1, r.errLines().size(), r::toString);
    assertTrue(r.err().startsWith("dht ping: cannot bind UDP 203.0.113.7:0: "), r.err());
  }

  @Test
  void aStateDirThatIsAFileIsExitTwo(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("f"), "x");
    Cli.Result r = Cli.run("peers", IH, "--bootstrap", "127.0.0.1:9", "--state-dir", file.toString(),
        "--bind", "127.0.39.13:0");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals(1, r.errLines().size(), r::toString);
    assertTrue(r.err().startsWith("dht peers: cannot use state directory " + file), r.err());
  }

  @Test
  void verboseAddsAStackTrace() {
    Cli.Result r = Cli.run("-v", "ping", "127.0.0.1:9", "--bind", "203.0.113.7:0");
    assertEquals(2, r.exitCode(), r::toString);
    assertTrue(r.err().contains("\tat "), r.err());
  }
}
