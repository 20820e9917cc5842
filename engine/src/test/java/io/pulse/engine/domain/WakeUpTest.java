package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.LOW_MEDIUM_HIGH;
import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.USER;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.replay;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a user asks to be woken, so that decay and inactivity change segments on time. */
class WakeUpTest {

  /** 100 points a purchase (high), half-life 3 s: the first crossing is about 2.59 s later. */
  private static final ScoringModel FAST =
      model("fast", 3.0 / 86_400, ScoringRule.of("purchase", null, 100));

  private static final ScoringModels MODELS = ScoringModels.of(FAST);

  private static UserEngagement highUser() {
    return newUser().record(List.of(event("purchase", Channel.WEB, T0)), MODELS).state();
  }

  private static UserEngagement withPendingWakeUp(UserEngagement user, Instant dueAt) {
    return user.apply(new WakeUpScheduled(USER, dueAt));
  }

  @Test
  void aWakeUpScheduledIsRememberedByTheUser() {
    // given
    UserEngagement user = highUser();
    assertNull(user.scheduledWakeUp());

    // when
    UserEngagement after = withPendingWakeUp(user, T0.plusSeconds(3));

    // then only the wake-up changed
    assertEquals(T0.plusSeconds(3), after.scheduledWakeUp());
    assertEquals(user.scores(), after.scores());
    assertEquals(user.metrics(), after.metrics());
    assertEquals(user.recentEventIds(), after.recentEventIds());
  }

  @Test
  void theScheduledWakeUpSurvivesLaterEventsAndTransitions() {
    // given
    UserEngagement user = withPendingWakeUp(highUser(), T0.plusSeconds(3));

    // when
    UserEngagement woken = user.wakeUp(MODELS, T0.plusSeconds(10)).state();
    UserEngagement recorded =
        woken.record(List.of(event("purchase", Channel.WEB, T0.plusSeconds(11))), MODELS).state();

    // then
    assertEquals(T0.plusSeconds(3), woken.scheduledWakeUp());
    assertEquals(T0.plusSeconds(3), recorded.scheduledWakeUp());
  }

  @Test
  void theFirstRequestIsForTheNextSegmentChange() {
    // given
    UserEngagement user = highUser();
    Instant next = user.nextSegmentChange(MODELS).orElseThrow();

    // when
    Optional<WakeUpScheduled> request = user.wakeUpToRequest(MODELS, T0);

    // then
    assertEquals(Optional.of(new WakeUpScheduled(USER, next)), request);
  }

  @Test
  void anEarlierChangeThanThePendingWakeUpNeedsANewRequest() {
    // given a wake-up pending later than the next change
    UserEngagement user = highUser();
    Instant next = user.nextSegmentChange(MODELS).orElseThrow();
    UserEngagement pending = withPendingWakeUp(user, next.plusSeconds(30));

    // when
    Optional<WakeUpScheduled> request = pending.wakeUpToRequest(MODELS, T0);

    // then
    assertEquals(Optional.of(new WakeUpScheduled(USER, next)), request);
  }

  @Test
  void aLaterChangeThanThePendingWakeUpNeedsNoRequest() {
    // given a wake-up pending earlier than the next change
    UserEngagement user = highUser();
    Instant next = user.nextSegmentChange(MODELS).orElseThrow();
    UserEngagement pending = withPendingWakeUp(user, next.minusSeconds(1));

    // when
    Optional<WakeUpScheduled> request = pending.wakeUpToRequest(MODELS, T0);

    // then the pending one will fire first and ask again
    assertEquals(Optional.empty(), request);
  }

  @Test
  void aPendingWakeUpAtExactlyTheNextChangeNeedsNoRequest() {
    // given
    UserEngagement user = highUser();
    Instant next = user.nextSegmentChange(MODELS).orElseThrow();
    UserEngagement pending = withPendingWakeUp(user, next);

    // then
    assertEquals(Optional.empty(), pending.wakeUpToRequest(MODELS, T0));
  }

  @Test
  void aWakeUpDueInThePastIsNotPendingSoANewRequestIsNeeded() {
    // given a wake-up that was due a second before now
    UserEngagement user = highUser();
    Instant next = user.nextSegmentChange(MODELS).orElseThrow();
    Instant now = T0.plusSeconds(1);
    UserEngagement stale = withPendingWakeUp(user, now.minusSeconds(1));

    // when
    Optional<WakeUpScheduled> request = stale.wakeUpToRequest(MODELS, now);

    // then
    assertEquals(Optional.of(new WakeUpScheduled(USER, next)), request);
  }

