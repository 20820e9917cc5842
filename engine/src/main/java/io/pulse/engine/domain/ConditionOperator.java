package io.pulse.engine.domain;

import java.util.Locale;
import java.util.Optional;

/** How a rule condition compares a property with its operand. */
public enum ConditionOperator {
  EQ,
  NE,
  IN,
  GT,
  GTE,
  LT,
  LTE,
  EXISTS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ConditionOperator> fromWireName(String name) {
    for (ConditionOperator operator : values()) {
      if (operator.wireName().equals(name)) {
        return Optional.of(operator);
      }
    }
    return Optional.empty();
  }

  boolean isOrdering() {
    return this == GT || this == GTE || this == LT || this == LTE;
  }
}
