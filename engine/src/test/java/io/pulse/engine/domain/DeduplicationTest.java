package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.USER;
import static io.pulse.engine.domain.TestEvents.capped;
import static io.pulse.engine.domain.TestEvents.model;
import static io.pulse.engine.domain.TestEvents.replay;
import static io.pulse.engine.domain.TestEvents.withId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeduplicationTest {

  private static final ScoringModel VIEWS =
      model("views", 1.0, ScoringRule.of("page_view", null, 5));
  private static final ScoringModels MODELS = ScoringModels.of(VIEWS);

  private static UserEngagement userWithWindow(int capacity) {
    return UserEngagement.empty(USER, capacity);
  }

  private static BehaviouralEvent view(String eventId, long secondsAfterT0) {
    return withId(eventId, "page_view", T0.plusSeconds(secondsAfterT0));
  }

  @Test
  void anEventIdAlreadySeenIsADuplicateThatChangesNothing() {
    // given
    UserEngagement user = userWithWindow(100).record(List.of(view("e-1", 0)), MODELS).state();

    // when the same id is sent again, even with other content
    Recording retry =
        user.record(
            List.of(
                new BehaviouralEvent(
                    "e-1", USER, "purchase", Channel.WEB, T0.plusSeconds(9), Map.of("amount", 5))),
            MODELS);

    // then
    assertEquals(0, retry.accepted());
    assertEquals(1, retry.duplicates());
    assertEquals(List.of(), retry.changes());
    assertEquals(user, retry.state());
  }

  @Test
  void duplicatesInsideOneGroupAreCountedOnce() {
    // when
    Recording recording =
        userWithWindow(100)
            .record(
                List.of(view("e-1", 0), view("e-1", 0), view("e-2", 1), view("e-1", 2)), MODELS);

    // then
    assertEquals(2, recording.accepted());
    assertEquals(2, recording.duplicates());
    assertEquals(2, recording.state().metrics().events());
    assertEquals(2, recording.changes().stream().filter(ScoredEvent.class::isInstance).count());
    assertEquals(
        5 * Math.pow(2, -1.0 / 86_400) + 5,
        recording.state().standingIn(VIEWS, T0.plusSeconds(1)).points(),
        1e-9);
  }

  @Test
  void aRetryOfAWholeGroupIsEntirelyDuplicate() {
    // given
    List<BehaviouralEvent> group = List.of(view("e-1", 0), view("e-2", 1), view("e-3", 2));
    UserEngagement user = userWithWindow(100).record(group, MODELS).state();

    // when
    Recording retry = user.record(group, MODELS);

    // then
    assertEquals(0, retry.accepted());
    assertEquals(3, retry.duplicates());
    assertEquals(user, retry.state());
  }

  @Test
  void theWindowRemembersAtLeastItsCapacityOfTheNewestIds() {
    // given
    RecentEventIds ids = RecentEventIds.withCapacity(100);

    // when
    for (int i = 1; i <= 1_000; i++) {
      ids = ids.add("e-" + i);
    }

    // then the newest 100 are remembered and the oldest are gone
    for (int i = 901; i <= 1_000; i++) {
      assertTrue(ids.contains("e-" + i), "forgot e-" + i);
    }
    assertFalse(ids.contains("e-1"));
    assertFalse(ids.contains("e-500"));
    assertFalse(ids.contains("e-800"));
  }

  @Test
  void theWindowIsBoundedByItsCapacityPlusLessThanOneChunk() {
    // given
    int capacity = 100;
    RecentEventIds ids = RecentEventIds.withCapacity(capacity);

    // when / then
    for (int i = 1; i <= 1_000; i++) {
      ids = ids.add("e-" + i);
      assertTrue(
          ids.size() < capacity + RecentEventIds.CHUNK_SIZE,
          "holds " + ids.size() + " ids after " + i);
      assertEquals(Math.min(i, capacity), Math.min(ids.size(), capacity));
    }
  }

  @Test
  void addingAnIdReturnsANewWindowAndLeavesTheOldOneAlone() {
    // given
    RecentEventIds empty = RecentEventIds.withCapacity(64);

    // when
    RecentEventIds one = empty.add("e-1");

    // then
    assertEquals(0, empty.size());
    assertFalse(empty.contains("e-1"));
    assertEquals(1, one.size());
    assertTrue(one.contains("e-1"));
  }

  @Test
  void addingAnIdTheNewestChunkHoldsChangesNothing() {
    // given
    RecentEventIds two = RecentEventIds.withCapacity(64).add("e-1").add("e-2");

    // when
    RecentEventIds again = two.add("e-1");

    // then
    assertEquals(2, again.size());
    assertTrue(again.contains("e-1"));
    assertTrue(again.contains("e-2"));
  }

  @Test
  void aWindowSmallerThanOneChunkIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> RecentEventIds.withCapacity(10));
  }

  @Test
  void anIdThatLeftTheWindowIsAcceptedAgain() {
    // given a user who sent 300 events with a window of 64
    UserEngagement user = userWithWindow(64);
    for (int i = 1; i <= 300; i++) {
      user = user.record(List.of(view("e-" + i, i)), MODELS).state();
    }

    // when the oldest and the newest are sent again
    Recording oldest = user.record(List.of(view("e-1", 301)), MODELS);
    Recording newest = user.record(List.of(view("e-300", 301)), MODELS);

    // then
    assertEquals(1, oldest.accepted());
    assertEquals(0, oldest.duplicates());
    assertEquals(0, newest.accepted());
    assertEquals(1, newest.duplicates());
    assertTrue(user.recentEventIds().size() >= 64);
    assertTrue(user.recentEventIds().size() < 64 + RecentEventIds.CHUNK_SIZE);
  }

  @Test
  void replayingTheJournaledChangesReproducesTheRecordedStateExactly() {
    // given a busy history: two models, caps, transitions, duplicates, late events, purchases
    ScoringModel shop =
        model(
            "shop",
            7.0,
            capped("purchase", 15, 2),
            new ScoringRule(
                "checkout",
                null,
                4,
                List.of(new Condition("properties.cart.total", ConditionOperator.GTE, 50)),
                null));
    ScoringModels models = ScoringModels.of(VIEWS, shop);
    UserEngagement initial = userWithWindow(64);
    List<EngagementChange> journal = new ArrayList<>();
    UserEngagement state = initial;
    int duplicates = 0;
    for (int group = 0; group < 40; group++) {
      List<BehaviouralEvent> events = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        int n = group * 5 + i;
        // every seventh event is a retry of an earlier id; every eleventh arrives late
        String id = n % 7 == 6 ? "e-" + (n - 3) : "e-" + n;
        long seconds = n % 11 == 10 ? (n - 30L) * 3_600 : n * 3_600L;
        String type = n % 3 == 0 ? "purchase" : n % 3 == 1 ? "checkout" : "page_view";
        Map<String, Object> properties =
            type.equals("purchase")
                ? Map.of("amount", 10 + n)
                : Map.of("cart", Map.of("total", n % 100));
        events.add(
            new BehaviouralEvent(
                id, USER, type, Channel.WEB, T0.plus(Duration.ofSeconds(seconds)), properties));
      }
      Recording recording = state.record(events, models);
      journal.addAll(recording.changes());
      duplicates += recording.duplicates();
      state = recording.state();
    }

    // when
    UserEngagement recovered = replay(initial, journal);

    // then
    assertTrue(duplicates > 0, "the history should contain duplicates");
    assertTrue(
        journal.stream().anyMatch(SegmentTransition.class::isInstance),
        "the history should contain transitions");
    assertEquals(state, recovered);
  }

  @Test
  void aRecoveredUserStillRecognisesRetries() {
    // given
    Recording recording =
        userWithWindow(100).record(List.of(view("e-1", 0), view("e-2", 1)), MODELS);
    UserEngagement recovered = replay(userWithWindow(100), recording.changes());

    // when
    Recording retry = recovered.record(List.of(view("e-2", 5)), MODELS);

    // then
    assertEquals(recording.state(), recovered);
    assertEquals(1, retry.duplicates());
    assertEquals(0, retry.accepted());
  }

  @Test
  void recordingNothingChangesNothing() {
    // given
    UserEngagement user = userWithWindow(100);

    // when
    Recording recording = user.record(List.of(), MODELS);

    // then
    assertSame(user, recording.state());
    assertEquals(0, recording.accepted());
    assertEquals(List.of(), recording.changes());
    assertEquals(0, recording.state().metrics().events());
  }
}
