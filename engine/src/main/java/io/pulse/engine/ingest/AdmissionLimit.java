package io.pulse.engine.ingest;

/**
 * How many unacknowledged events a node admits now, found the way TCP finds a window: it starts
 * small, grows by each acknowledged request's events while requests are acknowledged within the
 * target latency, and halves (at most once per target interval, never below where it started) when
 * one is not. A node that cannot keep up (every user first seen after a start, users handed over
 * from a lost node, a slow database) thus answers the excess {@code 503} at once, and acknowledges
 * what it admitted within about the target, instead of making every request wait until its timeout.
 * In a steady state that keeps up, it stays at the configured maximum.
 */
final class AdmissionLimit {

  private final int floor;
  private final int ceiling;
  private final long targetNanos;
  private volatile int limit;
  private long lastDecreaseNanos;
  private boolean decreased;

  /**
   * @param initial the limit at start, and the lowest it falls to
   * @param ceiling the highest it rises to
   * @param targetNanos the acknowledgement latency it keeps admitted requests within
   */
  AdmissionLimit(int initial, int ceiling, long targetNanos) {
    if (initial < 1 || ceiling < initial) {
      throw new IllegalArgumentException(
          "the initial limit must be from 1 to the maximum " + ceiling + "; got " + initial);
    }
    if (targetNanos <= 0) {
      throw new IllegalArgumentException("the target latency must be positive");
    }
    this.floor = initial;
    this.ceiling = ceiling;
    this.targetNanos = targetNanos;
    this.limit = initial;
  }

  /** The events the node may hold unacknowledged now. */
  int limit() {
    return limit;
  }

  /**
   * Whether a request of {@code events} is admitted beside {@code inFlight} unacknowledged ones:
   * while the window is not full, as TCP sends, so that a request larger than the limit is not
   * starved by smaller ones; never beyond the maximum.
   */
  boolean admits(int inFlight, int events) {
    return inFlight < limit && (long) inFlight + events <= ceiling;
  }

  /**
   * A request of {@code events} answered {@code latencyNanos} after it was admitted (acknowledged,
   * or given up at its timeout), at {@code nowNanos}.
   */
  synchronized void answered(int events, long latencyNanos, long nowNanos) {
    if (latencyNanos > targetNanos) {
      // The requests answered late together were admitted together: one halving answers them all.
      if (!decreased || nowNanos - lastDecreaseNanos >= targetNanos) {
        limit = Math.max(floor, limit / 2);
        lastDecreaseNanos = nowNanos;
        decreased = true;
      }
    } else {
      limit = (int) Math.min(ceiling, (long) limit + events);
    }
  }
}
