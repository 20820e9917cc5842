package io.pulse.engine.domain.audience;

import static io.pulse.engine.domain.audience.AudienceFixtures.T0;
import static io.pulse.engine.domain.audience.AudienceFixtures.definitions;
import static io.pulse.engine.domain.audience.AudienceFixtures.event;
import static io.pulse.engine.domain.audience.AudienceFixtures.gte;
import static io.pulse.engine.domain.audience.AudienceFixtures.user;
import static io.pulse.engine.domain.audience.AudienceFixtures.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.AudienceForgotten;
import io.pulse.engine.domain.AudienceReevaluated;
import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is a valid audience, and what a changed or deleted definition does to a user. */
class AudienceDefinitionTest {

  private static final ScoringModels MODELS = ScoringModels.of(ScoringModel.defaultEngagement());

  private static List<String> problems(Audience candidate, Audience... others) {
    return Audiences.of(others).problemsWith(candidate, MODELS);
  }

  @Test
  void anAudienceOfWindowsWaitsAndTimesAloneReadsOnlyItsOwnBehaviourAndTheTime() {
    AudienceCondition browsed = window("page_view", Duration.ofDays(7), gte(3));
    AudienceCondition cart = AudienceFixtures.cartAbandoned(Duration.ofHours(1));
    AudienceCondition launch = new AudienceCondition.During(T0, null);
    AudienceCondition irish =
        new AudienceCondition.TraitTest("country", AudienceCondition.TraitOperator.EQ, "IE", null);

    assertTrue(
        Audience.of(
                "a",
                "a",
                new AudienceCondition.All(
                    List.of(
                        new AudienceCondition.Any(List.of(browsed, cart)),
                        new AudienceCondition.Not(launch))))
            .readsOnlyOwnBehaviourAndTime());
    assertFalse(
        Audience.of("b", "b", new AudienceCondition.All(List.of(browsed, irish)))
            .readsOnlyOwnBehaviourAndTime());
    assertFalse(
        Audience.of("c", "c", new AudienceCondition.Not(new AudienceCondition.InAudience("a")))
            .readsOnlyOwnBehaviourAndTime());
  }

  @Test
  void unknownModelsBandsAndAudiencesAreNamed() {
    assertEquals(
        List.of("condition: score.model 'vip' is not a scoring model"),
        problems(Audience.of("a", "A", new AudienceCondition.ScoreTest("vip", null, gte(3)))));
    assertEquals(
        List.of(
            "condition: score.band 'gold' is not a band of model 'engagement' (low, medium, high)"),
        problems(
            Audience.of("a", "A", new AudienceCondition.ScoreTest("engagement", "gold", null))));
    assertEquals(
        List.of("condition: audience 'ghost' does not exist"),
        problems(Audience.of("a", "A", new AudienceCondition.InAudience("ghost"))));
    assertEquals(
        List.of("condition: audience 'a' refers to itself"),
        problems(Audience.of("a", "A", new AudienceCondition.InAudience("a"))));
  }

  @Test
  void aCycleOfReferencesIsRefused() {
    Audience a = Audience.of("a", "A", new AudienceCondition.InAudience("b"));
    Audience b = Audience.of("b", "B", new AudienceCondition.InAudience("c"));
    Audience c = Audience.of("c", "C", window("page_view", Duration.ofDays(1), gte(1)));
    Audience cycle = Audience.of("c", "C", new AudienceCondition.InAudience("a"));
    assertEquals(List.of(), problems(a, b, c));
    assertEquals(
        List.of("condition: audiences refer to each other in a cycle: c -> a -> b -> c"),
        problems(cycle, a, b, c));
  }

