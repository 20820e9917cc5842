package io.pulse.engine.domain.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SubscriptionStateTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static final WebhookSubscription SUBSCRIPTION =
      new WebhookSubscription(
          "sub-1",
          "http://127.0.0.1:9/hook",
          new TransitionFilter("engagement", "high", null, null),
          "0123456789abcdef-secret",
          T0);

  static SegmentTransition transition(String user, int n, String to, TransitionCause cause) {
    return new SegmentTransition(
        user + ":engagement:" + n, user, "engagement", null, to, 7.5, T0, cause);
  }

  private static DeadLetter letter(long offset) {
    return new DeadLetter(
        offset,
        transition("u-" + offset, 1, "high", TransitionCause.EVENT),
        3,
        "HTTP 500",
        T0,
        false);
  }

  private static SubscriptionState created(long startAfter) {
    return SubscriptionState.EMPTY.apply(new SubscriptionChange.Created(SUBSCRIPTION, startAfter));
  }

  @Test
  void aCreatedSubscriptionIsActiveAndStartsAfterTheGivenOffset() {
    // given nothing, when created after offset 41
    SubscriptionState state = created(41);

    // then
    assertTrue(state.isActive());
    assertEquals(41, state.deliveredOffset());
    assertEquals(1, state.generation());
    assertFalse(SubscriptionState.EMPTY.isActive());
  }

  @Test
  void deliveryOnlyMovesForwardAndOnlyForTheCurrentRun() {
    // given
    SubscriptionState state = created(10);

    // when the current run reports 20, then 15
    state = state.apply(state.delivered(1, 20).orElseThrow());

    // then
    assertEquals(20, state.deliveredOffset());
    assertEquals(Optional.empty(), state.delivered(1, 15));
    assertEquals(Optional.empty(), state.delivered(1, 20));
    // a report from an earlier run is dropped
    assertEquals(Optional.empty(), state.delivered(0, 30));
  }

  @Test
  void aReplayMovesThePositionBackBeforeTheOffsetAndStartsANewRun() {
    // given a subscription delivered up to 100
    SubscriptionState state = created(0).apply(new SubscriptionChange.DeliveredUpTo(100));

    // when replaying from 40 (inclusive)
    state = state.apply(new SubscriptionChange.ReplayRequested(40, T0));

    // then
    assertEquals(39, state.deliveredOffset());
    assertEquals(2, state.generation());
    assertEquals(Optional.empty(), state.delivered(1, 101), "the old run is outdated");
    assertTrue(state.delivered(2, 41).isPresent());
  }

  @Test
  void deadLettersAreKeptInOffsetOrderOncePerOffsetAndBounded() {
    // given
    SubscriptionState state = created(0);

    // when letters arrive out of order, one twice, with room for three
    for (long offset : List.of(7L, 3L, 5L, 3L)) {
      state = state.apply(state.deadLettered(1, letter(offset), 3).orElseThrow());
    }

    // then
    assertEquals(
        List.of(3L, 5L, 7L), state.deadLetters().stream().map(DeadLetter::offset).toList());
    assertEquals(0, state.deadLettersDropped());

    // when a fourth arrives, the oldest goes and is counted
    state = state.apply(state.deadLettered(1, letter(9), 3).orElseThrow());
    assertEquals(
        List.of(5L, 7L, 9L), state.deadLetters().stream().map(DeadLetter::offset).toList());
    assertEquals(1, state.deadLettersDropped());
  }

  @Test
  void aRedeliveryMarksEveryLetterAndEachDeliveredOneLeavesTheList() {
    // given two dead letters
    SubscriptionState state = created(0);
    state = state.apply(new SubscriptionChange.DeadLettered(letter(3), 100));
    state = state.apply(new SubscriptionChange.DeadLettered(letter(5), 100));

    // when a redelivery is requested
    state = state.apply(new SubscriptionChange.RedeliveryRequested(T0));

    // then both are pending in a new run
    assertEquals(2, state.generation());
    assertEquals(2, state.pendingRedeliveries().size());

    // when one is delivered and the other fails again
    state = state.apply(new SubscriptionChange.DeadLetterDelivered(3));
    DeadLetter failedAgain =
        new DeadLetter(5, letter(5).transition(), 6, "HTTP 503", T0.plusSeconds(60), false);
    state = state.apply(state.deadLettered(2, failedAgain, 100).orElseThrow());

    // then only the failed one is left, no longer pending
    assertEquals(List.of(failedAgain), state.deadLetters());
    assertEquals(List.of(), state.pendingRedeliveries());
  }

  @Test
  void aDeletedSubscriptionTakesNoMoreReports() {
    SubscriptionState state = created(0).apply(new SubscriptionChange.Deleted(T0));

    assertFalse(state.isActive());
    assertEquals(Optional.empty(), state.delivered(state.generation(), 5));
    assertEquals(Optional.empty(), state.deadLettered(state.generation(), letter(5), 10));
  }

  @Test
  void theFilterMatchesOnEveryGivenFieldAndIgnoresAbsentOnes() {
    TransitionFilter highEvents = new TransitionFilter("engagement", "high", "event", null);

    assertTrue(highEvents.matches(transition("u", 1, "high", TransitionCause.EVENT)));
    assertFalse(highEvents.matches(transition("u", 1, "medium", TransitionCause.EVENT)));
    assertFalse(highEvents.matches(transition("u", 1, "high", TransitionCause.DECAY)));
    assertTrue(TransitionFilter.ANY.matches(transition("u", 1, "low", TransitionCause.DECAY)));
    assertTrue(
        new TransitionFilter(null, null, "model-change", "u")
            .matches(transition("u", 1, "low", TransitionCause.MODEL_CHANGE)));
    assertFalse(
        new TransitionFilter(null, null, null, "v")
            .matches(transition("u", 1, "low", TransitionCause.EVENT)));
  }

  @Test
  void theSecretIsNeverShownWhole() {
    assertEquals("****cret", SUBSCRIPTION.maskedSecret());
    WebhookSubscription shortSecret = new WebhookSubscription("s", "http://h/", null, "tiny", T0);
    assertEquals("****", shortSecret.maskedSecret());
    assertEquals(TransitionFilter.ANY, shortSecret.filter());
  }

  @Test
  void aResealedSecretReplacesTheStoredOneAndKeepsEverythingElse() {
    // given a subscription with a dead letter, delivered up to 50
    SubscriptionState before =
        created(10)
            .apply(new SubscriptionChange.DeliveredUpTo(50))
            .apply(new SubscriptionChange.DeadLettered(letter(12), 100));

    // when its secret is sealed anew
    SubscriptionState after =
        before.apply(new SubscriptionChange.SecretResealed("pulse-sealed:v1:new", T0));

    // then only the stored secret changed
    assertEquals("pulse-sealed:v1:new", after.subscription().secret());
    assertEquals(
        new SubscriptionState(
            SUBSCRIPTION.withStoredSecret("pulse-sealed:v1:new"),
            false,
            50,
            before.generation(),
            before.deadLetters(),
            0),
        after);
    assertEquals("****cret", after.subscription().maskedSecret());
  }
}
