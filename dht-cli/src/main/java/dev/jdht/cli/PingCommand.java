package dev.jdht.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jdht.core.node.PingResult;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht ping}: sends one KRPC ping and prints the round-trip time, the node id and the
 * client version of the answer. One instance per invocation; not thread-safe.
 */
@Command(
    name = "ping",
    description = {
      "Pings a DHT node: round-trip time, node id and client version.",
      "Prints the node's address, the round-trip time, its node id and its client version (when it "
          + "sends one). Exit status 1 when it does not answer in time.",
    },
    footer = {
      "  dht ping router.bittorrent.com:6881",
      "  dht ping 127.0.0.5:7000 --timeout 500ms",
      "  dht ping '[2001:db8::1]:6881' --json",
    })
public final class PingCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "HOST:PORT",
      converter = Converters.HostPort.class,
      description = "The node: host:port, ip:port or [ipv6]:port.")
  private InetSocketAddress target;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = Converters.PositiveDuration.class,
      description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(names = "--json", description = "Print {\"address\", \"id\", \"rtt_ms\", \"client\", \"version\"} as JSON.")
  private boolean json;

  @Mixin private NodeOptions node;

  /** Pings the node; exit 0 on an answer, 1 on timeout or error. */
  @Override
  public Integer call() {
    Logger log = LoggerFactory.getLogger(PingCommand.class);
    PrintWriter out = spec.commandLine().getOut();
    NodeSettings settings = new NodeSettings(node.bind(), node.nodeId(), List.of(), null, true, null, timeout);
    PingResult r;
    String who = target.isUnresolved() ? target.getHostString() + ":" + target.getPort()
        : dev.jdht.krpc.wire.PeerAddress.of(target).toString();
    try {
      r = ping(settings, who, log);
    } catch (CommandFailed e) {
      if (json) {
        ObjectNode partial = Json.object();
        partial.put("address", who);
        e.withJson(partial);
      }
      throw e;
    }
    Duration rtt = Duration.ofNanos(r.rttNanos());
    String client = Reports.clientVersion(r.version());
    if (json) {
      ObjectNode o = Json.object();
      o.put("address", r.address().toString());
      o.put("id", r.id().toHex());
      o.put("rtt_ms", Durations.millis(rtt));
      o.put("client", client);
      o.put("version", r.version() == null ? null : HexFormat.of().formatHex(r.version()));
      Json.print(out, o);
    } else {
      out.println(r.address() + "  rtt " + Durations.format(rtt) + "  id " + r.id().toHex()
          + (client != null ? "  client " + client : ""));
      out.flush();
    }
    return ExitCodes.OK;
  }

  /** Pings {@code target}; a timeout, an error reply or a network failure is a {@link CommandFailed}. */
  private PingResult ping(NodeSettings settings, String who, Logger log) {
    PingResult r;
    try (NodeSession session = NodeSession.start(settings, timeout, log);
        ShutdownHook hook = ShutdownHook.registerInterrupting("dht-ping-stop", session::close)) {
      r = session.dht().ping(target).get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new CommandFailed(CliErrors.oneLine(e.getCause().getMessage()), e.getCause());
    } catch (TimeoutException e) {
      throw new CommandFailed("no answer from " + who + " within " + Durations.format(timeout), CommandFailed.TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailed("interrupted", CommandFailed.INTERRUPTED, e);
    }
    if (!r.ok()) {
      if ("timeout".equals(r.error())) {
        throw new CommandFailed("no answer from " + r.address() + " within " + Durations.format(timeout),
            CommandFailed.TIMEOUT, null);
      }
      throw new CommandFailed(r.address() + " answered with " + r.error());
    }
    return r;
  }
}
