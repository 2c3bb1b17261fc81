package dev.jdht.core.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jdht.krpc.wire.PeerAddress;
import org.junit.jupiter.api.Test;

class ExternalIpVoterTest {
  private static final PeerAddress US = PeerAddress.parse("81.2.3.4:6881");
  private static final PeerAddress OTHER = PeerAddress.parse("82.9.9.9:6881");

  private static PeerAddress responder(int net, int host) {
    return PeerAddress.parse("60." + net + ".1." + host + ":6881");
  }

  @Test
  void settlesAfterFiveDistinctPrefixesAndReportsOnce() {
    ExternalIpVoter v = ExternalIpVoter.defaults();
    for (int i = 0; i < 4; i++) {
      assertNull(v.vote(responder(i, 1), US));
    }
    assertNull(v.settled());
    assertArrayEquals(US.ipBytes(), v.vote(responder(4, 1), US));
    assertNull(v.vote(responder(5, 1), US), "already settled: not reported again");
    assertArrayEquals(US.ipBytes(), v.settled());
  }

  @Test
  void oneSlash24VotesOnceHoweverManyNodesItHas() {
    ExternalIpVoter v = ExternalIpVoter.defaults();
    for (int host = 1; host < 50; host++) {
      assertNull(v.vote(responder(0, host), US));
    }
    assertEquals(1, v.voters());
    assertNull(v.settled());
  }

  @Test
  void localRespondersAndLocalAddressesAreIgnored() {
    ExternalIpVoter v = new ExternalIpVoter(1, 8);
    assertNull(v.vote(PeerAddress.parse("192.168.1.1:1"), US));
    assertNull(v.vote(PeerAddress.parse("127.0.0.1:1"), US));
    assertNull(v.vote(responder(1, 1), PeerAddress.parse("10.0.0.5:1")));
    assertNull(v.vote(responder(1, 1), PeerAddress.parse("[2001:db8::1]:1")), "family mismatch");
    assertEquals(0, v.voters());
  }

  @Test
  void aMinorityCannotSettleAndAChangedAddressTakesOverByMajority() {
    ExternalIpVoter v = ExternalIpVoter.defaults();
    for (int i = 0; i < 6; i++) {
      v.vote(responder(i, 1), US);
    }
    for (int i = 10; i < 15; i++) {
      assertNull(v.vote(responder(i, 1), OTHER), "5 of 11 votes is no majority");
    }
    byte[] moved = null;
    for (int i = 0; i < 2 && moved == null; i++) {
      moved = v.vote(responder(i, 1), OTHER); // prefixes that voted US change their vote
    }
    assertArrayEquals(OTHER.ipBytes(), moved);
  }

  @Test
  void theVoterSetIsBounded() {
    ExternalIpVoter v = new ExternalIpVoter(2, 4);
    for (int i = 0; i < 100; i++) {
      v.vote(responder(i % 250, 1), i % 2 == 0 ? US : OTHER);
    }
    assertEquals(4, v.voters());
    assertThrows(IllegalArgumentException.class, () -> new ExternalIpVoter(0, 4));
    assertThrows(IllegalArgumentException.class, () -> new ExternalIpVoter(5, 4));
  }
}
