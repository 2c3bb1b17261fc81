package dev.jdht.krpc.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jdht.krpc.DecodeChecks;

/**
 * Jazzer fuzz targets over {@link KrpcCodec#decode(byte[])} and {@link
 * dev.jdht.krpc.bencode.Bencode#decode(byte[])}.
 *
 * <p>In a plain {@code mvn test} these run in Jazzer's regression mode: each file under {@code
 * src/test/resources/dev/jdht/krpc/codec/KrpcFuzzTestInputs/<method>/} (and an empty input) is
 * one test case. With {@code JAZZER_FUZZ=1} they fuzz for real; see docs/fuzzing.md. The
 * properties are those of {@link DecodeChecks}: only {@link DecodeException} escapes, and
 * whatever decodes re-encodes to something that decodes to the same thing.
 */
class KrpcFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void krpcDecode(byte[] data) {
    DecodeChecks.checkKrpc(data);
  }

  @FuzzTest(maxDuration = "10m")
  void bencodeDecode(byte[] data) {
    DecodeChecks.checkBencode(data);
  }
}
