package io.pulse.engine.serialization;

import io.pulse.engine.domain.AudienceForgotten;
import io.pulse.engine.domain.AudienceReevaluated;
import io.pulse.engine.domain.AudienceTransition;
import io.pulse.engine.domain.DateReached;
import io.pulse.engine.domain.ModelForgotten;
import io.pulse.engine.domain.ModelRescored;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TraitsChanged;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.WakeUpScheduled;
import io.pulse.engine.domain.WatchesAligned;
import io.pulse.engine.domain.access.AccessChange;
import io.pulse.engine.domain.access.AccessState;
import io.pulse.engine.model.ModelRegistry;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;

/**
 * Jackson CBOR for everything that is stored, under stable type names rather than class names, so
 * that classes can be moved or renamed without breaking the journal.
 */
public final class JournalSerializer extends StableNameSerializer {

  /** Journal manifest of an accepted behavioural event. */
  public static final String EVENT_RECORDED = "event-recorded";

  /** Journal manifest of a segment transition. */
  public static final String SEGMENT_TRANSITION = "segment-transition";

  private static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry(EVENT_RECORDED, ScoredEvent.class),
          Map.entry(SEGMENT_TRANSITION, SegmentTransition.class),
          Map.entry("wake-up-scheduled", WakeUpScheduled.class),
          Map.entry("model-rescored", ModelRescored.class),
          Map.entry("model-forgotten", ModelForgotten.class),
          Map.entry("audience-transition", AudienceTransition.class),
          Map.entry("traits-changed", TraitsChanged.class),
          Map.entry("audience-reevaluated", AudienceReevaluated.class),
          Map.entry("audience-forgotten", AudienceForgotten.class),
          Map.entry("watches-aligned", WatchesAligned.class),
          Map.entry("date-reached", DateReached.class),
          Map.entry("user-state", UserEngagement.class),
          Map.entry("model-stored", ModelRegistry.ModelStored.class),
          Map.entry("model-removed", ModelRegistry.ModelRemoved.class),
          Map.entry("audience-stored", ModelRegistry.AudienceStored.class),
          Map.entry("audience-removed", ModelRegistry.AudienceRemoved.class),
          Map.entry("campaign-watched", ModelRegistry.CampaignWatched.class),
          Map.entry("rescoring-reported", ModelRegistry.RescoringReported.class),
          Map.entry("model-registry-state", ModelRegistry.State.class),
          Map.entry("tenant-created", AccessChange.TenantCreated.class),
          Map.entry("key-created", AccessChange.KeyCreated.class),
          Map.entry("key-revoked", AccessChange.KeyRevoked.class),
          Map.entry("keys-used", AccessChange.KeysUsed.class),
          Map.entry("access-state", AccessState.class));

  public JournalSerializer(ExtendedActorSystem system) {
    super(system, 7301, List.of(TYPES, PromotionJournalTypes.TYPES));
  }

  /** Every accepted event is written here: without Jackson's machinery when it can be. */
  @Override
  public byte[] toBinary(Object object) {
    if (object instanceof ScoredEvent scored) {
      byte[] bytes = ScoredEventCbor.write(scored);
      if (bytes != null) {
        return bytes;
      }
    }
    return withJackson(object);
  }
}
