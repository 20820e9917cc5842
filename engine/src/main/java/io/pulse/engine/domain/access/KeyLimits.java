package io.pulse.engine.domain.access;

import java.util.ArrayList;
import java.util.List;

/**
 * How much one key may do per second on one node: requests of any kind, and events ingested. A
 * value of 0 means "the node's default".
 */
public record KeyLimits(int requestsPerSecond, int eventsPerSecond) {

  /** Limits taken from the node's defaults. */
  public static final KeyLimits DEFAULTS = new KeyLimits(0, 0);

  /** The highest rate a key may be given: beyond it a limit is no limit at all. */
  public static final int MAX_RATE = 10_000_000;

  /** What is wrong with these limits; empty when they can be stored. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>(2);
    if (requestsPerSecond < 0 || requestsPerSecond > MAX_RATE) {
      problems.add("limits.requestsPerSecond must be between 1 and " + MAX_RATE);
    }
    if (eventsPerSecond < 0 || eventsPerSecond > MAX_RATE) {
      problems.add("limits.eventsPerSecond must be between 1 and " + MAX_RATE);
    }
    return problems;
  }

  /** These limits, with the node's defaults where none is set. */
  public KeyLimits orDefaults(KeyLimits defaults) {
    return new KeyLimits(
        requestsPerSecond > 0 ? requestsPerSecond : defaults.requestsPerSecond(),
        eventsPerSecond > 0 ? eventsPerSecond : defaults.eventsPerSecond());
  }
}
