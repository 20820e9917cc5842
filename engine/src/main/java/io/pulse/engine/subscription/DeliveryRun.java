package io.pulse.engine.subscription;

import io.pulse.engine.domain.subscription.DeadLetter;
import io.pulse.engine.domain.subscription.WebhookSubscription;
import java.util.List;
import java.util.Objects;

/**
 * What one delivery run of a subscription of {@code tenant} is to do: deliver every matching
 * transition of the tenant's users after {@code afterOffset}, and redeliver {@code redeliveries};
 * its reports carry {@code generation}.
 */
public record DeliveryRun(
    String tenant,
    WebhookSubscription subscription,
    long generation,
    long afterOffset,
    List<DeadLetter> redeliveries) {

  public DeliveryRun {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(subscription, "subscription");
    redeliveries = redeliveries == null ? List.of() : List.copyOf(redeliveries);
  }
}
