package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.ItemReport;
import dev.jdht.core.bep44.Item;
import dev.jdht.krpc.wire.NodeId;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code dht get}: fetches a BEP 44 item, immutable by target or mutable by public key and salt
 * (the highest seq any node gave with a valid signature). One instance per invocation; not
 * thread-safe.
 */
@Command(
    name = "get",
    description = {
      "Fetches a value stored in the DHT (BEP 44) and prints it.",
      "Give the TARGET of an immutable item (what dht put printed), or --pubkey (and --salt) for a "
          + "mutable one: the value with the highest seq and a valid signature is printed. A string value "
          + "prints as text (hex if not printable); any other value, or every value with --bencode, as its "
          + "bencoding. Exit status 1 when nothing was found.",
    },
    footer = {
      "  dht get e5f96f6f38320f0f33959cb4d3d656452117aadb",
      "  dht get --pubkey 77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548 --salt foobar",
      "  dht get e5f96f6f38320f0f33959cb4d3d656452117aadb --json | jq -r .value",
    })
public final class GetCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TARGET",
      converter = Converters.Id.class,
      description = "Target of an immutable item: 40 hex digits.")
  private NodeId target;

  @Option(names = "--pubkey", paramLabel = "HEX", converter = PublicKey.class,
      description = "Public key of a mutable item: 64 hex digits.")
  private Key pubkey;

  /** A parsed --pubkey (picocli would read a byte[] field as a multi-value option). */
  record Key(byte[] bytes) {}

  @Option(names = "--salt", paramLabel = "S", description = "Salt of a mutable item (UTF-8).")
  private String salt;

  @Option(names = "--bencode", description = "Print the value's raw bencoding, even for a string.")
  private boolean bencode;

  @Option(names = "--json", description = "Print one JSON document: the item (null if none), the lookup.")
  private boolean json;

  @Mixin private LookupOptions lookup;

  @Mixin private NodeOptions node;

  @Mixin private NetworkOptions network;

  /** 32 bytes as 64 hex digits. */
  public static final class PublicKey implements ITypeConverter<Key> {
    @Override
    public Key convert(String value) {
      String t = value.strip();
      if (t.length() != 64 || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new TypeConversionException("'" + (t.length() > 80 ? t.substring(0, 77) + "..." : t)
            + "' is not a public key (expected 64 hex digits)");
      }
      return new Key(HexFormat.of().parseHex(t));
    }
  }

  @Override
  public Integer call() {
    byte[] publicKey = pubkey == null ? null : pubkey.bytes();
    if ((target == null) == (publicKey == null)) {
      throw new UsageError("give either TARGET (an immutable item) or --pubkey (a mutable one)");
    }
    if (salt != null && publicKey == null) {
      throw new UsageError("--salt needs --pubkey (only mutable items have a salt)");
    }
    byte[] s = salt == null ? null : salt.getBytes(StandardCharsets.UTF_8);
    if (s != null && s.length > Item.MAX_SALT_BYTES) {
      throw new UsageError("--salt is " + s.length + " bytes; BEP 44 allows " + Item.MAX_SALT_BYTES);
    }
    NodeId wanted = target != null ? target : Item.mutableTarget(publicKey, s);
    Logger log = LoggerFactory.getLogger(GetCommand.class);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean quiet = Commands.quiet(spec);
    long deadline = System.nanoTime() + lookup.timeout.toNanos();
    ObjectNode partial = Json.object();
    partial.put("target", wanted.toHex());
    partial.putNull("item");
    try (ProgressLine progress = new ProgressLine(err, Terminal.progressOnStderr() && !quiet);
        NodeSession session = NodeSession.start(NodeSettings.of(node, network, lookup.alpha, null), lookup.timeout, log)) {
      progress.show(session::bootstrapStatus);
      session.awaitReady(deadline);
      progress.show(() -> "looking up...");
      Dht dht = session.dht();
      CompletableFuture<ItemReport> f = target != null
          ? dht.items().getImmutable(target)
          : dht.items().getMutable(publicKey, s);
      ItemReport r = Commands.await(f, deadline, "get");
      progress.close();
      if (r == null) {
        throw new CommandFailed("the get did not finish within " + Durations.format(lookup.timeout), CommandFailed.TIMEOUT, null);
      }
      if (!r.found()) {
        CommandFailed nf = new CommandFailed("no item found under " + wanted.toHex()
            + (r.invalidResponses() > 0 ? " (" + Reports.count(r.invalidResponses(), "invalid item", "invalid items")
                + " ignored)" : ""), CommandFailed.NOT_FOUND, null);
        throw json ? nf.withJson(document(wanted, r)) : nf;
      }
      if (json) {
        Json.print(out, document(wanted, r));
      } else {
        out.println(ItemText.display(r.item().value(), bencode));
        out.flush();
        if (!quiet) {
          err.println((r.item().isMutable() ? "seq " + r.item().seq() + ", " : "")
              + "from " + Reports.count(r.validResponses(), "node", "nodes")
              + (r.invalidResponses() > 0 ? ", " + r.invalidResponses() + " invalid ignored" : "")
              + "; lookup: " + Reports.summary(r.lookup(), false));
          err.flush();
        }
      }
      return ExitCodes.OK;
    } catch (CommandFailed e) {
      throw json && e.json() == null ? e.withJson(partial) : e;
    }
  }

  private static ObjectNode document(NodeId target, ItemReport r) {
    ObjectNode o = Json.object();
    o.put("target", target.toHex());
    if (r.item() == null) {
      o.putNull("item");
    } else {
      ItemText.json(o.putObject("item"), r.item());
    }
    o.put("valid_responses", r.validResponses());
    o.put("invalid_responses", r.invalidResponses());
    Double first = Durations.millis(r.timeToFirstItem());
    if (first == null) {
      o.putNull("first_item_ms");
    } else {
      o.put("first_item_ms", first);
    }
    o.set("lookup", Reports.json(r.lookup(), false));
    return o;
  }
}
