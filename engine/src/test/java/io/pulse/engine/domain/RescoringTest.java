package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.LOW_MEDIUM_HIGH;
import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.USER;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.recordEach;
import static io.pulse.engine.domain.TestEvents.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Re-scoring a user's accepted events under a new model version. The expected points are computed
 * here from the README formula, one term per counted event.
 */
class RescoringTest {

  private static final double DAY_NANOS = 86_400e9;

  /** Version 1: click 5, page view 1, purchase 10; one-day half-life. */
  private static final ScoringModel V1 =
      new ScoringModel(
          "m",
          "m",
          1,
          List.of(
              ScoringRule.of("email_click", Channel.EMAIL, 5),
              ScoringRule.of("page_view", null, 1),
              ScoringRule.of("purchase", null, 10)),
          1.0,
          Scale.DEFAULT,
          LOW_MEDIUM_HIGH,
          ScoringModel.DEFAULT_SATURATION_POINTS);

  /** Version 2: page view 2, purchase 20 but at most twice a UTC day; two-day half-life. */
  private static final ScoringModel V2 =
      new ScoringModel(
          "m",
          "m",
          2,
          List.of(
              ScoringRule.of("email_click", Channel.EMAIL, 5),
              ScoringRule.of("page_view", null, 2),
              new ScoringRule("purchase", null, 20, List.of(), 2)),
          2.0,
          Scale.DEFAULT,
          LOW_MEDIUM_HIGH,
          ScoringModel.DEFAULT_SATURATION_POINTS);

  /** Version 3: as version 1 but page views are worth 1.5. */
  private static final ScoringModel V3 =
      new ScoringModel(
          "m",
          "m",
          3,
          List.of(
              ScoringRule.of("email_click", Channel.EMAIL, 5),
              ScoringRule.of("page_view", null, 1.5),
              ScoringRule.of("purchase", null, 10)),
          1.0,
          Scale.DEFAULT,
          LOW_MEDIUM_HIGH,
          ScoringModel.DEFAULT_SATURATION_POINTS);

  private static final Instant CLICK = T0.minus(Duration.ofDays(3));
  private static final Instant VIEW = CLICK.plus(Duration.ofHours(1));
  private static final Instant BUY_1 = T0.minus(Duration.ofDays(2));
  private static final Instant BUY_2 = BUY_1.plus(Duration.ofHours(1));
  private static final Instant BUY_3 = BUY_1.plus(Duration.ofHours(2));
  private static final Instant VIEW_2 = T0.minus(Duration.ofDays(1));
  private static final Instant LAST_BUY = T0.minus(Duration.ofHours(1));

  /** In journal order: two purchases of two days ago arrive late, after the view of yesterday. */
  private static List<BehaviouralEvent> history() {
    return List.of(
        event("email_click", Channel.EMAIL, CLICK),
        event("page_view", Channel.WEB, VIEW),
        event("purchase", Channel.WEB, BUY_1),
        event("page_view", Channel.WEB, VIEW_2),
        event("purchase", Channel.WEB, BUY_2),
        event("purchase", Channel.WEB, BUY_3),
        event("purchase", Channel.WEB, LAST_BUY));
  }

  private record Earned(double points, Instant at) {}

  private static double decayedSum(List<Earned> earned, double halfLifeDays, Instant at) {
    double sum = 0;
    for (Earned e : earned) {
      double days = Duration.between(e.at(), at).toNanos() / DAY_NANOS;
      sum += e.points() * Math.pow(2, -days / halfLifeDays);
    }
    return sum;
  }

  private static double score(double points) {
    return 1 + 9 * (1 - Math.exp(-Math.max(points, 0) / 50));
  }

  /** What version 1 earns: every event counts. */
  private static final List<Earned> UNDER_V1 =
      List.of(
          new Earned(5, CLICK),
          new Earned(1, VIEW),
          new Earned(10, BUY_1),
          new Earned(1, VIEW_2),
          new Earned(10, BUY_2),
          new Earned(10, BUY_3),
          new Earned(10, LAST_BUY));

