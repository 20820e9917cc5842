package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.USER;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Decay values over a controlled clock, and decay transitions dated at the instant the decayed
 * score crosses a band floor. Expected values come from the README formulas, computed here.
 */
class DecayTransitionTest {

  private static final double HALF_LIFE_SECONDS = 3;
  private static final double MIN = 1;
  private static final double MAX = 10;
  private static final double S = 50;
  private static final long ONE_MILLI = 1_000_000;

  /** A purchase is worth 100 points (score 8.78, high); a page view 1; a half-life of 3 s. */
  private static final ScoringModel FAST =
      model(
          "fast",
          HALF_LIFE_SECONDS / 86_400,
          ScoringRule.of("purchase", null, 100),
          ScoringRule.of("page_view", null, 1));

  private static final ScoringModels MODELS = ScoringModels.of(FAST);

  private static double decayed(double points, double elapsedSeconds) {
    return points * Math.pow(2, -elapsedSeconds / HALF_LIFE_SECONDS);
  }

  private static double score(double points) {
    return MIN + (MAX - MIN) * (1 - Math.exp(-Math.max(points, 0) / S));
  }

  /** The points at which the score reaches {@code score}: the README formula solved for p. */
  private static double pointsAtScore(double score) {
    return -S * Math.log(1 - (score - MIN) / (MAX - MIN));
  }

  /** When {@code points} held at {@code since} decay down to the score {@code floor}. */
  private static Instant crossing(Instant since, double points, double floor) {
    double seconds = HALF_LIFE_SECONDS * Math.log(points / pointsAtScore(floor)) / Math.log(2);
    return since.plusNanos(Math.round(seconds * 1e9));
  }

  private static final Instant HIGH_TO_MEDIUM = crossing(T0, 100, 7);
  private static final Instant MEDIUM_TO_LOW = crossing(T0, 100, 4);

  private static void assertWithinOneMilli(Instant expected, Instant actual) {
    long off = Math.abs(Duration.between(expected, actual).toNanos());
    assertTrue(off <= ONE_MILLI, "expected " + expected + " but was " + actual);
  }

  private static Instant seconds(double seconds) {
    return T0.plusNanos(Math.round(seconds * 1e9));
  }

  private static BehaviouralEvent purchaseAt(Instant at) {
    return event("purchase", Channel.WEB, at);
  }

  private static BehaviouralEvent pageViewAt(Instant at) {
    return event("page_view", Channel.WEB, at);
  }

  private static UserEngagement highUser() {
    return newUser().record(List.of(purchaseAt(T0)), MODELS).state();
  }

  @Test
  void theCrossingsComputedHereAreWhereTheTestSaysTheyAre() {
    // sanity of the independent computation: about 2.59 s and 6.91 s after T0
    assertEquals(2.593, Duration.between(T0, HIGH_TO_MEDIUM).toNanos() / 1e9, 1e-3);
    assertEquals(6.907, Duration.between(T0, MEDIUM_TO_LOW).toNanos() / 1e9, 1e-3);
    assertEquals(54.93, pointsAtScore(7), 1e-2);
    assertEquals(20.27, pointsAtScore(4), 1e-2);
  }

  @Test
  void decayOverAControlledClockGivesTheDocumentedValues() {
    // given 100 points at T0
    UserEngagement user = highUser();

    // when read at several instants, then each read is points·2^(-Δt/H) and the README score
    for (double at : new double[] {0, 0.5, 1, 3, 4.25, 6, 9, 30, 120}) {
      ModelStanding standing = user.standingIn(FAST, seconds(at));
      double expectedPoints = decayed(100, at);
      assertEquals(expectedPoints, standing.points(), 1e-9, "points at " + at + " s");
      assertEquals(score(expectedPoints), standing.score(), 1e-9, "score at " + at + " s");
      String band =
          score(expectedPoints) >= 7 ? "high" : score(expectedPoints) >= 4 ? "medium" : "low";
      assertEquals(band, standing.band(), "band at " + at + " s");
    }
  }

  @Test
  void decayOfSeveralEventsSumsEachFromItsOwnTime() {
    // given 100 points at T0, 1 at T0+1s, 100 at T0+2.5s
    UserEngagement user =
        newUser()
            .record(
                List.of(purchaseAt(T0), pageViewAt(seconds(1)), purchaseAt(seconds(2.5))), MODELS)
            .state();

    // then
    for (double at : new double[] {2.5, 3, 5.5, 10, 20}) {
      double expected = decayed(100, at) + decayed(1, at - 1) + decayed(100, at - 2.5);
      ModelStanding standing = user.standingIn(FAST, seconds(at));
      assertEquals(expected, standing.points(), 1e-9, "points at " + at + " s");
      assertEquals(score(expected), standing.score(), 1e-9, "score at " + at + " s");
    }
  }

