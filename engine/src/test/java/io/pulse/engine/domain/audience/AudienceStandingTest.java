package io.pulse.engine.domain.audience;

import static io.pulse.engine.domain.audience.AudienceFixtures.T0;
import static io.pulse.engine.domain.audience.AudienceFixtures.cartAbandoned;
import static io.pulse.engine.domain.audience.AudienceFixtures.definitions;
import static io.pulse.engine.domain.audience.AudienceFixtures.event;
import static io.pulse.engine.domain.audience.AudienceFixtures.gte;
import static io.pulse.engine.domain.audience.AudienceFixtures.user;
import static io.pulse.engine.domain.audience.AudienceFixtures.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A standing remembers behaviour by slot, a new hit never changes the standing it came from, and
 * each audience of a round reads its own standing's slots.
 */
class AudienceStandingTest {

  private static AudienceHit windowHit(int slot) {
    return new AudienceHit("browsers", 1, slot, AudienceHit.Kind.WINDOW, 10);
  }

  @Test
  void aHitOnALaterSlotLeavesTheSlotsBeforeItEmptyAndTheStandingItCameFromUnchanged() {
    AudienceStanding hit = AudienceStanding.fresh("browsers", 1).with(windowHit(2), T0);

    assertEquals(3, hit.behaviours().size());
    assertNull(hit.behaviour(0));
    assertNull(hit.behaviour(1));
    assertEquals(Behaviour.Recent.NONE.with(T0, 10), hit.behaviour(2));

    Instant later = T0.plus(Duration.ofMinutes(1));
    AudienceStanding again = hit.with(windowHit(0), later);
    assertNull(hit.behaviour(0), "the standing hit before is not changed by the next hit");
    assertEquals(Behaviour.Recent.NONE.with(later, 10), again.behaviour(0));
    assertEquals(hit.behaviour(2), again.behaviour(2));
  }

  @Test
  void usersShareTheStandingsThatRememberNoBehaviourAndHadFewTransitions() {
    AudienceStanding annFresh = AudienceStanding.fresh("hot", 1);
    AudienceStanding bobFresh = AudienceStanding.fresh(new String("hot"), 1);
    AudienceTransition entered =
        new AudienceTransition(
            "ann:audience:hot:1", "ann", "hot", null, "member", T0, TransitionCause.EVENT, 1);
    AudienceTransition left =
        new AudienceTransition(
            "ann:audience:hot:2", "ann", "hot", "member", null, T0, TransitionCause.EVENT, 1);

    assertSame(annFresh, bobFresh);
    assertSame(annFresh.follow(entered), bobFresh.follow(entered));
    assertNotSame(AudienceStanding.fresh("hot", 2), annFresh, "another version");
    AudienceStanding third = annFresh.follow(entered).follow(left).follow(entered);
    assertEquals(3, third.transitions());
    assertTrue(third.member());
    assertNotSame(third, bobFresh.follow(entered).follow(left).follow(entered), "too many");
    AudienceStanding hit = annFresh.with(windowHit(0), T0);
    assertNotSame(hit, bobFresh.with(windowHit(0), T0), "a remembered behaviour is a user's own");
    assertEquals(hit, bobFresh.with(windowHit(0), T0));

    // a standing read back from its stored form is shared again
    AudienceStanding stored = new AudienceStanding("hot", 1, true, 1, List.of());
    assertNotSame(annFresh.follow(entered), stored);
    assertSame(
        annFresh.follow(entered),
        new UserAudiences(T0, Map.of("hot", stored)).standing("hot").orElseThrow());
  }

  @Test
  void pastTheBoundTheSharedStandingsStartAfreshAndUsersKeepWhatTheyHeld() {
    AudienceStanding held = AudienceStanding.fresh("hot", 7);

    for (int i = 0; i <= AudienceStanding.SHARED_AT_MOST; i++) {
      AudienceStanding.fresh("audience-" + i, 1);
    }

    assertEquals(held, AudienceStanding.fresh("hot", 7));
    assertSame(
        AudienceStanding.fresh("late", 1),
        AudienceStanding.fresh("late", 1),
        "a standing first held past the bound is shared too");
    assertFalse(held.member());
  }

