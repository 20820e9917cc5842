package io.pulse.engine.domain.audience;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A comparison of a number with a threshold: {@code {"gte": 3}}. */
public record NumberTest(Comparison comparison, double threshold) {

  /** How a number is compared with the threshold. */
  public enum Comparison {
    EQ,
    NE,
    GT,
    GTE,
    LT,
    LTE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Comparison> fromWireName(String name) {
      return Arrays.stream(values()).filter(c -> c.wireName().equals(name)).findFirst();
    }
  }

  public boolean test(double value) {
    return switch (comparison) {
      case EQ -> value == threshold;
      case NE -> value != threshold;
      case GT -> value > threshold;
      case GTE -> value >= threshold;
      case LT -> value < threshold;
      case LTE -> value <= threshold;
    };
  }

  /**
   * How many of the most recent matching events decide this test on a count: one more than the
   * threshold, since a count above it answers every comparison as a count of exactly that many.
   */
  int countsNeeded() {
    return (int) Math.floor(threshold) + 1;
  }
}
