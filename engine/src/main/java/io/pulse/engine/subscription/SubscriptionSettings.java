package io.pulse.engine.subscription;

/** Tuning of the subscription entities. */
public record SubscriptionSettings(int maxDeadLetters, int snapshotEvery, int keepSnapshots) {

  public SubscriptionSettings {
    if (maxDeadLetters < 1 || snapshotEvery < 1 || keepSnapshots < 1) {
      throw new IllegalArgumentException(
          "subscription settings must be positive: maxDeadLetters="
              + maxDeadLetters
              + ", snapshotEvery="
              + snapshotEvery
              + ", keepSnapshots="
              + keepSnapshots);
    }
  }
}
