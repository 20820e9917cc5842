package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.USER;
import static io.pulse.engine.domain.TestEvents.emailClick;
import static io.pulse.engine.domain.TestEvents.emailOpen;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentTransitionTest {

  /** Five points a click and no decay: low until 20 points, medium from 25, high from 55. */
  private static final ScoringModel CLICKS =
      model("clicks", null, ScoringRule.of("email_click", Channel.EMAIL, 5));

  private static final ScoringModels MODELS = ScoringModels.of(CLICKS);

  private static List<BehaviouralEvent> clicks(int count) {
    List<BehaviouralEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(emailClick(T0.plusSeconds(i)));
    }
    return events;
  }

  @Test
  void aNewUsersFirstEventEntersTheLowestBandOfEveryModel() {
    // given two models, only one of which rewards the event
    ScoringModel other = model("other", null, ScoringRule.of("purchase", null, 10));
    ScoringModels models = ScoringModels.of(CLICKS, other);
    BehaviouralEvent first = emailClick(T0);

    // when
    Recording recording = newUser().record(List.of(first), models);

    // then
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(2, transitions.size(), transitions.toString());
    for (SegmentTransition transition : transitions) {
      assertNull(transition.from());
      assertEquals("low", transition.to());
      assertEquals(TransitionCause.EVENT, transition.cause());
      assertEquals(USER, transition.userId());
      assertEquals(T0, transition.at());
      assertEquals(USER + ":" + transition.model() + ":1", transition.id());
    }
    assertEquals(
        List.of("clicks", "other"), transitions.stream().map(SegmentTransition::model).toList());
    assertEquals(CLICKS.scoreFor(5), transitions.get(0).score(), 1e-12);
    assertEquals(1.0, transitions.get(1).score());
  }

  @Test
  void aFirstEventWorthManyPointsEntersAHigherBandDirectly() {
    // given
    ScoringModel generous = model("generous", null, ScoringRule.of("purchase", null, 100));

    // when
    Recording recording =
        newUser().record(List.of(event("purchase", Channel.WEB, T0)), ScoringModels.of(generous));

    // then
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(1, transitions.size());
    assertNull(transitions.get(0).from());
    assertEquals("high", transitions.get(0).to());
  }

  @Test
  void crossingFromLowToMediumToHighEmitsOneTransitionPerCrossing() {
    // when
    Recording recording = newUser().record(clicks(15), MODELS);

    // then
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(3, transitions.size(), transitions.toString());
    assertEquals(
        List.of("clicks:null->low", "clicks:low->medium", "clicks:medium->high"),
        transitions.stream().map(t -> t.model() + ":" + t.from() + "->" + t.to()).toList());
    assertEquals(
        List.of(USER + ":clicks:1", USER + ":clicks:2", USER + ":clicks:3"),
        transitions.stream().map(SegmentTransition::id).toList());
    // the fifth click (25 points) enters medium, the eleventh (55 points) enters high
    assertEquals(T0.plusSeconds(4), transitions.get(1).at());
    assertEquals(T0.plusSeconds(10), transitions.get(2).at());
    assertTrue(transitions.stream().allMatch(t -> t.cause() == TransitionCause.EVENT));
  }

  @Test
  void eachTransitionCarriesTheScoreComputedAtItsMoment() {
    // when
    Recording recording = newUser().record(clicks(11), MODELS);

    // then
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(CLICKS.scoreFor(5), transitions.get(0).score(), 1e-12);
    assertEquals(CLICKS.scoreFor(25), transitions.get(1).score(), 1e-12);
    assertEquals(CLICKS.scoreFor(55), transitions.get(2).score(), 1e-12);
    SegmentTransition toHigh = transitions.get(2);
    assertEquals(recording.state().standingIn(CLICKS, toHigh.at()).score(), toHigh.score(), 1e-12);
  }

  @Test
  void theTransitionScoreIncludesDecayUpToTheEvent() {
    // given a user with 40 points under a one-day half-life
    ScoringModel daily = model("daily", 1.0, ScoringRule.of("email_open", null, 40));
    ScoringModels models = ScoringModels.of(daily);
    UserEngagement user = newUser().record(List.of(emailOpen(T0)), models).state();

    // when, a day later, another open lifts the decayed 20 to 60 points
    Instant later = T0.plus(java.time.Duration.ofDays(1));
    Recording recording = user.record(List.of(emailOpen(later)), models);

    // then decay alone first took the user down, and the event then lifted them to high
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(2, transitions.size());
    assertEquals(TransitionCause.DECAY, transitions.get(0).cause());
    // dated when decay crossed the band's floor, with the score at that moment
    assertEquals(4.0, transitions.get(0).score(), 1e-9);
    assertTrue(transitions.get(0).at().isAfter(T0) && transitions.get(0).at().isBefore(later));
    SegmentTransition transition = transitions.get(1);
    assertEquals(TransitionCause.EVENT, transition.cause());
    assertEquals("high", transition.to());
    assertEquals(daily.scoreFor(60), transition.score(), 1e-9);
    assertEquals(recording.state().standingIn(daily, later).score(), transition.score(), 1e-12);
  }

  @Test
  void noTransitionWhileTheBandStaysTheSame() {
    // given a low user
    UserEngagement user = newUser().record(clicks(1), MODELS).state();

    // when three more clicks keep them low
    Recording recording =
        user.record(
            List.of(
                emailClick(T0.plusSeconds(1)),
                emailClick(T0.plusSeconds(2)),
                emailClick(T0.plusSeconds(3))),
            MODELS);

    // then
    assertEquals(List.of(), recording.transitions());
    assertEquals(3, recording.changes().size());
    assertEquals("low", recording.state().scoreIn("clicks").band());
  }

  @Test
  void eachTransitionIsJournaledRightAfterTheEventThatCausedIt() {
    // when
    Recording recording = newUser().record(clicks(5), MODELS);

    // then
    List<EngagementChange> changes = recording.changes();
    assertEquals(7, changes.size());
    assertInstanceOf(ScoredEvent.class, changes.get(0));
    assertInstanceOf(SegmentTransition.class, changes.get(1));
    for (int i = 2; i <= 5; i++) {
      assertInstanceOf(ScoredEvent.class, changes.get(i));
    }
    assertEquals("medium", ((SegmentTransition) changes.get(6)).to());
  }

  @Test
  void transitionIdsKeepCountingAcrossRecordingsAndRecovery() {
    // given a user in medium, recovered from the journal
    Recording first = newUser().record(clicks(5), MODELS);
    UserEngagement recovered = replay(newUser(), first.changes());

    // when more clicks lift them into high
    Recording second =
        recovered.record(
            List.of(
                emailClick(T0.plusSeconds(60)),
                emailClick(T0.plusSeconds(61)),
                emailClick(T0.plusSeconds(62)),
                emailClick(T0.plusSeconds(63)),
                emailClick(T0.plusSeconds(64)),
                emailClick(T0.plusSeconds(65))),
            MODELS);

    // then
    assertEquals(
        List.of(USER + ":clicks:3"),
        second.transitions().stream().map(SegmentTransition::id).toList());
    assertEquals("high", second.transitions().get(0).to());
  }

  @Test
  void theSameEventsGiveTheSameTransitions() {
    // given
    List<BehaviouralEvent> events = clicks(12);

    // when
    Recording once = newUser().record(events, MODELS);
    Recording again = newUser().record(events, MODELS);

    // then
    assertEquals(once.transitions(), again.transitions());
    assertEquals(once.state(), again.state());
  }

  @Test
  void negativePointsCanMoveAUserDown() {
    // given a high user
    ScoringModel model =
        model(
            "mood",
            null,
            ScoringRule.of("purchase", null, 60),
            ScoringRule.of("complaint", null, -50));
    ScoringModels models = ScoringModels.of(model);
    UserEngagement user =
        newUser().record(List.of(event("purchase", Channel.WEB, T0)), models).state();

    // when
    Recording recording =
        user.record(List.of(event("complaint", Channel.OTHER, T0.plusSeconds(5))), models);

    // then
    SegmentTransition down = recording.transitions().get(0);
    assertEquals("high", down.from());
    assertEquals("low", down.to());
    assertEquals(TransitionCause.EVENT, down.cause());
    assertEquals(USER + ":mood:2", down.id());
    assertEquals(model.scoreFor(10), down.score(), 1e-12);
  }

  @Test
  void causesHaveHyphenatedLowerCaseWireNames() {
    assertEquals("event", TransitionCause.EVENT.wireName());
    assertEquals("decay", TransitionCause.DECAY.wireName());
    assertEquals("model-change", TransitionCause.MODEL_CHANGE.wireName());
  }
}
