package dev.jdht.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jdht.krpc.bencode.BValue;
import dev.jdht.krpc.bencode.BValue.BDict;
import dev.jdht.krpc.bencode.Bencode;
import dev.jdht.krpc.codec.DecodeException;
import dev.jdht.krpc.codec.KrpcCodec;
import dev.jdht.krpc.message.KrpcMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht decode}: one KRPC datagram (or, with {@code --raw}, any bencode) as JSON on stdout.
 * Malformed input exits 2 with one line giving the reason and byte offset. One instance per
 * invocation; not thread-safe.
 */
@Command(
    name = "decode",
    description = {
      "Decodes one KRPC datagram (BEP 5) and prints it as JSON.",
      "Input: exactly one of FILE, - (standard input), --hex or --sample.",
      "",
      "How values print:",
      "  t, v (client version), id, target, info_hash, token, k, sig, BFsd, BFpe:  lowercase hex",
      "  y, q, the message in e, want:  text",
      "  nodes, nodes6:     [{\"id\": \"<hex>\", \"ip\": \"1.2.3.4\", \"port\": 6881}, ...]",
      "  values:            [\"1.2.3.4:6881\", \"[2001:db8::1]:6881\", ...]",
      "  ip (BEP 42):       \"ip:port\"",
      "  samples (BEP 51):  a list of hex infohashes",
      "  r.v (BEP 44):      the stored value, decoded as bencode",
      "  integers:          numbers",
      "  other byte strings (and dictionary keys): text when valid UTF-8 with no control",
      "  characters (tab, CR and LF allowed), otherwise lowercase hex.",
      "Keys a message type does not define are printed too, after the KRPC keys.",
    },
    footer = {
      "  dht decode --sample",
      "  dht decode captured.bin",
      "  xxd -r -p packet.hex | dht decode -",
      "  dht decode --hex '64313a6164323a696432303a6162636465666768696a30313233343536373839",
      "                    65313a71343a70696e67313a74323a6161313a79313a7165'",
      "  dht decode --raw ubuntu.torrent",
    })
public final class DecodeCommand implements Callable<Integer> {
  /** The bundled sample datagram, a get_peers response with nodes and values. */
  public static final String SAMPLE_RESOURCE = "/samples/get_peers_response.bin";
  /** Largest input read with {@code --raw} (any bencode, e.g. a .torrent file). */
  static final int MAX_RAW_INPUT = 16 * 1024 * 1024;

  @Spec private CommandSpec spec;

  @ParentCommand private Main parent;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE|-",
      description = "A file holding one datagram, or - for standard input.")
  private String file;

  @Option(names = "--hex", paramLabel = "HEX", description = "The datagram as hex digits (whitespace ignored).")
  private String hex;

  @Option(names = "--sample", description = "Decode the bundled sample: a get_peers response with nodes and values.")
  private boolean sample;

  @Option(names = "--raw", description = "Print the generic bencode tree, without KRPC validation (any bencode).")
  private boolean raw;

  /** Reads the input, decodes it and prints JSON; exit 0, or 2 on bad or malformed input. */
  @Override
  public Integer call() {
    byte[] data = readInput();
    JsonNode json;
    if (raw) {
      try {
        json = KrpcJson.generic(Bencode.decode(data, 0, data.length, 64));
      } catch (DecodeException e) {
        throw new UsageError("malformed bencode: " + e.getMessage());
      }
    } else {
      KrpcMessage m;
      BValue tree;
      try {
        m = KrpcCodec.decode(data);
        tree = Bencode.decode(data);
      } catch (DecodeException e) {
        throw new UsageError("malformed KRPC message: " + e.getMessage());
      }
      json = KrpcJson.message(m, tree instanceof BDict d ? d : null);
    }
    Json.print(spec.commandLine().getOut(), json);
    return ExitCodes.OK;
  }

  private byte[] readInput() {
    int given = (file != null ? 1 : 0) + (hex != null ? 1 : 0) + (sample ? 1 : 0);
    if (given == 0) {
      throw new ParameterException(spec.commandLine(),
          "no input: give a FILE, - for standard input, --hex HEX or --sample");
    }
    if (given > 1) {
      throw new ParameterException(spec.commandLine(),
          "give only one input: FILE, -, --hex or --sample");
    }
    int limit = raw ? MAX_RAW_INPUT : KrpcCodec.MAX_MESSAGE_SIZE;
    if (hex != null) {
      return parseHex(hex);
    }
    if (sample) {
      try (InputStream in = DecodeCommand.class.getResourceAsStream(SAMPLE_RESOURCE)) {
        if (in == null) {
          throw new CommandFailed("the sample " + SAMPLE_RESOURCE + " is missing from the jar");
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new CommandFailed("cannot read the bundled sample: " + e.getMessage(), e);
      }
    }
    if (file.equals("-")) {
      InputStream in = parent != null ? parent.stdin() : System.in;
      try {
        return readAtMost(in, limit, "standard input");
      } catch (IOException e) {
        throw new UsageError("cannot read standard input: " + e.getMessage(), e);
      }
    }
    Path p;
    try {
      p = Paths.get(file);
    } catch (RuntimeException e) {
      throw new UsageError("not a file name: " + file, e);
    }
    if (Files.isDirectory(p)) {
      throw new UsageError("cannot read " + file + ": is a directory");
    }
    try (InputStream in = Files.newInputStream(p)) {
      return readAtMost(in, limit, file);
    } catch (NoSuchFileException e) {
      throw new UsageError("cannot read " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new UsageError("cannot read " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new UsageError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads everything, refusing more than {@code limit} bytes without reading all of it. */
  private byte[] readAtMost(InputStream in, int limit, String what) throws IOException {
    byte[] b = in.readNBytes(limit + 1);
    if (b.length > limit) {
      throw new UsageError(what + " holds more than " + limit + " bytes"
          + (raw ? "" : ", more than one datagram can carry"));
    }
    return b;
  }

  private byte[] parseHex(String s) {
    StringBuilder digits = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        continue;
      }
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        throw new ParameterException(spec.commandLine(),
            "Invalid value for option '--hex': '" + c + "' at position " + i + " is not a hex digit");
      }
      digits.append(c);
    }
    if (digits.length() % 2 != 0) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '--hex': odd number of hex digits (" + digits.length() + ")");
    }
    return HexFormat.of().parseHex(digits);
  }
}
