package dev.jdht.krpc.wire;

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

class HostPortTest {

  @Test
  void parsesAMixedList() {
    List<InetSocketAddress> l = HostPort.parseList(
        "router.bittorrent.com:6881, 127.0.0.1:6881,[::1]:25401 ,dht.libtorrent.org:25401")
        .stream().map(HostPort::toSocketAddress).toList();
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
    assertEquals(1, HostPort.parse("10.0.0.1:1").toSocketAddress().getPort());
    assertEquals(65535, HostPort.parse("10.0.0.1:65535").toSocketAddress().getPort());
  }

  @Test
  void nameThatDoesNotExistIsStillAccepted() {
    // no DNS: the name is kept unresolved whatever it is
    InetSocketAddress a = HostPort.parse("no-such-host.invalid:6881").toSocketAddress();
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
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parseList(input));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void messagesAreSpecific() {
    assertEquals("missing port in 'host' (expected host:port)",
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host").toSocketAddress()).getMessage());
    assertEquals("port out of range in 'host:70000': 70000 (expected 1..65535)",
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:70000").toSocketAddress()).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> HostPort.parse("::1:6881").toSocketAddress())
        .getMessage().startsWith("IPv6 addresses need brackets"));
  }

  @Test
  void bindAddresses() {
    InetSocketAddress a = HostPort.parseBind("127.0.0.1").toSocketAddress();
    assertEquals(0, a.getPort());
    assertFalse(a.isUnresolved());
    assertEquals(6881, HostPort.parseBind("0.0.0.0:6881").toSocketAddress().getPort());
    assertEquals(0, HostPort.parseBind("[::1]").toSocketAddress().getPort());
    assertEquals(7000, HostPort.parseBind("[::]:7000").toSocketAddress().getPort());
    InetSocketAddress any = HostPort.parseBind(":6881").toSocketAddress();
    assertTrue(any.getAddress().isAnyLocalAddress());
    assertEquals(6881, any.getPort());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "localhost:6881", "::1", "1.2.3.4:99999", "[::1]x", "[::1", "1.2.3.4:"})
  void badBindAddresses(String input) {
    assertThrows(IllegalArgumentException.class, () -> HostPort.parseBind(input));
  }

  @Test
  void oneFormatterForEveryForm() {
    assertEquals("1.2.3.4:6881", HostPort.parse(" 1.2.3.4:6881 ").toString());
    assertEquals("[2001:db8::1]:6881", HostPort.parse("[2001:DB8:0::1]:6881").toString());
    assertEquals("router.example:6881", HostPort.parse("router.example:6881").toString());
    assertEquals("[::]:6881", HostPort.parseBind("[::]:6881").toString());
    assertEquals(":6881", HostPort.parseBind(":6881").toString());
    assertTrue(HostPort.parseBind(":6881").isAny());
    assertEquals("[::1]:5", HostPort.format(new InetSocketAddress("::1", 5)));
    assertEquals("n.example:5", HostPort.format(InetSocketAddress.createUnresolved("n.example", 5)));
    for (String s : List.of("1.2.3.4:1", "[::ffff:1.2.3.4]:2", "[fe80::1]:3", "a.b:4")) {
      assertEquals(s, HostPort.parse(HostPort.parse(s).toString()).toString());
    }
  }

  @Test
  void literalsCarryTheirFamily() {
    assertFalse(HostPort.parse("1.2.3.4:1").literal().isIpv6());
    assertTrue(HostPort.parse("[::ffff:1.2.3.4]:1").literal().isIpv6());
    assertTrue(HostPort.parseBind("[::]").literal().isIpv6());
    assertEquals(null, HostPort.parse("name:1").literal());
  }
}
