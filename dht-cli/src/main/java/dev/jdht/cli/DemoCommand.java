package dev.jdht.cli;

import dev.jdht.core.node.AnnounceResult;
import dev.jdht.core.testnet.LocalTestnet;
import dev.jdht.krpc.wire.NodeId;
import dev.jdht.krpc.wire.PeerAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht demo}: starts a private DHT of our own nodes on loopback (no internet needed),
 * announces a random infohash from some of them, then runs exactly the {@code dht peers} code
 * path against it ({@link PeersCommand#lookUp}) and checks that every announced peer was found.
 * One instance per invocation; not thread-safe.
 */
@Command(
    name = "demo",
    description = {
      "Shows everything working in seconds, offline, on a private DHT on loopback.",
      "Starts a private DHT of our own nodes on loopback addresses (127.0.10.x, 127.0.11.x, ...; "
          + "nothing leaves this machine), announces a random infohash from 8 of them, then runs "
          + "'dht peers' against that network: same output, progress line, summary and --json. "
          + "Exit status 1 if an announced peer was not found.",
    },
    footer = {
      "  dht demo",
      "  dht demo --nodes 1000 --seed 42",
      "  dht demo --json | jq '.report'",
    })
public final class DemoCommand implements Callable<Integer> {
  /** Fewest nodes the demo runs with. */
  public static final int MIN_NODES = 10;
  /** Most nodes the demo runs with (one UDP socket each). */
  public static final int MAX_NODES = 2000;
  /** Third octet of the first testnet address: 127.0.10.1. */
  static final int THIRD_OCTET = 10;
  /** The looking-up node's own address. */
  static final String CLIENT_BIND = "127.0.9.1";
  /** How many nodes announce a peer. */
  static final int ANNOUNCERS = 8;
  /** Testnet nodes given to the looking-up node with --bootstrap. */
  static final int BOOTSTRAP_NODES = 3;

  @Spec private CommandSpec spec;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      defaultValue = "300",
      converter = Converters.DemoSize.class,
      description = "Nodes in the private network, " + MIN_NODES + ".." + MAX_NODES + " (default: ${DEFAULT-VALUE}).")
  private int nodes;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed for node ids, the infohash and the announcing nodes (default: random).")
  private Long seed;

  @Option(names = "--json", description = "Print the lookup as one JSON document, as 'dht peers --json' does.")
  private boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "20s",
      converter = Converters.PositiveDuration.class,
      description = "Time limit of the lookup (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  /** Starts the private network, announces, looks up; exit 1 if an announced peer is missing. */
  @Override
  public Integer call() throws IOException {
    Logger log = LoggerFactory.getLogger(DemoCommand.class);
    PrintWriter err = spec.commandLine().getErr();
    boolean quiet = Commands.quiet(spec);
    long s = seed != null ? seed : new Random().nextLong();
    log.info("seed {}", s);
    // java.util.Random's first outputs for nearby seeds look alike (seeds 1, 2, 3 would all give
    // infohashes starting with bb): stir the seed first
    Random random = new Random(new SplittableRandom(s).nextLong());
    NodeId infoHash = NodeId.random(random);

    say(err, quiet, "Starting a private DHT of " + nodes + " nodes on " + LocalTestnet.addressOf(0, THIRD_OCTET)
        .getHostAddress() + " to " + LocalTestnet.addressOf(nodes - 1, THIRD_OCTET).getHostAddress()
        + " (loopback: nothing leaves this machine)...");
    long t0 = System.nanoTime();
    LocalTestnet net;
    try {
      net = LocalTestnet.start(nodes, THIRD_OCTET, 0, random.nextLong(), 20_000);
    } catch (TimeoutException e) {
      throw new CommandFailed("the private network did not come up within 20 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailed("interrupted", e);
    } catch (IOException e) {
      throw new CommandFailed("cannot open the private network's sockets on 127.0." + THIRD_OCTET
          + ".x: " + e.getMessage(), e);
    }
    log.info("{} nodes up in {}", nodes, Durations.format(Duration.ofNanos(System.nanoTime() - t0)));
    try (ShutdownHook hook = ShutdownHook.register("dht-demo-stop", net::close)) {
      Set<PeerAddress> announced = announce(net, infoHash, random);
      Duration upIn = Duration.ofNanos(System.nanoTime() - t0);
      List<PeerAddress> addrs = net.addresses();
      List<InetSocketAddress> bootstrap = new ArrayList<>();
      List<String> bootstrapText = new ArrayList<>();
      for (int i = 0; i < BOOTSTRAP_NODES; i++) {
        bootstrap.add(addrs.get(i).toSocketAddress());
        bootstrapText.add(addrs.get(i).toString());
      }
      BindAddress bind = BindAddress.parse(CLIENT_BIND);
      NodeSettings settings = new NodeSettings(bind, null, bootstrap, null, true, null, null);

      say(err, quiet, "Up in " + Durations.format(upIn) + ". " + announced.size()
          + " of the nodes announced a peer for infohash " + infoHash.toHex() + ".");
      say(err, quiet, "Looking it up, exactly as on the real DHT:");
      say(err, quiet, "  dht peers " + infoHash.toHex() + " --bootstrap " + String.join(",", bootstrapText)
          + " --bind " + CLIENT_BIND + " --no-state" + (json ? " --json" : ""));
      PeersCommand.Outcome o = PeersCommand.lookUp(spec, settings, infoHash, timeout, json, false, log);

      Set<PeerAddress> missing = new LinkedHashSet<>(announced);
      missing.removeAll(o.peers());
      if (!missing.isEmpty()) {
        List<String> m = new ArrayList<>();
        missing.forEach(p -> m.add(p.toString()));
        CommandFailed f = new CommandFailed("found " + (announced.size() - missing.size()) + " of the " + announced.size()
            + " announced peers; missing " + String.join(", ", m), CommandFailed.NOT_FOUND, null);
        throw json ? f.withJson(PeersCommand.document(o)) : f;
      }
      if (json) {
        Json.print(spec.commandLine().getOut(), PeersCommand.document(o));
      }
      say(err, quiet, "All " + announced.size() + " announced peers were found. On the real DHT: dht peers <infohash or magnet link>");
      return ExitCodes.OK;
    } finally {
      net.close();
    }
  }

  /** Has {@link #ANNOUNCERS} random nodes announce a peer at their own address, each its own port. */
  private static Set<PeerAddress> announce(LocalTestnet net, NodeId infoHash, Random random) {
    int n = Math.min(ANNOUNCERS, net.size() - BOOTSTRAP_NODES);
    List<Integer> indexes = new ArrayList<>();
    while (indexes.size() < n) {
      int i = BOOTSTRAP_NODES + random.nextInt(net.size() - BOOTSTRAP_NODES);
      if (!indexes.contains(i)) {
        indexes.add(i);
      }
    }
    Set<PeerAddress> announced = new LinkedHashSet<>();
    List<CompletableFuture<AnnounceResult>> fs = new ArrayList<>();
    for (int i : indexes) {
      int port = 10_000 + random.nextInt(50_000);
      announced.add(PeerAddress.of(net.addresses().get(i).inetAddress(), port));
      fs.add(net.announce(i, infoHash, port));
    }
    for (int k = 0; k < fs.size(); k++) {
      AnnounceResult r;
      try {
        r = fs.get(k).get(20, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new CommandFailed("the private network failed: an announce did not complete", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailed("interrupted", e);
      }
      if (r.error() != null || r.acked().isEmpty()) {
        throw new CommandFailed("the private network failed: no node acknowledged the announce of node "
            + indexes.get(k) + (r.error() != null ? " (" + r.error() + ")" : ""));
      }
    }
    return announced;
  }

  private static void say(PrintWriter err, boolean quiet, String line) {
    if (!quiet) {
      err.println(line);
      err.flush();
    }
  }
}
