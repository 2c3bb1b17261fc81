package dev.jdht.core.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.core.secure.SecureIds;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClosestAdmissionTest {
  private final Random rnd = new Random(4);

  private NodeInfo matching(String ip) {
    PeerAddress a = PeerAddress.parse(ip + ":6881");
    return new NodeInfo(SecureIds.generate(a.ipBytes(), rnd), a);
  }

  private NodeInfo mismatching(String ip) {
    PeerAddress a = PeerAddress.parse(ip + ":6881");
    NodeId id;
    do {
      id = NodeId.random(rnd);
    } while (SecureIds.matches(id, a));
    return new NodeInfo(id, a);
  }

  private static int admitted(ClosestAdmission rule, List<NodeInfo> nodes) {
    ClosestAdmission.Round r = rule.round();
    int n = 0;
    for (NodeInfo x : nodes) {
      if (r.admit(rule.facts(x))) {
        n++;
      }
    }
    return n;
  }

  @Test
  void atMostTwoPerSlash24AndSlash64() {
    List<NodeInfo> sameNet = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      sameNet.add(matching("50.1.2." + i));
    }
    assertEquals(2, admitted(ClosestAdmission.of(SecureIdPolicy.PREFER), sameNet));
    List<NodeInfo> v6 = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      v6.add(matching("[2001:db8:5:6::" + i + "]"));
    }
    assertEquals(2, admitted(ClosestAdmission.of(SecureIdPolicy.ENFORCE), v6));
    assertEquals(6, admitted(ClosestAdmission.ALL, sameNet), "off: no limit");
  }

  @Test
  void preferAdmitsTwoMismatchingEnforceNone() {
    List<NodeInfo> bad = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      bad.add(mismatching("50." + i + ".0.1"));
    }
    bad.add(matching("51.0.0.1"));
    assertEquals(3, admitted(ClosestAdmission.of(SecureIdPolicy.PREFER), bad));
    assertEquals(1, admitted(ClosestAdmission.of(SecureIdPolicy.ENFORCE), bad));
  }

  @Test
  void localAddressesAreExemptFromBothLimits() {
    List<NodeInfo> loop = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      loop.add(new NodeInfo(NodeId.random(rnd), PeerAddress.parse("127.0.40." + i + ":6881")));
    }
    assertEquals(10, admitted(ClosestAdmission.of(SecureIdPolicy.ENFORCE), loop));
    assertTrue(ClosestAdmission.of(SecureIdPolicy.OFF).admitsAll());
  }
}
