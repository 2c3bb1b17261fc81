package dev.jdht.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class MainTest {
  private String savedLevel;

  @BeforeEach
  void saveLevel() {
    savedLevel = System.getProperty(Logging.LEVEL_PROPERTY);
  }

  @AfterEach
  void restoreLevel() {
    if (savedLevel == null) {
      System.clearProperty(Logging.LEVEL_PROPERTY);
    } else {
      System.setProperty(Logging.LEVEL_PROPERTY, savedLevel);
    }
  }

  @Test
  void versionPrintsTheProjectVersion() {
    Cli.Result r = Cli.run("--version");
    assertEquals(0, r.exitCode(), r::toString);
    String first = r.out().lines().findFirst().orElseThrow();
    assertTrue(first.matches("dht \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), first);
    assertEquals(VersionProvider.version(), first.substring(4));
    assertEquals("", r.err());
  }

  @Test
  void helpListsCommandsExitCodesAndExamples() {
    Cli.Result r = Cli.run("--help");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("Usage: dht "), r.out());
    assertTrue(r.out().contains("decode"), r.out());
    assertTrue(r.out().contains("completion"), r.out());
    assertTrue(r.out().contains("Exit status:"), r.out());
    assertTrue(r.out().contains("Examples:\n  dht "), r.out());
  }

  /** Every command path, e.g. [decode], [completion]. */
  static List<String> commands() {
    List<String> names = new ArrayList<>();
    CommandLine root = Main.commandLine(System.in, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    names.addAll(root.getSubcommands().keySet());
    return names;
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyCommandHasHelpWithAnExample(String command) {
    Cli.Result r = Cli.run(command, "--help");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().contains("Usage: dht " + command + " "), r.out());
    assertTrue(r.out().contains("--verbose"), r.out());
    assertTrue(r.out().contains("Examples:\n  "), r.out());
    assertEquals(1, r.out().split("Examples:", -1).length - 1, "one Examples heading: " + r.out());
  }

  @Test
  void noCommandPrintsUsageOnStderrAndExitsTwo() {
    Cli.Result r = Cli.run();
    assertEquals(2, r.exitCode());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("Usage: dht "), r.err());
  }

  @Test
  void helpSubcommandWorks() {
    Cli.Result r = Cli.run("help", "decode");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("Usage: dht decode"), r.out());
  }

  @Test
  void unknownOptionIsOneLine() {
    Cli.Result r = Cli.run("--frobnicate");
    assertEquals(2, r.exitCode());
    assertEquals(List.of("dht: Unknown option: '--frobnicate' (see 'dht --help')"), r.errLines());
  }

  @Test
  void verbosityFlagsSetTheSlf4jLevel() {
    assertEquals(0, Cli.run("-vv", "decode", "--sample").exitCode());
    assertEquals("debug", System.getProperty(Logging.LEVEL_PROPERTY));
    assertEquals(0, Cli.run("decode", "--sample", "-v").exitCode());
    assertEquals("info", System.getProperty(Logging.LEVEL_PROPERTY));
    assertEquals(0, Cli.run("-v", "decode", "-vv", "--sample").exitCode());
    assertEquals("trace", System.getProperty(Logging.LEVEL_PROPERTY));
    assertEquals(0, Cli.run("-q", "decode", "--sample").exitCode());
    assertEquals("error", System.getProperty(Logging.LEVEL_PROPERTY));
    System.clearProperty(Logging.LEVEL_PROPERTY);
    assertEquals(0, Cli.run("decode", "--sample").exitCode());
    assertEquals("warn", System.getProperty(Logging.LEVEL_PROPERTY));
  }

  @Test
  void levelNames() {
    assertEquals("warn", Logging.level(0, false));
    assertEquals("info", Logging.level(1, false));
    assertEquals("debug", Logging.level(2, false));
    assertEquals("trace", Logging.level(5, false));
    assertEquals("error", Logging.level(0, true));
  }

  @Test
  void completionPrintsABashScriptForEveryCommand() {
    Cli.Result r = Cli.run("completion");
    assertEquals(0, r.exitCode(), r::toString);
    assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out().substring(0, 100));
    assertTrue(r.out().contains("complete -F _complete_dht"), "registers the completion function");
    for (String c : commands()) {
      assertTrue(r.out().contains(c), "completes " + c);
    }
    assertTrue(r.out().contains("--sample"), "completes decode's options");
  }
}
