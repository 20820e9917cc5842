package io.pulse.engine.domain.audience;

import static io.pulse.engine.domain.audience.AudienceFixtures.T0;
import static io.pulse.engine.domain.audience.AudienceFixtures.definitions;
import static io.pulse.engine.domain.audience.AudienceFixtures.emailOpen;
import static io.pulse.engine.domain.audience.AudienceFixtures.event;
import static io.pulse.engine.domain.audience.AudienceFixtures.gte;
import static io.pulse.engine.domain.audience.AudienceFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.audience.AudienceCondition.TraitOperator;
import io.pulse.engine.domain.profile.TraitLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Traits, scores, metrics and references, each deciding membership and when it may change. */
class AudienceConditionTest {

  private static AudienceCondition trait(String trait, TraitOperator operator, Object operand) {
    return new AudienceCondition.TraitTest(trait, operator, operand, null);
  }

  private static UserEngagement withTraits(
      UserEngagement user, Definitions definitions, Map<String, Object> patch, Instant now) {
    return user.patchTraits(patch, TraitLimits.DEFAULTS, definitions, now).recording().state();
  }

  private static List<AudienceTransition> transitions(Recording recording) {
    return recording.changes().stream()
        .filter(AudienceTransition.class::isInstance)
        .map(AudienceTransition.class::cast)
        .toList();
  }

  @Test
  void traitComparisonsDecideAndATraitChangeIsTheCause() {
    Definitions definitions =
        definitions(
            Audience.of("irish", "Ireland", trait("country", TraitOperator.EQ, "IE")),
            Audience.of(
                "premium", "Premium", trait("plan", TraitOperator.IN, List.of("gold", "vip"))),
            Audience.of("big", "Big", trait("seats", TraitOperator.GTE, 10.0)),
            Audience.of("tagged", "Tagged", trait("tags", TraitOperator.CONTAINS, "beta")),
            Audience.of("known", "Known", trait("email", TraitOperator.EXISTS, true)));
    Map<String, Object> patch = new HashMap<>();
    patch.put("country", "IE");
    patch.put("plan", "gold");
    patch.put("seats", 12);
    patch.put("tags", List.of("alpha", "beta"));
    Recording recording =
        user().patchTraits(patch, TraitLimits.DEFAULTS, definitions, T0).recording();
    assertEquals(
        List.of("big", "irish", "premium", "tagged"), recording.state().audiences().memberships());
    assertTrue(transitions(recording).stream().allMatch(t -> t.cause() == TransitionCause.TRAIT));

    Map<String, Object> removal = new HashMap<>();
    removal.put("country", null);
    removal.put("email", "ann@example.com");
    UserEngagement after = withTraits(recording.state(), definitions, removal, T0.plusSeconds(1));
    assertEquals(List.of("big", "known", "premium", "tagged"), after.audiences().memberships());
  }

  @Test
  void aRelativeDateFlipsOnTimeWithNoEvent() {
    // "no order for 30 days", as a date trait before 30 days ago
    Audience lapsed =
        Audience.of(
            "lapsed",
            "Lapsed",
            new AudienceCondition.TraitTest(
                "lastOrder",
                TraitOperator.BEFORE,
                null,
                RelativeTime.parse("-P30D").orElseThrow()));
    Definitions definitions = definitions(lapsed);
    UserEngagement user = withTraits(user(), definitions, Map.of("lastOrder", "2026-11-20"), T0);
    assertFalse(user.audiences().member("lapsed"));
    Instant flips = Instant.parse("2026-12-20T00:00:00.001Z");
    assertEquals(flips, user.nextChange(definitions, T0).orElseThrow());
    Recording woken = user.wakeUp(definitions, flips.plusSeconds(1));
    assertEquals(1, transitions(woken).size());
    assertEquals(flips, transitions(woken).get(0).at());
  }

