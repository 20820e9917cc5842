package io.pulse.engine.serialization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.pulse.engine.domain.subscription.SubscriptionChange;
import io.pulse.engine.domain.subscription.SubscriptionState;
import io.pulse.engine.subscription.SubscriptionRegistry;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * Jackson CBOR for the journaled events and snapshots of webhook subscriptions and their registry,
 * under stable type names, as {@link JournalSerializer} does for users and models; a serializer of
 * its own keeps the subscription types in one place, next to nothing else.
 */
public final class SubscriptionJournalSerializer extends SerializerWithStringManifest {

  static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("webhook-subscription-created", SubscriptionChange.Created.class),
          Map.entry("webhook-subscription-deleted", SubscriptionChange.Deleted.class),
          Map.entry("webhook-delivered-up-to", SubscriptionChange.DeliveredUpTo.class),
          Map.entry("webhook-dead-lettered", SubscriptionChange.DeadLettered.class),
          Map.entry("webhook-dead-letter-delivered", SubscriptionChange.DeadLetterDelivered.class),
          Map.entry("webhook-redelivery-requested", SubscriptionChange.RedeliveryRequested.class),
          Map.entry("webhook-replay-requested", SubscriptionChange.ReplayRequested.class),
          Map.entry("webhook-subscription-state", SubscriptionState.class),
          Map.entry("webhook-registered", SubscriptionRegistry.Registered.class),
          Map.entry("webhook-unregistered", SubscriptionRegistry.Unregistered.class),
          Map.entry("webhook-registry-state", SubscriptionRegistry.State.class));

  private final Map<Class<?>, String> manifests = new HashMap<>();
  private final Map<String, ObjectReader> readers = new HashMap<>();
  private final ObjectWriter writer;

  public SubscriptionJournalSerializer(ExtendedActorSystem system) {
    ObjectMapper mapper =
        JacksonObjectMapperProvider.get(system)
            .getOrCreate("jackson-cbor", Optional.of(new CBORFactory()));
    this.writer = mapper.writer();
    TYPES.forEach(
        (name, type) -> {
          manifests.put(type, name);
          readers.put(name, mapper.readerFor(type));
        });
  }

  @Override
  public int identifier() {
    return 7302;
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
