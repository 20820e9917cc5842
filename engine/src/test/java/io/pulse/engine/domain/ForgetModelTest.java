package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.LOW_MEDIUM_HIGH;
import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.USER;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Deleting a model removes the user's standing and segments in it. */
class ForgetModelTest {

  /** 100 points a purchase (high); no decay. */
  private static final ScoringModel M = model("m", null, ScoringRule.of("purchase", null, 100));

  private static final ScoringModel OTHER =
      model("other", null, ScoringRule.of("page_view", null, 1));

  private static final ScoringModels BOTH = ScoringModels.of(M, OTHER);

  private static BehaviouralEvent purchaseAt(Instant at) {
    return event("purchase", Channel.WEB, at);
  }

  private static Recording highInM() {
    return newUser().record(List.of(purchaseAt(T0)), BOTH);
  }

  @Test
  void theBandTheUserLeavesIsAModelChangeTransitionThenTheModelIsForgotten() {
    // given
    UserEngagement user = highInM().state();
    Instant now = T0.plusSeconds(30);

    // when
    Recording forgetting = user.forget("m", now);

    // then
    List<EngagementChange> changes = forgetting.changes();
    assertEquals(2, changes.size(), changes.toString());
    SegmentTransition left = assertInstanceOf(SegmentTransition.class, changes.get(0));
    assertEquals("high", left.from());
    assertNull(left.to());
    assertEquals(TransitionCause.MODEL_CHANGE, left.cause());
    assertEquals(now, left.at());
    assertEquals("m", left.model());
    assertEquals(USER + ":m:2", left.id());
    assertEquals(new ModelForgotten("m"), changes.get(1));
  }

  @Test
  void theStandingIsResetButTheTransitionCountIsKept() {
    // when
    UserEngagement forgotten = highInM().state().forget("m", T0.plusSeconds(30)).state();

    // then
    ModelScore standing = forgotten.scoreIn("m");
    assertEquals(0.0, standing.points());
    assertNull(standing.asOf());
    assertNull(standing.band());
    assertEquals(0, standing.modelVersion());
    assertEquals(Map.of(), standing.dailyCounts());
    assertFalse(standing.inactive());
    assertEquals(2, standing.transitions());
    assertEquals(1.0, forgotten.standingIn(M, T0.plusSeconds(30)).score());
  }

  @Test
  void aReCreatedModelDoesNotReuseATransitionId() {
    // given a user who entered high (id 1) and left it by deletion (id 2)
    Recording first = highInM();
    Recording forgetting = first.state().forget("m", T0.plusSeconds(30));

    // when the model is created again and the user buys again
    Recording again = forgetting.state().record(List.of(purchaseAt(T0.plusSeconds(60))), BOTH);

    // then
    List<SegmentTransition> entered =
        again.transitions().stream().filter(t -> t.model().equals("m")).toList();
    assertEquals(1, entered.size(), again.transitions().toString());
    assertNull(entered.get(0).from());
    assertEquals("high", entered.get(0).to());
    assertEquals(USER + ":m:3", entered.get(0).id());
    // points start afresh, not on top of what was forgotten
    assertEquals(100.0, again.state().scoreIn("m").points());

    Set<String> ids = new HashSet<>();
    for (Recording recording : List.of(first, forgetting, again)) {
      for (SegmentTransition transition : recording.transitions()) {
        assertTrue(ids.add(transition.id()), "id used twice: " + transition.id());
      }
    }
  }

  @Test
  void otherModelsAndMetricsAreUntouched() {
    // given
    UserEngagement user =
        newUser()
            .record(List.of(purchaseAt(T0), event("page_view", Channel.WEB, T0)), BOTH)
            .state();

    // when
    Recording forgetting = user.forget("m", T0.plusSeconds(30));

    // then
    assertEquals(user.scoreIn("other"), forgetting.state().scoreIn("other"));
    assertEquals(user.metrics(), forgetting.state().metrics());
    assertEquals(user.recentEventIds(), forgetting.state().recentEventIds());
    for (SegmentTransition transition : forgetting.transitions()) {
      assertEquals("m", transition.model());
    }
  }

