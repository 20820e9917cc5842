package io.pulse.engine.domain.subscription;

import io.pulse.engine.CborSerializable;
import java.time.Instant;
import java.util.Objects;

/** A journaled fact about one webhook subscription. */
public sealed interface SubscriptionChange extends CborSerializable {

  /** The subscription was created; deliveries start with transitions after {@code startAfter}. */
  record Created(WebhookSubscription subscription, long startAfter) implements SubscriptionChange {
    public Created {
      Objects.requireNonNull(subscription, "subscription");
    }
  }

  /** The subscription was deleted: nothing more is delivered. */
  record Deleted(Instant at) implements SubscriptionChange {}

  /** Every transition up to {@code offset} has been delivered or dead-lettered. */
  record DeliveredUpTo(long offset) implements SubscriptionChange {}

  /**
   * A delivery ran out of attempts (or a redelivery failed again); the list keeps at most {@code
   * keepAtMost} letters, dropping the oldest.
   */
  record DeadLettered(DeadLetter letter, int keepAtMost) implements SubscriptionChange {
    public DeadLettered {
      Objects.requireNonNull(letter, "letter");
    }
  }

  /** A dead letter was redelivered and leaves the list. */
  record DeadLetterDelivered(long offset) implements SubscriptionChange {}

  /** The operator asked to redeliver every dead letter. */
  record RedeliveryRequested(Instant at) implements SubscriptionChange {}

  /**
   * The secret is stored anew as {@code secret}: sealed under the current key, replacing a plain
   * one or one sealed under a key being rotated out.
   */
  record SecretResealed(String secret, Instant at) implements SubscriptionChange {
    public SecretResealed {
      Objects.requireNonNull(secret, "secret");
    }
  }

  /** The operator asked to deliver again every transition from {@code fromOffset} on. */
  record ReplayRequested(long fromOffset, Instant at) implements SubscriptionChange {}
}
