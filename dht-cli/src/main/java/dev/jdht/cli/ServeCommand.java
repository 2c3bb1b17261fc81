package dev.jdht.cli;

import dev.jdht.core.api.DhtStats;
import dev.jdht.core.node.SavedState;
import dev.jdht.http.MonitorServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht serve}: a long-lived node. Prints its address and node id, then a line of stats at
 * every interval; SIGINT and SIGTERM (and {@code --duration}) stop it cleanly, saving the routing
 * table. One instance per invocation; not thread-safe (it starts a daemon thread that waits for
 * the node to join, and prints under a lock shared with the main thread).
 */
@Command(
    name = "serve",
    description = {
      "Runs a long-lived DHT node, printing statistics, until Ctrl-C or SIGTERM.",
      "It answers other nodes' queries, stores announced "
          + "peers, and prints its address, its node id, then a line of statistics at every "
          + "interval. The routing table is saved when it stops (and every 5 minutes) in the state "
          + "directory, so the next start (of serve, peers, announce or find-node) needs no router.",
    },
    footer = {
      "  dht serve",
      "  dht serve --bind 0.0.0.0:6881 --stats-interval 10s",
      "  dht serve --bind 127.0.0.5:7000 --bootstrap none     the first node of a private network",
      "  dht serve --http 9090                                dashboard at http://127.0.0.1:9090/",
    })
public final class ServeCommand implements Callable<Integer> {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  /** How often a node with an empty routing table bootstraps again. */
  static final Duration REJOIN_INTERVAL = Duration.ofMinutes(1);

  @Spec private CommandSpec spec;

