package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.LOW_MEDIUM_HIGH;
import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.USER;
import static io.pulse.engine.domain.TestEvents.capped;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.newUser;
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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code <model>:inactive} segment: entered on time, left by the next qualifying event. */
class InactivityTest {

  private static final InactivityThreshold FIVE_SECONDS =
      InactivityThreshold.parse("PT5S").value().orElseThrow();

  /** Page views qualify (1 point), email opens do not; no decay. */
  private static final ScoringModel ACTIVE =
      withInactivity("active", null, FIVE_SECONDS, ScoringRule.of("page_view", null, 1));

  private static final ScoringModels MODELS = ScoringModels.of(ACTIVE);

  private static ScoringModel withInactivity(
      String id, Double halfLifeDays, InactivityThreshold threshold, ScoringRule... rules) {
    return new ScoringModel(
        id,
        id,
        1,
        List.of(rules),
        halfLifeDays,
        Scale.DEFAULT,
        LOW_MEDIUM_HIGH,
        ScoringModel.DEFAULT_SATURATION_POINTS,
        threshold);
  }

  private static Instant seconds(double seconds) {
    return T0.plusNanos(Math.round(seconds * 1e9));
  }

  private static BehaviouralEvent pageViewAt(Instant at) {
    return event("page_view", Channel.WEB, at);
  }

  private static BehaviouralEvent emailOpenAt(Instant at) {
    return event("email_open", Channel.EMAIL, at);
  }

  private static UserEngagement activeAtT0() {
    return newUser().record(List.of(pageViewAt(T0)), MODELS).state();
  }

  private static void assertEntered(SegmentTransition transition, Instant at, String model) {
    assertNull(transition.from());
    assertEquals(SegmentTransition.INACTIVE, transition.to());
    assertEquals(TransitionCause.INACTIVITY, transition.cause());
    assertEquals(at, transition.at());
    assertEquals(model, transition.model());
    assertEquals(USER, transition.userId());
  }

  private static void assertLeft(SegmentTransition transition, Instant at, String model) {
    assertEquals(SegmentTransition.INACTIVE, transition.from());
    assertNull(transition.to());
    assertEquals(TransitionCause.EVENT, transition.cause());
    assertEquals(at, transition.at());
    assertEquals(model, transition.model());
  }

  @Test
  void theInactiveSegmentIsNamedInactive() {
    assertEquals("inactive", SegmentTransition.INACTIVE);
  }

  @Test
  void theNextSegmentChangeIsFiveSecondsAfterTheLastQualifyingEvent() {
    // given
    UserEngagement user = activeAtT0();

    // then
    assertEquals(Optional.of(seconds(5)), user.nextSegmentChange(MODELS));
    assertEquals(
        Optional.of(new WakeUpScheduled(USER, seconds(5))), user.wakeUpToRequest(MODELS, T0));
    assertFalse(user.inactiveIn(ACTIVE, seconds(5).minusNanos(1)));
    assertTrue(user.inactiveIn(ACTIVE, seconds(5)));
  }

  @Test
  void noInactivityBeforeTheThreshold() {
    // given
    UserEngagement user = activeAtT0();

    // when
    Recording recording = user.wakeUp(MODELS, seconds(5).minusMillis(1));

    // then
    assertTrue(recording.changes().isEmpty(), recording.changes().toString());
    assertFalse(recording.state().scoreIn("active").inactive());
  }

  @Test
  void aWakeUpEntersInactivityExactlyAtTheLastQualifyingEventPlusTheThreshold() {
    // given
    UserEngagement user = activeAtT0();

    // when woken exactly on time
    Recording recording = user.wakeUp(MODELS, seconds(5));

    // then
    assertEquals(1, recording.changes().size(), recording.changes().toString());
    SegmentTransition entered = recording.transitions().get(0);
    assertEntered(entered, seconds(5), "active");
    assertEquals(ACTIVE.scoreFor(1), entered.score(), 1e-12);
    assertEquals(USER + ":active:2", entered.id());
    ModelScore standing = recording.state().scoreIn("active");
    assertTrue(standing.inactive());
    assertEquals("low", standing.band());
    assertEquals(2, standing.transitions());
  }

  @Test
  void aLateWakeUpStillDatesTheTransitionAtTheThreshold() {
    // when woken an hour later
    Recording recording = activeAtT0().wakeUp(MODELS, T0.plus(Duration.ofHours(1)));

    // then
    assertEquals(1, recording.transitions().size());
    assertEntered(recording.transitions().get(0), seconds(5), "active");
  }

