package dev.jdht.krpc.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ScrapeBloomTest {
  /** BEP 33's test vector: 192.0.2.0..255 and 2001:db8::0..3e7 inserted into one filter. */
  private static final String BEP33_VECTOR =
      "F6C3F5EAA07FFD91BDE89F777F26FB2BFF37BDB8FB2BBAA2FD3DDDE7BACFFF75"
          + "EE7CCBAEFE5EEDB1FBFAFF67F6ABFF5E43DDBCA3FD9B9FFDF4FFD3E9DFF12D1B"
          + "DF59DB53DBE9FA5B7FF3B8FDFCDE1AFB8BEDD7BE2F3EE71EBBBFE93BCDEEFE14"
          + "8246C2BC5DBFF7E7EFDCF24FD8DC7ADFFD8FFFDFDDFFF7A4BBEEDF5CB95CE81F"
          + "C7FCFF1FF4FFFFDFE5F7FDCBB7FD79B3FA1FC77BFE07FFF905B7B7FFC7FEFEFF"
          + "E0B8370BB0CD3F5B7F2BD93FEB4386CFDD6F7FD5BFAF2E9EBFFFFEECD67ADBF7"
          + "C67F17EFD5D75EBA6FFEBA7FFF47A91EB1BFBB53E8ABFB5762ABE8FF237279BF"
          + "EFBFEEF5FFC5FEBFDFE5ADFFADFEE1FB737FFFFBFD9F6AEFFEEE76B6FD8F72EF";

  private static byte[] v4(int i) {
    return new byte[] {(byte) 192, 0, 2, (byte) i};
  }

  private static byte[] v6(int i) {
    byte[] ip = new byte[16];
    ip[0] = 0x20;
    ip[1] = 0x01;
    ip[2] = 0x0d;
    ip[3] = (byte) 0xb8;
    ip[14] = (byte) (i >>> 8);
    ip[15] = (byte) i;
    return ip;
  }

  @Test
  void bep33TestVectorAndEstimate() {
    ScrapeBloom b = ScrapeBloom.empty();
    for (int i = 0; i <= 255; i++) {
      b.insert(v4(i));
    }
    for (int i = 0; i <= 0x3e7; i++) {
      b.insert(v6(i));
    }
    assertArrayEquals(HexFormat.of().parseHex(BEP33_VECTOR.toLowerCase()), b.toBytes());
    assertEquals(1224.93, b.estimate(), 0.01);
  }

  @Test
  void unionOfTwoHalvesIsTheWhole() {
    ScrapeBloom a = ScrapeBloom.empty();
    ScrapeBloom c = ScrapeBloom.empty();
    for (int i = 0; i <= 255; i++) {
      a.insert(v4(i));
    }
    for (int i = 0; i <= 0x3e7; i++) {
      c.insert(v6(i));
    }
    a.or(c);
    assertArrayEquals(HexFormat.of().parseHex(BEP33_VECTOR.toLowerCase()), a.toBytes());
  }

  @Test
  void emptyFilterEstimatesZeroAndSmallCountsAreClose() {
    ScrapeBloom b = ScrapeBloom.empty();
    assertTrue(b.isEmpty());
    assertEquals(0.0, b.estimate(), 1e-9);
    for (int i = 0; i < 20; i++) {
      b.insert(v4(i));
    }
    assertEquals(20, b.estimate(), 1.5);
    assertTrue(b.mightContain(v4(3)));
    assertFalse(b.isEmpty());
  }

  @Test
  void portIsNotPartOfTheFilter() {
    ScrapeBloom a = ScrapeBloom.empty();
    ScrapeBloom c = ScrapeBloom.empty();
    a.insert(PeerAddress.of(v4(7), 1000));
    c.insert(PeerAddress.of(v4(7), 2000));
    assertArrayEquals(a.toBytes(), c.toBytes());
  }

  @Test
  void wrongSizeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ScrapeBloom.of(new byte[255]));
    assertThrows(IllegalArgumentException.class, () -> ScrapeBloom.of(new byte[257]));
    assertThrows(IllegalArgumentException.class, () -> ScrapeBloom.of(null));
  }

  @Test
  void fullFilterEstimateIsBounded() {
    byte[] all = new byte[ScrapeBloom.BYTES];
    java.util.Arrays.fill(all, (byte) 0xff);
    double e = ScrapeBloom.of(all).estimate();
    assertTrue(e > 6000 && e < 9000, "saturated estimate " + e);
  }
}
