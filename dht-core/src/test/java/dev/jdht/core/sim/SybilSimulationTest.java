package dev.jdht.core.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.core.lookup.LookupResult;
import dev.jdht.core.node.AnnounceResult;
import dev.jdht.core.node.NodeConfig;
import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.core.secure.SecureIds;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import dev.jdht.krpc.wire.PeerAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * BEP 42 against a sybil attack: 30% of a 1,000-node network are sybils on 5 IPs (many ports
 * each) with ids chosen next to a target infohash; they acknowledge announces but keep nothing
 * (a black hole). Honest nodes live at public-looking addresses, one per /24, with BEP 42 ids.
 * Honest nodes announce the target and others look it up, under each policy. docs/security.md
 * holds the numbers this test prints.
 */
class SybilSimulationTest {
  private static final int HONEST = 700;
  private static final int SYBILS = 300;
  private static final int ANNOUNCERS = 5;
  private static final int GETTERS = 5;

  /** What one run under one policy measured. */
  record Outcome(double peersFoundShare, double sybilShareOfClosest, double honestAcksPerAnnounce,
      double sybilAcksPerAnnounce) {}

  static Outcome run(SecureIdPolicy policy, long seed) {
    SimulatedNetwork net = new SimulatedNetwork(SimConfig.builder(seed).build());
    Random rnd = new Random(seed);
    NodeId target = NodeId.random(rnd);
    NodeConfig honestConfig = SimConfig.defaultNodeConfig().toBuilder().secureIds(policy).build();
    NodeConfig sybilConfig = SimConfig.defaultNodeConfig().toBuilder().secureIds(SecureIdPolicy.OFF).peerTtlNanos(1).build();
    List<SimNode> honest = new ArrayList<>();
    List<SimNode> all = new ArrayList<>();
    Set<PeerAddress> sybilAddresses = new HashSet<>();
    for (int i = 0; i < HONEST + SYBILS; i++) {
      if (i % 10 < 3) { // sybil: one of 5 IPs, its own port, an id sharing 20 bits with the target
        byte[] ip = {66, 6, (byte) (i % 5), 1};
        PeerAddress a = PeerAddress.of(ip, 20_000 + i);
        SimNode s = net.addNodeAt(target.withRandomSuffix(20, rnd), sybilConfig, a);
        sybilAddresses.add(a);
        all.add(s);
      } else { // honest: its own /24, a BEP 42 id
        byte[] ip = {20, (byte) (i >>> 8), (byte) i, 7};
        SimNode h = net.addNodeAt(SecureIds.generate(ip, rnd), honestConfig, PeerAddress.of(ip, 6881));
        honest.add(h);
        all.add(h);
      }
    }
    net.preseed(all);
    double honestAcks = 0;
    double sybilAcks = 0;
    Set<PeerAddress> announced = new HashSet<>();
    for (int i = 0; i < ANNOUNCERS; i++) {
      SimNode a = honest.get(i * 37);
      AnnounceResult r = net.announce(a, target, 7000 + i, false);
      announced.add(PeerAddress.of(a.address().ipBytes(), 7000 + i));
      for (NodeInfo n : r.acked()) {
        if (sybilAddresses.contains(n.address())) {
          sybilAcks++;
        } else {
          honestAcks++;
        }
      }
    }
    double found = 0;
    double sybilSlots = 0;
    double slots = 0;
    for (int i = 0; i < GETTERS; i++) {
      LookupResult r = net.getPeers(honest.get(500 + i * 29), target);
      for (PeerAddress p : r.peers()) {
        if (announced.contains(p)) {
          found++;
        }
      }
      for (ClosestNode c : r.closest()) {
        slots++;
        if (sybilAddresses.contains(c.node().address())) {
          sybilSlots++;
        }
      }
    }
    Outcome o = new Outcome(found / (GETTERS * ANNOUNCERS), slots == 0 ? 0 : sybilSlots / slots,
        honestAcks / ANNOUNCERS, sybilAcks / ANNOUNCERS);
    System.out.printf("seed %3d policy %-7s peers found %5.1f%%, sybils in closest %5.1f%%, acks per announce: %.1f honest, %.1f sybil%n",
        seed, policy.label(), 100 * o.peersFoundShare(), 100 * o.sybilShareOfClosest(), o.honestAcksPerAnnounce(),
        o.sybilAcksPerAnnounce());
    return o;
  }

  private static final long[] SEEDS = {42, 7, 99};

  private static List<Outcome> runs(SecureIdPolicy policy) {
    List<Outcome> out = new ArrayList<>();
    for (long seed : SEEDS) {
      out.add(run(policy, seed));
    }
    return out;
  }

  @Test
  void withoutBep42TheSybilsTakeTheClosestSlotsAndSwallowTheAnnounces() {
    for (Outcome off : runs(SecureIdPolicy.OFF)) {
      assertTrue(off.sybilShareOfClosest() >= 0.75, "sybils hold the closest slots: " + off);
      assertTrue(off.sybilAcksPerAnnounce() >= 6, "announces go to sybils: " + off);
      assertTrue(off.peersFoundShare() <= 0.2, "the honest peers are mostly lost: " + off);
    }
  }

  @Test
  void preferLimitsSybilsToTwoSlotsAndTheHonestPeersAreFound() {
    for (Outcome prefer : runs(SecureIdPolicy.PREFER)) {
      assertTrue(prefer.sybilShareOfClosest() <= 2.0 / 8, "at most 2 mismatching of 8: " + prefer);
      assertTrue(prefer.honestAcksPerAnnounce() >= 5, "announces reach honest nodes: " + prefer);
      assertEquals(1.0, prefer.peersFoundShare(), "every getter finds every honest peer: " + prefer);
    }
  }

  @Test
  void enforceKeepsSybilsOutAndTheHonestPeersAreFound() {
    for (Outcome enforce : runs(SecureIdPolicy.ENFORCE)) {
      assertEquals(0.0, enforce.sybilShareOfClosest(), enforce::toString);
      assertEquals(0.0, enforce.sybilAcksPerAnnounce(), enforce::toString);
      assertTrue(enforce.honestAcksPerAnnounce() >= 6, enforce::toString);
      assertEquals(1.0, enforce.peersFoundShare(), enforce::toString);
    }
  }
}
