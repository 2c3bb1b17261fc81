package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortsTest {

  @Test
  void parsesAMixedList() {
    List<InetSocketAddress> l = HostPorts.parse(
        "router.bittorrent.com:6881, 127.0.0.1:6881,[::1]:25401 ,dht.libtorrent.org:25401");
    assertEquals(4, l.size());
    assertTrue(l.get(0).isUnresolved(), "host names are not resolved");
    assertEquals("router.bittorrent.com", l.get(0).getHostString());
    assertEquals(6881, l.get(0).getPort());
    assertFalse(l.get(1).isUnresolved());
    assertArrayEquals(new byte[] {127, 0, 0, 1}, l.get(1).getAddress().getAddress());
    assertFalse(l.get(2).isUnresolved());
    assertEquals(16, l.get(2).getAddress().getAddress().length);
    assertEquals(25401, l.get(2).getPort());
    assertTrue(l.get(3).isUnresolved());
  }

  @Test
  void portBounds() {
    assertEquals(1, HostPorts.parseOne("10.0.0.1:1").getPort());
    assertEquals(65535, HostPorts.parseOne("10.0.0.1:65535").getPort());
  }

  @Test
  void nameThatDoesNotExistIsStillAccepted() {
    // no DNS: the name is kept unresolved whatever it is
    InetSocketAddress a = HostPorts.parseOne("no-such-host.invalid:6881");
    assertTrue(a.isUnresolved());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "host",                    // no port
    "host:",                   // empty port
    ":6881",                   // no host
    "host:0",                  // port 0
    "host:65536",
    "host:-1",
    "host:68a1",
    "host:+6881",
    "::1:6881",                // IPv6 without brackets
    "[::1]",                   // no port
    "[::1]6881",
    "[not-v6]:6881",
    "[zz::1]:6881",
    "1.2.3.999:6881",          // numeric but not an IPv4 address
    "1.2.3:6881",
    "bad host:6881",
    "-bad.example:6881",
    "a..b:6881",
    "a,b",
    "127.0.0.1:6881,",         // empty entry
  })
  void rejectsWithOneLineMessage(String input) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPorts.parse(input));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void messagesAreSpecific() {
    assertEquals("missing port in 'host' (expected host:port)",
        assertThrows(IllegalArgumentException.class, () -> HostPorts.parseOne("host")).getMessage());
    assertEquals("port out of range in 'host:70000': 70000 (expected 1..65535)",
        assertThrows(IllegalArgumentException.class, () -> HostPorts.parseOne("host:70000")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HostPorts.parseOne("::1:6881"))
        .getMessage().startsWith("IPv6 addresses need brackets"));
  }

  @Test
  void bindAddresses() {
    InetSocketAddress a = HostPorts.parseBind("127.0.0.1");
    assertEquals(0, a.getPort());
    assertFalse(a.isUnresolved());
    assertEquals(6881, HostPorts.parseBind("0.0.0.0:6881").getPort());
    assertEquals(0, HostPorts.parseBind("[::1]").getPort());
    assertEquals(7000, HostPorts.parseBind("[::]:7000").getPort());
    InetSocketAddress any = HostPorts.parseBind(":6881");
    assertTrue(any.getAddress().isAnyLocalAddress());
    assertEquals(6881, any.getPort());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "localhost:6881", "::1", "1.2.3.4:99999", "[::1]x", "[::1", "1.2.3.4:"})
  void badBindAddresses(String input) {
    assertThrows(IllegalArgumentException.class, () -> HostPorts.parseBind(input));
  }
}
