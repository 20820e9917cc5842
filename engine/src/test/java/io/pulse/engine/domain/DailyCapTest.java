package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.capped;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.recordEach;
import static io.pulse.engine.domain.TestEvents.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DailyCapTest {

  private static final ScoringModel CAPPED = model("capped", null, capped("purchase", 10, 2));
  private static final ScoringModels MODELS = ScoringModels.of(CAPPED);

  private static final Instant DAY_ONE_MORNING = Instant.parse("2026-11-22T08:00:00Z");
  private static final Instant DAY_ONE_NOON = Instant.parse("2026-11-22T12:00:00Z");
  private static final Instant DAY_ONE_LAST_SECOND = Instant.parse("2026-11-22T23:59:59Z");
  private static final Instant DAY_TWO_MIDNIGHT = Instant.parse("2026-11-23T00:00:00Z");

  private static BehaviouralEvent purchaseAt(Instant at) {
    return event("purchase", Channel.WEB, at);
  }

  private static double pointsOf(UserEngagement user) {
    return user.scoreIn("capped").points();
  }

  @Test
  void theEventAfterTheCapOnTheSameUtcDayEarnsNothing() {
    // when
    Recording recording =
        newUser()
            .record(
                List.of(
                    purchaseAt(DAY_ONE_MORNING),
                    purchaseAt(DAY_ONE_NOON),
                    purchaseAt(DAY_ONE_LAST_SECOND)),
                MODELS);

    // then
    assertEquals(20.0, pointsOf(recording.state()));
    List<ScoredEvent> scored =
        recording.changes().stream()
            .filter(ScoredEvent.class::isInstance)
            .map(ScoredEvent.class::cast)
            .toList();
    assertEquals(3, scored.size());
    assertEquals(1, scored.get(0).awards().size());
    assertEquals(1, scored.get(1).awards().size());
    assertTrue(scored.get(2).awards().isEmpty());
    assertEquals(3, recording.accepted());
    assertEquals(3, recording.state().metrics().events());
  }

  @Test
  void theFirstEventOfTheNextUtcDayEarnsAgain() {
    // given the cap is used up on day one
    UserEngagement user =
        newUser()
            .record(
                List.of(
                    purchaseAt(DAY_ONE_MORNING),
                    purchaseAt(DAY_ONE_NOON),
                    purchaseAt(DAY_ONE_LAST_SECOND)),
                MODELS)
            .state();

    // when
    UserEngagement next = user.record(List.of(purchaseAt(DAY_TWO_MIDNIGHT)), MODELS).state();

    // then
    assertEquals(30.0, pointsOf(next));
  }

  @Test
  void daysAreUtcDaysWhateverTheOffsetOfTheClient() {
    // given two purchases late on one UTC day; the third is the next morning in Tokyo
    UserEngagement user =
        newUser()
            .record(
                List.of(
                    purchaseAt(Instant.parse("2026-11-22T21:00:00Z")),
                    purchaseAt(Instant.parse("2026-11-22T22:00:00Z")),
                    purchaseAt(Instant.parse("2026-11-23T08:30:00+09:00"))),
                MODELS)
            .state();

    // then the third (23:30 UTC, still the same UTC day) is capped
    assertEquals(20.0, pointsOf(user));
  }

  @Test
  void capsCountPerRule() {
    // given two rules for the same event with different caps
    ScoringModel model = model("two-caps", null, capped("login", 1, 1), capped("login", 10, 2));

    // when
    UserEngagement user =
        newUser()
            .record(
                List.of(
                    event("login", Channel.APP, DAY_ONE_MORNING),
                    event("login", Channel.APP, DAY_ONE_NOON),
                    event("login", Channel.APP, DAY_ONE_LAST_SECOND)),
                ScoringModels.of(model))
            .state();

    // then
    assertEquals(1.0 + 20.0, user.scoreIn("two-caps").points());
  }

  @Test
  void anUncappedRuleKeepsEarningBesideACappedOne() {
    // given
    ScoringModel model =
        model("mixed", null, capped("login", 10, 1), ScoringRule.of("login", null, 1));

    // when
    UserEngagement user =
        newUser()
            .record(
                List.of(
                    event("login", Channel.APP, DAY_ONE_MORNING),
                    event("login", Channel.APP, DAY_ONE_NOON),
                    event("login", Channel.APP, DAY_ONE_LAST_SECOND)),
                ScoringModels.of(model))
            .state();

    // then
    assertEquals(10.0 + 3.0, user.scoreIn("mixed").points());
  }

  @Test
  void countsSurviveSeparateRecordings() {
    // when each purchase arrives in its own request
    UserEngagement user =
        recordEach(
            newUser(),
            MODELS,
            List.of(
                purchaseAt(DAY_ONE_MORNING),
                purchaseAt(DAY_ONE_NOON),
                purchaseAt(DAY_ONE_LAST_SECOND)));

    // then
    assertEquals(20.0, pointsOf(user));
  }

  @Test
  void countsSurviveReplayOfTheJournaledChanges() {
    // given two purchases recorded and then recovered from their changes
    Recording recording =
        newUser().record(List.of(purchaseAt(DAY_ONE_MORNING), purchaseAt(DAY_ONE_NOON)), MODELS);
    UserEngagement recovered = replay(newUser(), recording.changes());

    // when a third purchase arrives on the same day
    UserEngagement after =
        recovered.record(List.of(purchaseAt(DAY_ONE_LAST_SECOND)), MODELS).state();

    // then
    assertEquals(recording.state(), recovered);
    assertEquals(20.0, pointsOf(after));
  }

  @Test
  void aLateEventOfTheDayBeforeStillCountsAgainstThatDaysCap() {
    // given the cap was used up on day one, then a purchase on day two
    UserEngagement user =
        newUser()
            .record(
                List.of(
                    purchaseAt(DAY_ONE_MORNING),
                    purchaseAt(DAY_ONE_NOON),
                    purchaseAt(DAY_TWO_MIDNIGHT.plusSeconds(3600))),
                MODELS)
            .state();

    // when a purchase from day one arrives late
    UserEngagement after = user.record(List.of(purchaseAt(DAY_ONE_LAST_SECOND)), MODELS).state();

    // then it earns nothing
    assertEquals(30.0, pointsOf(after));
  }

  @Test
  void aLateEventOfAnOlderDayStillCountsAgainstThatDaysCap() {
    // given the cap was used up on day one, then a purchase two days later
    ScoringModel oncePerDay = model("once", null, capped("purchase", 10, 1));
    ScoringModels models = ScoringModels.of(oncePerDay);
    UserEngagement user =
        newUser()
            .record(
                List.of(
                    purchaseAt(DAY_ONE_MORNING), purchaseAt(Instant.parse("2026-11-24T08:00:00Z"))),
                models)
            .state();

    // when another purchase from day one arrives late
    UserEngagement after = user.record(List.of(purchaseAt(DAY_ONE_NOON)), models).state();

    // then the cap of one per UTC day still holds for day one
    assertEquals(20.0, after.scoreIn("once").points());
  }
}
