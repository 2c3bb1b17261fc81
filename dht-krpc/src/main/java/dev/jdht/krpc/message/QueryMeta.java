package dev.jdht.krpc.message;

import dev.jdht.krpc.bencode.BValue;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What every query may carry besides its own arguments: client version {@code v}, the read-only
 * flag {@code ro} (BEP 43), the {@code want} list (BEP 32), and keys we do not interpret at the
 * top level and inside {@code a}.
 */
public record QueryMeta(
    byte[] version,
    boolean readOnly,
    List<String> want,
    SortedMap<String, BValue> extras,
    SortedMap<String, BValue> argExtras) {

  private static final SortedMap<String, BValue> NO_EXTRAS =
      Collections.unmodifiableSortedMap(new TreeMap<>());

  /** No version, not read-only, no want, no extras. */
  public static final QueryMeta NONE = new QueryMeta(null, false, null, NO_EXTRAS, NO_EXTRAS);

  public QueryMeta {
    want = want == null ? null : List.copyOf(want);
    extras = extras == null ? NO_EXTRAS : Collections.unmodifiableSortedMap(new TreeMap<>(extras));
    argExtras = argExtras == null ? NO_EXTRAS : Collections.unmodifiableSortedMap(new TreeMap<>(argExtras));
  }

  public static QueryMeta of(byte[] version, boolean readOnly) {
    return new QueryMeta(version, readOnly, null, NO_EXTRAS, NO_EXTRAS);
  }

  static SortedMap<String, BValue> noExtras() {
    return NO_EXTRAS;
  }

  /**
   * This meta with the integer argument {@code key} (inside "a") set to {@code value}, e.g. BEP
   * 33's {@code scrape=1} or {@code seed=1}; the other arguments are kept.
   */
  public QueryMeta withArg(String key, long value) {
    TreeMap<String, BValue> args = new TreeMap<>(argExtras);
    args.put(key, BValue.BInteger.of(value));
    return new QueryMeta(version, readOnly, want, extras, args);
  }

  public boolean wants(String family) {
    return want != null && want.contains(family);
  }

  public Map<String, BValue> allExtras() {
    return extras;
  }
}
