package dev.jdht.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.core.node.InfohashQuery;
import dev.jdht.core.node.SingleHopMethod;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Dht.direct() on loopback (127.0.37.x): single-hop queries and the incoming-query stream. */
class DirectQueriesTest {
  private static Dht start(String ip) throws Exception {
    return Dht.builder()
        .bind(new InetSocketAddress(InetAddress.getByName(ip), 0))
        .allowLocalAddresses(true)
        .bootstrap(List.of())
        .queryTimeout(Duration.ofMillis(500))
        .start();
  }

  @Test
  void singleHopQueriesGetTheirRepliesAndIncomingGetPeersReachTheListener() throws Exception {
    try (Dht a = start("127.0.37.1"); Dht b = start("127.0.37.2")) {
      PeerAddress toB = PeerAddress.of(b.localAddress());
      PeerAddress toA = PeerAddress.of(a.localAddress());
      NodeId ih = NodeId.random(new Random(1));

      HopReply sample = a.direct().query(SingleHopMethod.SAMPLE_INFOHASHES, toB, ih).get(5, TimeUnit.SECONDS);
      assertEquals(HopReply.Outcome.RESPONSE, sample.outcome());
      assertEquals(b.nodeId(), sample.response().id());
      assertNotNull(sample.response().samples(), "our server answers BEP 51");
      assertEquals(0L, sample.response().num());

      HopReply find = a.direct().query(SingleHopMethod.FIND_NODE, toB, ih).get(5, TimeUnit.SECONDS);
      assertEquals(HopReply.Outcome.RESPONSE, find.outcome());

      LinkedBlockingQueue<InfohashQuery> seen = new LinkedBlockingQueue<>();
      a.direct().onInfohashQuery(seen::add);
      Thread.sleep(100); // the listener is installed on the loop thread
      HopReply gp = b.direct().query(SingleHopMethod.GET_PEERS, toA, ih).get(5, TimeUnit.SECONDS);
      assertEquals(HopReply.Outcome.RESPONSE, gp.outcome());
      assertNotNull(gp.response().token());
      InfohashQuery q = seen.poll(5, TimeUnit.SECONDS);
      assertNotNull(q);
      assertEquals("get_peers", q.method());
      assertEquals(ih, q.infoHash());
      assertEquals(b.nodeId(), q.querierId());

      HopReply silent = a.direct().query(SingleHopMethod.SAMPLE_INFOHASHES,
          PeerAddress.parse("127.0.37.3:9"), ih).get(5, TimeUnit.SECONDS);
      assertEquals(HopReply.Outcome.TIMEOUT, silent.outcome());

      a.close();
      HopReply closed = a.direct().query(SingleHopMethod.FIND_NODE, toB, ih).get(5, TimeUnit.SECONDS);
      assertTrue(closed.outcome() == HopReply.Outcome.NOT_SENT, "after close: " + closed);
    }
  }
}
