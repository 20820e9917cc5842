package io.pulse.engine.user;

/**
 * What user entities report as they work, for metrics. Called on the entity's own thread, so
 * implementations must be cheap and thread-safe (counters, histograms).
 */
public interface UserEntityObserver {

  /** Nothing observed, for tests and tools. */
  UserEntityObserver NONE = new UserEntityObserver() {};

  /** A group was recorded; {@code writeNanos} is from the command to its write being durable. */
  default void recorded(int accepted, int duplicates, int transitions, long writeNanos) {}

  /** An entity finished recovery and is active in memory. */
  default void started() {}

  /** An entity left memory (passivated, rebalanced or stopped). */
  default void stopped() {}
}
