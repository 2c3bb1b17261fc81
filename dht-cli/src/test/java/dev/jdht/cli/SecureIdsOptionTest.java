package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.krpc.wire.NodeId;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --secure-ids}: parsed on every node command; loopback networks are exempt from BEP 42. */
@Timeout(60)
class SecureIdsOptionTest {
  @Test
  void aBadPolicyIsAOneLineUsageError() {
    Cli.Result r = Cli.run("peers", "c9e15763f722f23e98a29decdfae341b98d53056", "--secure-ids", "strict");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals(1, r.err().strip().lines().count(), r::toString);
    assertTrue(r.err().contains("off, prefer or enforce"), r::toString);
  }

  @Test
  void enforceOnALoopbackNetworkStillFindsThePeers() throws Exception {
    NodeId ih = NodeId.random(new Random(44));
    Set<dev.jdht.krpc.wire.PeerAddress> peers = TestNet.announceThree(ih);
    Cli.Result r = Cli.run("peers", ih.toHex(), "--secure-ids", "ENFORCE", "--bootstrap", TestNet.bootstrap(),
        "--bind", "127.0.39.8:0");
    assertEquals(0, r.exitCode(), r::toString);
    assertEquals(Set.copyOf(TestNet.texts(peers)), Set.copyOf(r.out().lines().toList()));
  }

  @Test
  void theOptionReachesTheSettings() {
    NodeOptions o = new NodeOptions();
    o.secureIds = new NodeOptions.SecureIdsConverter().convert("off");
    assertEquals(SecureIdPolicy.OFF, NodeSettings.of(o, null, null, null).secureIds());
    assertEquals(null, NodeSettings.of(new NodeOptions(), null, null, null).secureIds());
  }
}
