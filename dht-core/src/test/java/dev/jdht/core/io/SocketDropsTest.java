package dev.jdht.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernel's per-socket drop counts, parsed from /proc/net/udp text and read for a real socket. */
class SocketDropsTest {
  private static final String UDP4 =
      "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
          + "  120: 0100007F:1A85 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4711 2 0000000000000000 37\n"
          + "  121: 00000000:1A86 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4712 2 0000000000000000 0\n";

  @Test
  void theLineOfTheBoundAddressAndPortGivesTheLastColumn() throws Exception {
    assertEquals(37, SocketDrops.drops(UDP4, InetAddress.getByName("127.0.0.1").getAddress(), 0x1A85));
    assertEquals(0, SocketDrops.drops(UDP4, InetAddress.getByName("0.0.0.0").getAddress(), 0x1A86));
    assertEquals(-1, SocketDrops.drops(UDP4, InetAddress.getByName("127.0.0.1").getAddress(), 0x1A86), "no such socket");
    assertEquals("0100007F", SocketDrops.hexAddress(new byte[] {127, 0, 0, 1}, true));
    assertEquals("7F000001", SocketDrops.hexAddress(new byte[] {127, 0, 0, 1}, false));
    byte[] v6 = InetAddress.getByName("::1").getAddress();
    assertEquals("00000000000000000000000001000000", SocketDrops.hexAddress(v6, true));
  }

  @Test
  void aSocketNobodyReadsCountsWhatItsFullBufferDropped() throws Exception {
    if (!Files.isReadable(Path.of("/proc/net/udp"))) {
      assertEquals(-1, SocketDrops.of(List.of(new InetSocketAddress("127.0.0.1", 1))), "unknown without /proc");
      return;
    }
    try (DatagramChannel sink = DatagramChannel.open();
        DatagramChannel source = DatagramChannel.open()) {
      sink.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
      sink.bind(new InetSocketAddress("127.0.61.1", 0));
      source.bind(new InetSocketAddress("127.0.61.2", 0));
      InetSocketAddress at = (InetSocketAddress) sink.getLocalAddress();
      assertEquals(0, SocketDrops.of(List.of(at)));
      for (int i = 0; i < 500; i++) {
        source.send(ByteBuffer.wrap(new byte[100]), at); // never read: the buffer fills, the rest is dropped
      }
      long drops = SocketDrops.of(List.of(at));
      assertTrue(drops > 400 && drops < 500, "drops " + drops);
    }
  }
}