  @Test
  void aWindowKeepsTheMostRecentTimesInOrderAndEqualsTheSameTimesHeldAnyWay() {
    Behaviour.Recent recent =
        Behaviour.Recent.NONE
            .with(T0.plusSeconds(5), 3)
            .with(T0, 3)
            .with(T0.plusSeconds(9), 3)
            .with(T0.plusSeconds(5), 3);

    long t0 = T0.toEpochMilli();
    assertEquals(List.of(t0 + 5_000, t0 + 5_000, t0 + 9_000), recent.millis());
    assertEquals(new Behaviour.Recent(recent.millis()), recent);
    assertEquals(new Behaviour.Recent(recent.millis()).hashCode(), recent.hashCode());
    assertEquals(3, recent.countWithin(Duration.ofSeconds(5), T0.plusSeconds(9)));
    assertEquals(
        1, recent.countWithin(Duration.ofSeconds(4), T0.plusSeconds(9)), "(now - 4 s, now]");
    assertEquals(
        Optional.of(T0.plusSeconds(10)),
        recent.nextChange(Duration.ofSeconds(5), T0.plusSeconds(9)));
    assertEquals(new Behaviour.Recent(List.of()), Behaviour.Recent.NONE);
    assertEquals(new Behaviour.Recent(null), Behaviour.Recent.NONE);
  }

  @Test
  void theBehavioursCannotBeChangedFromOutsideAndEqualTheSameBehavioursInAnyList() {
    Behaviour recent = Behaviour.Recent.NONE.with(T0, 3);
    List<Behaviour> given = new ArrayList<>(Arrays.asList(null, recent));
    AudienceStanding standing = new AudienceStanding("browsers", 1, true, 2, given);
    given.set(0, recent);

    assertNull(standing.behaviour(0), "the list given is copied");
    assertThrows(UnsupportedOperationException.class, () -> standing.behaviours().set(0, null));
    AudienceStanding hit = standing.with(windowHit(1), T0);
    assertThrows(UnsupportedOperationException.class, () -> hit.behaviours().set(0, null));

    List<Behaviour> same = Arrays.asList(null, hit.behaviour(1));
    assertEquals(same, hit.behaviours());
    assertEquals(hit.behaviours(), same);
    assertEquals(same.hashCode(), hit.behaviours().hashCode());
    assertEquals(same.toString(), hit.behaviours().toString());
    assertEquals(new AudienceStanding("browsers", 1, true, 2, same), hit);
  }

  @Test
  void eachAudienceOfARoundReadsItsOwnSlotsAndTheMembershipsDecidedBeforeIt() {
    Duration hour = Duration.ofHours(1);
    Audience browsers =
        Audience.of("browsers", "Browsers", window("page_view", Duration.ofDays(7), gte(2)));
    Audience carts = Audience.of("carts", "Carts", cartAbandoned(hour));
    Audience both =
        Audience.of(
            "browsing-carts",
            "Browsing carts",
            new AudienceCondition.All(
                List.of(
                    new AudienceCondition.InAudience("browsers"),
                    new AudienceCondition.InAudience("carts"))));
    Definitions definitions = definitions(browsers, carts, both);

    UserEngagement user = user();
    for (int minute = 0; minute < 2; minute++) {
      Instant at = T0.plus(Duration.ofMinutes(minute));
      user = user.record(List.of(event("page_view", at)), definitions, at).state();
    }
    Instant added = T0.plus(Duration.ofMinutes(2));
    user = user.record(List.of(event("add_to_cart", added)), definitions, added).state();

    assertTrue(user.audiences().member("browsers"));
    assertFalse(user.audiences().member("carts"));
    assertFalse(user.audiences().member("browsing-carts"));
    // The wait of the cart, read from its own slot: the window of page views has nothing due
    // for a week.
    assertEquals(
        added.plus(hour),
        user.nextChange(definitions, added).orElseThrow(),
        "the next moment is when the cart's wait runs out");

    Recording woken = user.wakeUp(definitions, added.plus(hour));
    List<String> entered =
        woken.changes().stream()
            .filter(AudienceTransition.class::isInstance)
            .map(AudienceTransition.class::cast)
            .filter(
                transition -> transition.cause() == TransitionCause.TIME && transition.entered())
            .map(AudienceTransition::audience)
            .toList();
    assertEquals(List.of("carts", "browsing-carts"), entered);
    assertTrue(woken.state().audiences().member("browsers"), "the window still holds both views");
  }
}
