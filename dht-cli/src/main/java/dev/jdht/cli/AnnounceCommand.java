package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.api.AnnounceReport;
import dev.jdht.core.api.Dht;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.NodeInfo;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht announce}: tells the DHT that a peer of a torrent listens on a TCP port of this
 * host, and shows which nodes acknowledged. With {@code --keep}, re-announces until stopped. One
 * instance per invocation; not thread-safe.
 */
@Command(
    name = "announce",
    description = {
      "Tells the DHT that this host has a peer for a torrent on a TCP port.",
      "Looks up the nodes closest to the infohash and sends them announce_peer; prints the nodes "
          + "that acknowledged and how many were tried. Exit status 1 when no node acknowledged.",
      "With --keep it announces again every 15 to 30 minutes, printing each round, until Ctrl-C.",
    },
    footer = {
      "  dht announce c9e15763f722f23e98a29decdfae341b98d53056 --port 51413",
      "  dht announce c9e15763f722f23e98a29decdfae341b98d53056 --implied-port --bind :6881",
      "  dht announce 'magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056' --port 51413 --keep",
    })
public final class AnnounceCommand implements Callable<Integer> {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "INFOHASH|MAGNET",
      converter = Converters.InfoHash.class,
      description = "40 hex digits, 32 base32 characters, or a magnet link.")
  private NodeId infoHash;

  @Option(
      names = "--port",
      paramLabel = "P",
      converter = Converters.Port.class,
      description = "The TCP port the peer listens on, 1..65535 (required unless --implied-port).")
  private Integer port;

  @Option(
      names = "--implied-port",
      description = "Ask nodes to store the UDP source port they see instead of P (BEP 5 "
          + "implied_port; useful behind NAT). P defaults to the node's UDP port.")
  private boolean impliedPort;

  @Option(names = "--seed", description = "Announce the peer as a seed (BEP 33 seed=1: it has the whole torrent), "
      + "so that dht scrape counts it among the seeds.")
  private boolean seed;

  @Option(names = "--keep", description = "Announce again every 15 to 30 minutes until Ctrl-C.")
  private boolean keep;

  @Option(names = "--json", description = "Print JSON (with --keep: one line of JSON per round).")
  private boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = PeersCommand.DEFAULT_TIMEOUT,
      converter = Converters.PositiveDuration.class,
      description = "Time limit of joining the DHT and the first announce (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(
      names = "--alpha",
      paramLabel = "N",
      converter = Converters.Alpha.class,
      description = "Queries in flight at once during the lookup, 1..64 (default: 5).")
  private Integer alpha;

  @Mixin private NodeOptions node;

  @Mixin private NetworkOptions network;

  /** Announces (once, or every round until stopped with --keep); exit 0 when acknowledged. */
  @Override
  public Integer call() {
    if (port == null && !impliedPort) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--port=P' (or give --implied-port)");
    }
    Logger log = LoggerFactory.getLogger(AnnounceCommand.class);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean quiet = Commands.quiet(spec);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      return announce(out, err, quiet, deadline, log);
    } catch (CommandFailed e) {
      if (json && e.json() == null) {
        ObjectNode partial = Json.object();
        partial.put("infohash", infoHash.toHex());
        if (port != null) {
          partial.put("port", port);
        }
        partial.put("implied_port", impliedPort);
        e.withJson(partial);
      }
      throw e;
    }
  }

  private int announce(PrintWriter out, PrintWriter err, boolean quiet, long deadline, Logger log) {
    try (ProgressLine progress = new ProgressLine(err, Terminal.progressOnStderr() && !quiet);
        NodeSession session = NodeSession.start(NodeSettings.of(node, network, alpha, null), timeout, log)) {
      CountDownLatch stopped = new CountDownLatch(1);
      try (ShutdownHook hook = ShutdownHook.register("dht-announce-stop", () -> {
        progress.close();
        stopped.countDown();
        session.close();
      })) {
        progress.show(session::bootstrapStatus);
        session.awaitReady(deadline);
        Dht dht = session.dht();
        int p = port != null ? port : dht.localAddress().getPort();
        if (!keep) {
          progress.show(() -> "announcing...");
          AnnounceReport r = once(dht, p, deadline);
          progress.close();
          if (r.acknowledged().isEmpty()) {
            CommandFailed f = new CommandFailed(r.targets().isEmpty()
                ? "no node gave an announce token (the lookup found no node to announce to)"
                : "none of the " + r.targets().size() + " nodes tried acknowledged the announce",
                CommandFailed.NOT_FOUND, null);
            if (json) {
              throw f.withJson(document(r, p, 0));
            }
            print(out, r, p, 0);
            throw f;
          }
          print(out, r, p, 0);
          return ExitCodes.OK;
        }
        progress.close();
        if (!quiet) {
          err.println("announcing " + infoHash.toHex() + " port " + p + " now and every 15 to 30 minutes; Ctrl-C stops");
          err.flush();
        }
        AtomicInteger rounds = new AtomicInteger();
        try (Dht.KeepAlive k = dht.keepAnnouncing(infoHash, p, impliedPort, seed, r -> {
          synchronized (out) {
            print(out, r, p, rounds.incrementAndGet());
          }
        })) {
          stopped.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // stopped by the embedding thread (tests): a clean stop
        }
        return ExitCodes.OK;
      }
    }
  }

  private AnnounceReport once(Dht dht, int p, long deadline) {
    AnnounceReport r = Commands.await(dht.announce(infoHash, p, impliedPort, seed), deadline, "announce");
    if (r == null) {
      throw new CommandFailed("the announce did not finish within " + Durations.format(timeout), CommandFailed.TIMEOUT, null);
    }
    return r;
  }

  /** One round as JSON; {@code round} 0 means "not --keep". */
  private ObjectNode document(AnnounceReport r, int p, int round) {
    ObjectNode o = Json.object();
    if (round > 0) {
      o.put("round", round);
      o.put("time", LocalTime.now().format(CLOCK));
    }
    o.put("infohash", infoHash.toHex());
    o.put("port", p);
    o.put("implied_port", impliedPort);
    o.put("seed", seed);
    o.put("tried", r.targets().size());
    o.set("acknowledged", Reports.nodes(r.acknowledged()));
    o.put("failed", r.failed());
    o.set("lookup", Reports.json(r.lookup(), false));
    return o;
  }

  /** Prints one round; {@code round} 0 means "not --keep". */
  private void print(PrintWriter out, AnnounceReport r, int p, int round) {
    if (json) {
      ObjectNode o = document(r, p, round);
      if (round > 0) {
        out.println(o.toString()); // one line per round (JSON Lines)
        out.flush();
      } else {
        Json.print(out, o);
      }
      return;
    }
    StringBuilder sb = new StringBuilder();
    if (round > 0) {
      sb.append("round ").append(round).append(" at ").append(LocalTime.now().format(CLOCK)).append(": ");
    }
    sb.append("acknowledged by ").append(r.acknowledged().size()).append(" of ").append(r.targets().size())
        .append(r.targets().size() == 1 ? " node tried" : " nodes tried");
    if (r.failed() > 0) {
      sb.append(" (").append(r.failed()).append(" failed)");
    }
    sb.append("; lookup: ").append(r.lookup().queriesSent())
        .append(r.lookup().queriesSent() == 1 ? " query in " : " queries in ")
        .append(Durations.format(r.lookup().timeToDone()));
    out.println(sb);
    for (NodeInfo n : r.acknowledged()) {
      out.println("  " + pad(n.address().toString(), 22) + " " + n.id().toHex());
    }
    out.flush();
  }

  static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
