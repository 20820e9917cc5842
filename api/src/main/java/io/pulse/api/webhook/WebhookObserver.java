package io.pulse.api.webhook;

/**
 * What this node's webhook deliveries report, for metrics: every attempt's outcome, and every
 * transition filed as a dead letter. Called from delivery streams, so implementations must be cheap
 * and thread-safe.
 */
public interface WebhookObserver {

  /** Nothing observed, for tests and tools. */
  WebhookObserver NONE = new WebhookObserver() {};

  /** An attempt of a delivery of {@code tenant}'s subscription ended with {@code outcome}. */
  default void attempted(String tenant, DeliveryOutcome outcome) {}

  /** A transition became a dead letter of {@code tenant}'s subscription, for {@code outcome}. */
  default void deadLettered(String tenant, DeliveryOutcome outcome) {}
}
