package dev.jdht.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** What every command asks about its invocation. Stateless and thread-safe. */
final class Commands {
  private Commands() {}

  /** The parse result of the whole command line (root and subcommands). */
  static ParseResult parseResult(CommandSpec spec) {
    return spec.root().commandLine().getParseResult();
  }

  /** Whether {@code -q} was given: then only errors go to stderr. */
  static boolean quiet(CommandSpec spec) {
    return Logging.quiet(parseResult(spec));
  }

  /** How many {@code -v} were given. */
  static int verbosity(CommandSpec spec) {
    return Logging.verbosity(parseResult(spec));
  }
}