  @Test
  void forgettingAModelTheUserHasNoStandingInChangesNothing() {
    // given
    UserEngagement user = highInM().state();

    // when
    Recording unknown = user.forget("never-existed", T0.plusSeconds(30));
    Recording fresh = newUser().forget("m", T0);

    // then
    assertTrue(unknown.changes().isEmpty());
    assertEquals(user, unknown.state());
    assertTrue(fresh.changes().isEmpty());
    assertEquals(newUser(), fresh.state());
  }

  @Test
  void forgettingTwiceChangesNothingTheSecondTime() {
    // given
    UserEngagement forgotten = highInM().state().forget("m", T0.plusSeconds(30)).state();

    // when
    Recording again = forgotten.forget("m", T0.plusSeconds(40));

    // then
    assertTrue(again.changes().isEmpty(), again.changes().toString());
    assertEquals(forgotten, again.state());
  }

  @Test
  void replayingTheJournaledChangesReproducesTheState() {
    // given
    Recording first = highInM();
    Recording forgetting = first.state().forget("m", T0.plusSeconds(30));
    Recording again = forgetting.state().record(List.of(purchaseAt(T0.plusSeconds(60))), BOTH);

    // when
    List<EngagementChange> journal = new ArrayList<>(first.changes());
    journal.addAll(forgetting.changes());
    journal.addAll(again.changes());

    // then
    assertEquals(forgetting.state(), replay(first.state(), forgetting.changes()));
    assertEquals(again.state(), replay(newUser(), journal));
  }

  @Test
  void aForgottenModelHasNoSegmentChangeToWaitFor() {
    // given a model with decay and inactivity
    ScoringModel decaying =
        new ScoringModel(
            "m",
            "m",
            1,
            M.rules(),
            1.0,
            Scale.DEFAULT,
            LOW_MEDIUM_HIGH,
            ScoringModel.DEFAULT_SATURATION_POINTS,
            InactivityThreshold.parse("PT5S").value().orElseThrow());
    ScoringModels models = ScoringModels.of(decaying);
    UserEngagement user = newUser().record(List.of(purchaseAt(T0)), models).state();
    assertTrue(user.nextSegmentChange(models).isPresent());

    // when
    UserEngagement forgotten = user.forget("m", T0.plusSeconds(1)).state();

    // then even a wake-up still carrying the old model does nothing
    assertEquals(Optional.empty(), forgotten.nextSegmentChange(models));
    assertTrue(forgotten.wakeUp(models, T0.plusSeconds(3600)).changes().isEmpty());
    assertFalse(forgotten.inactiveIn(decaying, T0.plusSeconds(3600)));
  }

  @Test
  void anInactiveUserAlsoLeavesTheInactiveSegmentOfADeletedModel() {
    // given a user in high and in m:inactive
    ScoringModel idle =
        new ScoringModel(
            "m",
            "m",
            1,
            M.rules(),
            null,
            Scale.DEFAULT,
            LOW_MEDIUM_HIGH,
            ScoringModel.DEFAULT_SATURATION_POINTS,
            InactivityThreshold.parse("PT5S").value().orElseThrow());
    ScoringModels models = ScoringModels.of(idle);
    UserEngagement inactive =
        newUser()
            .record(List.of(purchaseAt(T0)), models)
            .state()
            .wakeUp(models, T0.plusSeconds(6))
            .state();
    assertTrue(inactive.scoreIn("m").inactive());

    // when the model is deleted
    Recording forgetting = inactive.forget("m", T0.plusSeconds(30));

    // then both segments are left, each a model-change transition, so that a consumer tracking
    // segment membership from transitions does not keep the user in m:inactive
    List<SegmentTransition> transitions = forgetting.transitions();
    assertTrue(
        transitions.stream().anyMatch(t -> "high".equals(t.from()) && t.to() == null),
        transitions.toString());
    assertTrue(
        transitions.stream()
            .anyMatch(
                t ->
                    SegmentTransition.INACTIVE.equals(t.from())
                        && t.to() == null
                        && t.cause() == TransitionCause.MODEL_CHANGE),
        "no transition out of m:inactive: " + transitions);
    assertFalse(forgetting.state().scoreIn("m").inactive());
  }
}
