package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.Response;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class SampleDatagramTest {

  private static byte[] bundled() throws Exception {
    try (InputStream in = DecodeCommand.class.getResourceAsStream(DecodeCommand.SAMPLE_RESOURCE)) {
      assertNotNull(in, "the sample is on the classpath");
      return in.readAllBytes();
    }
  }

  @Test
  void bundledSampleIsTheGeneratedOne() throws Exception {
    assertArrayEquals(SampleDatagram.build(), bundled(),
        "rewrite it with SampleDatagram.main(\"src/main/resources/samples/get_peers_response.bin\")");
  }

  @Test
  void sampleIsARealisticGetPeersResponse() throws Exception {
    byte[] b = bundled();
    Response r = (Response) KrpcCodec.decode(b);
    assertEquals(8, r.nodes().size());
    assertEquals(5, r.values().size());
    assertNotNull(r.token());
    assertNotNull(r.externalIp());
    assertEquals(2, r.transactionId().length());
    assertTrue(b.length < 512, "fits a typical datagram: " + b.length);
    assertArrayEquals(b, KrpcCodec.encode(r), "canonical");
  }
}
