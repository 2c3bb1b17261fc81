package dev.jdht.core.lookup;

import dev.jdht.core.secure.SecureIdPolicy;
import dev.jdht.core.secure.SecureIds;
import dev.jdht.krpc.wire.NodeInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Which candidates may take a place among a lookup's K closest (BEP 42, and address diversity).
 * Walking the candidates closest first, a {@link Round} admits one unless it would be the third
 * node of its /24 (IPv4) or /64 (IPv6) or, under {@link SecureIdPolicy#PREFER}, the third whose id
 * does not match its address; under {@link SecureIdPolicy#ENFORCE} mismatching nodes are never
 * admitted. Local addresses are exempt from both counts. A candidate that is not admitted is
 * neither queried nor counted for completion, the result or announces. Immutable; rounds are
 * short-lived and not thread-safe.
 */
public final class ClosestAdmission {
  /** Admits every candidate (no policy). */
  public static final ClosestAdmission ALL = new ClosestAdmission(SecureIdPolicy.OFF);

  private static final Facts FREE = new Facts(true, false, null);

  private final SecureIdPolicy policy;
  /** The round of {@link #ALL}: it only ever sees exempt facts, so it holds no state. */
  private final Round free = new Round();

  private ClosestAdmission(SecureIdPolicy policy) {
    this.policy = policy;
  }

  /** The admission rule of {@code policy} ({@link #ALL} for OFF). */
  public static ClosestAdmission of(SecureIdPolicy policy) {
    return policy == SecureIdPolicy.OFF ? ALL : new ClosestAdmission(policy);
  }

  /** True when every candidate is admitted. */
  public boolean admitsAll() {
    return policy == SecureIdPolicy.OFF;
  }

  /** What the rule needs to know of one candidate, computed once. */
  record Facts(boolean exempt, boolean mismatch, String prefix) {}

  /** The facts of {@code n} (cheap for {@link #ALL}). */
  Facts facts(NodeInfo n) {
    if (admitsAll() || SecureIds.isExempt(n.address())) {
      return FREE;
    }
    return new Facts(false, !SecureIds.matches(n.id(), n.address()), SecureIds.prefix(n.address()));
  }

  /** A fresh count for one walk over the candidates, closest first. */
  Round round() {
    return admitsAll() ? free : new Round();
  }

  /** One walk: admits candidates in the order they are offered. */
  final class Round {
    private Map<String, Integer> perPrefix;
    private int mismatching;

    /** True if the candidate with these facts is admitted (and then counted). */
    boolean admit(Facts f) {
      if (f.exempt()) {
        return true;
      }
      if (f.mismatch() && (policy == SecureIdPolicy.ENFORCE || mismatching >= SecureIdPolicy.MAX_MISMATCHING)) {
        return false;
      }
      if (perPrefix == null) {
        perPrefix = new HashMap<>();
      }
      int n = perPrefix.getOrDefault(f.prefix(), 0);
      if (n >= SecureIdPolicy.MAX_PER_PREFIX) {
        return false;
      }
      perPrefix.put(f.prefix(), n + 1);
      if (f.mismatch()) {
        mismatching++;
      }
      return true;
    }
  }
}
