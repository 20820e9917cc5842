package io.pulse.engine.domain.audience;

import static io.pulse.engine.domain.audience.AudienceFixtures.T0;
import static io.pulse.engine.domain.audience.AudienceFixtures.cartAbandoned;
import static io.pulse.engine.domain.audience.AudienceFixtures.event;
import static io.pulse.engine.domain.audience.AudienceFixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.EngagementChange;
import io.pulse.engine.domain.Recording;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.audience.AudienceCondition.TraitOperator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user is decided under each audience's current version: a standing that is missing or of an
 * older version is rebuilt, and what fell due before that is reached first.
 */
class RebuiltStandingTest {

  private static final ScoringModels MODELS = ScoringModels.of(ScoringModel.defaultEngagement());
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Audience CARTS =
      Audience.of("carts", "Carts", cartAbandoned(HOUR)).storedAt(T0.minus(Duration.ofDays(1)));
  private static final Audience IRISH =
      Audience.of(
              "irish",
              "Irish",
              new AudienceCondition.TraitTest("country", TraitOperator.EQ, "IE", null))
          .storedAt(T0.minus(Duration.ofDays(1)));

  /** The user as a node recovers it: the journaled changes replayed on an empty state. */
  private static UserEngagement recovered(List<EngagementChange> journal) {
    UserEngagement state = UserEngagement.empty(AudienceFixtures.USER, 1000);
    for (EngagementChange change : journal) {
      state = state.apply(change);
    }
    return state;
  }

  @Test
  void aUserRecoveredWithoutAStandingInAnAudienceThatNeverConcernedItNeedsNoRebuild() {
    Definitions both = new Definitions(MODELS, Audiences.of(CARTS, IRISH));
    Recording added = user().record(List.of(event("add_to_cart", T0)), both, T0);
    UserEngagement again = recovered(added.changes());
    assertFalse(again.audiences().standings().containsKey("irish"), "nothing journaled for it");
    assertTrue(again.evaluatedUnder(IRISH), "decided after the version was stored");
    assertTrue(again.evaluatedUnder(CARTS));

    // decided before a version settled: not known to have been decided under it
    Audience changedJustNow = IRISH.withVersion(2).storedAt(T0.minusSeconds(5));
    assertFalse(again.evaluatedUnder(changedJustNow));
    Audience ofUnknownDate = new Audience("irish", "Irish", IRISH.condition(), 2);
    assertFalse(again.evaluatedUnder(ofUnknownDate));
  }

  @Test
  void aWaitThatRanOutBeforeARebuildIsReachedFirstAndNotPassedOver() {
    // a cart waiting under one audience, then a second audience the user is not decided under
    Definitions carts = new Definitions(MODELS, Audiences.of(CARTS));
    UserEngagement waiting = user().record(List.of(event("add_to_cart", T0)), carts, T0).state();
    Audience newer = IRISH.storedAt(T0.plus(HOUR).plusSeconds(30));
    Definitions both = new Definitions(MODELS, Audiences.of(CARTS, newer));
    Instant now = T0.plus(HOUR).plusSeconds(2);
    assertFalse(waiting.evaluatedUnder(newer));

    // as a node does before rebuilding: reach the moments due, then rebuild at now
    List<EngagementChange> changes = new ArrayList<>();
    Recording reached = waiting.reachAudienceMoments(both, now);
    changes.addAll(reached.changes());
    Recording rebuilt =
        reached.state().reevaluate(newer, List.of(event("add_to_cart", T0)), MODELS, now);
    changes.addAll(rebuilt.changes());
    Recording woken = rebuilt.state().wakeUp(both, now);
    changes.addAll(woken.changes());

    List<AudienceTransition> entered =
        changes.stream()
            .filter(AudienceTransition.class::isInstance)
            .map(AudienceTransition.class::cast)
            .toList();
    assertEquals(1, entered.size(), changes.toString());
    assertEquals("carts", entered.get(0).audience());
    assertEquals(T0.plus(HOUR), entered.get(0).at());
    assertEquals(TransitionCause.TIME, entered.get(0).cause());
    assertTrue(woken.state().audiences().member("carts"));
  }
}