  @Test
  void anInactiveUserIsNotMadeInactiveAgainAndWaitsForNothingMore() {
    // given
    UserEngagement inactive = activeAtT0().wakeUp(MODELS, seconds(5)).state();

    // when
    Recording again = inactive.wakeUp(MODELS, seconds(60));

    // then
    assertTrue(again.changes().isEmpty(), again.changes().toString());
    assertEquals(inactive, again.state());
    assertEquals(Optional.empty(), inactive.nextSegmentChange(MODELS));
    assertEquals(Optional.empty(), inactive.wakeUpToRequest(MODELS, seconds(6)));
  }

  @Test
  void aLaterEventsCatchUpEntersInactivityAtTheThresholdBeforeTheEvent() {
    // given
    UserEngagement user = activeAtT0();

    // when a non-qualifying event arrives at 9 s, without any wake-up in between
    Recording recording = user.record(List.of(emailOpenAt(seconds(9))), MODELS);

    // then inactivity is entered at 5 s, before the event, and the event does not end it
    List<EngagementChange> changes = recording.changes();
    assertEquals(2, changes.size(), changes.toString());
    assertEntered(assertInstanceOf(SegmentTransition.class, changes.get(0)), seconds(5), "active");
    assertInstanceOf(ScoredEvent.class, changes.get(1));
    assertTrue(recording.state().scoreIn("active").inactive());
    assertTrue(recording.state().inactiveIn(ACTIVE, seconds(9)));
  }

  @Test
  void aNonQualifyingEventDoesNotEndInactivity() {
    // given
    UserEngagement inactive = activeAtT0().wakeUp(MODELS, seconds(6)).state();

    // when
    Recording recording = inactive.record(List.of(emailOpenAt(seconds(8))), MODELS);

    // then
    assertTrue(recording.transitions().isEmpty(), recording.transitions().toString());
    assertTrue(recording.state().scoreIn("active").inactive());
    assertEquals(2, recording.state().metrics().events());
  }

  @Test
  void theNextQualifyingEventEndsInactivity() {
    // given
    UserEngagement inactive =
        activeAtT0()
            .wakeUp(MODELS, seconds(6))
            .state()
            .record(List.of(emailOpenAt(seconds(8))), MODELS)
            .state();

    // when
    Recording recording = inactive.record(List.of(pageViewAt(seconds(12))), MODELS);

    // then
    assertEquals(1, recording.transitions().size(), recording.transitions().toString());
    SegmentTransition left = recording.transitions().get(0);
    assertLeft(left, seconds(12), "active");
    assertEquals(ACTIVE.scoreFor(2), left.score(), 1e-12);
    assertEquals(USER + ":active:3", left.id());
    assertFalse(recording.state().scoreIn("active").inactive());
    assertFalse(recording.state().inactiveIn(ACTIVE, seconds(12)));
    // and the clock restarts from that event
    assertEquals(Optional.of(seconds(17)), recording.state().nextSegmentChange(MODELS));
  }

  @Test
  void aQualifyingEventLongAfterEntersAndLeavesInactivityInOrder() {
    // when a qualifying event arrives at 20 s without any wake-up in between
    Recording recording = activeAtT0().record(List.of(pageViewAt(seconds(20))), MODELS);

    // then
    List<EngagementChange> changes = recording.changes();
    assertEquals(3, changes.size(), changes.toString());
    SegmentTransition entered = assertInstanceOf(SegmentTransition.class, changes.get(0));
    assertInstanceOf(ScoredEvent.class, changes.get(1));
    SegmentTransition left = assertInstanceOf(SegmentTransition.class, changes.get(2));
    assertEntered(entered, seconds(5), "active");
    assertLeft(left, seconds(20), "active");
    assertEquals(USER + ":active:2", entered.id());
    assertEquals(USER + ":active:3", left.id());
    assertFalse(recording.state().scoreIn("active").inactive());
  }

  @Test
  void aQualifyingEventBeforeTheThresholdPushesItBack() {
    // given
    UserEngagement user = activeAtT0().record(List.of(pageViewAt(seconds(3))), MODELS).state();

    // then
    assertEquals(Optional.of(seconds(8)), user.nextSegmentChange(MODELS));
    assertTrue(user.wakeUp(MODELS, seconds(7.999)).changes().isEmpty());
    List<SegmentTransition> transitions = user.wakeUp(MODELS, seconds(8)).transitions();
    assertEquals(1, transitions.size());
    assertEntered(transitions.get(0), seconds(8), "active");
  }

