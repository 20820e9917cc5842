package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.emailOpen;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MultipleModelsTest {

  private static final ScoringModel EMAIL =
      model("email", null, ScoringRule.of("email_open", Channel.EMAIL, 5));
  private static final ScoringModel COMMERCE =
      model("commerce", null, ScoringRule.of("purchase", null, 30));
  private static final ScoringModels BOTH = ScoringModels.of(EMAIL, COMMERCE);

  @Test
  void eachModelScoresOnlyTheEventsItsRulesMatch() {
    // when
    UserEngagement user =
        newUser()
            .record(List.of(emailOpen(T0), emailOpen(T0), purchase(T0.plusSeconds(1), 20)), BOTH)
            .state();

    // then
    assertEquals(10.0, user.standingIn(EMAIL, T0.plusSeconds(1)).points());
    assertEquals(30.0, user.standingIn(COMMERCE, T0.plusSeconds(1)).points());
  }

  @Test
  void oneEventIsAwardedInEveryModelItMatches() {
    // given a third model that also rewards opens
    ScoringModel loyalty = model("loyalty", null, ScoringRule.of("email_open", null, 1));
    ScoringModels models = BOTH.with(loyalty);

    // when
    Recording recording = newUser().record(List.of(emailOpen(T0)), models);

    // then
    ScoredEvent scored = (ScoredEvent) recording.changes().get(0);
    assertEquals(
        List.of("email", "loyalty"), scored.awards().stream().map(ModelAward::model).toList());
    assertEquals(5.0, recording.state().scoreIn("email").points());
    assertEquals(1.0, recording.state().scoreIn("loyalty").points());
    assertEquals(0.0, recording.state().scoreIn("commerce").points());
  }

  @Test
  void bandsAndTransitionsOfEachModelAreIndependent() {
    // given a user who is low in both models
    UserEngagement user = newUser().record(List.of(emailOpen(T0)), BOTH).state();

    // when two purchases lift commerce to high (60 points) and leave email alone
    Recording recording =
        user.record(
            List.of(purchase(T0.plusSeconds(1), 10), purchase(T0.plusSeconds(2), 10)), BOTH);

    // then
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(2, transitions.size(), transitions.toString());
    assertTrue(transitions.stream().allMatch(t -> t.model().equals("commerce")));
    assertEquals("medium", transitions.get(0).to());
    assertEquals("high", transitions.get(1).to());
    assertEquals("commerce", recording.state().standingIn(COMMERCE, T0.plusSeconds(2)).model());
    assertEquals("high", recording.state().standingIn(COMMERCE, T0.plusSeconds(2)).band());
    assertEquals("low", recording.state().standingIn(EMAIL, T0.plusSeconds(2)).band());
    assertEquals("low", recording.state().scoreIn("email").band());
    assertEquals(1, recording.state().scoreIn("email").transitions());
    assertEquals(3, recording.state().scoreIn("commerce").transitions());
  }

  @Test
  void modelsWithDifferentHalfLivesDecayIndependently() {
    // given
    ScoringModel fast = model("fast", 1.0, ScoringRule.of("email_open", null, 8));
    ScoringModel slow = model("slow", 10.0, ScoringRule.of("email_open", null, 8));
    UserEngagement user =
        newUser().record(List.of(emailOpen(T0)), ScoringModels.of(fast, slow)).state();

    // when
    ModelStanding fastLater = user.standingIn(fast, T0.plus(java.time.Duration.ofDays(10)));
    ModelStanding slowLater = user.standingIn(slow, T0.plus(java.time.Duration.ofDays(10)));

    // then
    assertEquals(8.0 / 1024, fastLater.points(), 1e-9);
    assertEquals(4.0, slowLater.points(), 1e-9);
  }

  @Test
  void modelsAreKeptInIdOrderAndCanBeReplacedOrRemoved() {
    // given
    ScoringModels models = ScoringModels.of(COMMERCE, EMAIL);

    // when
    ScoringModel newEmail = model("email", null, ScoringRule.of("email_open", null, 1));
    ScoringModels replaced = models.with(newEmail);
    ScoringModels removed = models.without("commerce");

    // then
    List<String> ids = new ArrayList<>();
    models.all().forEach(m -> ids.add(m.id()));
    assertEquals(List.of("commerce", "email"), ids);
    assertEquals(Optional.of(newEmail), replaced.get("email"));
    assertEquals(2, replaced.all().size());
    assertFalse(removed.get("commerce").isPresent());
    assertTrue(models.get("commerce").isPresent(), "the original set is unchanged");
  }
}
