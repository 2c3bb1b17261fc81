package dev.jdht.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code dht completion}: prints the bash completion script picocli generates from the live
 * command tree, so it always matches the jar that prints it (no build step, no stale file).
 * One instance per invocation; not thread-safe.
 */
@Command(
    name = "completion",
    description = {
      "Prints a bash completion script for dht, generated from its commands and options.",
      "In zsh, run 'autoload -U +X bashcompinit && bashcompinit' first.",
    },
    footer = {
      "  source <(dht completion)          this shell only",
      "  dht completion > ~/.local/share/bash-completion/completions/dht",
      "                                    every new bash",
    })
public final class CompletionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  /** Prints the script; exit 0. */
  @Override
  public Integer call() {
    CommandSpec root = spec.root();
    spec.commandLine().getOut().print(AutoComplete.bash(root.name(), root.commandLine()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
