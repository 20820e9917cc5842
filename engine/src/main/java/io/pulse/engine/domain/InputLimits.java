package io.pulse.engine.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The numeric and time bounds on what clients may send: an input outside them is refused with a
 * problem naming the field, never stored, clamped or coerced. Configured under {@code
 * pulse.limits}.
 *
 * @param maxAmount the largest money amount (a purchase's {@code properties.amount}, an order
 *     amount, a campaign's amounts)
 * @param maxRulePoints the largest absolute value of a rule's points
 * @param maxRulesPerModel the most rules one scoring model may have
 * @param maxEventAge how far before now an event's timestamp may lie
 * @param maxClockSkew how far after now an event's timestamp may lie
 */
public record InputLimits(
    double maxAmount,
    double maxRulePoints,
    int maxRulesPerModel,
    Duration maxEventAge,
    Duration maxClockSkew) {

  /** The bounds of a server without configuration. */
  public static final InputLimits DEFAULTS =
      new InputLimits(1e9, 1e6, 1000, Duration.ofDays(1825), Duration.ofMinutes(5));

  /** No event happened before the Unix epoch. */
  public static final Instant EARLIEST_TIMESTAMP = Instant.EPOCH;

  /**
   * Configurable bounds stay far enough below {@link Saturating#LIMIT} that sums never reach it.
   */
  static final double HIGHEST_MAX_AMOUNT = 1e12;

  static final double HIGHEST_MAX_RULE_POINTS = 1e9;
  static final int HIGHEST_MAX_RULES_PER_MODEL = 100_000;

  public InputLimits {
    Objects.requireNonNull(maxEventAge, "maxEventAge");
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    if (!(maxAmount > 0 && maxAmount <= HIGHEST_MAX_AMOUNT)) {
      throw new IllegalArgumentException(
          "max-amount must be above 0 and at most 1e12, was " + maxAmount);
    }
    if (!(maxRulePoints > 0 && maxRulePoints <= HIGHEST_MAX_RULE_POINTS)) {
      throw new IllegalArgumentException(
          "max-rule-points must be above 0 and at most 1e9, was " + maxRulePoints);
    }
    if (maxRulesPerModel < 1 || maxRulesPerModel > HIGHEST_MAX_RULES_PER_MODEL) {
      throw new IllegalArgumentException(
          "max-rules-per-model must be 1 to 100000, was " + maxRulesPerModel);
    }
    if (maxEventAge.isNegative() || maxEventAge.isZero()) {
      throw new IllegalArgumentException("max-event-age must be positive, was " + maxEventAge);
    }
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException(
          "max-clock-skew must not be negative, was " + maxClockSkew);
    }
  }

  /** The earliest timestamp an event may carry at {@code now}. */
  public Instant earliestTimestampAt(Instant now) {
    Instant byAge = now.minus(maxEventAge);
    return byAge.isBefore(EARLIEST_TIMESTAMP) ? EARLIEST_TIMESTAMP : byAge;
  }

  /** The latest timestamp an event may carry at {@code now}. */
  public Instant latestTimestampAt(Instant now) {
    return now.plus(maxClockSkew);
  }

  /** Why {@code amount} is not an amount for {@code field}, if it is not. */
  public Optional<String> amountProblem(String field, double amount) {
    if (Double.isFinite(amount) && amount >= 0 && amount <= maxAmount) {
      return Optional.empty();
    }
    return Optional.of(field + " must be a number from 0 to " + plain(maxAmount));
  }

  /** A bound on time as people say it: {@code 1825 days}, {@code 5 minutes}, {@code 90 seconds}. */
  static String describe(Duration duration) {
    if (!duration.isZero() && duration.toSecondsPart() == 0 && duration.toNanosPart() == 0) {
      if (duration.toDaysPart() > 0
          && duration.toHoursPart() == 0
          && duration.toMinutesPart() == 0) {
        return duration.toDays() + " days";
      }
      if (duration.toMinutesPart() == 0) {
        return duration.toHours() + " hours";
      }
      return duration.toMinutes() + " minutes";
    }
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " seconds"
        : duration.toMillis() + " milliseconds";
  }

  /** {@code 1000000000} rather than {@code 1.0E9}: a bound as people write it. */
  static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
