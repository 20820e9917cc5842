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
import java.io.NotSerializableException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;

/**
 * Jackson CBOR for everything that is stored, under stable type names rather than class names, so
 * that classes can be moved or renamed without breaking the journal. The most frequent rows are
 * written by {@link JournalCbor}, in the same bytes, and the most read ones read by {@link
 * JournalCborReader}, into the same values, while they agree with this Jackson.
 */
public final class JournalSerializer extends StableNameSerializer {

  /** Journal manifest of an accepted behavioural event. */
  public static final String EVENT_RECORDED = "event-recorded";

  /** Journal manifest of a segment transition. */
  public static final String SEGMENT_TRANSITION = "segment-transition";

  /** Journal manifest of an audience transition. */
  public static final String AUDIENCE_TRANSITION = "audience-transition";

  /** Journal manifest of a wake-up request. */
  public static final String WAKE_UP_SCHEDULED = "wake-up-scheduled";

  private static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry(EVENT_RECORDED, ScoredEvent.class),
          Map.entry(SEGMENT_TRANSITION, SegmentTransition.class),
          Map.entry(WAKE_UP_SCHEDULED, WakeUpScheduled.class),
          Map.entry("model-rescored", ModelRescored.class),
          Map.entry("model-forgotten", ModelForgotten.class),
          Map.entry(AUDIENCE_TRANSITION, AudienceTransition.class),
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

  /** Whether {@link JournalCbor} writes what Jackson writes here; see {@link #writesAsJackson}. */
  private final boolean ownWriter;

  /**
   * Whether {@link JournalCborReader} reads what Jackson reads here; see {@link #readsAsJackson}.
   */
  private final boolean ownReader;

  public JournalSerializer(ExtendedActorSystem system) {
    super(system, 7301, List.of(TYPES, PromotionJournalTypes.TYPES));
    this.ownWriter = writesAsJackson(system);
    this.ownReader = readsAsJackson(system);
  }

  /**
   * Whether {@link JournalCbor} writes the same bytes as this serializer's Jackson for a sample of
   * every row it writes. It follows Jackson's settings as configured by default; a setting changed
   * in the configuration (map keys in order, enums by {@code toString}, other number encodings)
   * must turn it off rather than have the journal hold two forms.
   */
  private boolean writesAsJackson(ExtendedActorSystem system) {
    for (Object sample : JournalCbor.samples()) {
      if (!Arrays.equals(JournalCbor.write(sample), writeWithJackson(sample))) {
        return turnedOff(
            system, "written", sample, "is written otherwise by the configured Jackson");
      }
    }
    return true;
  }

  /**
   * Whether {@link JournalCborReader} reads the written form of every sample of the rows it reads
   * into what this serializer's Jackson reads from it. A Jackson configured to read otherwise
   * (other property names, say) must turn it off, rather than have rows read by rules Jackson no
   * longer follows.
   */
  private boolean readsAsJackson(ExtendedActorSystem system) {
    for (Object sample : JournalCbor.samples()) {
      String manifest = manifest(sample);
      if (!JournalCborReader.reads(manifest)) {
        continue;
      }
      byte[] written = JournalCbor.write(sample);
      Object read = JournalCborReader.read(written, manifest);
      try {
        if (read == null || !read.equals(readWithJackson(written, manifest))) {
          return turnedOff(system, "read", sample, "is read otherwise by the configured Jackson");
        }
      } catch (NotSerializableException refused) {
        return turnedOff(system, "read", sample, "cannot be read by the configured Jackson");
      }
    }
    return true;
  }

  private static boolean turnedOff(
      ExtendedActorSystem system, String what, Object sample, String because) {
    system
        .log()
        .warning(
            "Journal rows are {} by Jackson alone: a {} in the journal's own form {}",
            what,
            sample.getClass().getSimpleName(),
            because);
    return false;
  }

  /** Whether the most read rows are read without Jackson (into the same values). */
  boolean readsWithoutJackson() {
    return ownReader;
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Object read = ownReader ? JournalCborReader.read(bytes, manifest) : null;
    return read != null ? read : readWithJackson(bytes, manifest);
  }

  /** Whether the most frequent rows are written without Jackson (as the same bytes). */
  boolean writesWithoutJackson() {
    return ownWriter;
  }

  /**
   * Every accepted event, and the transitions and wake-ups it causes, are written here: without
   * Jackson's machinery when they can be.
   */
  @Override
  public byte[] toBinary(Object object) {
    byte[] bytes = ownWriter ? JournalCbor.write(object) : null;
    return bytes != null ? bytes : writeWithJackson(object);
  }
}
