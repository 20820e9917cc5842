package io.pulse.engine.domain.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.TraitsChanged;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.WakeUpScheduled;
import io.pulse.engine.domain.WatchesAligned;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.profile.TraitLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A user's yearly date, decided by the user alone: set, reached on time by a wake-up, once a year,
 * whatever the traits do in between, and recovered from the journal.
 */
class YearlyDateTest {

  private static final DateWatch BIRTHDAY = new DateWatch("birthday", "09:00", "timeZone");
  private static final Instant MORNING = Instant.parse("2026-03-17T08:59:55Z");
  private static final Instant NINE = Instant.parse("2026-03-17T09:00:00Z");

  private final List<EngagementChange> journal = new ArrayList<>();
  private UserEngagement ann = UserEngagement.empty("ann", 1000);

  private static Definitions watching(DateWatch... dates) {
    List<CampaignWatch> watches = new ArrayList<>();
    for (DateWatch date : dates) {
      watches.add(new CampaignWatch(Map.of(), null, date));
    }
    return new Definitions(
        ScoringModels.of(ScoringModel.defaultEngagement()), Audiences.NONE, Watches.of(1, watches));
  }

  private static final Definitions BIRTHDAYS = watching(BIRTHDAY);

  private Recording patch(Map<String, Object> traits, Definitions definitions, Instant now) {
    return keep(ann.patchTraits(traits, TraitLimits.DEFAULTS, definitions, now).recording(), now);
  }

  private Recording wakeUp(Definitions definitions, Instant now) {
    return keep(ann.wakeUp(definitions, now), now);
  }

  /** Journals what a recording changed and the wake-up it asks for, as the user entity does. */
  private Recording keep(Recording recording, Instant now) {
    journal.addAll(recording.changes());
    ann = recording.state();
    Optional<WakeUpScheduled> wakeUp = ann.wakeUpToRequest(BIRTHDAYS, now);
    wakeUp.ifPresent(
        request -> {
          journal.add(request);
          ann = ann.apply(request);
        });
    return recording;
  }

  private static List<DateReached> reached(Recording recording) {
    return recording.changes().stream()
        .filter(DateReached.class::isInstance)
        .map(DateReached.class::cast)
        .toList();
  }

  @Test
  void aBirthdaySetToTodayAFewSecondsAheadIsReachedThenAndNotAgainThatYear() {
    patch(Map.of("birthday", "1990-03-17"), BIRTHDAYS, MORNING);
    assertEquals(Optional.of(NINE), ann.nextChange(BIRTHDAYS, MORNING));
    assertEquals(NINE, ann.scheduledWakeUp());

    Recording early = wakeUp(BIRTHDAYS, NINE.minusMillis(1));
    Recording onTime = wakeUp(BIRTHDAYS, NINE);
    Recording again = wakeUp(BIRTHDAYS, NINE.plusSeconds(1));

    assertEquals(List.of(), reached(early));
    String key = BIRTHDAY.key();
    assertEquals(
        List.of(
            new DateReached(
                "ann:date:" + key + ":2026", "ann", key, "birthday", "2026-03-17", NINE)),
        reached(onTime),
        "a moment equal to now is due");
    assertEquals(List.of(), reached(again));
    assertEquals(
        Optional.of(Instant.parse("2027-03-17T09:00:00Z")), ann.nextChange(BIRTHDAYS, NINE));
  }

  @Test
  void aDateSetAfterTodaysMomentWaitsForNextYear() {
    Instant later = NINE.plus(Duration.ofMinutes(30));

    patch(Map.of("birthday", "1990-03-17"), BIRTHDAYS, later);

    assertEquals(List.of(), reached(wakeUp(BIRTHDAYS, later.plusSeconds(1))));
    assertEquals(
        Optional.of(Instant.parse("2027-03-17T09:00:00Z")), ann.nextChange(BIRTHDAYS, later));
  }

  @Test
  void aMomentMissedWhileNothingWokeTheUserIsReachedLateUnderItsOwnTime() {
    patch(Map.of("birthday", "1990-03-17"), BIRTHDAYS, MORNING);

    Recording late = wakeUp(BIRTHDAYS, NINE.plus(Duration.ofMinutes(10)));
    Recording yearsLate = wakeUp(BIRTHDAYS, Instant.parse("2029-06-01T00:00:00Z"));

    assertEquals(NINE, reached(late).get(0).at());
    assertEquals(1, reached(yearsLate).size(), "only the latest missed moment is reached");
    assertEquals("2029-03-17", reached(yearsLate).get(0).date());
  }

  @Test
  void aDateMovedAfterItWasReachedIsNotReachedAgainThatYear() {
    patch(Map.of("birthday", "1990-03-17"), BIRTHDAYS, MORNING);
    wakeUp(BIRTHDAYS, NINE);

    Instant june = Instant.parse("2026-06-01T09:00:00Z");
    patch(Map.of("birthday", "1990-06-01"), BIRTHDAYS, NINE.plusSeconds(60));

    assertEquals(List.of(), reached(wakeUp(BIRTHDAYS, june)));
    assertEquals(
        Optional.of(Instant.parse("2027-06-01T09:00:00Z")), ann.nextChange(BIRTHDAYS, june));
  }