  @Test
  void aScoreThresholdIsLeftByDecayOnTime() {
    Definitions definitions =
        definitions(
            Audience.of("hot", "Hot", new AudienceCondition.ScoreTest("engagement", null, gte(4))),
            Audience.of(
                "medium", "Medium", new AudienceCondition.ScoreTest("engagement", "medium", null)));
    UserEngagement user = user();
    // 24 points: score 4.43, medium (30-day half-life)
    for (int i = 0; i < 8; i++) {
      user = user.record(List.of(emailOpen(T0)), definitions, T0).state();
    }
    assertEquals(List.of("hot", "medium"), user.audiences().memberships());
    Instant leaves = user.nextChange(definitions, T0).orElseThrow();
    assertTrue(leaves.isAfter(T0.plus(Duration.ofDays(4))), leaves.toString());
    Recording woken = user.wakeUp(definitions, leaves.plus(Duration.ofDays(1)));
    assertEquals(List.of(), woken.state().audiences().memberships());
    for (AudienceTransition transition : transitions(woken)) {
      assertEquals(TransitionCause.TIME, transition.cause());
      assertTrue(!transition.at().isBefore(leaves.minusSeconds(1)), transition.toString());
    }
  }

  @Test
  void daysSinceLastPurchaseChangesOnTheDay() {
    Definitions definitions =
        definitions(
            Audience.of(
                "quiet",
                "Quiet buyers",
                new AudienceCondition.MetricTest(Metric.DAYS_SINCE_LAST_PURCHASE, gte(90))));
    UserEngagement user =
        user()
            .record(List.of(event("purchase", T0, Map.of("amount", 120))), definitions, T0)
            .state();
    assertFalse(user.audiences().member("quiet"));
    assertEquals(T0.plus(Duration.ofDays(90)), user.nextChange(definitions, T0).orElseThrow());
    Recording woken = user.wakeUp(definitions, T0.plus(Duration.ofDays(91)));
    assertEquals(T0.plus(Duration.ofDays(90)), transitions(woken).get(0).at());
    assertTrue(woken.state().audiences().member("quiet"));
  }

  @Test
  void anAudienceOfAudiencesFollowsTheOnesItRefersTo() {
    Audience irish = Audience.of("irish", "Ireland", trait("country", TraitOperator.EQ, "IE"));
    Audience notIrish =
        Audience.of(
            "others",
            "Others",
            new AudienceCondition.Not(new AudienceCondition.InAudience("irish")));
    Definitions definitions = definitions(notIrish, irish);
    UserEngagement user = withTraits(user(), definitions, Map.of("country", "FR"), T0);
    assertEquals(List.of("others"), user.audiences().memberships());
    user = withTraits(user, definitions, Map.of("country", "IE"), T0.plusSeconds(1));
    assertEquals(List.of("irish"), user.audiences().memberships());
  }

  @Test
  void aStretchOfTimeLetsMembersInAtItsStartAndOutAtItsEnd() {
    // "Irish customers on St Patrick's Day", for a user known before the day
    Instant start = T0.plus(Duration.ofDays(2));
    Instant end = start.plus(Duration.ofDays(1));
    Definitions definitions =
        definitions(
            Audience.of(
                "st-patricks",
                "St Patrick's Day in Ireland",
                new AudienceCondition.All(
                    List.of(
                        trait("country", TraitOperator.EQ, "IE"),
                        new AudienceCondition.During(start, end)))));
    UserEngagement ann = withTraits(user(), definitions, Map.of("country", "IE"), T0);
    assertFalse(ann.audiences().member("st-patricks"));
    assertEquals(start, ann.nextChange(definitions, T0).orElseThrow());

    Recording day = ann.wakeUp(definitions, start.plusMillis(400));
    assertEquals(1, transitions(day).size());
    assertEquals(start, transitions(day).get(0).at());
    assertEquals(TransitionCause.TIME, transitions(day).get(0).cause());
    assertEquals(end, day.state().nextChange(definitions, start.plusMillis(400)).orElseThrow());

    Recording after = day.state().wakeUp(definitions, end.plusMillis(10));
    assertEquals(1, transitions(after).size());
    assertEquals(null, transitions(after).get(0).to());
    assertEquals(end, transitions(after).get(0).at());
    assertTrue(after.state().nextChange(definitions, end.plusMillis(10)).isEmpty());
  }

  @Test
  void aStretchOfTimeMustEndAfterItStarts() {
    Audience backwards =
        Audience.of("x", "x", new AudienceCondition.During(T0, T0.minusSeconds(1)));
    assertEquals(
        List.of("condition: during.from must be before during.until"),
        Audiences.NONE.problemsWith(backwards, definitions().models()));
  }
}
