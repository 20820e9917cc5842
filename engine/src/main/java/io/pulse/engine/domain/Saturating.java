package io.pulse.engine.domain;

/**
 * Sums of points and amounts that stay finite whatever was accepted: a sum saturates at {@code
 * ±LIMIT} instead of growing to infinity, where it would stay for good and turn into NaN at the
 * next subtraction or decay. No input within {@link InputLimits} gets near the limit in practice (a
 * thousand purchases a second at the largest default amount take 11 days to reach it).
 */
public final class Saturating {

  /** The largest magnitude a sum takes. */
  public static final double LIMIT = 1e18;

  private Saturating() {}

  /** {@code a + b}, held within {@code ±LIMIT}. */
  public static double add(double a, double b) {
    return clamp(a + b);
  }

  /** {@code value} held within {@code ±LIMIT}; a value that is not a number counts as 0. */
  public static double clamp(double value) {
    if (Double.isNaN(value)) {
      return 0;
    }
    return Math.max(-LIMIT, Math.min(LIMIT, value));
  }
}
