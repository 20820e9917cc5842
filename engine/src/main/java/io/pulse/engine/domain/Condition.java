package io.pulse.engine.domain;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A test on one dotted property path of an event, e.g. {@code properties.amount gte 50}. */
public record Condition(String path, ConditionOperator operator, Object operand) {

  public Condition {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(operator, "operator");
  }

  /** Why this condition is not well formed, if it is not. */
  public Optional<String> problem() {
    if (path.isBlank()) {
      return Optional.of("condition path must not be blank");
    }
    if (!InputText.isWellFormed(path)) {
      return Optional.of("condition path " + InputText.NOT_UNICODE);
    }
    boolean eventField =
        path.equals("type")
            || path.equals("channel")
            || path.equals("userId")
            || path.equals("eventId");
    if (!eventField
        && !(path.startsWith("properties.") && path.length() > "properties.".length())) {
      return Optional.of(
          "condition path '"
              + path
              + "' must be properties.<name>[.<name>...], type, channel, userId or eventId");
    }
    switch (operator) {
      case EXISTS:
        if (!(operand instanceof Boolean)) {
          return Optional.of("'exists' on '" + path + "' takes true or false");
        }
        break;
      case IN:
        if (!(operand instanceof List<?> list) || list.isEmpty()) {
          return Optional.of("'in' on '" + path + "' takes a non-empty array");
        }
        break;
      case GT:
      case GTE:
      case LT:
      case LTE:
        if (!(operand instanceof Number) && !(operand instanceof String)) {
          return Optional.of(
              "'" + operator.wireName() + "' on '" + path + "' takes a number or a string");
        }
        break;
      default:
        if (operand == null) {
          return Optional.of("'" + operator.wireName() + "' on '" + path + "' takes a value");
        }
    }
    return Optional.empty();
  }

  public boolean test(BehaviouralEvent event) {
    Optional<Object> value = event.valueAt(path);
    switch (operator) {
      case EXISTS:
        return value.isPresent() == Boolean.TRUE.equals(operand);
      case EQ:
        return value.isPresent() && sameValue(value.get(), operand);
      case NE:
        return value.isEmpty() || !sameValue(value.get(), operand);
      case IN:
        return value.isPresent()
            && operand instanceof List<?> list
            && list.stream().anyMatch(candidate -> sameValue(value.get(), candidate));
      default:
        return value.isPresent() && ordered(value.get());
    }
  }

  private boolean ordered(Object value) {
    int comparison;
    if (value instanceof Number left && operand instanceof Number right) {
      comparison = compareNumbers(left, right);
    } else if (value instanceof String left && operand instanceof String right) {
      comparison = left.compareTo(right);
    } else {
      return false;
    }
    switch (operator) {
      case GT:
        return comparison > 0;
      case GTE:
        return comparison >= 0;
      case LT:
        return comparison < 0;
      default:
        return comparison <= 0;
    }
  }

  /** Numbers compare by value whatever their Java type (JSON gives Integer, Long or Double). */
  private static boolean sameValue(Object left, Object right) {
    if (left instanceof Number a && right instanceof Number b) {
      return compareNumbers(a, b) == 0;
    }
    return Objects.equals(left, right);
  }

  /**
   * Exact for integers and decimals of any size; infinities (a JSON number too large for a double)
   * compare as doubles, since BigDecimal cannot hold them.
   */
  private static int compareNumbers(Number left, Number right) {
    if (!Double.isFinite(left.doubleValue()) || !Double.isFinite(right.doubleValue())) {
      return Double.compare(left.doubleValue(), right.doubleValue());
    }
    return decimal(left).compareTo(decimal(right));
  }

  private static BigDecimal decimal(Number number) {
    if (number instanceof BigDecimal big) {
      return big;
    }
    if (number instanceof Double || number instanceof Float) {
      return BigDecimal.valueOf(number.doubleValue());
    }
    return new BigDecimal(number.toString());
  }
}