  @Test
  void aWakeUpDueExactlyNowIsNotPending() {
    // given
    UserEngagement user = highUser();
    Instant next = user.nextSegmentChange(MODELS).orElseThrow();
    Instant now = T0.plusSeconds(1);

    // then
    assertEquals(
        Optional.of(new WakeUpScheduled(USER, next)),
        withPendingWakeUp(user, now).wakeUpToRequest(MODELS, now));
  }

  @Test
  void nothingToWaitForNeedsNoRequest() {
    // given a model without decay or inactivity
    ScoringModel lasting = model("lasting", null, ScoringRule.of("purchase", null, 100));
    ScoringModels models = ScoringModels.of(lasting);
    UserEngagement user =
        newUser().record(List.of(event("purchase", Channel.WEB, T0)), models).state();

    // then
    assertEquals(Optional.empty(), user.wakeUpToRequest(models, T0));
    assertEquals(Optional.empty(), newUser().wakeUpToRequest(MODELS, T0));
  }

  @Test
  void afterAWakeUpAtTheFirstCrossingTheNextRequestIsForTheSecond() {
    // given a user woken by the wake-up it asked for
    UserEngagement user = highUser();
    WakeUpScheduled first = user.wakeUpToRequest(MODELS, T0).orElseThrow();
    UserEngagement scheduled = user.apply(first);
    Recording woken = scheduled.wakeUp(MODELS, first.dueAt());

    // when
    Optional<WakeUpScheduled> second = woken.state().wakeUpToRequest(MODELS, first.dueAt());

    // then
    assertEquals(1, woken.transitions().size());
    assertEquals(
        woken.state().nextSegmentChange(MODELS).map(at -> new WakeUpScheduled(USER, at)), second);
    assertTrue(second.orElseThrow().dueAt().isAfter(first.dueAt()));
  }

  @Test
  void theJournaledWakeUpIsRestoredOnReplay() {
    // given
    Recording recorded = newUser().record(List.of(event("purchase", Channel.WEB, T0)), MODELS);
    WakeUpScheduled request = recorded.state().wakeUpToRequest(MODELS, T0).orElseThrow();

    // when
    List<EngagementChange> journal = new ArrayList<>(recorded.changes());
    journal.add(request);
    UserEngagement replayed = replay(newUser(), journal);

    // then
    assertEquals(recorded.state().apply(request), replayed);
    assertEquals(request.dueAt(), replayed.scheduledWakeUp());
  }

  @Test
  void afterAWakeUpNoSegmentChangeIsDueAtOrBeforeTheWakeUp() {
    // given a user held in high by an earlier version whose bands were wider, so that the same
    // band name now starts above the user's points
    ScoringModel narrowHigh =
        new ScoringModel(
            "fast",
            "fast",
            2,
            FAST.rules(),
            FAST.halfLifeDays(),
            Scale.DEFAULT,
            List.of(new Band("low", 1, 4), new Band("medium", 4, 9.5), new Band("high", 9.5, 10)),
            ScoringModel.DEFAULT_SATURATION_POINTS);
    ScoringModels changed = ScoringModels.of(narrowHigh);
    UserEngagement user = highUser();
    assertEquals(LOW_MEDIUM_HIGH, FAST.bands());
    assertEquals("high", user.scoreIn("fast").band());
    Instant now = T0.plusSeconds(1);

    // when it is woken
    Recording woken = user.wakeUp(changed, now);

    // then a wake-up that changed nothing must not ask to be woken again at or before now, or
    // the scheduler would wake it over and over
    Optional<Instant> next = woken.state().nextSegmentChange(changed);
    assertTrue(
        next.isEmpty() || next.get().isAfter(now),
        "woken at " + now + " with changes " + woken.changes() + ", next change " + next);
    Optional<WakeUpScheduled> again =
        woken.state().apply(new WakeUpScheduled(USER, now)).wakeUpToRequest(changed, now);
    assertTrue(
        again.isEmpty() || again.get().dueAt().isAfter(now),
        "asks again for a wake-up at " + again);
  }
}
