package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.purchase;
import static io.pulse.engine.domain.TestEvents.where;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringRuleTest {

  @Test
  void aRuleMatchesOnlyItsEventType() {
    // given
    ScoringRule rule = ScoringRule.of("email_open", null, 3);

    // then
    assertTrue(rule.matches(event("email_open", Channel.EMAIL, T0)));
    assertFalse(rule.matches(event("email_click", Channel.EMAIL, T0)));
    assertFalse(rule.matches(event("Email_Open", Channel.EMAIL, T0)));
  }

  @Test
  void aChannelNarrowsTheRule() {
    // given
    ScoringRule emailOnly = ScoringRule.of("click", Channel.EMAIL, 5);
    ScoringRule anyChannel = ScoringRule.of("click", null, 5);

    // then
    assertTrue(emailOnly.matches(event("click", Channel.EMAIL, T0)));
    assertFalse(emailOnly.matches(event("click", Channel.PUSH, T0)));
    assertFalse(emailOnly.matches(event("click", Channel.OTHER, T0)));
    assertTrue(anyChannel.matches(event("click", Channel.PUSH, T0)));
    assertTrue(anyChannel.matches(event("click", Channel.IN_APP, T0)));
  }

  @Test
  void everyWhereConditionMustHold() {
    // given
    ScoringRule rule =
        where(
            "purchase",
            10,
            new Condition("properties.amount", ConditionOperator.GTE, 50),
            new Condition("properties.currency", ConditionOperator.EQ, "EUR"));

    // then
    assertTrue(
        rule.matches(event("purchase", Channel.WEB, T0, Map.of("amount", 50, "currency", "EUR"))));
    assertFalse(
        rule.matches(event("purchase", Channel.WEB, T0, Map.of("amount", 49, "currency", "EUR"))));
    assertFalse(
        rule.matches(
            event("purchase", Channel.WEB, T0, Map.of("amount", 500.0, "currency", "USD"))));
  }

  @Test
  void aConditionOnTheCartTotalDecidesWhetherACheckoutScores() {
    // given
    ScoringModel big =
        model(
            "big-carts",
            null,
            where(
                "checkout",
                20,
                new Condition("properties.cart.total", ConditionOperator.GT, 99.5)));
    ScoringModels models = ScoringModels.of(big);

    // when
    UserEngagement user =
        newUser()
            .record(
                List.of(
                    event("checkout", Channel.WEB, T0, Map.of("cart", Map.of("total", 99))),
                    event("checkout", Channel.WEB, T0, Map.of("cart", Map.of("total", 100L))),
                    event("checkout", Channel.WEB, T0, Map.of("cart", Map.of("total", 150.25))),
                    event("checkout", Channel.WEB, T0, Map.of("cart", "none"))),
                models)
            .state();

    // then
    assertEquals(40.0, user.standingIn(big, T0).points());
  }

  @Test
  void theDocumentedPurchaseRuleIgnoresSmallOrders() {
    // given
    ScoringModel model =
        model(
            "orders",
            30.0,
            new ScoringRule(
                "purchase",
                null,
                10,
                List.of(new Condition("properties.amount", ConditionOperator.GTE, 50)),
                3));

    // when
    UserEngagement user =
        newUser()
            .record(
                List.of(purchase(T0, 49.99), purchase(T0, 50), purchase(T0, 120L)),
                ScoringModels.of(model))
            .state();

    // then
    assertEquals(20.0, user.standingIn(model, T0).points());
  }

  @Test
  void pointsOfEveryMatchingRuleAddUp() {
    // given
    ScoringModel model =
        model(
            "stacked",
            null,
            ScoringRule.of("email_click", null, 5),
            ScoringRule.of("email_click", Channel.EMAIL, 2),
            ScoringRule.of("email_open", null, 100));

    // when
    UserEngagement user =
        newUser()
            .record(List.of(event("email_click", Channel.EMAIL, T0)), ScoringModels.of(model))
            .state();

    // then
    assertEquals(7.0, user.standingIn(model, T0).points());
  }

  @Test
  void negativePointsLowerTheScore() {
    // given
    ScoringModel model =
        model(
            "with-penalty",
            null,
            ScoringRule.of("purchase", null, 30),
            ScoringRule.of("unsubscribe", Channel.EMAIL, -20));
    ScoringModels models = ScoringModels.of(model);
    UserEngagement buyer = newUser().record(List.of(purchase(T0, 10)), models).state();

    // when
    UserEngagement after =
        buyer
            .record(List.of(event("unsubscribe", Channel.EMAIL, T0.plusSeconds(1))), models)
            .state();

    // then
    assertEquals(10.0, after.standingIn(model, T0.plusSeconds(1)).points());
    assertTrue(
        after.standingIn(model, T0.plusSeconds(1)).score()
            < buyer.standingIn(model, T0.plusSeconds(1)).score());
  }

  @Test
  void pointsBelowZeroScoreAtTheMinimum() {
    // given
    ScoringModel model = model("penalty", null, ScoringRule.of("complaint", null, -15));

    // when
    UserEngagement user =
        newUser()
            .record(List.of(event("complaint", Channel.SMS, T0)), ScoringModels.of(model))
            .state();

    // then
    ModelStanding standing = user.standingIn(model, T0);
    assertEquals(-15.0, standing.points());
    assertEquals(1.0, standing.score());
    assertEquals("low", standing.band());
  }

  @Test
  void anEventNoRuleMatchesEarnsNothingButIsStillAccepted() {
    // given
    ScoringModel model = model("opens", null, ScoringRule.of("email_open", Channel.EMAIL, 3));

    // when
    Recording recording =
        newUser().record(List.of(event("email_open", Channel.PUSH, T0)), ScoringModels.of(model));

    // then
    assertEquals(1, recording.accepted());
    ScoredEvent scored = (ScoredEvent) recording.changes().get(0);
    assertTrue(scored.awards().isEmpty());
    assertEquals(0.0, recording.state().standingIn(model, T0).points());
    assertEquals(1, recording.state().metrics().events());
  }
}