  @Test
  void anEventThatMatchesButIsCappedDoesNotEndInactivity() {
    // given a rule capped once a UTC day, used up at T0, and the user inactive since 5 s
    ScoringModel once = withInactivity("once", null, FIVE_SECONDS, capped("page_view", 1, 1));
    ScoringModels models = ScoringModels.of(once);
    UserEngagement inactive =
        newUser()
            .record(List.of(pageViewAt(T0)), models)
            .state()
            .wakeUp(models, seconds(6))
            .state();
    assertTrue(inactive.scoreIn("once").inactive());

    // when a matching event arrives the same day, over the cap
    Recording recording = inactive.record(List.of(pageViewAt(seconds(10))), models);

    // then it earned nothing, so it does not count as activity
    assertTrue(recording.transitions().isEmpty(), recording.transitions().toString());
    assertTrue(recording.state().scoreIn("once").inactive());
  }

  @Test
  void aUserWhoNeverQualifiedInTheModelIsNeverInactiveInIt() {
    // given
    UserEngagement user = newUser().record(List.of(emailOpenAt(T0)), MODELS).state();

    // then
    assertFalse(user.inactiveIn(ACTIVE, T0.plus(Duration.ofDays(365))));
    assertEquals(Optional.empty(), user.nextSegmentChange(MODELS));
    assertTrue(user.wakeUp(MODELS, T0.plus(Duration.ofDays(365))).changes().isEmpty());
  }

  @Test
  void aModelWithoutAThresholdNeverMakesUsersInactive() {
    // given
    ScoringModel plain =
        new ScoringModel(
            "plain",
            "plain",
            1,
            List.of(ScoringRule.of("page_view", null, 1)),
            null,
            Scale.DEFAULT,
            LOW_MEDIUM_HIGH,
            ScoringModel.DEFAULT_SATURATION_POINTS);
    ScoringModels models = ScoringModels.of(plain);
    UserEngagement user = newUser().record(List.of(pageViewAt(T0)), models).state();

    // then
    assertNull(plain.inactiveAfter());
    assertFalse(user.inactiveIn(plain, T0.plus(Duration.ofDays(3650))));
    assertEquals(Optional.empty(), user.nextSegmentChange(models));
    assertTrue(user.wakeUp(models, T0.plus(Duration.ofDays(3650))).changes().isEmpty());
  }

  @Test
  void inactivityIsPerModel() {
    // given page views qualify in one model and email opens in another, both after 5 s
    ScoringModel opens =
        withInactivity("opens", null, FIVE_SECONDS, ScoringRule.of("email_open", null, 3));
    ScoringModels models = ScoringModels.of(ACTIVE, opens);
    UserEngagement user =
        newUser().record(List.of(pageViewAt(T0), emailOpenAt(seconds(3))), models).state();

    // when woken at 6 s
    Recording woken = user.wakeUp(models, seconds(6));

    // then only the page-view model is inactive
    assertEquals(1, woken.transitions().size(), woken.transitions().toString());
    assertEntered(woken.transitions().get(0), seconds(5), "active");
    assertFalse(woken.state().scoreIn("opens").inactive());
    assertEquals(Optional.of(seconds(8)), woken.state().nextSegmentChange(models));

    // when an email open arrives at 10 s
    Recording recording = woken.state().record(List.of(emailOpenAt(seconds(10))), models);

    // then the email model entered inactivity at 8 s and left it at 10 s; the other stays
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(2, transitions.size(), transitions.toString());
    assertEntered(transitions.get(0), seconds(8), "opens");
    assertLeft(transitions.get(1), seconds(10), "opens");
    assertTrue(recording.state().scoreIn("active").inactive());
    assertFalse(recording.state().scoreIn("opens").inactive());
  }

