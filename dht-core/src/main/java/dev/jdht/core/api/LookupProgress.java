package dev.jdht.core.api;

import java.time.Duration;

/**
 * A progress sample of a running lookup (delivered at most every 100 ms). Immutable.
 *
 * @param queried queries sent so far
 * @param responses responses so far
 * @param timeouts failures so far
 * @param peers distinct peers so far
 * @param elapsed time since the lookup started
 */
public record LookupProgress(int queried, int responses, int timeouts, int peers, Duration elapsed) {}
