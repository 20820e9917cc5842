package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.withProperties;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConditionTest {

  private static final BehaviouralEvent CART =
      withProperties(
          Map.of(
              "campaign",
              "black-friday",
              "cart",
              Map.of("total", 120, "items", 3L, "tax", 19.5, "coupon", "SAVE10"),
              "flagged",
              false));

  private static boolean holds(String path, ConditionOperator operator, Object operand) {
    return new Condition(path, operator, operand).test(CART);
  }

  @Test
  void eqComparesANestedPropertyByValue() {
    assertTrue(holds("properties.cart.total", ConditionOperator.EQ, 120));
    assertTrue(holds("properties.campaign", ConditionOperator.EQ, "black-friday"));
    assertTrue(holds("properties.flagged", ConditionOperator.EQ, false));
    assertFalse(holds("properties.cart.total", ConditionOperator.EQ, 121));
    assertFalse(holds("properties.cart.total", ConditionOperator.EQ, "120"));
    assertFalse(holds("properties.cart.missing", ConditionOperator.EQ, 120));
  }

  @Test
  void numbersAreEqualWhateverTheirJavaType() {
    assertTrue(holds("properties.cart.total", ConditionOperator.EQ, 120.0));
    assertTrue(holds("properties.cart.total", ConditionOperator.EQ, 120L));
    assertTrue(holds("properties.cart.items", ConditionOperator.EQ, 3));
    assertTrue(holds("properties.cart.tax", ConditionOperator.EQ, 19.5f));
  }

  @Test
  void eqCanTestTheEventsOwnFields() {
    assertTrue(holds("channel", ConditionOperator.EQ, "web"));
    assertTrue(holds("type", ConditionOperator.EQ, "checkout"));
    assertTrue(holds("userId", ConditionOperator.EQ, TestEvents.USER));
    assertTrue(holds("eventId", ConditionOperator.EQ, CART.eventId()));
    assertFalse(holds("channel", ConditionOperator.EQ, "email"));
  }

  @Test
  void neHoldsForADifferentOrAbsentValue() {
    assertTrue(holds("properties.campaign", ConditionOperator.NE, "spring-sale"));
    assertTrue(holds("properties.cart.missing", ConditionOperator.NE, "anything"));
    assertFalse(holds("properties.campaign", ConditionOperator.NE, "black-friday"));
    assertFalse(holds("properties.cart.total", ConditionOperator.NE, 120.0));
  }

  @Test
  void inHoldsWhenTheValueIsOneOfTheCandidates() {
    assertTrue(
        holds("properties.campaign", ConditionOperator.IN, List.of("spring-sale", "black-friday")));
    assertTrue(holds("properties.cart.items", ConditionOperator.IN, List.of(1.0, 3.0)));
    assertFalse(holds("properties.campaign", ConditionOperator.IN, List.of("spring-sale")));
    assertFalse(holds("properties.cart.missing", ConditionOperator.IN, List.of("x")));
  }

  @Test
  void orderingComparesNumbersAcrossIntegerLongAndDouble() {
    // total is an Integer 120
    assertTrue(holds("properties.cart.total", ConditionOperator.GTE, 120.0));
    assertTrue(holds("properties.cart.total", ConditionOperator.LTE, 120L));
    assertFalse(holds("properties.cart.total", ConditionOperator.GT, 120.0));
    assertFalse(holds("properties.cart.total", ConditionOperator.LT, 120L));
    assertTrue(holds("properties.cart.total", ConditionOperator.GT, 119.99));
    assertTrue(holds("properties.cart.total", ConditionOperator.LT, 120.01));
    // items is a Long 3, tax a Double 19.5
    assertTrue(holds("properties.cart.items", ConditionOperator.GT, 2));
    assertTrue(holds("properties.cart.items", ConditionOperator.LT, 3.5));
    assertTrue(holds("properties.cart.tax", ConditionOperator.GT, 19));
    assertTrue(holds("properties.cart.tax", ConditionOperator.LT, 20L));
    assertFalse(holds("properties.cart.tax", ConditionOperator.GTE, 20));
    assertFalse(holds("properties.cart.tax", ConditionOperator.LTE, 19L));
  }

  @Test
  void orderingComparesStringsLexicographically() {
    assertTrue(holds("properties.campaign", ConditionOperator.GT, "autumn"));
    assertTrue(holds("properties.campaign", ConditionOperator.LT, "christmas"));
    assertTrue(holds("properties.campaign", ConditionOperator.GTE, "black-friday"));
    assertTrue(holds("properties.campaign", ConditionOperator.LTE, "black-friday"));
    assertFalse(holds("properties.campaign", ConditionOperator.GT, "black-friday"));
    assertFalse(holds("properties.campaign", ConditionOperator.LT, "aardvark"));
  }

  @Test
  void orderingNeverHoldsBetweenAStringAndANumberOrForAnAbsentValue() {
    assertFalse(holds("properties.cart.coupon", ConditionOperator.GT, 1));
    assertFalse(holds("properties.cart.total", ConditionOperator.LT, "zzz"));
    assertFalse(holds("properties.cart.missing", ConditionOperator.GTE, 0));
    assertFalse(holds("properties.cart.missing", ConditionOperator.LTE, 0));
  }

  @Test
  void anInfiniteNumberIsComparedLikeAnyOtherNumber() {
    // given a JSON literal such as 1e400, which parses to an infinite double
    BehaviouralEvent huge = withProperties(Map.of("amount", Double.POSITIVE_INFINITY));

    // then
    assertTrue(new Condition("properties.amount", ConditionOperator.GTE, 50).test(huge));
    assertFalse(new Condition("properties.amount", ConditionOperator.EQ, 50).test(huge));
  }

  @Test
  void existsTrueHoldsOnlyForAPresentValue() {
    assertTrue(holds("properties.cart.coupon", ConditionOperator.EXISTS, true));
    assertTrue(holds("properties.flagged", ConditionOperator.EXISTS, true));
    assertFalse(holds("properties.cart.gift", ConditionOperator.EXISTS, true));
  }

  @Test
  void existsFalseHoldsOnlyForAnAbsentValue() {
    assertTrue(holds("properties.cart.gift", ConditionOperator.EXISTS, false));
    assertTrue(holds("properties.nothing.below", ConditionOperator.EXISTS, false));
    assertFalse(holds("properties.cart.coupon", ConditionOperator.EXISTS, false));
  }

  @Test
  void aPathThroughANonObjectValueFindsNothing() {
    assertEquals(Optional.empty(), CART.valueAt("properties.campaign.name"));
    assertFalse(holds("properties.campaign.name", ConditionOperator.EXISTS, true));
  }

  @Test
  void valueAtWalksDottedPathsIntoTheProperties() {
    assertEquals(Optional.of(120), CART.valueAt("properties.cart.total"));
    assertEquals(Optional.of("black-friday"), CART.valueAt("properties.campaign"));
    assertEquals(Optional.empty(), CART.valueAt("cart.total"));
    assertEquals(Optional.empty(), CART.valueAt("properties"));
  }

  @Test
  void operatorsHaveLowerCaseWireNames() {
    assertEquals("gte", ConditionOperator.GTE.wireName());
    assertEquals(Optional.of(ConditionOperator.EXISTS), ConditionOperator.fromWireName("exists"));
    assertEquals(Optional.empty(), ConditionOperator.fromWireName("GTE"));
    assertEquals(Optional.empty(), ConditionOperator.fromWireName("between"));
  }
}
