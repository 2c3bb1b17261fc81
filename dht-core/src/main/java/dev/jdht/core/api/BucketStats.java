package dev.jdht.core.api;

/**
 * One routing-table bucket of one address family. Immutable.
 *
 * @param depth the bucket's prefix depth: its nodes share exactly {@code depth} leading bits with
 *     our id (the deepest bucket holds every node sharing at least that many)
 * @param family "ipv4" or "ipv6"
 * @param good live entries that answered recently
 * @param questionable live entries not heard from recently
 * @param bad live entries that failed repeatedly (about to be replaced)
 * @param replacements candidates in the bucket's replacement cache
 */
public record BucketStats(int depth, String family, int good, int questionable, int bad, int replacements) {

  /** Live entries: good + questionable + bad. */
  public int live() {
    return good + questionable + bad;
  }
}