  @Test
  void treesDeeperThanSixteenOrWiderThanAHundredTestsAreRefused() {
    AudienceCondition deep = window("page_view", Duration.ofDays(1), gte(1));
    for (int i = 0; i < 16; i++) {
      deep = new AudienceCondition.Not(deep);
    }
    assertEquals(
        List.of("condition: the tree is 17 levels deep; at most 16"),
        problems(Audience.of("deep", "Deep", deep)));
    List<AudienceCondition> leaves = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      leaves.add(window("page_view", Duration.ofDays(1), gte(1)));
    }
    assertEquals(
        List.of("condition: the tree has 101 tests; at most 100"),
        problems(Audience.of("wide", "Wide", new AudienceCondition.Any(leaves))));
  }

  @Test
  void badWindowsAndCountsAreRefused() {
    assertEquals(
        List.of("condition: within must be a positive duration of at most P400D"),
        problems(Audience.of("a", "A", window("page_view", Duration.ZERO, gte(1)))));
    assertEquals(
        List.of("condition: count must compare with a whole number from 0 to 1000"),
        problems(Audience.of("a", "A", window("page_view", Duration.ofDays(1), gte(2.5)))));
    assertEquals(
        List.of("id must be 1 to 64 letters, digits, '_' or '-', starting with a letter or digit"),
        problems(Audience.of("no spaces", "A", window("page_view", Duration.ofDays(1), gte(1)))));
  }

  @Test
  void aChangedDefinitionIsDecidedFromTheUsersHistory() {
    // given a member of "at least 2 views in 7 days"
    Audience v1 =
        Audience.of("browsers", "Browsers", window("page_view", Duration.ofDays(7), gte(2)));
    List<BehaviouralEvent> history =
        List.of(event("page_view", T0), event("page_view", T0.plusSeconds(60)));
    UserEngagement user = user().record(history, definitions(v1), T0.plusSeconds(60)).state();
    assertTrue(user.audiences().member("browsers"));

    // when the definition asks for 3, from the same history
    Audience v2 =
        new Audience("browsers", "Browsers", window("page_view", Duration.ofDays(7), gte(3)), 0)
            .withVersion(2);
    Audience numbered = Audience.of(v2.id(), v2.name(), v2.condition()).withVersion(2);
    assertFalse(user.evaluatedUnder(numbered));
    Recording recording =
        user.reevaluate(numbered, history, definitions(numbered).models(), T0.plusSeconds(120));

    // then the standing is rebuilt and the user leaves, because of the definition change
    assertTrue(recording.changes().get(0) instanceof AudienceReevaluated);
    AudienceTransition left = (AudienceTransition) recording.changes().get(1);
    assertEquals(TransitionCause.DEFINITION_CHANGE, left.cause());
    assertEquals(null, left.to());
    assertEquals(2, left.audienceVersion());
    assertTrue(recording.state().evaluatedUnder(numbered));
    // the state replayed from the journal is the same
    UserEngagement replayed = user;
    for (var change : recording.changes()) {
      replayed = replayed.apply(change);
    }
    assertEquals(recording.state(), replayed);
  }

  @Test
  void aDeletedAudienceIsLeftThenForgotten() {
    Audience browsers =
        Audience.of("browsers", "Browsers", window("page_view", Duration.ofDays(7), gte(1)));
    Definitions definitions = definitions(browsers);
    UserEngagement user = user().record(List.of(event("page_view", T0)), definitions, T0).state();
    Recording forgotten = user.forgetAudience("browsers", T0.plusSeconds(1));
    assertEquals(2, forgotten.changes().size());
    assertEquals(
        TransitionCause.DEFINITION_CHANGE,
        ((AudienceTransition) forgotten.changes().get(0)).cause());
    assertTrue(forgotten.changes().get(1) instanceof AudienceForgotten);
    assertTrue(forgotten.state().audiences().standing("browsers").isEmpty());
  }

  @Test
  void recoveringFromTheJournalGivesTheSameAudiences() {
    Audience browsers =
        Audience.of("browsers", "Browsers", window("page_view", Duration.ofDays(7), gte(2)));
    Definitions definitions = definitions(browsers);
    Recording recording =
        user()
            .record(
                List.of(event("page_view", T0), event("page_view", T0.plusSeconds(5))),
                definitions,
                T0.plusSeconds(5));
    UserEngagement recovered = user();
    for (var change : recording.changes()) {
      recovered = recovered.apply(change);
    }
    assertEquals(recording.state(), recovered);
    assertEquals(recording.state().audiences(), recovered.audiences());
  }
}
