package io.pulse.engine.domain.promotion;

import static io.pulse.engine.domain.promotion.Promotions.T0;
import static io.pulse.engine.domain.promotion.Promotions.transition;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import org.junit.jupiter.api.Test;

class TriggerTest {

  @Test
  void enteredMatchesTransitionsIntoTheBand() {
    Trigger trigger = Trigger.entered("engagement", "high");

    assertTrue(trigger.matches(transition("u", 1, "medium", "high", T0)));
    assertTrue(trigger.matches(transition("u", 1, null, "high", T0)));
    assertFalse(trigger.matches(transition("u", 1, "high", "medium", T0)));
    assertFalse(trigger.matches(transition("u", 1, "low", "medium", T0)));
  }

  @Test
  void exitedMatchesTransitionsOutOfTheBand() {
    Trigger trigger = Trigger.exited("engagement", "high");

    assertTrue(trigger.matches(transition("u", 1, "high", "medium", T0)));
    assertTrue(trigger.matches(transition("u", 1, "high", "low", T0)));
    assertFalse(trigger.matches(transition("u", 1, "medium", "high", T0)));
  }

  @Test
  void inactiveIsABandLikeAnyOther() {
    SegmentTransition wentQuiet =
        new SegmentTransition(
            "u:engagement:4",
            "u",
            "engagement",
            null,
            "inactive",
            2,
            T0,
            TransitionCause.INACTIVITY);
    SegmentTransition cameBack =
        new SegmentTransition(
            "u:engagement:5", "u", "engagement", "inactive", null, 2, T0, TransitionCause.EVENT);

    assertTrue(Trigger.entered("engagement", "inactive").matches(wentQuiet));
    assertFalse(Trigger.entered("engagement", "inactive").matches(cameBack));
    assertTrue(Trigger.exited("engagement", "inactive").matches(cameBack));
    assertFalse(Trigger.exited("engagement", "inactive").matches(wentQuiet));
  }

  @Test
  void otherModelsNeverMatch() {
    SegmentTransition buyers =
        new SegmentTransition(
            "u:buyers:1", "u", "buyers", null, "high", 8, T0, TransitionCause.EVENT);

    assertFalse(Trigger.entered("engagement", "high").matches(buyers));
  }
}
