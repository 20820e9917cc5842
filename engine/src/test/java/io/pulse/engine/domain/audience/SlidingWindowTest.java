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

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sliding window: "at least 3 page views within 7 days", per user, exact to the millisecond. */
class SlidingWindowTest {

  private static final Duration WEEK = Duration.ofDays(7);
  private static final Audience BROWSERS =
      Audience.of("browsers", "Browsers", window("page_view", WEEK, gte(3)));
  private static final Definitions DEFINITIONS = definitions(BROWSERS);

  private static UserEngagement record(UserEngagement user, BehaviouralEvent event, Instant now) {
    return user.record(List.of(event), DEFINITIONS, now).state();
  }

  private static List<AudienceTransition> transitions(Recording recording) {
    return recording.changes().stream()
        .filter(AudienceTransition.class::isInstance)
        .map(AudienceTransition.class::cast)
        .toList();
  }

  @Test
  void theThirdEventInTheWindowMakesAMemberWhoLeavesExactlyWhenTheOldestFallsOut() {
    // given two page views
    Instant first = T0;
    UserEngagement user = record(user(), event("page_view", first), first);
    user = record(user, event("page_view", T0.plusSeconds(3600)), T0.plusSeconds(3600));
    assertFalse(user.audiences().member("browsers"));

    // when a third arrives within the week
    Instant third = T0.plus(Duration.ofDays(2));
    Recording entered = user.record(List.of(event("page_view", third)), DEFINITIONS, third);

    // then the user enters, because of that event, at that moment
    List<AudienceTransition> in = transitions(entered);
    assertEquals(1, in.size());
    assertEquals("member", in.get(0).to());
    assertEquals(TransitionCause.EVENT, in.get(0).cause());
    assertEquals(third, in.get(0).at());
    user = entered.state();

    // and the next change by time alone is the first view leaving the window, to the millisecond
    Instant leaves = first.plus(WEEK);
    assertEquals(leaves, user.nextChange(DEFINITIONS, third).orElseThrow());

    // when a wake-up comes a little late, with no event
    Recording woken = user.wakeUp(DEFINITIONS, leaves.plusMillis(700));

    // then the user left, dated exactly when the oldest counted view fell out, caused by time
    List<AudienceTransition> out = transitions(woken);
    assertEquals(1, out.size());
    assertEquals(null, out.get(0).to());
    assertEquals(leaves, out.get(0).at());
    assertEquals(TransitionCause.TIME, out.get(0).cause());
    assertFalse(woken.state().audiences().member("browsers"));
  }

  @Test
  void aWakeUpBeforeTheMomentChangesNothingAndAFreshEventKeepsTheMember() {
    UserEngagement user = user();
    for (int i = 0; i < 3; i++) {
      Instant at = T0.plusSeconds(i);
      user = record(user, event("page_view", at), at);
    }
    assertTrue(user.audiences().member("browsers"));
    assertTrue(transitions(user.wakeUp(DEFINITIONS, T0.plus(WEEK).minusMillis(1))).isEmpty());

    // a fourth view before the first leaves: still three in the window when it does
    Instant fourth = T0.plus(Duration.ofDays(6));
    user = record(user, event("page_view", fourth), fourth);
    Instant firstGone = T0.plus(WEEK).plusMillis(500);
    Recording later = user.wakeUp(DEFINITIONS, firstGone);
    assertTrue(transitions(later).isEmpty());
    assertTrue(later.state().audiences().member("browsers"));
    // and it leaves when the second one falls out
    assertEquals(
        T0.plusSeconds(1).plus(WEEK),
        later.state().nextChange(DEFINITIONS, firstGone).orElseThrow());
  }

  @Test
  void eventsWithEqualTimestampsEachCount() {
    UserEngagement user = user();
    Recording recording =
        user.record(
            List.of(event("page_view", T0), event("page_view", T0), event("page_view", T0)),
            DEFINITIONS,
            T0);
    assertTrue(recording.state().audiences().member("browsers"));
    // all three leave together
    Recording out = recording.state().wakeUp(DEFINITIONS, T0.plus(WEEK));
    assertEquals(1, transitions(out).size());
    assertEquals(T0.plus(WEEK), transitions(out).get(0).at());
  }

  @Test
  void aLateEventCountsForTheTimeItHappened() {
    // an event dated 6 days ago, arriving now, counts, and leaves the window a day from now
    Instant now = T0.plus(Duration.ofDays(10));
    UserEngagement user = user();
    user = record(user, event("page_view", now.minus(Duration.ofDays(6))), now);
    user = record(user, event("page_view", now), now);
    Recording third = user.record(List.of(event("page_view", now)), DEFINITIONS, now);
    assertTrue(third.state().audiences().member("browsers"));
    assertEquals(
        now.plus(Duration.ofDays(1)), third.state().nextChange(DEFINITIONS, now).orElseThrow());
  }

  @Test
  void anEventAlreadyOlderThanTheWindowIsNotCounted() {
    Instant now = T0.plus(Duration.ofDays(30));
    UserEngagement user = user();
    user = record(user, event("page_view", now.minus(Duration.ofDays(8))), now);
    user = record(user, event("page_view", now), now);
    user = record(user, event("page_view", now), now);
    assertFalse(user.audiences().member("browsers"), "two in the window, the old one is not");
  }

  @Test
  void aUserKeepsOnlyAsManyEventTimesAsTheCountNeeds() {
    UserEngagement user = user();
    for (int i = 0; i < 50; i++) {
      Instant at = T0.plusSeconds(i);
      user = record(user, event("page_view", at), at);
    }
    Behaviour.Recent recent =
        (Behaviour.Recent) user.audiences().standing("browsers").orElseThrow().behaviour(0);
    assertEquals(4, recent.millis().size(), "a count of 'gte 3' keeps 4 event times");
    assertEquals(T0.plusSeconds(49).toEpochMilli(), recent.millis().get(3));
  }

  @Test
  void aLaterBehaviourConditionMayCountBeforeAnEarlierOneHasSeenAnything() {
    // two windows in one audience: the second is hit first, leaving the first slot empty
    Audience both =
        Audience.of(
            "browsing-buyers",
            "Browsing buyers",
            new AudienceCondition.All(
                List.of(window("page_view", WEEK, gte(1)), window("purchase", WEEK, gte(1)))));
    Definitions definitions = definitions(both);
    UserEngagement user = user().record(List.of(event("purchase", T0)), definitions, T0).state();
    assertFalse(user.audiences().member("browsing-buyers"));
    Instant later = T0.plusSeconds(60);
    Recording browsed = user.record(List.of(event("page_view", later)), definitions, later);
    assertEquals(1, transitions(browsed).size());
    assertTrue(browsed.state().audiences().member("browsing-buyers"));
  }
}
