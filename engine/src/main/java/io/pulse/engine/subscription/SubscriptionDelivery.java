package io.pulse.engine.subscription;

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
}