  @Test
  void aDateMovedToLaterTodayIsReachedTodayAndOneMovedToThePastWaitsForNextYear() {
    patch(Map.of("birthday", "1990-03-16"), BIRTHDAYS, MORNING);
    assertEquals(
        Optional.of(Instant.parse("2027-03-16T09:00:00Z")), ann.nextChange(BIRTHDAYS, MORNING));

    patch(Map.of("birthday", "1990-03-17"), BIRTHDAYS, MORNING.plusSeconds(1));

    assertEquals(Optional.of(NINE), ann.nextChange(BIRTHDAYS, MORNING));
    assertEquals(1, reached(wakeUp(BIRTHDAYS, NINE)).size());
  }

  @Test
  void theUsersTimeZoneSetsTheMomentAndChangingItCountsFromTheChangeOn() {
    patch(
        Map.of("birthday", "1990-03-17", "timeZone", "Asia/Tokyo"),
        BIRTHDAYS,
        Instant.parse("2026-03-16T00:00:00Z"));
    assertEquals(
        Optional.of(Instant.parse("2026-03-17T00:00:00Z")),
        ann.nextChange(BIRTHDAYS, Instant.parse("2026-03-16T00:00:00Z")));

    // At 05:00Z Tokyo's moment has passed; in New York (UTC-4 in March) 09:00 is still ahead.
    Instant five = Instant.parse("2026-03-17T05:00:00Z");
    Recording moved = patch(Map.of("timeZone", "America/New_York"), BIRTHDAYS, five);

    assertEquals(1, reached(moved).size(), "Tokyo's moment was due before the zone changed");
    assertEquals(Instant.parse("2026-03-17T00:00:00Z"), reached(moved).get(0).at());
    assertEquals(
        Optional.of(Instant.parse("2027-03-17T13:00:00Z")),
        ann.nextChange(BIRTHDAYS, five),
        "once a year: 2026 was reached in Tokyo");
  }

  @Test
  void anEventAlsoReachesAMomentThatIsDueBeforeItIsScored() {
    patch(Map.of("birthday", "1990-03-17"), BIRTHDAYS, MORNING);
    BehaviouralEvent event =
        new BehaviouralEvent("e-1", "ann", "page_view", Channel.WEB, NINE, Map.of());

    Recording recording = keep(ann.record(List.of(event), BIRTHDAYS, NINE.plusSeconds(2)), NINE);

    assertTrue(recording.changes().get(0) instanceof DateReached, recording.changes().toString());
    assertTrue(recording.changes().get(1) instanceof ScoredEvent);
    assertEquals(List.of(), ((ScoredEvent) recording.changes().get(1)).watchHits());
  }

  @Test
  void aUserWhoseTraitHoldsNoDateMarksNothingUntilItDoes() {
    Recording plan = patch(Map.of("plan", "pro"), BIRTHDAYS, MORNING);
    Recording notADate = patch(Map.of("birthday", "soon"), BIRTHDAYS, MORNING);

    assertEquals(List.of(TraitsChanged.class), kinds(plan));
    assertEquals(List.of(TraitsChanged.class), kinds(notADate));
    assertEquals(UserWatches.NONE, ann.watches());

    Recording date = patch(Map.of("birthday", "1990-03-17"), BIRTHDAYS, MORNING);
    assertEquals(List.of(TraitsChanged.class, WatchesAligned.class), kinds(date));
  }

  @Test
  void aWatchThatIsGoneIsDroppedAndNothingIsReachedForIt() {
    patch(Map.of("birthday", "1990-03-17"), BIRTHDAYS, MORNING);
    Definitions none = watching();
    Definitions other = watching(new DateWatch("birthday", "10:00", null));

    Recording dropped = wakeUp(other, NINE);

    assertEquals(List.of(WatchesAligned.class), kinds(dropped));
    assertEquals(
        List.of(new DateWatch("birthday", "10:00", null).key()),
        List.copyOf(ann.watches().dates().keySet()));
    assertEquals(
        List.of(),
        wakeUp(none, NINE).changes().stream().filter(DateReached.class::isInstance).toList());
  }

  @Test
  void theJournalAloneRebuildsTheSameUser() {
    patch(Map.of("birthday", "1990-03-17"), BIRTHDAYS, MORNING);
    wakeUp(BIRTHDAYS, NINE);
    patch(Map.of("timeZone", "Europe/Dublin"), BIRTHDAYS, NINE.plusSeconds(5));

    UserEngagement recovered = UserEngagement.empty("ann", 1000);
    for (EngagementChange change : journal) {
      recovered = recovered.apply(change);
    }

    assertEquals(ann, recovered);
    assertFalse(ann.watches().dates().isEmpty());
  }

  private static List<Class<?>> kinds(Recording recording) {
    return recording.changes().stream().<Class<?>>map(Object::getClass).toList();
  }
}
