package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecayTest {

  private static final double TWO_SECONDS_IN_DAYS = 2.0 / 86_400;
  private static final ScoringModel FAST =
      model("fast", TWO_SECONDS_IN_DAYS, ScoringRule.of("page_view", null, 10));
  private static final ScoringModels MODELS = ScoringModels.of(FAST);

  private static BehaviouralEvent pageView(Instant at) {
    return TestEvents.event("page_view", Channel.WEB, at);
  }

  private static Instant seconds(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void pointsHalveAfterOneHalfLifeAndQuarterAfterTwo() {
    assertEquals(50.0, FAST.decay(100, T0, seconds(2)), 1e-9);
    assertEquals(25.0, FAST.decay(100, T0, seconds(4)), 1e-9);
    assertEquals(100 / Math.sqrt(2), FAST.decay(100, T0, seconds(1)), 1e-9);
  }

  @Test
  void aFractionalHalfLifeInDaysIsHonoured() {
    // given
    ScoringModel halfDay = model("half-day", 0.5, ScoringRule.of("page_view", null, 1));

    // then
    assertEquals(0.5, halfDay.decayFactor(Duration.ofHours(12)), 1e-12);
    assertEquals(0.25, halfDay.decayFactor(Duration.ofDays(1)), 1e-12);
    assertEquals(1.0, halfDay.decayFactor(Duration.ZERO), 0);
  }

  @Test
  void subSecondElapsedTimeCountsTowardsDecay() {
    assertEquals(Math.pow(2, -0.25), FAST.decayFactor(Duration.ofMillis(500)), 1e-9);
  }

  @Test
  void decayNeverGrowsPointsWhenReadingBeforeTheyWereHeld() {
    assertEquals(40.0, FAST.decay(40, seconds(10), seconds(5)));
    assertEquals(40.0, FAST.decay(40, seconds(10), seconds(10)));
  }

  @Test
  void anEventsPointsHalveOneHalfLifeAfterIt() {
    // given
    UserEngagement user = newUser().record(List.of(pageView(T0)), MODELS).state();

    // when
    ModelStanding afterOne = user.standingIn(FAST, seconds(2));
    ModelStanding afterTwo = user.standingIn(FAST, seconds(4));

    // then
    assertEquals(10.0, user.standingIn(FAST, T0).points(), 1e-9);
    assertEquals(5.0, afterOne.points(), 1e-9);
    assertEquals(2.5, afterTwo.points(), 1e-9);
  }

  @Test
  void eachEventDecaysFromItsOwnTimestamp() {
    // given one event at 0s and one at 2s
    UserEngagement user =
        newUser().record(List.of(pageView(T0), pageView(seconds(2))), MODELS).state();

    // when read at 4s
    ModelStanding standing = user.standingIn(FAST, seconds(4));

    // then the first has decayed for two half-lives, the second for one
    assertEquals(2.5 + 5.0, standing.points(), 1e-9);
  }

  @Test
  void aLateEventAddsItsAlreadyDecayedPoints() {
    // given events at 0s and 4s
    UserEngagement user =
        newUser().record(List.of(pageView(T0), pageView(seconds(4))), MODELS).state();

    // when an event from 2s arrives late
    UserEngagement after = user.record(List.of(pageView(seconds(2))), MODELS).state();

    // then it adds only what is left of its points at 4s, and the standing stays as of 4s
    assertEquals(2.5 + 10.0 + 5.0, after.scoreIn("fast").points(), 1e-9);
    assertEquals(seconds(4), after.scoreIn("fast").asOf());
    assertEquals(2.5 + 10.0 + 5.0, after.standingIn(FAST, seconds(4)).points(), 1e-9);
  }

  @Test
  void aLateEventGivesTheSamePointsAsIfItHadArrivedInOrder() {
    // given
    ScoringModel slow = model("slow", 1.0, ScoringRule.of("page_view", null, 7));
    ScoringModels models = ScoringModels.of(slow);
    Instant a = T0;
    Instant b = T0.plus(Duration.ofHours(30));
    Instant c = T0.plus(Duration.ofHours(61));

    // when
    UserEngagement inOrder =
        newUser().record(List.of(pageView(a), pageView(b), pageView(c)), models).state();
    UserEngagement shuffled =
        newUser().record(List.of(pageView(c), pageView(a), pageView(b)), models).state();

    // then
    Instant later = c.plus(Duration.ofDays(3));
    assertEquals(
        inOrder.standingIn(slow, later).points(), shuffled.standingIn(slow, later).points(), 1e-9);
    assertEquals(
        7 * (Math.pow(2, -(3 + 61 / 24.0)) + Math.pow(2, -(3 + 31 / 24.0)) + Math.pow(2, -3)),
        inOrder.standingIn(slow, later).points(),
        1e-9);
  }

  @Test
  void withoutAHalfLifePointsNeverDecay() {
    // given
    ScoringModel lasting = model("lasting", null, ScoringRule.of("page_view", null, 10));
    UserEngagement user =
        newUser().record(List.of(pageView(T0)), ScoringModels.of(lasting)).state();

    // when
    ModelStanding yearsLater = user.standingIn(lasting, T0.plus(Duration.ofDays(3650)));

    // then
    assertEquals(10.0, yearsLater.points());
    assertEquals(100.0, lasting.decay(100, T0, T0.plus(Duration.ofDays(1000))));
    assertEquals(1.0, lasting.decayFactor(Duration.ofDays(1000)));
  }

  @Test
  void standingInAppliesDecayToTheReadMoment() {
    // given 40 points earned at T0 under a one-day half-life
    ScoringModel daily = model("daily", 1.0, ScoringRule.of("page_view", null, 40));
    UserEngagement user = newUser().record(List.of(pageView(T0)), ScoringModels.of(daily)).state();

    // when read a day later
    ModelStanding standing = user.standingIn(daily, T0.plus(Duration.ofDays(1)));

    // then
    assertEquals(20.0, standing.points(), 1e-9);
    assertEquals(daily.scoreFor(20.0), standing.score(), 1e-12);
    assertEquals(daily.bandFor(daily.scoreFor(20.0)), standing.band());
    assertEquals("daily", standing.model());
    assertEquals(T0, standing.updatedAt());
    // the stored points are not changed by reading
    assertEquals(40.0, user.scoreIn("daily").points(), 1e-12);
  }

  @Test
  void aHighUserDecaysIntoALowerBandWhenLeftAlone() {
    // given a user who earned 60 points (high) under a one-day half-life
    ScoringModel daily = model("daily", 1.0, ScoringRule.of("page_view", null, 60));
    UserEngagement user = newUser().record(List.of(pageView(T0)), ScoringModels.of(daily)).state();

    // then
    assertEquals("high", user.standingIn(daily, T0).band());
    assertEquals("medium", user.standingIn(daily, T0.plus(Duration.ofDays(1))).band());
    assertEquals("low", user.standingIn(daily, T0.plus(Duration.ofDays(3))).band());
  }

  @Test
  void aUserNeverScoredInAModelStandsAtTheMinimumInTheLowestBand() {
    // when
    ModelStanding standing = newUser().standingIn(FAST, T0);

    // then
    assertEquals(0.0, standing.points());
    assertEquals(1.0, standing.score());
    assertEquals("low", standing.band());
    assertNull(standing.updatedAt());
  }

  @Test
  void negativePointsDecayTowardsZero() {
    assertEquals(-5.0, FAST.decay(-10, T0, seconds(2)), 1e-9);
  }
}
