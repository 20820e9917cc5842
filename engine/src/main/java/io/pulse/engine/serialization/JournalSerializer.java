package io.pulse.engine.serialization;

import io.pulse.engine.domain.ModelForgotten;
import io.pulse.engine.domain.ModelRescored;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.WakeUpScheduled;
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
          Map.entry("user-state", UserEngagement.class),
          Map.entry("model-stored", ModelRegistry.ModelStored.class),
          Map.entry("model-removed", ModelRegistry.ModelRemoved.class),
          Map.entry("rescoring-reported", ModelRegistry.RescoringReported.class),
          Map.entry("model-registry-state", ModelRegistry.State.class));

  public JournalSerializer(ExtendedActorSystem system) {
    super(system, 7301, List.of(TYPES, PromotionJournalTypes.TYPES));
  }
}
