package io.pulse.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.engine.domain.subscription.SubscriptionState;
import io.pulse.engine.domain.subscription.WebhookSubscription;
import java.util.Optional;

/**
 * A subscription on the wire. {@code secret} is masked, except in the answer that created a
 * subscription whose secret the server generated: that is the only time it is shown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionView(
    String id,
    String url,
    FilterDocument filter,
    String secret,
    String createdAt,
    long deliveredOffset,
    int deadLetters,
    Long deadLettersDropped) {

  public static SubscriptionView of(SubscriptionState state) {
    return of(state, Optional.empty());
  }

  /** {@code generatedSecret}: the secret the server made, shown in the answer that created it. */
  public static SubscriptionView of(SubscriptionState state, Optional<String> generatedSecret) {
    WebhookSubscription subscription = state.subscription();
    return new SubscriptionView(
        subscription.id(),
        subscription.url(),
        FilterDocument.of(subscription.filter()),
        generatedSecret.orElse(subscription.maskedSecret()),
        subscription.createdAt().toString(),
        state.deliveredOffset(),
        state.deadLetters().size(),
        state.deadLettersDropped() == 0 ? null : state.deadLettersDropped());
  }
}
