package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.bep44.KeyPair;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dht keygen}: writes a new Ed25519 key file for mutable items and prints its public key. */
@Command(
    name = "keygen",
    description = {
      "Writes a new Ed25519 key for mutable BEP 44 items (dht put --key) and prints its public key.",
      "The file holds the 32-byte secret seed in hex and is readable by its owner only. dht put --key "
          + "also reads libtorrent's 64-byte secret keys (128 hex digits).",
    },
    footer = {"  dht keygen me.key", "  dht keygen me.key --force --json"})
public final class KeygenCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The key file to write.")
  private Path file;

  @Option(names = "--force", description = "Replace FILE if it exists.")
  private boolean force;

  @Option(names = "--json", description = "Print {\"public_key\", \"file\"}.")
  private boolean json;

  @Override
  public Integer call() {
    KeyPair keys = KeyPair.generate(new SecureRandom());
    KeyFile.write(file, keys, force);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode o = Json.object();
      o.put("public_key", keys.publicKeyHex());
      o.put("file", file.toString());
      Json.print(out, o);
    } else {
      out.println(keys.publicKeyHex());
      out.flush();
    }
    return ExitCodes.OK;
  }
}