  @Test
  void theScoreFormulaAndItsInverseAgree() {
    assertEquals(pointsAtScore(7), FAST.pointsForScore(7), 1e-9);
    assertEquals(pointsAtScore(4), FAST.pointsForScore(4), 1e-9);
    assertEquals(0.0, FAST.pointsForScore(1));
    assertEquals(0.0, FAST.pointsForScore(0));
    assertEquals(Double.POSITIVE_INFINITY, FAST.pointsForScore(10));
    for (double points : new double[] {0.5, 11, 20.27, 54.9, 95, 300}) {
      assertEquals(points, FAST.pointsForScore(FAST.scoreFor(points)), 1e-6);
    }
  }

  @Test
  void decayLeavesABandWhenDecayAloneTakesThePointsBelowItsFloor() {
    // then
    assertWithinOneMilli(HIGH_TO_MEDIUM, FAST.decayLeaves("high", 100, T0).orElseThrow());
    assertWithinOneMilli(crossing(T0, 30, 4), FAST.decayLeaves("medium", 30, T0).orElseThrow());
    // points already at or below the floor leave at once
    assertEquals(Optional.of(T0), FAST.decayLeaves("high", 40, T0));
    // nothing to leave from the lowest band, an unknown band, or without decay
    assertEquals(Optional.empty(), FAST.decayLeaves("low", 100, T0));
    assertEquals(Optional.empty(), FAST.decayLeaves("platinum", 100, T0));
    assertEquals(Optional.empty(), FAST.decayLeaves(null, 100, T0));
    ScoringModel lasting = model("lasting", null, ScoringRule.of("purchase", null, 100));
    assertEquals(Optional.empty(), lasting.decayLeaves("high", 100, T0));
  }

  @Test
  void theBandBelowIsTheNextLowerBandInOrder() {
    assertEquals("medium", FAST.bandBelow("high"));
    assertEquals("low", FAST.bandBelow("medium"));
    assertNull(FAST.bandBelow("low"));
    assertNull(FAST.bandBelow("platinum"));
    assertNull(FAST.bandBelow(null));
  }

  @Test
  void aUserPushedIntoHighEntersItByEvent() {
    // when
    Recording recording = newUser().record(List.of(purchaseAt(T0)), MODELS);

    // then
    assertEquals(1, recording.transitions().size());
    SegmentTransition entered = recording.transitions().get(0);
    assertNull(entered.from());
    assertEquals("high", entered.to());
    assertEquals(TransitionCause.EVENT, entered.cause());
    assertEquals(score(100), entered.score(), 1e-9);
  }

  @Test
  void theNextSegmentChangeIsTheHighToMediumCrossing() {
    // when
    Optional<Instant> next = highUser().nextSegmentChange(MODELS);

    // then
    assertWithinOneMilli(HIGH_TO_MEDIUM, next.orElseThrow());
  }

  @Test
  void noTransitionBeforeTheCrossing() {
    // given
    UserEngagement user = highUser();
    Instant justBefore = HIGH_TO_MEDIUM.minusMillis(2);

    // when
    Recording recording = user.wakeUp(MODELS, justBefore);

    // then
    assertTrue(recording.changes().isEmpty(), recording.changes().toString());
    assertEquals(user, recording.state());
    assertEquals("high", recording.state().scoreIn("fast").band());
    assertEquals("high", user.standingIn(FAST, justBefore).band());
    assertEquals("medium", user.standingIn(FAST, HIGH_TO_MEDIUM.plusMillis(2)).band());
  }

