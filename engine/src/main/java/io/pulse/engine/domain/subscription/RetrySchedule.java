package io.pulse.engine.domain.subscription;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with "equal jitter" between delivery attempts: before attempt {@code n + 1}
 * the wait is {@code d / 2 + random * d / 2} with {@code d = min(max, min * 2^(n - 1))}. Half of
 * each wait is fixed, so retries are always spaced by at least half the nominal delay, and the
 * other half spreads the retries of many deliveries apart so they do not hit a recovering receiver
 * together.
 */
public record RetrySchedule(Duration minBackoff, Duration maxBackoff, int maxAttempts) {

  public RetrySchedule {
    Objects.requireNonNull(minBackoff, "minBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (minBackoff.isNegative() || minBackoff.isZero()) {
      throw new IllegalArgumentException("minBackoff must be positive; got " + minBackoff);
    }
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff (" + maxBackoff + ") must not be below minBackoff (" + minBackoff + ")");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1; got " + maxAttempts);
    }
  }

  /** The nominal delay after failed attempt {@code attempt} (1-based), before jitter. */
  public Duration nominalDelayAfter(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1; got " + attempt);
    }
    long min = minBackoff.toMillis();
    long max = maxBackoff.toMillis();
    // Doubling past 2^30 only matters for absurd settings, and would overflow.
    int doublings = Math.min(attempt - 1, 30);
    long nominal = min << doublings;
    return Duration.ofMillis(nominal < min || nominal > max ? max : nominal);
  }

  /** The wait after failed attempt {@code attempt}, with {@code random} drawn from [0, 1). */
  public Duration delayAfter(int attempt, double random) {
    if (random < 0 || random >= 1) {
      throw new IllegalArgumentException("random must be in [0, 1); got " + random);
    }
    long nominal = nominalDelayAfter(attempt).toMillis();
    long half = nominal / 2;
    return Duration.ofMillis(nominal - half + (long) (random * half));
  }

  /** The least wait after failed attempt {@code attempt}: what the jitter can never go below. */
  public Duration leastDelayAfter(int attempt) {
    long nominal = nominalDelayAfter(attempt).toMillis();
    return Duration.ofMillis(nominal - nominal / 2);
  }

  /** Whether a delivery that has failed {@code attempts} times may try again. */
  public boolean mayRetryAfter(int attempts) {
    return attempts < maxAttempts;
  }
}