  /** What version 2 earns: the third purchase of one UTC day earns nothing. */
  private static final List<Earned> UNDER_V2 =
      List.of(
          new Earned(5, CLICK),
          new Earned(2, VIEW),
          new Earned(20, BUY_1),
          new Earned(2, VIEW_2),
          new Earned(20, BUY_2),
          new Earned(20, LAST_BUY));

  private static final List<Earned> UNDER_V3 =
      List.of(
          new Earned(5, CLICK),
          new Earned(1.5, VIEW),
          new Earned(10, BUY_1),
          new Earned(1.5, VIEW_2),
          new Earned(10, BUY_2),
          new Earned(10, BUY_3),
          new Earned(10, LAST_BUY));

  private static Recording recordedUnderV1(List<BehaviouralEvent> history) {
    return newUser().record(history, ScoringModels.of(V1));
  }

  @Test
  void theLiveRecordingUnderVersionOneMatchesTheIndependentComputation() {
    // when
    UserEngagement user = recordedUnderV1(history()).state();

    // then
    assertEquals(decayedSum(UNDER_V1, 1.0, LAST_BUY), user.scoreIn("m").points(), 1e-9);
    assertEquals(LAST_BUY, user.scoreIn("m").asOf());
    assertEquals(score(decayedSum(UNDER_V1, 1.0, T0)), user.standingIn(V1, T0).score(), 1e-9);
    assertEquals("low", user.scoreIn("m").band());
  }

  @Test
  void theReplayUnderTheNewVersionGivesThePointsOfAnIndependentComputation() {
    // given
    List<BehaviouralEvent> history = history();
    UserEngagement user = recordedUnderV1(history).state();

    // when
    Recording rescoring = user.rescore(V2, history, T0);

    // then
    ModelScore rescored = rescoring.state().scoreIn("m");
    assertEquals(decayedSum(UNDER_V2, 2.0, LAST_BUY), rescored.points(), 1e-9);
    assertEquals(LAST_BUY, rescored.asOf());
    assertEquals(2, rescored.modelVersion());
    assertEquals(
        decayedSum(UNDER_V2, 2.0, T0), rescoring.state().standingIn(V2, T0).points(), 1e-9);
    assertEquals(
        score(decayedSum(UNDER_V2, 2.0, T0)), rescoring.state().standingIn(V2, T0).score(), 1e-9);
  }

  @Test
  void aBandChangedByTheNewVersionIsAModelChangeTransition() {
    // given a user in low under version 1 (19 points), medium under version 2 (44 points)
    List<BehaviouralEvent> history = history();
    UserEngagement user = recordedUnderV1(history).state();
    long before = user.scoreIn("m").transitions();

    // when
    Recording rescoring = user.rescore(V2, history, T0);

    // then
    List<EngagementChange> changes = rescoring.changes();
    assertEquals(2, changes.size(), changes.toString());
    ModelRescored rescored = assertInstanceOf(ModelRescored.class, changes.get(0));
    assertEquals("m", rescored.score().model());
    SegmentTransition transition = assertInstanceOf(SegmentTransition.class, changes.get(1));
    assertEquals("low", transition.from());
    assertEquals("medium", transition.to());
    assertEquals(TransitionCause.MODEL_CHANGE, transition.cause());
    assertEquals(T0, transition.at());
    assertEquals(score(decayedSum(UNDER_V2, 2.0, T0)), transition.score(), 1e-9);
    assertEquals(USER + ":m:" + (before + 1), transition.id());
    assertEquals("medium", rescoring.state().scoreIn("m").band());
    assertEquals(before + 1, rescoring.state().scoreIn("m").transitions());
  }

  @Test
  void aNewVersionThatKeepsTheBandEmitsNoTransition() {
    // given
    List<BehaviouralEvent> history = history();
    UserEngagement user = recordedUnderV1(history).state();

    // when
    Recording rescoring = user.rescore(V3, history, T0);

    // then
    assertEquals(1, rescoring.changes().size(), rescoring.changes().toString());
    assertInstanceOf(ModelRescored.class, rescoring.changes().get(0));
    assertTrue(rescoring.transitions().isEmpty());
    ModelScore rescored = rescoring.state().scoreIn("m");
    assertEquals(decayedSum(UNDER_V3, 1.0, LAST_BUY), rescored.points(), 1e-9);
    assertEquals("low", rescored.band());
    assertEquals(3, rescored.modelVersion());
    assertEquals(user.scoreIn("m").transitions(), rescored.transitions());
  }

