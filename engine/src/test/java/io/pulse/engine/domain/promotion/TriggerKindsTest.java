package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.transition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.audience.EventMatch;
import io.pulse.engine.domain.watch.CampaignWatch;
import io.pulse.engine.domain.watch.DateWatch;
import io.pulse.engine.domain.watch.EventWatch;
import io.pulse.engine.domain.watch.WatchHit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each kind of trigger fires on, and what it asks users to mark. */
class TriggerKindsTest {

  private static final EventMatch SUPPORT = new EventMatch("support_contact", List.of());
  private static final EventMatch PURCHASE = new EventMatch("purchase", List.of());
  private static final DateWatch BIRTHDAY = new DateWatch("birthday", "09:00", "timeZone");

  private static AudienceTransition audience(String id, String from, String to, int n) {
    return new AudienceTransition(
        AudienceTransition.idFor("ann", id, n), "ann", id, from, to, T0, TransitionCause.TIME, 1);
  }

  private static ScoredEvent scored(String type, String eventId, WatchHit... hits) {
    return new ScoredEvent(
        new BehaviouralEvent(eventId, "ann", type, Channel.WEB, T0, Map.of()),
        List.of(),
        false,
        0,
        null,
        List.of(),
        T0,
        List.of(hits));
  }

  @Test
  void anAudienceTriggerFiresOnEnteringOrOnLeavingThatAudienceOnly() {
    Trigger entered = Trigger.audience("cart-abandoners", TriggerDirection.ENTERED);
    Trigger exited = Trigger.audience("cart-abandoners", TriggerDirection.EXITED);
    AudienceTransition in = audience("cart-abandoners", null, "member", 1);
    AudienceTransition out = audience("cart-abandoners", "member", null, 2);

    assertEquals(
        Optional.of(new Occasion(entered.key(), in.id(), "ann", T0)), entered.occasionOf(in));
    assertEquals(Optional.empty(), entered.occasionOf(out));
    assertEquals(
        Optional.of(new Occasion(exited.key(), out.id(), "ann", T0)), exited.occasionOf(out));
    assertEquals(Optional.empty(), exited.occasionOf(in));
    assertEquals(Optional.empty(), entered.occasionOf(audience("vip", null, "member", 1)));
    assertEquals(Optional.empty(), entered.occasionOf(transition("ann", 1, "low", "high", T0)));
    assertFalse(entered.matches(transition("ann", 1, "low", "high", T0)));
  }

  @Test
  void anEventTriggerFiresOnEveryEventThatItsWatchMarked() {
    Trigger complaints = Trigger.event(SUPPORT);
    String watch = EventWatch.keyOf(SUPPORT);

    assertEquals(
        Optional.of(new Occasion(complaints.key(), "ann:event:e-1", "ann", T0)),
        complaints.occasionOf(scored("support_contact", "e-1", new WatchHit(watch, 0))));
    assertEquals(
        Optional.empty(),
        complaints.occasionOf(scored("support_contact", "e-2")),
        "an event no watch marked: its conditions did not hold");
    assertEquals(
        Optional.empty(),
        complaints.occasionOf(
            scored("support_contact", "e-3", new WatchHit(EventWatch.keyOf(PURCHASE), 1))));
  }

  @Test
  void anOccurrenceTriggerFiresOnTheNthEventOnly() {
    Trigger third = Trigger.occurrence(PURCHASE, 3);
    String watch = EventWatch.keyOf(PURCHASE);

    assertEquals(
        Optional.empty(), third.occasionOf(scored("purchase", "p-2", new WatchHit(watch, 2))));
    assertEquals(
        Optional.of(new Occasion(third.key(), "ann:event:p-3", "ann", T0)),
        third.occasionOf(scored("purchase", "p-3", new WatchHit(watch, 3))));
    assertEquals(
        Optional.empty(), third.occasionOf(scored("purchase", "p-4", new WatchHit(watch, 4))));
    assertNotEquals(third.key(), Trigger.occurrence(PURCHASE, 4).key());
    assertNotEquals(third.key(), Trigger.event(PURCHASE).key());
  }

  @Test
  void aDateTriggerFiresOnItsOwnDateOnly() {
    Trigger birthday = Trigger.date(BIRTHDAY);
    DateReached reached =
        new DateReached(
            DateReached.idFor("ann", BIRTHDAY.key(), 2026),
            "ann",
            BIRTHDAY.key(),
            "birthday",
            "2026-03-17",
            T0);
    DateWatch other = new DateWatch("birthday", "10:00", "timeZone");

    assertEquals(
        Optional.of(new Occasion(birthday.key(), reached.id(), "ann", T0)),
        birthday.occasionOf(reached));
    assertEquals(Optional.empty(), Trigger.date(other).occasionOf(reached));
  }

  @Test
  void eachTriggerAsksUsersToMarkWhatItFiresOnWhileItsCampaignIsActive() {
    Campaign loyalty = Promotions.loyalty();
    EventMatch big =
        new EventMatch(
            "purchase", List.of(new Condition("properties.amount", ConditionOperator.GTE, 50)));

    assertEquals(CampaignWatch.NONE, loyalty.watch());
    assertEquals(
        new CampaignWatch(
            Map.of("trigger.audience", "carts", "eligibleAudience", "vip"), null, null),
        Promotions.on(loyalty, Trigger.audience("carts", TriggerDirection.ENTERED), "vip").watch());
    assertEquals(
        new CampaignWatch(Map.of(), new EventWatch(big, true), null),
        Promotions.on(loyalty, Trigger.occurrence(big, 3), null).watch());
    assertEquals(
        new CampaignWatch(Map.of(), new EventWatch(big, false), null),
        Promotions.on(loyalty, Trigger.event(big), null).watch());
    assertEquals(
        new CampaignWatch(Map.of(), null, BIRTHDAY),
        Promotions.on(loyalty, Trigger.date(BIRTHDAY), null).watch());
    assertEquals(
        new CampaignWatch(Map.of("eligibleAudience", "vip"), null, null),
        Promotions.on(loyalty, Trigger.date(BIRTHDAY), "vip").withActive(false).watch(),
        "a switched-off campaign keeps its audiences but asks users for nothing");
  }

  @Test
  void everyUnsoundTriggerIsRefusedNamingTheField() {
    assertEquals(
        List.of("trigger.audience must be an audience's id"),
        Trigger.audience("no good!", TriggerDirection.ENTERED).problems("trigger"));
    assertEquals(
        List.of("trigger needs exactly one of entered and exited"),
        Trigger.audience("carts", null).problems("trigger"));
    assertEquals(
        List.of("trigger.occurrence must be a whole number from 1 to 1000000"),
        Trigger.occurrence(PURCHASE, 0).problems("trigger"));
    assertEquals(
        List.of("trigger.event must name an event type (1 to 256 characters)"),
        Trigger.event(new EventMatch(" ", List.of())).problems("trigger"));
    assertTrue(
        Trigger.event(
                new EventMatch(
                    "purchase", List.of(new Condition("amount", ConditionOperator.GTE, 50))))
            .problems("trigger")
            .get(0)
            .startsWith("trigger.where: condition path 'amount'"));
    assertEquals(
        List.of("trigger.date.at '9am' must be a local time HH:mm or HH:mm:ss, such as 09:00"),
        Trigger.date(new DateWatch("birthday", "9am", null)).problems("trigger"));
    assertEquals(
        List.of("trigger must be one kind: a model's bands, an audience, an event or a date"),
        new Trigger(
                "engagement", TriggerDirection.ENTERED, List.of("high"), "carts", null, null, null)
            .problems("trigger"));
  }
}
