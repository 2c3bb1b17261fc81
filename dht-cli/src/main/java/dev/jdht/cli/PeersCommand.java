package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.Dht;
import dev.jdht.core.api.LookupProgress;
import dev.jdht.core.api.LookupReport;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht peers}: finds peers for an infohash and streams them to stdout, with a live progress
 * line and a summary on stderr, or one JSON document with {@code --json}. {@link #lookUp} is the
 * whole experience and is what {@code dht demo} runs too. One instance per invocation; not
 * thread-safe.
 */
@Command(
    name = "peers",
    description = {
      "Finds peers for a torrent (infohash or magnet link) and prints them as they arrive.",
      "Each peer is printed as ip:port on stdout as soon as it is found. While it runs, a progress line on stderr shows nodes queried, responses, peers and time "
          + "(only when stderr is a terminal; DHT_PROGRESS=1 or 0 forces it on or off). At the end "
          + "a summary goes to stderr. Exit status 1 when no peer was found or the network failed.",
    },
    footer = {
      "  dht peers c9e15763f722f23e98a29decdfae341b98d53056",
      "  dht peers 'magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056&dn=x' --timeout 60s",
      "  dht peers ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMCW --json | jq -r '.peers[]'",
      "  dht peers c9e15763f722f23e98a29decdfae341b98d53056 --bootstrap 127.0.0.5:7000",
    })
public final class PeersCommand implements java.util.concurrent.Callable<Integer> {
  /** Default overall time limit of a command that looks something up. */
  static final String DEFAULT_TIMEOUT = "30s";

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "INFOHASH|MAGNET",
      converter = Converters.InfoHash.class,
      description = "40 hex digits, 32 base32 characters, or a magnet link (its xt=urn:btih:).")
  private NodeId infoHash;

  @Option(names = "--json", description = "Print one JSON document instead: {\"infohash\", \"peers\", \"report\"}.")
  private boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = DEFAULT_TIMEOUT,
      converter = Converters.PositiveDuration.class,
      description = "Overall time limit, joining the DHT included (default: ${DEFAULT-VALUE}); "
          + "what was found by then is printed.")
  private Duration timeout;

  @Option(
      names = "--alpha",
      paramLabel = "N",
      converter = Converters.Alpha.class,
      description = "Queries in flight at once during the lookup, 1..64 (default: 5).")
  private Integer alpha;

  @Mixin private NodeOptions node;

  @Mixin private NetworkOptions network;

  /** What one lookup found. */
  public record Outcome(NodeId infoHash, List<PeerAddress> peers, LookupReport report, boolean timedOut) {}

  /** Looks up the infohash; exit 0 when peers were found (see {@link #lookUp}). */
  @Override
  public Integer call() {
    Logger log = LoggerFactory.getLogger(PeersCommand.class);
    Outcome o = lookUp(spec, NodeSettings.of(node, network, alpha, null), infoHash, timeout, json, log);
    return o.peers().isEmpty() ? ExitCodes.FAILED : ExitCodes.OK;
  }

  /**
   * The {@code dht peers} experience: starts a node, joins, looks up {@code infoHash}, streams
   * peers (or prints JSON), prints the summary. Throws {@link CommandFailed} when the network
   * failed or nothing was found (after printing what there is to print); with {@code json} the
   * exception carries the partial document, so exactly one document reaches stdout either way.
   */
  static Outcome lookUp(
      CommandSpec spec, NodeSettings settings, NodeId infoHash, Duration timeout, boolean json, Logger log) {
    return lookUp(spec, settings, infoHash, timeout, json, true, log);
  }

  /**
   * As {@link #lookUp(CommandSpec, NodeSettings, NodeId, Duration, boolean, Logger)}; with {@code
   * json} but not {@code printJson}, a successful outcome's document is left to the caller (see
   * {@link #document}), which may still fail and attach it to its own error.
   */
  static Outcome lookUp(
      CommandSpec spec, NodeSettings settings, NodeId infoHash, Duration timeout, boolean json, boolean printJson,
      Logger log) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean quiet = Commands.quiet(spec);
    long deadline = System.nanoTime() + timeout.toNanos();
    Search search = new Search(infoHash, json, out);
    Outcome outcome;
    try (ProgressLine progress = new ProgressLine(err, Terminal.progressOnStderr() && !quiet);
        NodeSession session = NodeSession.start(settings, timeout, log);
        ShutdownHook hook = ShutdownHook.registerInterrupting("dht-peers-stop", () -> {
          progress.close();
          session.close();
        })) {
      progress.show(session::bootstrapStatus);
      session.awaitReady(deadline);
      outcome = search.run(session.dht(), deadline, progress);
    } catch (CommandFailed e) {
      throw json ? e.withJson(document(search.partial(timeout))) : e;
    }
    if (outcome.peers().isEmpty()) {
      CommandFailed f = new CommandFailed("no peers found for " + infoHash.toHex()
          + (outcome.timedOut() ? " within " + Durations.format(timeout) : ""),
          outcome.timedOut() ? CommandFailed.TIMEOUT : CommandFailed.NOT_FOUND, null);
      if (json) {
        throw f.withJson(document(outcome));
      }
      if (!quiet) {
        err.println(Reports.summary(outcome.report(), outcome.timedOut()));
        err.flush();
      }
      throw f;
    }
    if (json) {
      if (printJson) {
        Json.print(out, document(outcome));
      }
    } else if (!quiet) {
      err.println(Reports.summary(outcome.report(), outcome.timedOut()));
      err.flush();
    }
    return outcome;
  }

  /** The {@code --json} document: {@code {"infohash", "peers", "report"}}. */
  static ObjectNode document(Outcome o) {
    ObjectNode doc = Json.object();
    doc.put("infohash", o.infoHash().toHex());
    ArrayNode peers = doc.putArray("peers");
    o.peers().forEach(p -> peers.add(p.toString()));
    doc.set("report", Reports.json(o.report(), o.timedOut()));
    return doc;
  }

  /** One lookup's state, shared by the DHT's callback thread and the command's thread. */
  private static final class Search {
    private final NodeId infoHash;
    private final boolean json;
    private final PrintWriter out;
    private final Set<PeerAddress> found = new LinkedHashSet<>();
    private final AtomicReference<LookupProgress> last = new AtomicReference<>();
    private final long createdAt = System.nanoTime();
    private boolean stopped; // guarded by found
    private long startedAt = -1; // guarded by found
    private long firstPeerAt = -1; // guarded by found

    Search(NodeId infoHash, boolean json, PrintWriter out) {
      this.infoHash = infoHash;
      this.json = json;
      this.out = out;
    }

    /** The lookup itself, on a ready node; stops at {@code deadline} with what it found. */
    Outcome run(Dht dht, long deadline, ProgressLine progress) {
      long start = System.nanoTime();
      synchronized (found) {
        startedAt = start;
      }
      progress.show(() -> {
        LookupProgress p = last.get();
        int peers;
        synchronized (found) {
          peers = found.size();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return String.format(Locale.ROOT, "queried %d nodes, %d responses, %d peer%s, %.1f s",
            p == null ? 0 : p.queried(), p == null ? 0 : p.responses(), peers, peers == 1 ? "" : "s", elapsed);
      });
      Duration left = Duration.ofNanos(Math.max(1_000_000L, deadline - start));
      CompletableFuture<LookupReport> f = dht.getPeers(infoHash, peer -> {
        synchronized (found) {
          if (stopped || !found.add(peer)) {
            return;
          }
          if (firstPeerAt < 0) {
            firstPeerAt = System.nanoTime();
          }
          if (!json) {
            progress.println(out, peer.toString());
          }
        }
      }, last::set, left);
      // the DHT stops the lookup at the deadline and completes with the partial report; the
      // extra second only guards against a node too busy to deliver it
      LookupReport report = Commands.await(f, deadline + TimeUnit.SECONDS.toNanos(1), "lookup");
      List<PeerAddress> peers;
      synchronized (found) {
        stopped = true;
        if (report != null) {
          // a peer may reach the report before its callback ran: the report is the full answer
          for (PeerAddress p : report.peers()) {
            if (found.add(p) && !json) {
              progress.println(out, p.toString());
            }
          }
        }
        peers = new ArrayList<>(found);
      }
      if (report == null) {
        report = progressReport(peers, true);
      }
      return new Outcome(infoHash, peers, report, report.timedOut());
    }

    /** What was found before a failure (or an interrupt), as an outcome. */
    Outcome partial(Duration timeout) {
      List<PeerAddress> peers;
      synchronized (found) {
        stopped = true;
        peers = new ArrayList<>(found);
      }
      boolean timedOut = System.nanoTime() - createdAt >= timeout.toNanos();
      return new Outcome(infoHash, peers, progressReport(peers, timedOut), timedOut);
    }

    /** A report rebuilt from the last progress sample, for a lookup that did not report. */
    private LookupReport progressReport(List<PeerAddress> peers, boolean timedOut) {
      LookupProgress p = last.get();
      long now = System.nanoTime();
      long start;
      long first;
      synchronized (found) {
        start = startedAt < 0 ? now : startedAt;
        first = firstPeerAt;
      }
      return new LookupReport(infoHash, p == null ? 0 : p.queried(), p == null ? 0 : p.responses(),
          p == null ? 0 : p.timeouts(), first < 0 ? null : Duration.ofNanos(first - start),
          Duration.ofNanos(now - start), Set.copyOf(peers), List.of(), false, timedOut);
    }
  }
}
