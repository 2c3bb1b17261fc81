package dev.jdht.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.time.ManualClock;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DosBlockerTest {
  private final ManualClock clock = new ManualClock();
  // 5 datagrams/s over 10 s (50 per window), blocked for 5 minutes, 3 sources tracked
  private final DosBlocker blocker =
      new DosBlocker(clock, 5, TimeUnit.SECONDS.toNanos(10), TimeUnit.MINUTES.toNanos(5), 3);
  private final PeerAddress a = PeerAddress.parse("1.2.3.4:6881");

  @Test
  void aSourceOverItsBudgetForAWindowIsIgnoredForTheBlockTime() {
    assertEquals(50, blocker.maxPerWindow());
    for (int i = 0; i < 50; i++) {
      assertTrue(blocker.allow(a), "datagram " + i);
      clock.advance(100, TimeUnit.MILLISECONDS); // 10/s: twice the budget
    }
    assertFalse(blocker.allow(a.withPort(7000)), "the 51st within the window, any port");
    assertEquals(1, blocker.blocks());
    clock.advance(4, TimeUnit.MINUTES);
    assertFalse(blocker.allow(a));
    assertTrue(blocker.isBlocked(a));
    clock.advance(61, TimeUnit.SECONDS);
    assertFalse(blocker.isBlocked(a));
    assertTrue(blocker.allow(a), "block over: a fresh window");
    assertEquals(2, blocker.dropped());
    assertEquals(1, blocker.blocks());
  }

  @Test
  void aSourceWithinItsBudgetIsNeverBlocked() {
    for (int i = 0; i < 10_000; i++) {
      assertTrue(blocker.allow(a));
      clock.advance(201, TimeUnit.MILLISECONDS); // just under 5/s
    }
    assertEquals(0, blocker.blocks());
  }

  @Test
  void ipv6SourcesAreCountedByTheirSlash64() {
    for (int i = 0; i < 50; i++) {
      assertTrue(blocker.allow(PeerAddress.parse("[2001:db8:1:2::" + Integer.toHexString(i + 1) + "]:6881")));
    }
    assertFalse(blocker.allow(PeerAddress.parse("[2001:db8:1:2:ffff::1]:1")));
    assertTrue(blocker.allow(PeerAddress.parse("[2001:db8:1:3::1]:1")), "another /64");
  }

  @Test
  void trackedSourcesAndBlocksAreBounded() {
    for (int s = 0; s < 100; s++) {
      PeerAddress src = PeerAddress.parse("10.0." + s + ".1:1");
      for (int i = 0; i <= 50; i++) {
        blocker.allow(src);
      }
    }
    assertEquals(100, blocker.blocks());
    assertTrue(blocker.tracked() <= 3, "counted " + blocker.tracked());
    assertEquals(3, blocker.blockListSize());
    assertTrue(blocker.isBlocked(PeerAddress.parse("10.0.99.1:1")), "the newest blocks are kept");
  }

  @Test
  void passedWindowsAndEndedBlocksAreForgottenWithoutChangingDecisions() {
    // the 24-hour soak (dht-bench SoakBench) saw the counting table full of sources last seen
    // hours ago: a passed window carries no information, so it is dropped
    DosBlocker big = new DosBlocker(clock, 5, TimeUnit.SECONDS.toNanos(10), TimeUnit.MINUTES.toNanos(5), 1_000);
    PeerAddress flooder = PeerAddress.parse("9.9.9.9:1");
    for (int i = 0; i <= 50; i++) {
      big.allow(flooder);
    }
    assertTrue(big.isBlocked(flooder));
    for (int s = 0; s < 500; s++) {
      assertTrue(big.allow(source(s)));
    }
    assertEquals(500, big.tracked());
    assertEquals(1, big.blockListSize());
    clock.advance(11, TimeUnit.SECONDS); // every window has passed; the block has not
    for (int s = 1_000; s < 1_250; s++) {
      assertTrue(big.allow(source(s)));
    }
    assertEquals(250, big.tracked(), "the 500 passed windows are forgotten, the 250 new ones kept");
    assertFalse(big.allow(flooder), "the block still holds");
    assertEquals(50, big.maxPerWindow());
    clock.advance(5, TimeUnit.MINUTES);
    assertTrue(big.allow(source(0)));
    assertEquals(0, big.blockListSize(), "the ended block is forgotten");
    assertTrue(big.allow(flooder), "and the flooder starts afresh");
  }

  private static PeerAddress source(int s) {
    return PeerAddress.of(new byte[] {7, 0, (byte) (s >>> 8), (byte) s}, 1);
  }
}
