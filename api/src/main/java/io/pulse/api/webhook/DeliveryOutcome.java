package io.pulse.api.webhook;

import java.time.Duration;
import java.util.Optional;

/**
 * What one delivery attempt came to. Retryable: 408, 425, 429, any 5xx, a timeout or a connection
 * failure. Any other answer outside 2xx is final, because sending the same request again will not
 * change it; the transition becomes a dead letter at once.
 */
public record DeliveryOutcome(
    boolean delivered, boolean retryable, String error, Optional<Duration> retryAfter) {

  static final DeliveryOutcome DELIVERED = new DeliveryOutcome(true, false, "", Optional.empty());

  static DeliveryOutcome ofStatus(int status, Optional<Duration> retryAfter) {
    if (status >= 200 && status < 300) {
      return DELIVERED;
    }
    boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
    return new DeliveryOutcome(
        false,
        retryable,
        "HTTP " + status + (retryable ? "" : " (not retried)"),
        retryable ? retryAfter : Optional.empty());
  }

  static DeliveryOutcome ofFailure(String error) {
    return new DeliveryOutcome(false, true, error, Optional.empty());
  }
}
