package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.PutReport;
import dev.jdht.core.bep44.Item;
import dev.jdht.core.bep44.KeyPair;
import dev.jdht.krpc.wire.NodeInfo;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dht put}: stores a BEP 44 item, immutable (addressed by its SHA-1) or, with {@code
 * --key}, mutable (signed, addressed by public key and salt, seq one above the current one). One
 * instance per invocation; not thread-safe.
 */
@Command(
    name = "put",
    description = {
      "Stores a value in the DHT (BEP 44) and prints its target.",
      "Without --key the item is immutable: its target is the SHA-1 of the bencoded value. With --key "
          + "it is mutable: signed with the key file's Ed25519 key, found under the public key and --salt, "
          + "and it replaces the current value (its seq is the current one plus 1). VALUE is stored as a "
          + "bencoded string, or as given with --bencode; at most 1000 bytes bencoded. Exit status 1 when "
          + "no node stored it.",
    },
    footer = {
      "  dht put 'Hello World!'",
      "  dht keygen me.key && dht put --key me.key --salt status 'gone fishing'",
      "  dht put --bencode 'd4:name3:bob3:agei42ee' --json",
    })
public final class PutCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "VALUE", description = "The value (a string, or bencode with --bencode).")
  private String value;

  @Option(names = "--key", paramLabel = "FILE", description = "Key file (dht keygen) for a mutable item.")
  private Path keyFile;

  @Option(names = "--salt", paramLabel = "S", description = "Salt of a mutable item (at most 64 bytes, UTF-8).")
  private String salt;

  @Option(names = "--bencode", description = "VALUE is raw bencode (e.g. 'li1ei2ee'), not a string.")
  private boolean bencode;

  @Option(names = "--json", description = "Print one JSON document: the item, the nodes that stored it, the lookup.")
  private boolean json;

  @Mixin private LookupOptions lookup;

  @Mixin private NodeOptions node;

  @Mixin private NetworkOptions network;

  @Override
  public Integer call() {
    if (salt != null && keyFile == null) {
      throw new UsageError("--salt needs --key (only mutable items have a salt)");
    }
    byte[] v = ItemText.value(value, bencode);
    byte[] s = salt == null ? null : salt.getBytes(StandardCharsets.UTF_8);
    if (s != null && s.length > Item.MAX_SALT_BYTES) {
      throw new UsageError("--salt is " + s.length + " bytes; BEP 44 allows " + Item.MAX_SALT_BYTES);
    }
    KeyPair keys = keyFile == null ? null : KeyFile.read(keyFile);
    Item.checkValue(v);
    Logger log = LoggerFactory.getLogger(PutCommand.class);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean quiet = Commands.quiet(spec);
    long deadline = System.nanoTime() + lookup.timeout.toNanos();
    ObjectNode partial = Json.object();
    partial.put("mutable", keys != null);
    if (keys != null) {
      partial.put("public_key", keys.publicKeyHex());
    }
    try (ProgressLine progress = new ProgressLine(err, Terminal.progressOnStderr() && !quiet);
        NodeSession session = NodeSession.start(NodeSettings.of(node, network, lookup.alpha, null), lookup.timeout, log)) {
      progress.show(session::bootstrapStatus);
      session.awaitReady(deadline);
      progress.show(() -> "storing...");
      Dht dht = session.dht();
      CompletableFuture<PutReport> f = keys == null
          ? dht.items().putImmutable(v)
          : dht.items().putMutable(keys, s, current -> v);
      PutReport r = Commands.await(f, deadline, "put");
      progress.close();
      if (r == null) {
        throw new CommandFailed("the put did not finish within " + Durations.format(lookup.timeout), CommandFailed.TIMEOUT, null);
      }
      if (!r.succeeded()) {
        CommandFailed failed = new CommandFailed(r.targets().isEmpty()
            ? "no node gave a write token (the lookup found no node to store at)"
            : "none of the " + r.targets().size() + " nodes tried stored the item" + firstError(r.errors()),
            CommandFailed.NOT_FOUND, null);
        if (json) {
          throw failed.withJson(document(r));
        }
        throw failed;
      }
      if (json) {
        Json.print(out, document(r));
      } else {
        out.println(r.item().target().toHex());
        out.flush();
        if (!quiet) {
          err.println("stored by " + r.stored().size() + " of " + r.targets().size() + " nodes"
              + (r.item().isMutable() ? "; seq " + r.item().seq() + ", public key " + keys.publicKeyHex() : "")
              + (r.errors().isEmpty() ? "" : "; refused by " + r.errors().size() + firstError(r.errors()))
              + "; lookup: " + Reports.summary(r.get().lookup(), false));
          err.flush();
        }
      }
      return ExitCodes.OK;
    } catch (CommandFailed e) {
      throw json && e.json() == null ? e.withJson(partial) : e;
    }
  }

  private static String firstError(Map<NodeInfo, String> errors) {
    return errors.isEmpty() ? "" : " (" + errors.values().iterator().next() + ")";
  }

  private static ObjectNode document(PutReport r) {
    ObjectNode o = Json.object();
    ItemText.json(o, r.item());
    o.put("tried", r.targets().size());
    o.set("stored", Reports.nodes(r.stored()));
    ObjectNode errors = o.putObject("errors");
    r.errors().forEach((n, e) -> errors.put(n.address().toString(), e));
    o.put("timeouts", r.timeouts());
    o.put("done_ms", Durations.millis(r.timeToDone()));
    o.set("lookup", Reports.json(r.get().lookup(), false));
    return o;
  }
}
