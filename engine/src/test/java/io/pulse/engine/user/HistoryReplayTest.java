package io.pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.AudienceCondition;
import io.pulse.engine.domain.audience.AudienceCondition.TraitOperator;
import io.pulse.engine.domain.audience.Audiences;
import io.pulse.engine.domain.profile.TraitLimits;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which users must read their history before a command: those a definition changed under. */
class HistoryReplayTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final ScoringModels MODELS =
      ScoringModels.of(ScoringModel.defaultEngagement().withVersion(1));
  private static final Audience IRISH =
      Audience.of(
          "irish",
          "Irish",
          new AudienceCondition.TraitTest("country", TraitOperator.EQ, "IE", null));

  private static UserEngagement knownByTraitsOnly() {
    return UserEngagement.empty("ann", 64)
        .patchTraits(
            Map.of("country", "IE"),
            TraitLimits.DEFAULTS,
            new Definitions(MODELS, Audiences.NONE),
            T0)
        .recording()
        .state();
  }

  @Test
  void aUserKnownOnlyByTraitsIsDecidedUnderANewAudience() {
    UserEngagement ann = knownByTraitsOnly();
    assertFalse(ann.hasEvents());
    assertFalse(HistoryReplay.needed(ann, new Definitions(MODELS, Audiences.NONE)));
    assertTrue(HistoryReplay.needed(ann, new Definitions(MODELS, Audiences.of(IRISH))));
  }

  @Test
  void aUserWithoutEventsNeedsNoReScoringAndANewUserNothing() {
    ScoringModels changed = ScoringModels.of(ScoringModel.defaultEngagement().withVersion(2));
    assertFalse(
        HistoryReplay.needed(knownByTraitsOnly(), new Definitions(changed, Audiences.NONE)));
    assertFalse(
        HistoryReplay.needed(
            UserEngagement.empty("new", 64), new Definitions(changed, Audiences.of(IRISH))));
  }

  @Test
  void aUserWithEventsIsReScoredUnderAChangedModel() {
    UserEngagement bob =
        UserEngagement.empty("bob", 64)
            .record(
                List.of(new BehaviouralEvent("e", "bob", "email_open", Channel.EMAIL, T0, null)),
                MODELS)
            .state();
    assertFalse(HistoryReplay.needed(bob, new Definitions(MODELS, Audiences.NONE)));
    assertTrue(
        HistoryReplay.needed(
            bob,
            new Definitions(
                ScoringModels.of(ScoringModel.defaultEngagement().withVersion(2)),
                Audiences.NONE)));
  }
}