  @Test
  void reScoringUnderTheSameDefinitionChangesOnlyTheVersion() {
    // given
    List<BehaviouralEvent> history = history();
    UserEngagement user = recordedUnderV1(history).state();

    // when
    Recording rescoring = user.rescore(V1.withVersion(4), history, T0);

    // then
    assertTrue(rescoring.transitions().isEmpty());
    ModelScore before = user.scoreIn("m");
    ModelScore after = rescoring.state().scoreIn("m");
    assertEquals(before.points(), after.points());
    assertEquals(before.asOf(), after.asOf());
    assertEquals(before.band(), after.band());
    assertEquals(before.dailyCounts(), after.dailyCounts());
    assertEquals(before.transitions(), after.transitions());
    assertEquals(4, after.modelVersion());
  }

  @Test
  void dailyCapsAreReAppliedInReplayAndKeptForLaterEvents() {
    // given a user re-scored under version 2, whose last purchase was today at 09:00
    List<BehaviouralEvent> history = history();
    UserEngagement rescored = recordedUnderV1(history).state().rescore(V2, history, T0).state();
    ScoringModels models = ScoringModels.of(V2);
    assertEquals(2, rescored.scoreIn("m").countOn(ModelScore.utcDay(BUY_1), 2));
    assertEquals(1, rescored.scoreIn("m").countOn(ModelScore.utcDay(T0), 2));

    // when two more purchases arrive today
    UserEngagement after =
        recordEach(
            rescored,
            models,
            List.of(
                event("purchase", Channel.WEB, T0.plusSeconds(60)),
                event("purchase", Channel.WEB, T0.plusSeconds(120))));

    // then the first is today's second purchase and earns 20; the other is over the cap and
    // earns nothing, so the standing is still as of the first
    List<Earned> expected = new ArrayList<>(UNDER_V2);
    expected.add(new Earned(20, T0.plusSeconds(60)));
    assertEquals(
        decayedSum(expected, 2.0, T0.plusSeconds(120)),
        after.standingIn(V2, T0.plusSeconds(120)).points(),
        1e-9);
    assertEquals(T0.plusSeconds(60), after.scoreIn("m").asOf());
    assertEquals(2, after.scoreIn("m").countOn(ModelScore.utcDay(T0), 2));
  }

  @Test
  void laterEventsContinueFromTheReScoredPoints() {
    // given
    List<BehaviouralEvent> history = history();
    UserEngagement rescored = recordedUnderV1(history).state().rescore(V2, history, T0).state();

    // when
    Instant later = T0.plus(Duration.ofHours(5));
    UserEngagement after =
        rescored
            .record(List.of(event("page_view", Channel.WEB, later)), ScoringModels.of(V2))
            .state();

    // then
    List<Earned> expected = new ArrayList<>(UNDER_V2);
    expected.add(new Earned(2, later));
    assertEquals(decayedSum(expected, 2.0, later), after.scoreIn("m").points(), 1e-9);
  }

  @Test
  void replayingTheJournaledChangesReproducesTheState() {
    // given
    List<BehaviouralEvent> history = history();
    Recording recorded = recordedUnderV1(history);
    Recording rescoring = recorded.state().rescore(V2, history, T0);

    // then from the state before the re-scoring
    assertEquals(rescoring.state(), replay(recorded.state(), rescoring.changes()));

    // and from nothing, through the whole journal
    List<EngagementChange> journal = new ArrayList<>(recorded.changes());
    journal.addAll(rescoring.changes());
    assertEquals(rescoring.state(), replay(newUser(), journal));
  }

