package dev.jdht.cli;

/** The exit codes every {@code dht} command uses. Constants only. */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** A lookup found nothing, or the network failed. */
  public static final int FAILED = 1;
  /** A usage or input error: bad option, bad argument, unreadable or malformed input. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
