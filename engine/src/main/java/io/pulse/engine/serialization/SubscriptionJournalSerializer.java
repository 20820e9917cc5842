package io.pulse.engine.serialization;

import io.pulse.engine.domain.subscription.SubscriptionChange;
import io.pulse.engine.domain.subscription.SubscriptionState;
import io.pulse.engine.subscription.SubscriptionRegistry;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;

/**
 * Jackson CBOR for the journaled events and snapshots of webhook subscriptions and their registry,
 * under stable type names, as {@link JournalSerializer} does for users and models; a serializer of
 * its own keeps the subscription types in one place, next to nothing else.
 */
public final class SubscriptionJournalSerializer extends StableNameSerializer {

  static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("webhook-subscription-created", SubscriptionChange.Created.class),
          Map.entry("webhook-subscription-deleted", SubscriptionChange.Deleted.class),
          Map.entry("webhook-delivered-up-to", SubscriptionChange.DeliveredUpTo.class),
          Map.entry("webhook-dead-lettered", SubscriptionChange.DeadLettered.class),
          Map.entry("webhook-dead-letter-delivered", SubscriptionChange.DeadLetterDelivered.class),
          Map.entry("webhook-redelivery-requested", SubscriptionChange.RedeliveryRequested.class),
          Map.entry("webhook-replay-requested", SubscriptionChange.ReplayRequested.class),
          Map.entry("webhook-secret-resealed", SubscriptionChange.SecretResealed.class),
          Map.entry("webhook-subscription-state", SubscriptionState.class),
          Map.entry("webhook-registered", SubscriptionRegistry.Registered.class),
          Map.entry("webhook-unregistered", SubscriptionRegistry.Unregistered.class),
          Map.entry("webhook-registry-state", SubscriptionRegistry.State.class));

  public SubscriptionJournalSerializer(ExtendedActorSystem system) {
    super(system, 7302, List.of(TYPES));
  }
}