  @Test
  void theUserKnowsWhichVersionItWasScoredUnder() {
    // given
    List<BehaviouralEvent> history = history();
    UserEngagement user = recordedUnderV1(history).state();

    // then
    assertTrue(user.scoredUnder(V1));
    assertFalse(user.scoredUnder(V2));
    UserEngagement rescored = user.rescore(V2, history, T0).state();
    assertTrue(rescored.scoredUnder(V2));
    assertTrue(rescored.scoredUnder(V1));
    assertFalse(rescored.scoredUnder(V3));
    // a user without a standing in a model has not been scored under it
    assertFalse(newUser().scoredUnder(V2));
  }

  @Test
  void reScoringOneModelLeavesOtherModelsAndMetricsAlone() {
    // given a user scored in two models
    ScoringModel other = model("other", 7.0, ScoringRule.of("purchase", null, 3));
    List<BehaviouralEvent> history = history();
    UserEngagement user = newUser().record(history, ScoringModels.of(V1, other)).state();

    // when
    Recording rescoring = user.rescore(V2, history, T0);

    // then
    assertEquals(user.scoreIn("other"), rescoring.state().scoreIn("other"));
    assertEquals(user.metrics(), rescoring.state().metrics());
    assertEquals(user.recentEventIds(), rescoring.state().recentEventIds());
    for (SegmentTransition transition : rescoring.transitions()) {
      assertEquals("m", transition.model());
    }
  }

  @Test
  void aNewVersionWithAnInactivityThresholdPutsALongIdleUserInTheInactiveSegment() {
    // given a version with inactivity after one hour; the last qualifying event was at 09:00
    ScoringModel idle =
        new ScoringModel(
            "m",
            "m",
            5,
            V1.rules(),
            V1.halfLifeDays(),
            Scale.DEFAULT,
            LOW_MEDIUM_HIGH,
            ScoringModel.DEFAULT_SATURATION_POINTS,
            InactivityThreshold.parse("PT1H").value().orElseThrow());
    List<BehaviouralEvent> history = history();
    UserEngagement user = recordedUnderV1(history).state();
    Instant now = T0.plusSeconds(60);

    // when
    Recording rescoring = user.rescore(idle, history, now);

    // then
    List<SegmentTransition> transitions = rescoring.transitions();
    assertEquals(1, transitions.size(), transitions.toString());
    assertNull(transitions.get(0).from());
    assertEquals(SegmentTransition.INACTIVE, transitions.get(0).to());
    assertEquals(TransitionCause.MODEL_CHANGE, transitions.get(0).cause());
    assertEquals(now, transitions.get(0).at());
    assertTrue(rescoring.state().scoreIn("m").inactive());
    assertTrue(rescoring.state().inactiveIn(idle, now));

    // and replaying the journal reproduces it
    assertEquals(rescoring.state(), replay(user, rescoring.changes()));
  }

  @Test
  void aVersionDroppingTheThresholdTakesTheUserOutOfTheInactiveSegment() {
    // given an inactive user under a model with a one-hour threshold
    ScoringModel idle =
        new ScoringModel(
            "m",
            "m",
            1,
            V1.rules(),
            V1.halfLifeDays(),
            Scale.DEFAULT,
            LOW_MEDIUM_HIGH,
            ScoringModel.DEFAULT_SATURATION_POINTS,
            InactivityThreshold.parse("PT1H").value().orElseThrow());
    List<BehaviouralEvent> history = history();
    UserEngagement inactive =
        newUser()
            .record(history, ScoringModels.of(idle))
            .state()
            .wakeUp(ScoringModels.of(idle), T0.plusSeconds(60))
            .state();
    assertTrue(inactive.scoreIn("m").inactive());

    // when re-scored under a version without a threshold
    Recording rescoring = inactive.rescore(V1.withVersion(2), history, T0.plusSeconds(120));

    // then
    List<SegmentTransition> transitions = rescoring.transitions();
    assertEquals(1, transitions.size(), transitions.toString());
    assertEquals(SegmentTransition.INACTIVE, transitions.get(0).from());
    assertNull(transitions.get(0).to());
    assertEquals(TransitionCause.MODEL_CHANGE, transitions.get(0).cause());
    assertFalse(rescoring.state().scoreIn("m").inactive());
  }
}