  @Test
  void wakingAfterBothCrossingsEmitsBothDecayTransitionsAtTheirCrossingInstants() {
    // given
    UserEngagement user = highUser();

    // when the user is woken long after, with nothing sent in between
    Recording recording = user.wakeUp(MODELS, seconds(60));

    // then
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(2, transitions.size(), transitions.toString());
    assertEquals(transitions, recording.changes());

    SegmentTransition toMedium = transitions.get(0);
    assertEquals("high", toMedium.from());
    assertEquals("medium", toMedium.to());
    assertEquals(TransitionCause.DECAY, toMedium.cause());
    assertWithinOneMilli(HIGH_TO_MEDIUM, toMedium.at());
    assertEquals(7.0, toMedium.score(), 1e-6);
    assertEquals(USER + ":fast:2", toMedium.id());
    assertEquals(USER, toMedium.userId());
    assertEquals("fast", toMedium.model());

    SegmentTransition toLow = transitions.get(1);
    assertEquals("medium", toLow.from());
    assertEquals("low", toLow.to());
    assertEquals(TransitionCause.DECAY, toLow.cause());
    assertWithinOneMilli(MEDIUM_TO_LOW, toLow.at());
    assertEquals(4.0, toLow.score(), 1e-6);
    assertEquals(USER + ":fast:3", toLow.id());

    // and the state holds the lowest band, with no further change by decay
    assertEquals("low", recording.state().scoreIn("fast").band());
    assertEquals(3, recording.state().scoreIn("fast").transitions());
    assertEquals(Optional.empty(), recording.state().nextSegmentChange(MODELS));
  }

  @Test
  void eachDecayTransitionLandsInTheBandItNamesAtItsOwnInstant() {
    // when
    List<SegmentTransition> transitions = highUser().wakeUp(MODELS, seconds(60)).transitions();

    // then the score carried is just below the floor it crossed, and in the band entered
    for (SegmentTransition transition : transitions) {
      assertEquals(transition.to(), FAST.bandFor(transition.score()));
      assertEquals(
          score(decayed(100, Duration.between(T0, transition.at()).toNanos() / 1e9)),
          transition.score(),
          1e-9);
    }
  }

  @Test
  void wakingAtEachCrossingInTurnGivesOneTransitionEachAndAsksForTheNextCrossing() {
    // given
    UserEngagement user = highUser();

    // when woken at the first crossing
    Recording first = user.wakeUp(MODELS, HIGH_TO_MEDIUM.plusMillis(1));

    // then
    assertEquals(1, first.transitions().size());
    assertEquals("medium", first.transitions().get(0).to());
    assertWithinOneMilli(HIGH_TO_MEDIUM, first.transitions().get(0).at());
    assertWithinOneMilli(MEDIUM_TO_LOW, first.state().nextSegmentChange(MODELS).orElseThrow());

    // when woken at the second crossing
    Recording second = first.state().wakeUp(MODELS, MEDIUM_TO_LOW.plusMillis(1));

    // then
    assertEquals(1, second.transitions().size());
    assertEquals("low", second.transitions().get(0).to());
    assertWithinOneMilli(MEDIUM_TO_LOW, second.transitions().get(0).at());

    // and waking on time or late ends in the same state with the same transitions
    Recording late = user.wakeUp(MODELS, seconds(60));
    assertEquals(late.state(), second.state());
    List<SegmentTransition> inTurn = new ArrayList<>(first.transitions());
    inTurn.addAll(second.transitions());
    assertEquals(late.transitions(), inTurn);
  }

  @Test
  void wakingExactlyAtTheComputedCrossingEmitsTheTransition() {
    // given
    UserEngagement user = highUser();
    Instant due = user.nextSegmentChange(MODELS).orElseThrow();

    // when
    Recording recording = user.wakeUp(MODELS, due);

    // then
    assertEquals(1, recording.transitions().size());
    assertEquals(due, recording.transitions().get(0).at());
    assertEquals("medium", recording.state().scoreIn("fast").band());
  }

  @Test
  void aLaterEventIsPrecededByTheDecayTransitionsItsTimeImplies() {
    // given
    UserEngagement user = highUser();

    // when a page view (1 point) arrives at 10 s, after both crossings
    Recording recording = user.record(List.of(pageViewAt(seconds(10))), MODELS);

    // then the decay transitions come first, dated at the crossings, then the event
    List<EngagementChange> changes = recording.changes();
    assertEquals(3, changes.size(), changes.toString());
    SegmentTransition toMedium = assertInstanceOf(SegmentTransition.class, changes.get(0));
    SegmentTransition toLow = assertInstanceOf(SegmentTransition.class, changes.get(1));
    assertInstanceOf(ScoredEvent.class, changes.get(2));
    assertEquals(TransitionCause.DECAY, toMedium.cause());
    assertEquals("medium", toMedium.to());
    assertWithinOneMilli(HIGH_TO_MEDIUM, toMedium.at());
    assertEquals(7.0, toMedium.score(), 1e-6);
    assertEquals(TransitionCause.DECAY, toLow.cause());
    assertEquals("low", toLow.to());
    assertWithinOneMilli(MEDIUM_TO_LOW, toLow.at());
    assertEquals(4.0, toLow.score(), 1e-6);
    assertEquals(decayed(100, 10) + 1, recording.state().scoreIn("fast").points(), 1e-9);
  }

