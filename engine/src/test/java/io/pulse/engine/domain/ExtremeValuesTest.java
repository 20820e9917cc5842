package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.LOW_MEDIUM_HIGH;
import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scores, points and metrics stay finite numbers whatever was accepted: the largest points on the
 * most rules, many events at the largest amount, and values journaled before the bounds existed.
 */
class ExtremeValuesTest {

  private static final InputLimits LIMITS = InputLimits.DEFAULTS;

  /** The most rules, each awarding the most points (or the least), all matching a page view. */
  private static ScoringModel extremeModel(double pointsPerRule, Double halfLifeDays) {
    ScoringModel model =
        new ScoringModel(
            "extreme",
            "extreme",
            1,
            Collections.nCopies(
                LIMITS.maxRulesPerModel(), ScoringRule.of("page_view", null, pointsPerRule)),
            halfLifeDays,
            Scale.DEFAULT,
            LOW_MEDIUM_HIGH,
            ScoringModel.DEFAULT_SATURATION_POINTS);
    assertEquals(List.of(), model.problems(LIMITS), "the model is within the limits");
    return model;
  }

  private static List<BehaviouralEvent> pageViews(int count, Instant from, Duration apart) {
    List<BehaviouralEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(TestEvents.event("page_view", Channel.WEB, from.plus(apart.multipliedBy(i))));
    }
    return events;
  }

  private static void assertFiniteStanding(ModelStanding standing, ScoringModel model) {
    assertTrue(Double.isFinite(standing.points()), "points " + standing.points());
    assertTrue(Double.isFinite(standing.score()), "score " + standing.score());
    assertTrue(
        standing.score() >= model.scale().min() && standing.score() <= model.scale().max(),
        "score " + standing.score() + " on the scale");
  }

  @Test
  void theMostPointsOnTheMostRulesGiveAFiniteTopScore() {
    // given
    ScoringModel model = extremeModel(LIMITS.maxRulePoints(), 30.0);
    ScoringModels models = ScoringModels.of(model);

    // when: 5,000 events, each earning 1,000 × 1,000,000 points
    UserEngagement user = newUser().record(pageViews(5_000, T0, Duration.ZERO), models).state();

    // then
    ModelStanding standing = user.standingIn(model, T0);
    assertEquals(5e12, standing.points());
    assertEquals(model.scale().max(), standing.score());
    assertEquals("high", standing.band());
    assertFiniteStanding(user.standingIn(model, T0.plus(Duration.ofDays(3650))), model);
  }

  @Test
  void theLeastPointsOnTheMostRulesGiveAFiniteBottomScore() {
    // given
    ScoringModel model = extremeModel(-LIMITS.maxRulePoints(), null);

    // when
    UserEngagement user =
        newUser()
            .record(pageViews(5_000, T0, Duration.ofSeconds(1)), ScoringModels.of(model))
            .state();

    // then
    ModelStanding standing = user.standingIn(model, T0.plus(Duration.ofDays(1)));
    assertEquals(-5e12, standing.points());
    assertEquals(model.scale().min(), standing.score());
    assertEquals("low", standing.band());
  }

  @Test
  void pointsSaturateInsteadOfGrowingToInfinity() {
    // given: a standing at the limit, as no number of accepted events gets to in practice
    ScoringModel model = extremeModel(LIMITS.maxRulePoints(), null);
    ModelScore atLimit = new ModelScore("extreme", 1, Saturating.LIMIT, T0, "high", 1, Map.of());

    // when
    ModelAward award = atLimit.award(model, 1e9, List.of(0), T0.plusSeconds(1));

    // then
    assertEquals(Saturating.LIMIT, award.pointsAfter());
    assertEquals(
        -Saturating.LIMIT,
        new ModelScore("extreme", 1, -Saturating.LIMIT, T0, "low", 1, Map.of())
            .award(model, -1e9, List.of(0), T0.plusSeconds(1))
            .pointsAfter());
  }

  @Test
  void pointsJournaledBeyondTheBoundsComeBackFinite() {
    // given: standings written before the bounds existed, in a model without decay
    ScoringModel model = extremeModel(1, null);
    ModelScore infinite =
        new ModelScore("extreme", 1, Double.POSITIVE_INFINITY, T0, "high", 1, Map.of());
    ModelScore notANumber = new ModelScore("extreme", 1, Double.NaN, T0, "low", 1, Map.of());

    // then: the next award is finite, and a score never spreads NaN
    assertEquals(
        Saturating.LIMIT, infinite.award(model, 1, List.of(0), T0.plusSeconds(1)).pointsAfter());
    assertEquals(1.0, notANumber.award(model, 1, List.of(0), T0).pointsAfter());
    assertEquals(Saturating.LIMIT, infinite.pointsAt(T0, model));
    assertEquals(0, notANumber.pointsAt(T0, model));
    assertEquals(model.scale().min(), model.scoreFor(Double.NaN));
    assertEquals(model.scale().max(), model.scoreFor(Double.POSITIVE_INFINITY));
  }

  @Test
  void manyPurchasesAtTheLargestAmountAreCountedToTheCent() {
    // given
    List<BehaviouralEvent> purchases = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      purchases.add(purchase(T0.minusSeconds(i), LIMITS.maxAmount()));
    }
    ScoringModels models = ScoringModels.of(ScoringModel.defaultEngagement());

    // when
    CustomerMetrics metrics = newUser().record(purchases, models).state().metrics();

    // then
    assertEquals(10_000, metrics.orders());
    assertEquals(1e13, metrics.revenue());
    assertEquals(LIMITS.maxAmount(), metrics.averageOrderValue().getAsDouble());
  }

  @Test
  void revenueSaturatesInsteadOfOverflowing() {
    // given: revenue at the limit, and an amount journaled before the bounds existed
    CustomerMetrics atLimit = new CustomerMetrics(1, 1, Saturating.LIMIT, T0, T0, T0, List.of(T0));

    // when
    CustomerMetrics after = atLimit.record(purchase(T0, 1e308)).record(purchase(T0, 1e308));

    // then
    assertEquals(Saturating.LIMIT, after.revenue());
    assertEquals(3, after.orders());
    assertTrue(Double.isFinite(after.averageOrderValue().getAsDouble()));
  }
}
