package io.pulse.engine.domain.audience;

import static io.pulse.engine.domain.audience.AudienceFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A standing remembers behaviour by slot, and a new hit never changes the standing it came from.
 */
class AudienceStandingTest {

  private static AudienceHit window(int slot) {
    return new AudienceHit("browsers", 1, slot, AudienceHit.Kind.WINDOW, 10);
  }

  @Test
  void aHitOnALaterSlotLeavesTheSlotsBeforeItEmptyAndTheStandingItCameFromUnchanged() {
    AudienceStanding fresh = AudienceStanding.fresh("browsers", 1);
    AudienceStanding hit = fresh.with(window(2), T0);

    assertEquals(List.of(), fresh.behaviours(), "the fresh standing is not changed");
    assertEquals(3, hit.behaviours().size());
    assertNull(hit.behaviour(0));
    assertNull(hit.behaviour(1));
    assertEquals(Behaviour.Recent.NONE.with(T0, 10), hit.behaviour(2));
    assertNull(hit.behaviour(5), "a slot beyond those remembered has no behaviour");

    AudienceStanding again = hit.with(window(0), T0.plus(Duration.ofMinutes(1)));
    assertNull(hit.behaviour(0), "the standing hit before is not changed by the next hit");
    assertEquals(
        Behaviour.Recent.NONE.with(T0.plus(Duration.ofMinutes(1)), 10), again.behaviour(0));
    assertEquals(hit.behaviour(2), again.behaviour(2));
  }

  @Test
  void theBehavioursCannotBeChangedFromOutsideAndEqualTheSameBehavioursInAnyList() {
    List<Behaviour> given = new ArrayList<>(Arrays.asList(null, Behaviour.Recent.NONE.with(T0, 3)));
    AudienceStanding standing = new AudienceStanding("browsers", 1, true, 2, given);
    given.set(0, Behaviour.Recent.NONE.with(T0, 3));

    assertNull(standing.behaviour(0), "the list given is copied");
    assertThrows(UnsupportedOperationException.class, () -> standing.behaviours().set(0, null));
    AudienceStanding hit = standing.with(window(1), T0);
    assertThrows(UnsupportedOperationException.class, () -> hit.behaviours().set(0, null));
    assertEquals(
        new AudienceStanding("browsers", 1, true, 2, Arrays.asList(null, hit.behaviour(1))), hit);
    assertEquals(
        hit.hashCode(),
        new AudienceStanding("browsers", 1, true, 2, Arrays.asList(null, hit.behaviour(1)))
            .hashCode());
  }
}
