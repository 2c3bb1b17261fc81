package dev.jdht.core.secure;

import java.util.Locale;

/**
 * How a node treats contacts whose id does not match their address (BEP 42). Local addresses are
 * exempt under every policy.
 *
 * <ul>
 *   <li>{@link #OFF}: ids are not checked and our own id is never regenerated (the behaviour before
 *       BEP 42).
 *   <li>{@link #PREFER} (default): mismatching contacts are kept, but a mismatching newcomer never
 *       displaces a matching entry, matching replacements are promoted first, a lookup counts at
 *       most {@link #MAX_MISMATCHING} mismatching nodes and at most {@link #MAX_PER_PREFIX} nodes
 *       per /24 (IPv4) or /64 (IPv6) among its K closest (which decide completion and announce
 *       targets); our id is regenerated from our voted external IP.
 *   <li>{@link #ENFORCE}: as PREFER, and mismatching contacts are refused by the routing table and
 *       never become lookup candidates.
 * </ul>
 */
public enum SecureIdPolicy {
  OFF,
  PREFER,
  ENFORCE;

  /** At most this many nodes of one /24 or /64 count among a lookup's K closest. */
  public static final int MAX_PER_PREFIX = 2;
  /** Under PREFER, at most this many mismatching nodes count among a lookup's K closest. */
  public static final int MAX_MISMATCHING = 2;

  /** The policy named {@code s} ({@code off}, {@code prefer}, {@code enforce}; any case). */
  public static SecureIdPolicy parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("secure id policy must be off, prefer or enforce, not '" + s + "'");
    }
  }

  /** Lower case, as the CLI spells it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
