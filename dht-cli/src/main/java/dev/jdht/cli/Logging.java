package dev.jdht.cli;

import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Maps {@code -v}/{@code -q} to slf4j-simple's level, through system properties.
 *
 * <p>slf4j-simple reads its configuration once, when the first logger is created, so {@link
 * #configure} must run before any logger exists. {@link Main} calls it from its execution
 * strategy: after parsing, before any command runs. Command classes therefore must not hold
 * {@code static} loggers (picocli instantiates them before parsing); they get loggers inside
 * {@code call()}. Logs always go to stderr, so stdout stays clean for results.
 *
 * <p>Levels: default {@code warn}; {@code -v} info, {@code -vv} debug, {@code -vvv} trace; {@code
 * -q} error. A level set with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} is kept when
 * neither flag is given. Not thread-safe: call from the main thread at start-up.
 */
public final class Logging {
  /** slf4j-simple's property for the default level. */
  public static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  static final String VERBOSE = "--verbose";
  static final String QUIET = "--quiet";

  private Logging() {}

  /**
   * How many times {@code -v} was given anywhere on the command line (before or after the
   * subcommand name); 0 when none or when {@code pr} is null.
   */
  public static int verbosity(ParseResult pr) {
    int n = 0;
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      OptionSpec v = p.commandSpec().findOption(VERBOSE);
      if (v != null) {
        n += (int) p.matchedArgs().stream().filter(a -> a == v).count();
      }
    }
    return n;
  }

  /** Whether {@code -q} was given anywhere on the command line. */
  public static boolean quiet(ParseResult pr) {
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(QUIET)) {
        return true;
      }
    }
    return false;
  }

  /** The slf4j-simple level name for a verbosity count and the quiet flag. */
  public static String level(int verbosity, boolean quiet) {
    if (quiet) {
      return "error";
    }
    switch (verbosity) {
      case 0:
        return "warn";
      case 1:
        return "info";
      case 2:
        return "debug";
      default:
        return "trace";
    }
  }

  /**
   * Sets slf4j-simple's properties from the parsed flags. Throws {@link UsageError} when both
   * {@code -v} and {@code -q} are given.
   */
  public static void configure(ParseResult pr) {
    int v = verbosity(pr);
    boolean q = quiet(pr);
    if (v > 0 && q) {
      throw new UsageError("--verbose and --quiet cannot be combined");
    }
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    if (v > 0 || q) {
      System.setProperty(LEVEL_PROPERTY, level(v, q));
    } else {
      setIfAbsent(LEVEL_PROPERTY, level(0, false));
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
