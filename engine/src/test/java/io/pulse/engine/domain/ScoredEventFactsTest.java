package io.pulse.engine.domain;

import static io.pulse.engine.domain.TestEvents.T0;
import static io.pulse.engine.domain.TestEvents.emailOpen;
import static io.pulse.engine.domain.TestEvents.event;
import static io.pulse.engine.domain.TestEvents.newUser;
import static io.pulse.engine.domain.TestEvents.purchase;
import static io.pulse.engine.domain.TestEvents.replay;
import static io.pulse.engine.domain.TestEvents.withId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facts an accepted event carries for the read side's aggregates. */
class ScoredEventFactsTest {

  private static final ScoringModels MODELS = ScoringModels.of(ScoringModel.defaultEngagement());

  private static List<ScoredEvent> scored(Recording recording) {
    return recording.changes().stream()
        .filter(ScoredEvent.class::isInstance)
        .map(ScoredEvent.class::cast)
        .toList();
  }

  @Test
  void onlyTheFirstAcceptedEventIsTheFirstEvent() {
    // when
    Recording first =
        newUser().record(List.of(emailOpen(T0), emailOpen(T0.plusSeconds(1))), MODELS);
    Recording second = first.state().record(List.of(emailOpen(T0.plusSeconds(2))), MODELS);

    // then
    List<ScoredEvent> events = new ArrayList<>(scored(first));
    events.addAll(scored(second));
    assertEquals(3, events.size());
    assertTrue(events.get(0).firstEvent());
    assertFalse(events.get(1).firstEvent());
    assertFalse(events.get(2).firstEvent());
  }

  @Test
  void aRetriedFirstEventIsNotAFirstEventAgain() {
    // given
    BehaviouralEvent first = withId("first", "email_open", T0);
    Recording recording = newUser().record(List.of(first, first), MODELS);

    // when the same event is retried later
    Recording retried = recording.state().record(List.of(first), MODELS);

    // then
    assertEquals(1, scored(recording).size());
    assertTrue(scored(recording).get(0).firstEvent());
    assertEquals(1, recording.duplicates());
    assertTrue(scored(retried).isEmpty());
    assertEquals(1, retried.duplicates());
  }

  @Test
  void anEventThatEarnsNothingStillCarriesItsFacts() {
    // when
    Recording recording =
        newUser().record(List.of(event("unknown_type", Channel.OTHER, T0)), MODELS);

    // then
    ScoredEvent only = scored(recording).get(0);
    assertTrue(only.awards().isEmpty());
    assertTrue(only.firstEvent());
    assertEquals(0, only.ordersAfter());
    assertNull(only.previousPurchaseAt());
  }

  @Test
  void purchasesCarryTheOrderCountAfterThemAndThePreviousPurchaseTime() {
    // given
    Instant first = T0;
    Instant view = T0.plusSeconds(60);
    Instant second = T0.plusSeconds(120);
    Instant third = T0.plusSeconds(180);

    // when
    Recording recording =
        newUser()
            .record(
                List.of(
                    purchase(first, 40),
                    event("page_view", Channel.WEB, view),
                    purchase(second, 25.5),
                    event("purchase", Channel.WEB, third)),
                MODELS);

    // then
    List<ScoredEvent> events = scored(recording);
    assertEquals(4, events.size());
    assertEquals(1, events.get(0).ordersAfter());
    assertNull(events.get(0).previousPurchaseAt());
    assertEquals(1, events.get(1).ordersAfter());
    assertNull(events.get(1).previousPurchaseAt());
    assertEquals(2, events.get(2).ordersAfter());
    assertEquals(first, events.get(2).previousPurchaseAt());
    // a purchase without an amount is still an order
    assertEquals(3, events.get(3).ordersAfter());
    assertEquals(second, events.get(3).previousPurchaseAt());
    assertEquals(3, recording.state().metrics().orders());
  }

  @Test
  void theFactsCarryOverSeparateRequests() {
    // given
    UserEngagement user = newUser().record(List.of(purchase(T0, 10)), MODELS).state();

    // when
    Recording next = user.record(List.of(purchase(T0.plusSeconds(5), 20)), MODELS);

    // then
    ScoredEvent second = scored(next).get(0);
    assertFalse(second.firstEvent());
    assertEquals(2, second.ordersAfter());
    assertEquals(T0, second.previousPurchaseAt());
  }

  @Test
  void replayingScoredEventsRestoresTheMetrics() {
    // given
    Recording recording =
        newUser()
            .record(
                List.of(
                    purchase(T0, 10), emailOpen(T0.plusSeconds(1)), purchase(T0.plusSeconds(2), 5)),
                MODELS);

    // then
    assertEquals(recording.state(), replay(newUser(), recording.changes()));
  }

  @Test
  void anEventBuiltWithoutFactsHasNone() {
    // when
    ScoredEvent plain = new ScoredEvent(emailOpen(T0), List.of());

    // then
    assertFalse(plain.firstEvent());
    assertEquals(0, plain.ordersAfter());
    assertNull(plain.previousPurchaseAt());
    assertEquals(List.of(), new ScoredEvent(emailOpen(T0), null).awards());
  }
}
