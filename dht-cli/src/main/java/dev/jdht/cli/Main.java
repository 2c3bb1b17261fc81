package dev.jdht.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code dht} command: entry point and the list of subcommands.
 *
 * <p>Adding a command is one line in {@link #newCommand} and one in {@link #COMMANDS}. Only the
 * command being run is registered (picocli builds a command's model by reflection, which costs
 * tens of milliseconds per command at start-up); help, completion and unknown commands get all. A subcommand is a picocli
 * {@code Callable<Integer>} returning an {@link ExitCodes} value; it reports input errors by
 * throwing {@link UsageError} (or {@link IllegalArgumentException}) and failures by throwing
 * {@link CommandFailed}; {@link CliErrors} turns those into one line on stderr. It inherits
 * {@code --help}, {@code --version}, {@code -v}, {@code -q}, the exit-status list and the
 * "Examples:" heading, and should list examples in its {@code footer}. It writes results to {@code spec.commandLine().getOut()}, messages to {@code
 * getErr()}, reads stdin through {@link #stdin()} (via {@code @ParentCommand}), and must not hold
 * a {@code static} logger (see {@link Logging}).
 *
 * <p>One instance per invocation; not thread-safe.
 */
@Command(
    name = "dht",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpWidth = 100,
    description = "A BitTorrent mainline DHT (BEP 5) node and tools.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  dht demo                      see it work in seconds, offline (a private DHT on loopback)",
      "  dht peers c9e15763f722f23e98a29decdfae341b98d53056",
      "                                find peers for an infohash (or a magnet link)",
      "  dht serve                     run a node until Ctrl-C",
      "  dht decode --sample           show the bundled get_peers response as JSON",
      "  dht help decode               the options of one command",
      "  source <(dht completion)      tab completion in bash",
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success",
      "1:nothing found, or the network failed",
      "2:usage or input error (one line on stderr; a stack trace only with --verbose)",
    })
public final class Main implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = {"-v", Logging.VERBOSE},
      scope = ScopeType.INHERIT,
      description = "More log output on stderr (-v info, -vv debug, -vvv trace) and stack traces.")
  private boolean[] verbose = new boolean[0];

  @Option(
      names = {"-q", Logging.QUIET},
      scope = ScopeType.INHERIT,
      description = "Only errors on stderr.")
  private boolean quiet;

  private final InputStream stdin;

  /** A root command reading {@code System.in}. */
  public Main() {
    this(System.in);
  }

  /** A root command that reads {@code stdin} where a command reads standard input. */
  public Main(InputStream stdin) {
    this.stdin = stdin;
  }

  /** Standard input for subcommands (replaceable in tests). */
  public InputStream stdin() {
    return stdin;
  }

  /** {@code dht} without a command: the usage on stderr, exit 2. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The subcommands, in the order {@code dht --help} lists them. */
  static final List<String> COMMANDS = List.of(
      "demo", "peers", "announce", "scrape", "put", "get", "keygen", "ping", "find-node", "serve", "crawl",
      "decode", "completion", "help");

  /** A new instance of the subcommand {@code name}. */
  private static Object newCommand(String name) {
    switch (name) {
      case "demo":
        return new DemoCommand();
      case "peers":
        return new PeersCommand();
      case "announce":
        return new AnnounceCommand();
      case "scrape":
        return new ScrapeCommand();
      case "put":
        return new PutCommand();
      case "get":
        return new GetCommand();
      case "keygen":
        return new KeygenCommand();
      case "ping":
        return new PingCommand();
      case "find-node":
        return new FindNodeCommand();
      case "serve":
        return new ServeCommand();
      case "crawl":
        return new CrawlCommand();
      case "decode":
        return new DecodeCommand();
      case "completion":
        return new CompletionCommand();
      case "help":
        return new HelpCommand();
      default:
        throw new IllegalArgumentException("no command " + name);
    }
  }

  /**
   * The subcommands {@code args} needs: the one it names; none for a plain {@code --version};
   * every one for help, completion, no command or an unknown one (usage lists them, and a typo
   * gets a suggestion).
   */
  static List<String> commandsFor(String... args) {
    boolean version = false;
    boolean help = false;
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      if (a.startsWith("--")) {
        version |= a.equals("--version");
        help |= a.equals("--help");
        continue;
      }
      if (a.startsWith("-") && a.length() > 1) {
        version |= a.indexOf('V') > 0;
        help |= a.indexOf('h') > 0;
        continue;
      }
      return COMMANDS.contains(a) && !a.equals("help") && !a.equals("completion") ? List.of(a) : COMMANDS;
    }
    return version && !help ? List.of() : COMMANDS;
  }

  /**
   * A fully configured command line with every subcommand: error handlers, and logging set up
   * after parsing and before any command runs. Output goes where {@code out} and {@code err} point.
   */
  public static CommandLine commandLine(InputStream stdin, PrintWriter out, PrintWriter err) {
    return commandLine(stdin, out, err, COMMANDS);
  }

  /** As {@link #commandLine(InputStream, PrintWriter, PrintWriter)}, with only the named subcommands. */
  static CommandLine commandLine(InputStream stdin, PrintWriter out, PrintWriter err, List<String> commands) {
    CommandLine cmd = new CommandLine(new Main(stdin));
    for (String name : commands) {
      cmd.addSubcommand(name, newCommand(name));
    }
    CliErrors errors = new CliErrors();
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setParameterExceptionHandler(errors);
    cmd.setExecutionExceptionHandler(errors);
    cmd.setExecutionStrategy(pr -> {
      try {
        Logging.configure(pr);
      } catch (UsageError e) {
        ParseResult last = pr;
        while (last.subcommand() != null) {
          last = last.subcommand();
        }
        throw new ParameterException(last.commandSpec().commandLine(), e.getMessage());
      }
      return new CommandLine.RunLast().execute(pr);
    });
    return cmd;
  }

  /** Counted down when the current {@link #run} has written all its output. */
  private static volatile CountDownLatch finished = new CountDownLatch(1);

  /** Runs {@code dht args} in-process and returns the exit code (for tests and embedding). */
  public static int run(InputStream stdin, PrintWriter out, PrintWriter err, String... args) {
    CountDownLatch done = new CountDownLatch(1);
    finished = done;
    try {
      return commandLine(stdin, out, err, commandsFor(args)).execute(args);
    } finally {
      out.flush();
      err.flush();
      done.countDown();
    }
  }

  /**
   * Waits up to {@code millis} for the running command to finish writing its output (for shutdown
   * hooks, which must not let the JVM halt before a result is printed).
   */
  static void awaitFinished(long millis) {
    try {
      finished.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The {@code dht} executable: UTF-8 on stdout and stderr, exit with the command's code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(System.in, out, err, args));
  }
}