  @Test
  void anEventBeforeTheCrossingCausesNoDecayTransition() {
    // given
    UserEngagement user = highUser();

    // when a page view arrives 1 s before the crossing
    Recording recording = user.record(List.of(pageViewAt(HIGH_TO_MEDIUM.minusSeconds(1))), MODELS);

    // then
    assertTrue(recording.transitions().isEmpty(), recording.transitions().toString());
    assertEquals("high", recording.state().scoreIn("fast").band());
  }

  @Test
  void anEventThatBringsTheUserBackUpAfterDecayIsAnEventTransition() {
    // given
    UserEngagement user = highUser();

    // when a purchase arrives at 10 s, when the user has decayed to low
    Recording recording = user.record(List.of(purchaseAt(seconds(10))), MODELS);

    // then two decay transitions down, then one event transition back to high
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(3, transitions.size(), transitions.toString());
    assertEquals(TransitionCause.DECAY, transitions.get(0).cause());
    assertEquals(TransitionCause.DECAY, transitions.get(1).cause());
    SegmentTransition back = transitions.get(2);
    assertEquals("low", back.from());
    assertEquals("high", back.to());
    assertEquals(TransitionCause.EVENT, back.cause());
    assertEquals(seconds(10), back.at());
    assertEquals(score(decayed(100, 10) + 100), back.score(), 1e-9);
    assertEquals(USER + ":fast:4", back.id());
  }

  @Test
  void replayingTheJournaledChangesReproducesTheState() {
    // given
    Recording first = newUser().record(List.of(purchaseAt(T0)), MODELS);
    Recording woken = first.state().wakeUp(MODELS, seconds(5));
    Recording later = woken.state().record(List.of(purchaseAt(seconds(20))), MODELS);

    // when
    List<EngagementChange> journal = new ArrayList<>(first.changes());
    journal.addAll(woken.changes());
    journal.addAll(later.changes());

    // then
    assertEquals(later.state(), replay(newUser(), journal));
  }

  @Test
  void aModelWithoutDecayNeverChangesBandByItself() {
    // given
    ScoringModel lasting = model("lasting", null, ScoringRule.of("purchase", null, 100));
    ScoringModels models = ScoringModels.of(lasting);
    UserEngagement user = newUser().record(List.of(purchaseAt(T0)), models).state();

    // then
    assertEquals(Optional.empty(), user.nextSegmentChange(models));
    assertTrue(user.wakeUp(models, T0.plus(Duration.ofDays(3650))).changes().isEmpty());
  }

  @Test
  void aUserWithNoPointsInAModelHasNoSegmentChangeToWaitFor() {
    // then
    assertEquals(Optional.empty(), newUser().nextSegmentChange(MODELS));
    Recording recording = newUser().wakeUp(MODELS, seconds(60));
    assertTrue(recording.changes().isEmpty());
    assertEquals(newUser(), recording.state());
  }

  @Test
  void theEarliestCrossingOfSeveralModelsIsTheNextSegmentChange() {
    // given a second model with a half-life four times as long
    ScoringModel slower =
        model("slower", 4 * HALF_LIFE_SECONDS / 86_400, ScoringRule.of("purchase", null, 100));
    ScoringModels models = ScoringModels.of(FAST, slower);
    UserEngagement user = newUser().record(List.of(purchaseAt(T0)), models).state();

    // then
    assertWithinOneMilli(HIGH_TO_MEDIUM, user.nextSegmentChange(models).orElseThrow());

    // when both have moved down once
    Instant slowerCrossing = T0.plusNanos(4 * Duration.between(T0, HIGH_TO_MEDIUM).toNanos());
    Recording recording = user.wakeUp(models, slowerCrossing.plusMillis(1));

    // then
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(3, transitions.size(), transitions.toString());
    SegmentTransition slowerDown =
        transitions.stream().filter(t -> t.model().equals("slower")).findFirst().orElseThrow();
    assertEquals("medium", slowerDown.to());
    assertWithinOneMilli(slowerCrossing, slowerDown.at());
  }
}
