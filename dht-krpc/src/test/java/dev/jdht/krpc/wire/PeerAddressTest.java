package dev.jdht.krpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PeerAddress}: compact form, text form (RFC 5952 for IPv6), parsing, equality. */
class PeerAddressTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "1.2.3.4:6881, 1.2.3.4:6881",
      "255.255.255.255:65535, 255.255.255.255:65535",
      "0.0.0.0:0, 0.0.0.0:0",
      "[::1]:6881, [::1]:6881",
      "[::]:1, [::]:1",
      "[1::]:1, [1::]:1",
      "[2001:DB8::1]:80, [2001:db8::1]:80",
      "[2001:0db8:0000:0000:0000:0000:0002:0001]:80, [2001:db8::2:1]:80",
      "[2001:db8:0:0:1:0:0:1]:80, [2001:db8::1:0:0:1]:80",
      "[2001:db8:0:1:1:1:1:1]:80, [2001:db8:0:1:1:1:1:1]:80",
      "[2001:0:0:1:0:0:0:1]:80, [2001:0:0:1::1]:80",
      "[fe80::1:2:3:4]:5, [fe80::1:2:3:4]:5",
      "[::ffff:1.2.3.4]:80, [::ffff:1.2.3.4]:80",
      "[::ffff:102:304]:80, [::ffff:1.2.3.4]:80",
  })
  void parseAndFormat(String in, String out) {
    PeerAddress p = PeerAddress.parse(in);
    assertEquals(out, p.toString());
    assertEquals(p, PeerAddress.parse(p.toString()));
  }

  @Test
  void ipv4MappedStaysIpv6() {
    byte[] compact = HexFormat.of().parseHex("00000000000000000000ffff010203040050");
    PeerAddress p = PeerAddress.fromCompact(compact, 0, 18);
    assertTrue(p.isIpv6());
    assertEquals("[::ffff:1.2.3.4]:80", p.toString());
    assertTrue(PeerAddress.parse(p.toString()).isIpv6());
    assertNotEquals(PeerAddress.parse("1.2.3.4:80"), p);
  }

  @Test
  void textFormRoundTripsForRandomAddresses() {
    Random rnd = new Random(42);
    for (int i = 0; i < 5000; i++) {
      byte[] ip = new byte[i % 2 == 0 ? 4 : 16];
      rnd.nextBytes(ip);
      if (ip.length == 16) {
        // runs of zero groups of every length and position
        int from = rnd.nextInt(8);
        int to = from + rnd.nextInt(9 - from);
        for (int g = from; g < to; g++) {
          ip[2 * g] = 0;
          ip[2 * g + 1] = 0;
        }
      }
      PeerAddress p = PeerAddress.of(ip, rnd.nextInt(65536));
      PeerAddress back = PeerAddress.parse(p.toString());
      assertEquals(p, back, p.toString());
      if (ip.length == 16) {
        // the JDK agrees on the address
        assertArrayEquals(ip, inet6Bytes(p.hostString()), p.toString());
        assertFalse(p.hostString().contains(":::"), p.toString());
      }
    }
  }

  private static byte[] inet6Bytes(String host) {
    try {
      byte[] a = InetAddress.getByName("[" + host + "]").getAddress();
      if (a.length == 4) {
        byte[] m = new byte[16];
        m[10] = (byte) 0xff;
        m[11] = (byte) 0xff;
        System.arraycopy(a, 0, m, 12, 4);
        return m;
      }
      return a;
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.2.3.4", "1.2.3.4:", ":80", "1.2.3.4:65536", "1.2.3.4:-1",
      "1.2.3.4:+80", "1.2.3.4:8O", "256.1.1.1:80", "1.2.3:80", "1.2.3.4.5:80", "1..3.4:80",
      "::1:80", "[::1]", "[zz::1]:80", "[1:2:3:4:5:6:7:8:9]:80", "example.com:80",
      "localhost:80", "\u0661.2.3.4:80", "1.2.3.4:\u0668\u0660", "0001.2.3.4:80", "[]:80"})
  void parseRejects(String s) {
    assertThrows(IllegalArgumentException.class, () -> PeerAddress.parse(s));
  }

  @Test
  void compactForm() {
    byte[] v4 = {1, 2, 3, 4, 0x1a, (byte) 0xe1};
    PeerAddress p = PeerAddress.fromCompact(v4, 0, 6);
    assertEquals("1.2.3.4:6881", p.toString());
    assertArrayEquals(v4, p.toCompact());
    assertEquals(6, p.compactLength());
    assertEquals(0x01020304, p.ipv4Int());
    byte[] v6 = new byte[20];
    v6[2] = 0x20;
    v6[3] = 0x01;
    v6[17] = 1;
    v6[18] = (byte) 0xff;
    v6[19] = (byte) 0xff;
    PeerAddress q = PeerAddress.fromCompact(v6, 2, 18);
    assertEquals("[2001::1]:65535", q.toString());
    assertEquals(18, q.compactLength());
    byte[] out = new byte[21];
    assertEquals(20, q.writeCompact(out, 2));
    assertArrayEquals(java.util.Arrays.copyOfRange(v6, 2, 20), java.util.Arrays.copyOfRange(out, 2, 20));
    assertThrows(IllegalArgumentException.class, () -> PeerAddress.fromCompact(v6, 0, 7));
    assertThrows(IllegalArgumentException.class, () -> PeerAddress.fromCompact(v6, 0, 26));
  }

  @Test
  void factoriesAndEquality() throws Exception {
    byte[] ip = {127, 0, 0, 1};
    PeerAddress p = PeerAddress.of(ip, 80);
    ip[3] = 2; // the address keeps its own copy
    assertEquals("127.0.0.1:80", p.toString());
    byte[] six = new byte[16];
    six[15] = 1;
    PeerAddress q = PeerAddress.of(six, 80);
    six[15] = 2;
    assertEquals("[::1]:80", q.toString());
    q.ipBytes()[15] = 9;
    assertEquals("[::1]:80", q.toString());
    assertThrows(IllegalArgumentException.class, () -> PeerAddress.of(new byte[5], 1));
    assertThrows(IllegalArgumentException.class, () -> PeerAddress.of(new byte[4], 65536));
    assertThrows(IllegalArgumentException.class, () -> PeerAddress.of(new byte[4], -1));
    assertThrows(IllegalArgumentException.class, () -> p.withPort(70000));
    assertEquals("127.0.0.1:81", p.withPort(81).toString());

    InetSocketAddress sa = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 6881);
    assertEquals(PeerAddress.parse("127.0.0.1:6881"), PeerAddress.of(sa));
    assertEquals(sa, PeerAddress.of(sa).toSocketAddress());
    assertThrows(IllegalArgumentException.class,
        () -> PeerAddress.of(InetSocketAddress.createUnresolved("example.invalid", 1)));
    assertTrue(PeerAddress.isV4(InetAddress.getByAddress(new byte[4])));
    assertTrue(PeerAddress.isV6(InetAddress.getByAddress(new byte[16])));

    Set<PeerAddress> set = new HashSet<>();
    set.add(PeerAddress.parse("1.2.3.4:1"));
    set.add(PeerAddress.parse("1.2.3.4:1"));
    set.add(PeerAddress.parse("1.2.3.4:2"));
    set.add(PeerAddress.parse("[::1]:1"));
    set.add(PeerAddress.fromCompact(PeerAddress.parse("[::1]:1").toCompact(), 0, 18));
    assertEquals(3, set.size());
  }
}