  @Test
  void decayAndInactivityTransitionsComeInTheOrderTheyHappened() {
    // given 100 points (high) at T0, a half-life of 4 s and inactivity after 5 s
    double halfLife = 4;
    ScoringModel both =
        withInactivity(
            "both", halfLife / 86_400, FIVE_SECONDS, ScoringRule.of("purchase", null, 100));
    ScoringModels models = ScoringModels.of(both);
    UserEngagement user =
        newUser().record(List.of(event("purchase", Channel.WEB, T0)), models).state();
    double toMedium = halfLife * Math.log(100 / (50 * Math.log(3))) / Math.log(2);
    double toLow = halfLife * Math.log(100 / (50 * Math.log(1.5))) / Math.log(2);

    // when woken at 10 s
    Recording recording = user.wakeUp(models, seconds(10));

    // then high→medium (3.46 s), inactive (5 s), medium→low (9.21 s)
    List<SegmentTransition> transitions = recording.transitions();
    assertEquals(3, transitions.size(), transitions.toString());
    assertEquals("medium", transitions.get(0).to());
    assertEquals(TransitionCause.DECAY, transitions.get(0).cause());
    assertEquals(toMedium, Duration.between(T0, transitions.get(0).at()).toNanos() / 1e9, 1e-3);
    assertEntered(transitions.get(1), seconds(5), "both");
    double pointsAtFive = 100 * Math.pow(2, -5 / halfLife);
    assertEquals(1 + 9 * (1 - Math.exp(-pointsAtFive / 50)), transitions.get(1).score(), 1e-9);
    assertEquals("low", transitions.get(2).to());
    assertEquals(TransitionCause.DECAY, transitions.get(2).cause());
    assertEquals(toLow, Duration.between(T0, transitions.get(2).at()).toNanos() / 1e9, 1e-3);
    for (int i = 1; i < transitions.size(); i++) {
      assertFalse(transitions.get(i).at().isBefore(transitions.get(i - 1).at()));
    }
    ModelScore standing = recording.state().scoreIn("both");
    assertTrue(standing.inactive());
    assertEquals("low", standing.band());
  }

  @Test
  void replayingTheJournaledChangesReproducesTheState() {
    // given
    List<EngagementChange> journal = new ArrayList<>();
    Recording first = newUser().record(List.of(pageViewAt(T0)), MODELS);
    journal.addAll(first.changes());
    Recording woken = first.state().wakeUp(MODELS, seconds(6));
    journal.addAll(woken.changes());
    Recording ignored = woken.state().record(List.of(emailOpenAt(seconds(7))), MODELS);
    journal.addAll(ignored.changes());
    Recording back = ignored.state().record(List.of(pageViewAt(seconds(9))), MODELS);
    journal.addAll(back.changes());

    // then
    assertEquals(back.state(), replay(newUser(), journal));
  }

  @Test
  void aLateEventDatedBeforeTheLastQualifyingOneDoesNotEndInactivity() {
    // given the last qualifying event at T0, inactive since 5 s
    UserEngagement inactive = activeAtT0().wakeUp(MODELS, seconds(6)).state();
    SegmentTransition entered = activeAtT0().wakeUp(MODELS, seconds(6)).transitions().get(0);

    // when a qualifying event dated a second before T0 arrives late, at 7 s
    Recording recording = inactive.record(List.of(pageViewAt(seconds(-1))), MODELS);

    // then the last qualifying event is still the one at T0: the user has been inactive since
    // 5 s and stays so, rather than leaving the segment at a time before entering it
    for (SegmentTransition transition : recording.transitions()) {
      assertFalse(
          transition.at().isBefore(entered.at()),
          "transition dated before the user became inactive: " + transition);
    }
    assertEquals(
        recording.state().inactiveIn(ACTIVE, seconds(7)),
        recording.state().scoreIn("active").inactive(),
        "held inactive flag disagrees with inactiveIn");
    assertTrue(recording.state().scoreIn("active").inactive());
  }

  @Test
  void aStandingFollowsTransitionsIntoAndOutOfTheInactiveSegment() {
    // given an active standing in medium
    ModelScore medium = new ModelScore("m", 1, 30, T0, "medium", 4, Map.of());
    assertFalse(medium.inactive());

    // when it enters and leaves the inactive segment and changes band in between
    ModelScore in =
        medium.follow(
            new SegmentTransition(
                "u:m:5",
                "u",
                "m",
                null,
                SegmentTransition.INACTIVE,
                5,
                T0,
                TransitionCause.INACTIVITY));
    ModelScore down =
        in.follow(
            new SegmentTransition(
                "u:m:6", "u", "m", "medium", "low", 3.9, T0, TransitionCause.DECAY));
    ModelScore out =
        down.follow(
            new SegmentTransition(
                "u:m:7",
                "u",
                "m",
                SegmentTransition.INACTIVE,
                null,
                3.9,
                T0,
                TransitionCause.EVENT));

    // then the band is kept across inactivity and every transition is counted
    assertTrue(in.inactive());
    assertEquals("medium", in.band());
    assertEquals(5, in.transitions());
    assertTrue(down.inactive());
    assertEquals("low", down.band());
    assertFalse(out.inactive());
    assertEquals("low", out.band());
    assertEquals(7, out.transitions());
    assertEquals(30.0, out.points());
    assertEquals(T0, out.asOf());
  }
}
