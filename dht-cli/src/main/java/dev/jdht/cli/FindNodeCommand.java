package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.LookupReport;
import dev.jdht.core.lookup.ClosestNode;
import dev.jdht.krpc.wire.NodeId;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht find-node}: a find_node lookup; prints the closest nodes that answered. One instance
 * per invocation; not thread-safe.
 */
@Command(
    name = "find-node",
    description = {
      "Finds the nodes closest to an id (find_node).",
      "Prints the nodes that answered, closest first: node id, address, round-trip time, and how "
          + "many leading bits the id shares with the target. Exit status 1 when no node answered.",
    },
    footer = {
      "  dht find-node 5c0f6c1a8f2b3d4e5f60718293a4b5c6d7e8f901",
      "  dht find-node c9e15763f722f23e98a29decdfae341b98d53056 --json",
    })
public final class FindNodeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      converter = Converters.Id.class,
      description = "The target: a node id or infohash, 40 hex digits.")
  private NodeId target;

  @Option(names = "--json", description = "Print {\"target\", \"nodes\", \"report\"} as JSON.")
  private boolean json;

  @Mixin private LookupOptions lookup;

  @Mixin private NodeOptions node;

  @Mixin private NetworkOptions network;

  /** Runs the lookup and prints the closest nodes; exit 1 when none answered. */
  @Override
  public Integer call() {
    Logger log = LoggerFactory.getLogger(FindNodeCommand.class);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean quiet = Commands.quiet(spec);
    long deadline = System.nanoTime() + lookup.timeout.toNanos();
    LookupReport r;
    try (ProgressLine progress = new ProgressLine(err, Terminal.progressOnStderr() && !quiet);
        NodeSession session = NodeSession.start(NodeSettings.of(node, network, lookup.alpha, null), lookup.timeout, log);
        ShutdownHook hook = ShutdownHook.registerInterrupting("dht-find-node-stop", () -> {
          progress.close();
          session.close();
        })) {
      progress.show(session::bootstrapStatus);
      session.awaitReady(deadline);
      long start = System.nanoTime();
      progress.show(() -> String.format(Locale.ROOT, "looking up... %.1f s", (System.nanoTime() - start) / 1e9));
      Duration left = Duration.ofNanos(Math.max(1_000_000L, deadline - start));
      r = Commands.await(session.dht().findNode(target, left), deadline + TimeUnit.SECONDS.toNanos(1), "lookup");
      if (r == null) {
        throw new CommandFailed("the lookup did not finish within " + Durations.format(lookup.timeout), CommandFailed.TIMEOUT, null);
      }
    } catch (CommandFailed e) {
      throw json ? e.withJson(document(null)) : e;
    }
    if (json && r.closest().isEmpty()) {
      throw new CommandFailed("no node answered the lookup", r.timedOut() ? CommandFailed.TIMEOUT : CommandFailed.NOT_FOUND, null)
          .withJson(document(r));
    }
    if (json) {
      Json.print(out, document(r));
    } else {
      for (ClosestNode c : r.closest()) {
        String rtt = c.rttNanos() < 0 ? "-" : Durations.format(Duration.ofNanos(c.rttNanos()));
        out.println(c.node().id().toHex() + "  " + AnnounceCommand.pad(c.node().address().toString(), 22)
            + " " + AnnounceCommand.pad(rtt, 9) + " " + c.node().id().commonPrefixLength(target) + " bits");
      }
      out.flush();
      if (!quiet) {
        err.println(r.closest().size() + (r.closest().size() == 1 ? " closest node; " : " closest nodes; ") + r.queriesSent() + " queries, " + r.responses()
            + " responses, " + r.timeouts() + " timeouts; " + (r.timedOut() ? "timed out after " : "done in ")
            + Durations.format(r.timeToDone()));
        err.flush();
      }
    }
    if (r.closest().isEmpty()) {
      throw new CommandFailed("no node answered the lookup");
    }
    return ExitCodes.OK;
  }

  /** The {@code --json} document: {@code {"target", "nodes", "report"}} ({@code report} null when none). */
  private ObjectNode document(LookupReport r) {
    ObjectNode o = Json.object();
    o.put("target", target.toHex());
    ArrayNode nodes = o.putArray("nodes");
    if (r == null) {
      o.putNull("report");
      return o;
    }
    r.closest().forEach(c -> nodes.add(Reports.closest(c, target)));
    o.set("report", Reports.json(r, r.timedOut()));
    return o;
  }
}
