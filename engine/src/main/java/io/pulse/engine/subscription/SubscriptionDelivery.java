package io.pulse.engine.subscription;

import io.pulse.engine.domain.subscription.WebhookSubscription;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Performs delivery runs. The entity keeps the durable state and starts one run at a time as its
 * child; the run reads the transitions and calls the receiver, and reports progress and dead
 * letters back to {@code entity}, which journals them. Supplied by the module that can reach the
 * read side and an HTTP client.
 */
@FunctionalInterface
public interface SubscriptionDelivery {

  /** The behavior of the child actor that performs {@code run}; stopping it stops the run. */
  Behavior<?> start(DeliveryRun run, ActorRef<SubscriptionEntity.Command> entity);

  /**
   * The secret of {@code subscription} sealed under the current key, when it is stored unsealed
   * (journaled before secrets were sealed) or under a key being rotated out; empty when it needs no
   * change or cannot be opened.
   */
  default Optional<String> resealedSecret(WebhookSubscription subscription) {
    return Optional.empty();
  }
}
