package io.pulse.engine.domain.access;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, up to a full second's worth held. A
 * request that asks for more than a full bucket is let through when the bucket is full, and leaves
 * it in debt, so that a large batch under a small limit waits its turn instead of never passing.
 * Immutable: taking tokens returns the next bucket.
 */
public record TokenBucket(long ratePerSecond, double tokens, long atNanos) {

  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  public TokenBucket {
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("ratePerSecond must be positive; got " + ratePerSecond);
    }
  }

  /** A full bucket at {@code nowNanos}. */
  public static TokenBucket full(long ratePerSecond, long nowNanos) {
    return new TokenBucket(ratePerSecond, ratePerSecond, nowNanos);
  }

  /** The outcome of one attempt to take tokens, and the bucket after it. */
  public record Taken(TokenBucket bucket, RateDecision decision) {}

  /** Takes {@code amount} tokens at {@code nowNanos} if there are enough. */
  public Taken take(long amount, long nowNanos) {
    double available = refilledAt(nowNanos);
    double needed = Math.min(amount, ratePerSecond);
    if (available >= needed) {
      double left = available - amount;
      return new Taken(
          new TokenBucket(ratePerSecond, left, nowNanos),
          new RateDecision(true, ratePerSecond, remaining(left), secondsUntilFull(left), 0));
    }
    long retryAfter = (long) Math.ceil((needed - available) / ratePerSecond);
    return new Taken(
        new TokenBucket(ratePerSecond, available, nowNanos),
        new RateDecision(
            false,
            ratePerSecond,
            remaining(available),
            secondsUntilFull(available),
            Math.max(1, retryAfter)));
  }

  /** The state of the bucket at {@code nowNanos}, without taking anything. */
  public RateDecision peek(long nowNanos) {
    double available = refilledAt(nowNanos);
    return new RateDecision(
        true, ratePerSecond, remaining(available), secondsUntilFull(available), 0);
  }

  private double refilledAt(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - atNanos);
    return Math.min(ratePerSecond, tokens + elapsed / NANOS_PER_SECOND * ratePerSecond);
  }

  private static long remaining(double tokens) {
    return Math.max(0, (long) Math.floor(tokens));
  }

  private long secondsUntilFull(double tokens) {
    return (long) Math.ceil(Math.max(0, ratePerSecond - tokens) / ratePerSecond);
  }
}
