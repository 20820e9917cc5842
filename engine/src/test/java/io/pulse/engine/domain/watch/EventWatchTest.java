package io.pulse.engine.domain.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.audience.EventMatch;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key of watched events: the same for matches that test the same, whatever their form. */
class EventWatchTest {

  private static Condition condition(String path, ConditionOperator operator, Object operand) {
    return new Condition(path, operator, operand);
  }

  @Test
  void conditionsInAnotherOrderOrNumbersWrittenAnotherWayGiveTheSameKey() {
    EventMatch one =
        new EventMatch(
            "purchase",
            List.of(
                condition("properties.amount", ConditionOperator.GTE, 50),
                condition("channel", ConditionOperator.IN, List.of("web", "app"))));
    EventMatch same =
        new EventMatch(
            "purchase",
            List.of(
                condition("channel", ConditionOperator.IN, List.of("web", "app")),
                condition("properties.amount", ConditionOperator.GTE, new BigDecimal("50.00"))));
    EventMatch asDouble =
        new EventMatch(
            "purchase",
            List.of(
                condition("properties.amount", ConditionOperator.GTE, 50.0),
                condition("channel", ConditionOperator.IN, List.of("web", "app"))));

    assertEquals(EventWatch.keyOf(one), EventWatch.keyOf(same));
    assertEquals(EventWatch.keyOf(one), EventWatch.keyOf(asDouble));
    assertEquals(EventWatch.keyOf(one), new EventWatch(one, true).key());
  }

  @Test
  void anyDifferenceInTypeOrTestGivesAnotherKey() {
    String key = EventWatch.keyOf(new EventMatch("purchase", List.of()));

    assertNotEquals(key, EventWatch.keyOf(new EventMatch("purchases", List.of())));
    assertNotEquals(
        key,
        EventWatch.keyOf(
            new EventMatch(
                "purchase", List.of(condition("properties.amount", ConditionOperator.GTE, 50)))));
    assertNotEquals(
        EventWatch.keyOf(
            new EventMatch(
                "purchase", List.of(condition("properties.code", ConditionOperator.EQ, "1")))),
        EventWatch.keyOf(
            new EventMatch(
                "purchase", List.of(condition("properties.code", ConditionOperator.EQ, 1)))),
        "a string is not a number");
  }
}
