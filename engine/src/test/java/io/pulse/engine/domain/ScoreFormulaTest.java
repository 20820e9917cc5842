package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.emailClick;
import static io.pulse.engine.domain.TestEvents.emailOpen;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreFormulaTest {

  private static final ScoringModel DEFAULT = ScoringModel.defaultEngagement();
  private static final ScoringModels MODELS = ScoringModels.of(DEFAULT);

  @Test
  void twoOpensAndAClickAtTheSameInstantGiveElevenPointsAndTheDocumentedScore() {
    // given
    List<BehaviouralEvent> events = List.of(emailOpen(T0), emailOpen(T0), emailClick(T0));

    // when
    UserEngagement user = newUser().record(events, MODELS).state();
    ModelStanding standing = user.standingIn(DEFAULT, T0);

    // then
    assertEquals(11.0, standing.points(), 1e-12);
    assertEquals(1 + 9 * (1 - Math.exp(-11.0 / 50)), standing.score(), 1e-9);
    assertEquals("low", standing.band());
  }

  @Test
  void theDefaultModelSaturatesAtFiftyPoints() {
    assertEquals(50.0, DEFAULT.saturationPoints());
    assertEquals(ScoringModel.DEFAULT_SATURATION_POINTS, DEFAULT.saturationPoints());
  }

  @Test
  void aUserWhoOnlyOpenedAFewEmailsLatelyIsLow() {
    // given
    Instant now = T0;
    List<BehaviouralEvent> opens =
        List.of(
            emailOpen(now.minus(Duration.ofDays(3))),
            emailOpen(now.minus(Duration.ofDays(2))),
            emailOpen(now.minus(Duration.ofDays(1))));

    // when
    ModelStanding standing = newUser().record(opens, MODELS).state().standingIn(DEFAULT, now);

    // then
    assertEquals("low", standing.band());
  }

  @Test
  void aUserWhoOpenedEightEmailsLatelyIsMedium() {
    // given
    List<BehaviouralEvent> opens = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      opens.add(emailOpen(T0.minus(Duration.ofHours(6L * i))));
    }

    // when
    ModelStanding standing = newUser().record(opens, MODELS).state().standingIn(DEFAULT, T0);

    // then
    assertEquals("medium", standing.band());
  }

  @Test
  void aRegularClickerAndBuyerIsHigh() {
    // given ten clicks, three purchases and five opens over the last five days
    List<BehaviouralEvent> events = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      events.add(emailClick(T0.minus(Duration.ofHours(12L * i))));
    }
    for (int i = 0; i < 3; i++) {
      events.add(purchase(T0.minus(Duration.ofDays(1L + i)), 80));
    }
    for (int i = 0; i < 5; i++) {
      events.add(emailOpen(T0.minus(Duration.ofDays(i))));
    }

    // when
    ModelStanding standing = newUser().record(events, MODELS).state().standingIn(DEFAULT, T0);

    // then
    assertEquals("high", standing.band());
  }

  @Test
  void scoreNeverDecreasesAsPointsGrowAndStaysOnTheScale() {
    double previous = DEFAULT.scoreFor(-100);
    for (double points = -100; points <= 1_000; points += 0.5) {
      double score = DEFAULT.scoreFor(points);
      assertTrue(score >= previous, "score fell at " + points + " points");
      assertTrue(score >= 1 && score <= 10, "score " + score + " is off the scale");
      previous = score;
    }
  }

  @Test
  void scoreStrictlyIncreasesWithPositivePoints() {
    for (double points = 0; points < 500; points += 1) {
      assertTrue(
          DEFAULT.scoreFor(points + 1) > DEFAULT.scoreFor(points),
          "no increase after " + points + " points");
    }
  }

  @Test
  void noPointsAndNegativePointsMapToTheScaleMinimum() {
    assertEquals(1.0, DEFAULT.scoreFor(0));
    assertEquals(1.0, DEFAULT.scoreFor(-0.5));
    assertEquals(1.0, DEFAULT.scoreFor(-1_000));
  }

  @Test
  void scoreApproachesButNeverPassesTheScaleMaximum() {
    assertTrue(DEFAULT.scoreFor(1_000) > 9.99);
    assertTrue(DEFAULT.scoreFor(1e9) <= 10.0);
  }

  @Test
  void atSaturationPointsTheUserHasCoveredOneMinusOneOverEOfTheScale() {
    // given a scale of 0 to 100 that saturates at 20 points
    ScoringModel model =
        new ScoringModel(
            "custom",
            null,
            1,
            List.of(ScoringRule.of("page_view", null, 1)),
            null,
            new Scale(0, 100),
            List.of(new Band("cold", 0, 50), new Band("warm", 50, 100)),
            20);

    // when
    double score = model.scoreFor(20);

    // then
    assertEquals(100 * (1 - 1 / Math.E), score, 1e-9);
    assertEquals(100 * (1 - Math.exp(-7.0 / 20)), model.scoreFor(7), 1e-9);
  }
}
