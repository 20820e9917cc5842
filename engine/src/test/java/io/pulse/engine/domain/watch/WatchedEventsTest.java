package io.pulse.engine.domain.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.WatchesAligned;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.profile.TraitLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events a campaign watches: each user numbers the ones it counts since its first event, in the
 * order they are accepted, so that the n-th is one event, once; a tenant without such campaigns
 * journals exactly what it did before.
 */
class WatchedEventsTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final EventMatch PURCHASE = new EventMatch("purchase", List.of());
  private static final EventMatch BIG_PURCHASE =
      new EventMatch(
          "purchase", List.of(new Condition("properties.amount", ConditionOperator.GTE, 50)));
  private static final String COUNTED = EventWatch.keyOf(PURCHASE);

  private UserEngagement ann = UserEngagement.empty("ann", 1000);
  private final List<EngagementChange> journal = new ArrayList<>();
  private int sequence;

  private static Definitions watching(EventWatch... events) {
    List<CampaignWatch> watches = new ArrayList<>();
    for (EventWatch event : events) {
      watches.add(new CampaignWatch(Map.of(), event, null));
    }
    return new Definitions(
        ScoringModels.of(ScoringModel.defaultEngagement()), Audiences.NONE, Watches.of(1, watches));
  }

  private static final Definitions THIRD_PURCHASE = watching(new EventWatch(PURCHASE, true));

  private BehaviouralEvent purchase(double amount) {
    return event("p-" + ++sequence, "purchase", Map.of("amount", amount));
  }

  private static BehaviouralEvent event(String id, String type, Map<String, Object> properties) {
    return new BehaviouralEvent(id, "ann", type, Channel.WEB, T0, properties);
  }

  private Recording record(Definitions definitions, BehaviouralEvent... events) {
    Recording recording = ann.record(Arrays.asList(events), definitions, T0, TraitLimits.DEFAULTS);
    journal.addAll(recording.changes());
    ann = recording.state();
    return recording;
  }

  private static List<List<WatchHit>> hits(Recording recording) {
    return recording.changes().stream()
        .filter(ScoredEvent.class::isInstance)
        .map(change -> ((ScoredEvent) change).watchHits())
        .toList();
  }

  private static List<WatchHit> counted(long... occurrences) {
    List<WatchHit> hits = new ArrayList<>();
    for (long occurrence : occurrences) {
      hits.add(new WatchHit(COUNTED, occurrence));
    }
    return hits;
  }

  @Test
  void threePurchasesInOneBatchAreTheFirstSecondAndThird() {
    Recording recording = record(THIRD_PURCHASE, purchase(10), purchase(20), purchase(30));

    assertTrue(recording.changes().get(0) instanceof WatchesAligned, "a new user counts from 0");
    assertEquals(List.of(counted(1), counted(2), counted(3)), hits(recording));
    assertEquals(3, ann.watches().count(COUNTED));
  }

  @Test
  void aRetriedEventIsNotCountedAgain() {
    BehaviouralEvent first = purchase(10);
    BehaviouralEvent second = purchase(20);
    record(THIRD_PURCHASE, first, second);

    Recording retried = record(THIRD_PURCHASE, second, first, purchase(30), purchase(30));

    assertEquals(2, retried.duplicates());
    assertEquals(List.of(counted(3), counted(4)), hits(retried));
  }

  @Test
  void eventsFromBeforeTheWatchAreCountedFromTheUsersHistory() {
    BehaviouralEvent first = purchase(10);
    BehaviouralEvent second = purchase(20);
    BehaviouralEvent view = event("v-1", "page_view", Map.of());
    record(watching(), first, view, second);
    assertTrue(ann.needsHistoryFor(THIRD_PURCHASE.watches()));
    assertThrows(IllegalStateException.class, () -> record(THIRD_PURCHASE, purchase(30)));

    Recording recounted = ann.recount(THIRD_PURCHASE.watches(), List.of(first, view, second), T0);
    journal.addAll(recounted.changes());
    ann = recounted.state();

    assertFalse(ann.needsHistoryFor(THIRD_PURCHASE.watches()));
    assertEquals(counted(3), hits(record(THIRD_PURCHASE, purchase(30))).get(0));
  }

  @Test
  void onlyEventsThatMeetTheConditionsAreCounted() {
    String big = EventWatch.keyOf(BIG_PURCHASE);
    Definitions bigOnes = watching(new EventWatch(BIG_PURCHASE, true));

    Recording recording =
        record(bigOnes, purchase(10), purchase(60), purchase(49.99), purchase(70));

    assertEquals(
        List.of(List.of(), List.of(new WatchHit(big, 1)), List.of(), List.of(new WatchHit(big, 2))),
        hits(recording));
  }

  @Test
  void aWatchThatDoesNotCountMarksEveryMatchWithoutANumberOrAnyState() {
    Definitions complaints =
        watching(new EventWatch(new EventMatch("support_contact", List.of()), false));
    String key = EventWatch.keyOf(new EventMatch("support_contact", List.of()));

    Recording recording =
        record(
            complaints,
            event("s-1", "support_contact", Map.of()),
            event("s-2", "support_contact", Map.of()),
            event("v-1", "page_view", Map.of()));

    assertEquals(
        List.of(List.of(new WatchHit(key, 0)), List.of(new WatchHit(key, 0)), List.of()),
        hits(recording));
    assertEquals(UserWatches.NONE, ann.watches());
    assertFalse(recording.changes().stream().anyMatch(WatchesAligned.class::isInstance));
  }

  @Test
  void twoCampaignsOnTheSameEventsShareOneCount() {
    Definitions both = watching(new EventWatch(PURCHASE, false), new EventWatch(PURCHASE, true));

    assertEquals(List.of(counted(1), counted(2)), hits(record(both, purchase(1), purchase(2))));
  }

  @Test
  void aCountNoLongerNeededIsDroppedAndTakenFromHistoryAgainWhenItReturns() {
    record(THIRD_PURCHASE, purchase(10));
    Recording dropped = record(watching(), purchase(20));

    assertTrue(dropped.changes().get(0) instanceof WatchesAligned);
    assertEquals(UserWatches.NONE, ann.watches());
    assertTrue(ann.needsHistoryFor(THIRD_PURCHASE.watches()));
  }

  @Test
  void aRefusedIdentifyEventIsNotCounted() {
    Definitions identities = watching(new EventWatch(new EventMatch("identify", List.of()), true));
    BehaviouralEvent refused =
        new BehaviouralEvent(
            "i-1", "ann", "identify", Channel.WEB, T0, Map.of(), Map.of("", "nameless"));
    BehaviouralEvent accepted =
        new BehaviouralEvent(
            "i-2", "ann", "identify", Channel.WEB, T0, Map.of(), Map.of("plan", "pro"));

    Recording recording = record(identities, refused, accepted);

    assertEquals(1, recording.refused().size());
    assertEquals(
        List.of(List.of(new WatchHit(EventWatch.keyOf(new EventMatch("identify", List.of())), 1))),
        hits(recording));
  }

  @Test
  void withoutWatchesNothingMoreIsJournaledOrKept() {
    Recording recording = record(watching(), purchase(10), event("v-1", "page_view", Map.of()));

    assertEquals(List.of(List.of(), List.of()), hits(recording));
    assertFalse(recording.changes().stream().anyMatch(WatchesAligned.class::isInstance));
    assertEquals(UserWatches.NONE, ann.watches());
  }

  @Test
  void theJournalAloneRebuildsTheCounts() {
    record(THIRD_PURCHASE, purchase(10), purchase(20));
    record(THIRD_PURCHASE, purchase(30));

    UserEngagement recovered = UserEngagement.empty("ann", 1000);
    for (EngagementChange change : journal) {
      recovered = recovered.apply(change);
    }

    assertEquals(ann, recovered);
    assertEquals(3, recovered.watches().count(COUNTED));
  }
}