  @Option(
      names = "--stats-interval",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Converters.PositiveDuration.class,
      description = "How often to print a line of statistics (default: ${DEFAULT-VALUE}).")
  private Duration statsInterval;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = Converters.PositiveDuration.class,
      description = "Stop after this long (default: run until Ctrl-C or SIGTERM).")
  private Duration duration;

  @Option(
      names = "--rate-limit",
      paramLabel = "N",
      converter = Converters.QueryRate.class,
      description = "Incoming datagrams (queries) per second answered in total, bursts of 2 s worth; beyond it they are "
          + "dropped and counted (default: 10000).")
  private Integer rateLimit;

  @Option(
      names = "--per-ip-rate-limit",
      paramLabel = "N",
      converter = Converters.QueryRate.class,
      description = "Incoming datagrams (queries) per second answered per source IP, bursts of 2 s worth (default: 50).")
  private Integer perIpRateLimit;

  @Option(
      names = "--dos-block-rate",
      paramLabel = "N",
      converter = Converters.DosBlockRate.class,
      description = "A source IP that averages more than N datagrams per second over 10 s is ignored for 5 minutes "
          + "(0: never; default: 50).")
  private Integer dosBlockRate;

  @Option(
      names = "--socket-buffer",
      paramLabel = "BYTES",
      converter = Converters.SocketBuffer.class,
      description = "Kernel receive and send buffer of each socket, e.g. 4194304, 4096k or 4m (default: 1m). Queries "
          + "that arrive while it is full are dropped by the kernel; Linux caps it at net.core.rmem_max.")
  private Integer socketBuffer;

  @Mixin private NodeOptions node;

  @Mixin private NetworkOptions network;

  @Mixin private HttpOptions http;

  /** Runs the node until SIGINT/SIGTERM, --duration or an interrupt; saves state; exit 0. */
  @Override
  public Integer call() {
    Logger log = LoggerFactory.getLogger(ServeCommand.class);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean quiet = Commands.quiet(spec);
    NodeSession session = NodeSession.start(
        NodeSettings.of(node, network, null, null).withRateLimits(rateLimit, perIpRateLimit)
            .withDosBlockRate(dosBlockRate).withSocketBuffer(socketBuffer), Duration.ofMinutes(1), log);
    MonitorServer monitor;
    try {
      monitor = http.start(session.dht(), null);
    } catch (CommandFailed e) {
      session.close();
      throw e;
    }
    Object printLock = new Object();
    AtomicBoolean closing = new AtomicBoolean();
    CountDownLatch stopRequested = new CountDownLatch(1);
    Path stateFile = session.ownedStateFile();
    Object stopLock = new Object();
    // runs on the main thread or in the shutdown hook; whichever comes second waits for the
    // first to finish (the JVM ends when the hook returns)
    Runnable stop = () -> {
      synchronized (stopLock) {
        if (!closing.compareAndSet(false, true)) {
          return;
        }
        if (monitor != null) {
          monitor.close();
        }
        session.close();
        synchronized (printLock) {
          out.println("stopped" + (stateFile != null ? "; state saved to " + stateFile + savedCount(stateFile) : ""));
          out.flush();
        }
      }
    };
    try (ShutdownHook hook = ShutdownHook.register("dht-serve-stop", () -> {
      stopRequested.countDown();
      stop.run();
    })) {
      synchronized (printLock) {
        out.println("node " + session.dht().nodeId().toHex() + " listening on UDP " + session.localAddressText());
        out.println("state: " + session.stateNote());
        if (monitor != null) {
          out.println("dashboard: " + monitor.url() + " (Prometheus metrics at " + monitor.url() + "metrics)");
        }
        out.flush();
      }
      Thread joiner = new Thread(() -> join(session, closing, printLock, out, err, quiet), "dht-serve-join");
      joiner.setDaemon(true);
      joiner.start();

      long start = System.nanoTime();
      long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
      long lastRejoin = start;
      DhtStats previous = null;
      long previousAt = start;
      try {
        while (true) {
          long now = System.nanoTime();
          long wait = Math.min(statsInterval.toNanos(), end - now);
          if (wait <= 0 || stopRequested.await(wait, TimeUnit.NANOSECONDS)) {
            break;
          }
          now = System.nanoTime();
          if (now - end >= 0) {
            break;
          }
          DhtStats s;
          try {
            s = session.dht().stats().get(5, TimeUnit.SECONDS);
          } catch (Exception e) {
            continue;
          }
          synchronized (printLock) {
            if (!closing.get()) {
              out.println(statsLine(s, previous, (now - previousAt) / 1e9, session.dht().socketReceiveDrops()));
              out.flush();
            }
          }
          previous = s;
          previousAt = now;
          if (s.routingTableSize() == 0 && session.hasContacts() && now - lastRejoin >= REJOIN_INTERVAL.toNanos()) {
            lastRejoin = now;
            log.info("the routing table is empty; bootstrapping again");
            session.rejoin();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // stopped by the embedding thread: a clean stop
      }
      stop.run();
    }
    return ExitCodes.OK;
  }

  private static void join(
      NodeSession session, AtomicBoolean closing, Object printLock, PrintWriter out, PrintWriter err, boolean quiet) {
    if (!session.hasContacts()) {
      synchronized (printLock) {
        out.println("no bootstrap node: waiting for other nodes to contact this one");
        out.flush();
      }
      return;
    }
    long start = System.nanoTime();
    try {
      session.awaitReady(start + Duration.ofMinutes(1).toNanos());
      DhtStats s = session.dht().stats().get(5, TimeUnit.SECONDS);
      synchronized (printLock) {
        if (!closing.get()) {
          out.println("joined the DHT in " + Durations.format(Duration.ofNanos(System.nanoTime() - start)) + ": "
              + s.routingTableSize() + " nodes (" + s.goodNodes() + " good)");
          out.flush();
        }
      }
    } catch (CommandFailed e) {
      synchronized (printLock) {
        if (!closing.get() && !quiet) {
          err.println("dht serve: not joined yet: " + e.getMessage() + "; still serving, and retrying every "
              + Durations.format(REJOIN_INTERVAL) + " while no node is known");
          err.flush();
        }
      }
    } catch (Exception e) {
      // closing
    }
  }

  /** {@code 12:00:30  nodes 120 (98 good)  in 1234 msgs (41/s)  out ...}, kernel drops unknown. */
  static String statsLine(DhtStats s, DhtStats previous, double seconds) {
    return statsLine(s, previous, seconds, -1);
  }

  /**
   * As above, with {@code kernelDrops} (datagrams the kernel dropped for the node's sockets, -1:
   * unknown) shown when there are any: a full socket buffer loses queries the node never sees.
   */
  static String statsLine(DhtStats s, DhtStats previous, double seconds, long kernelDrops) {
    StringBuilder sb = new StringBuilder();
    sb.append(LocalTime.now().format(CLOCK));
    sb.append("  nodes ").append(s.routingTableSize()).append(" (").append(s.goodNodes()).append(" good)");
    sb.append("  in ").append(s.datagramsIn()).append(" msgs");
    if (previous != null && seconds > 0) {
      sb.append(String.format(Locale.ROOT, " (%.0f/s)", (s.datagramsIn() - previous.datagramsIn()) / seconds));
    }
    sb.append("  out ").append(s.datagramsOut()).append(" msgs");
    if (previous != null && seconds > 0) {
      sb.append(String.format(Locale.ROOT, " (%.0f/s)", (s.datagramsOut() - previous.datagramsOut()) / seconds));
    }
    sb.append("  queries in ").append(s.totalQueriesIn());
    sb.append("  peers stored ").append(s.storedPeers()).append(" (").append(s.storedInfoHashes())
        .append(s.storedInfoHashes() == 1 ? " torrent)" : " torrents)");
    if (s.storedItems() > 0) {
      sb.append("  items stored ").append(s.storedItems());
    }
    sb.append("  lookups ").append(s.activeLookups());
    if (s.droppedRateLimited() > 0 || s.droppedMalformed() > 0) {
      sb.append("  dropped ").append(s.droppedMalformed()).append(" malformed, ")
          .append(s.droppedRateLimited()).append(" rate-limited");
    }
    if (s.droppedBlocked() > 0) {
      sb.append(", ").append(s.droppedBlocked()).append(" blocked (").append(s.sourcesBlocked()).append(" sources)");
    }
    if (kernelDrops > 0) {
      sb.append("  kernel drops ").append(kernelDrops).append(" (socket buffer full: see --socket-buffer)");
    }
    return sb.toString();
  }

  private static String savedCount(Path file) {
    try {
      SavedState st = SavedState.decode(Files.readAllBytes(file));
      return " (" + st.nodes().size() + (st.nodes().size() == 1 ? " node)" : " nodes)");
    } catch (IOException | dev.jdht.krpc.codec.DecodeException | RuntimeException e) {
      return " (unreadable: " + e.getMessage() + ")";
    }
  }
}
