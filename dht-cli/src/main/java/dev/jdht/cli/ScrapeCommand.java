package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.ScrapeReport;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht scrape}: estimates a torrent's seeds and peers from the BEP 33 bloom filters of the
 * nodes closest to its infohash. One instance per invocation; not thread-safe.
 */
@Command(
    name = "scrape",
    description = {
      "Estimates how many seeds and peers a torrent has (BEP 33 DHT scrape).",
      "Looks up the nodes closest to the infohash with get_peers scrape=1 and combines the seeds "
          + "and peers bloom filters of the 8 closest that answered; prints both estimates (distinct "
          + "IPs). Exit status 1 when no node answered with filters.",
    },
    footer = {
      "  dht scrape c9e15763f722f23e98a29decdfae341b98d53056",
      "  dht scrape 'magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056' --json | jq .seeds",
    })
public final class ScrapeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "INFOHASH|MAGNET",
      converter = Converters.InfoHash.class,
      description = "40 hex digits, 32 base32 characters, or a magnet link.")
  private dev.jdht.krpc.wire.NodeId infoHash;

  @Option(names = "--json", description = "Print one JSON document: {\"infohash\", \"seeds\", \"peers\", \"filters\", "
      + "\"seeds_filter\", \"peers_filter\", \"lookup\"}.")
  private boolean json;

  @Mixin private LookupOptions lookup;

  @Mixin private NodeOptions node;

  @Mixin private NetworkOptions network;

  @Override
  public Integer call() {
    Logger log = LoggerFactory.getLogger(ScrapeCommand.class);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean quiet = Commands.quiet(spec);
    long deadline = System.nanoTime() + lookup.timeout.toNanos();
    ScrapeReport r;
    try (ProgressLine progress = new ProgressLine(err, Terminal.progressOnStderr() && !quiet);
        NodeSession session = NodeSession.start(NodeSettings.of(node, network, lookup.alpha, null), lookup.timeout, log)) {
      progress.show(session::bootstrapStatus);
      session.awaitReady(deadline);
      progress.show(() -> "scraping...");
      r = Commands.await(session.dht().scrape(infoHash), deadline, "scrape");
      progress.close();
    } catch (CommandFailed e) {
      throw json && e.json() == null ? e.withJson(partial()) : e;
    }
    if (r == null) {
      CommandFailed f = new CommandFailed("the scrape did not finish within " + Durations.format(lookup.timeout),
          CommandFailed.TIMEOUT, null);
      throw json ? f.withJson(partial()) : f;
    }
    if (r.filters() == 0) {
      CommandFailed f = new CommandFailed("no node answered the scrape with bloom filters", CommandFailed.NOT_FOUND, null);
      throw json ? f.withJson(document(r)) : f;
    }
    if (json) {
      Json.print(out, document(r));
    } else {
      out.printf(Locale.ROOT, "seeds %.0f%npeers %.0f%n", r.seeds(), r.peers());
      out.flush();
      if (!quiet) {
        err.printf(Locale.ROOT, "estimated from the filters of %d node%s; %s%n", r.filters(), r.filters() == 1 ? "" : "s",
            Reports.summary(r.lookup(), false));
        err.flush();
      }
    }
    return ExitCodes.OK;
  }

  private ObjectNode partial() {
    ObjectNode o = Json.object();
    o.put("infohash", infoHash.toHex());
    return o;
  }

  /** The {@code --json} document. */
  static ObjectNode document(ScrapeReport r) {
    ObjectNode o = Json.object();
    o.put("infohash", r.lookup().target().toHex());
    o.put("seeds", Math.round(r.seeds()));
    o.put("peers", Math.round(r.peers()));
    o.put("filters", r.filters());
    o.put("seeds_filter", HexFormat.of().formatHex(r.seedsFilter()));
    o.put("peers_filter", HexFormat.of().formatHex(r.peersFilter()));
    o.set("lookup", Reports.json(r.lookup(), false));
    return o;
  }
}
