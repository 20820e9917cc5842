package io.pulse.engine.serialization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.pulse.engine.domain.ModelForgotten;
import io.pulse.engine.domain.ModelRescored;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.WakeUpScheduled;
import io.pulse.engine.model.ModelRegistry;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * Jackson CBOR for everything that is stored, under stable type names rather than class names, so
 * that classes can be moved or renamed without breaking the journal.
 */
public final class JournalSerializer extends SerializerWithStringManifest {

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

  private final Map<Class<?>, String> manifests;
  private final Map<String, ObjectReader> readers;
  private final ObjectWriter writer;

  public JournalSerializer(ExtendedActorSystem system) {
    ObjectMapper mapper =
        JacksonObjectMapperProvider.get(system)
            .getOrCreate("jackson-cbor", Optional.of(new CBORFactory()));
    this.writer = mapper.writer();
    this.manifests = new java.util.HashMap<>();
    this.readers = new java.util.HashMap<>();
    TYPES.forEach(
        (name, type) -> {
          manifests.put(type, name);
          readers.put(name, mapper.readerFor(type));
        });
    PromotionJournalTypes.TYPES.forEach(
        (name, type) -> {
          manifests.put(type, name);
          readers.put(name, mapper.readerFor(type));
        });
  }

  @Override
  public int identifier() {
    return 7301;
  }

  @Override
  public String manifest(Object object) {
    String manifest = manifests.get(object.getClass());
    if (manifest == null) {
      throw new IllegalArgumentException("no journal type name for " + object.getClass());
    }
    return manifest;
  }

  @Override
  public byte[] toBinary(Object object) {
    try {
      return writer.writeValueAsBytes(object);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize " + object.getClass().getName(), e);
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    ObjectReader reader = readers.get(manifest);
    if (reader == null) {
      throw new NotSerializableException("unknown journal type name '" + manifest + "'");
    }
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new NotSerializableException(
          "cannot read a '" + manifest + "' from the journal: " + e.getMessage());
    }
  }
}
