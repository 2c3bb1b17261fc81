package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.krpc.wire.NodeId;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code dht scrape} end to end on the loopback test network. */
@Timeout(60)
class ScrapeCommandTest {
  private static final Random RANDOM = new Random(33);

  @Test
  void threeAnnouncedPeersAreEstimatedAndJsonIsOneDocument() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    TestNet.announceThree(ih); // three distinct IPs, not seeds
    Cli.Result r = Cli.run("scrape", ih.toHex(), "--json", "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.7:0");
    assertEquals(0, r.exitCode(), r::toString);
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(ih.toHex(), j.get("infohash").asText());
    assertEquals(3, j.get("peers").asInt(), r::toString);
    assertEquals(0, j.get("seeds").asInt());
    assertTrue(j.get("filters").asInt() >= 3, r::toString);
    assertEquals(512, j.get("peers_filter").asText().length());
    assertTrue(j.get("lookup").get("queries").asInt() > 0);

    Cli.Result text = Cli.run("scrape", "magnet:?xt=urn:btih:" + ih.toHex(), "--bootstrap", TestNet.bootstrap(),
        "--bind", "127.0.39.7:0");
    assertEquals(0, text.exitCode(), text::toString);
    assertEquals("seeds 0\npeers 3\n", text.out());
  }

  @Test
  void aPeerAnnouncedWithSeedCountsAsASeed() throws Exception {
    NodeId ih = NodeId.random(RANDOM);
    Cli.Result seed = Cli.run("announce", ih.toHex(), "--port", "51413", "--seed", "--json", "--bootstrap",
        TestNet.bootstrap(), "--bind", "127.0.39.9:0");
    assertEquals(0, seed.exitCode(), seed::toString);
    assertTrue(Json.mapper().readTree(seed.out()).get("seed").asBoolean());
    Cli.Result leech = Cli.run("announce", ih.toHex(), "--port", "51413", "--bootstrap", TestNet.bootstrap(),
        "--bind", "127.0.39.10:0");
    assertEquals(0, leech.exitCode(), leech::toString);
    Cli.Result r = Cli.run("scrape", ih.toHex(), "--bootstrap", TestNet.bootstrap(), "--bind", "127.0.39.7:0");
    assertEquals("seeds 1\npeers 1\n", r.out(), r::toString);
  }

  @Test
  void badInfohashIsAUsageError() {
    Cli.Result r = Cli.run("scrape", "nothex");
    assertEquals(2, r.exitCode(), r::toString);
    assertEquals(1, r.err().strip().lines().count(), r::toString);
  }
}
