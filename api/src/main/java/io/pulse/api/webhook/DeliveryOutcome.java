package io.pulse.api.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one delivery attempt came to. Retryable: 408, 425, 429, any 5xx, a timeout or a connection
 * failure. Any other answer outside 2xx is final, because sending the same request again will not
 * change it; the transition becomes a dead letter at once. So is a target the policy refuses.
 *
 * <p>{@code error} is what a dead letter shows a subscriber, and so it is one of a few generic
 * reasons: never a status code, an exception's text or an address, which would let a subscriber map
 * what answers on which port behind the server. The detail goes to the server log.
 */
public record DeliveryOutcome(
    boolean delivered, boolean retryable, String error, Optional<Duration> retryAfter) {

  /** The receiver answered outside 2xx with a status that retrying does not change. */
  public static final String REFUSED = "receiver refused the delivery";

  /** The receiver kept answering with a status worth retrying (408, 425, 429, 5xx). */
  public static final String NOT_ACCEPTED = "receiver did not accept the delivery";

  /** No connection, or no answer in time. */
  public static final String UNREACHABLE = "receiver unreachable";

  /** The target's address is one webhooks may not reach (pulse.webhooks.allowed-networks). */
  public static final String NOT_ALLOWED = "target not allowed";

  /** The subscription's sealed secret does not open with the configured keys. */
  public static final String SECRET_UNAVAILABLE = "the subscription's secret could not be read";

  /** What metrics call each outcome: {@code delivered}, or why not, in a word or two. */
  public static final List<String> LABELS =
      List.of(
          "delivered",
          "refused",
          "not-accepted",
          "unreachable",
          "not-allowed",
          "secret-unavailable");

  static final DeliveryOutcome DELIVERED = new DeliveryOutcome(true, false, "", Optional.empty());

  /** This outcome's name among {@link #LABELS}. */
  public String label() {
    if (delivered) {
      return "delivered";
    }
    return switch (error) {
      case REFUSED -> "refused";
      case NOT_ACCEPTED -> "not-accepted";
      case UNREACHABLE -> "unreachable";
      case NOT_ALLOWED -> "not-allowed";
      case SECRET_UNAVAILABLE -> "secret-unavailable";
      default -> throw new IllegalStateException("an outcome without a label: " + error);
    };
  }

  static DeliveryOutcome ofStatus(int status, Optional<Duration> retryAfter) {
    if (status >= 200 && status < 300) {
      return DELIVERED;
    }
    boolean retryable = status == 408 || status == 425 || status == 429 || status >= 500;
    return new DeliveryOutcome(
        false,
        retryable,
        retryable ? NOT_ACCEPTED : REFUSED,
        retryable ? retryAfter : Optional.empty());
  }

  static DeliveryOutcome unreachable() {
    return new DeliveryOutcome(false, true, UNREACHABLE, Optional.empty());
  }

  /** Final: the address will not become allowed by trying again. */
  static DeliveryOutcome notAllowed() {
    return new DeliveryOutcome(false, false, NOT_ALLOWED, Optional.empty());
  }

  static DeliveryOutcome secretUnavailable() {
    return new DeliveryOutcome(false, false, SECRET_UNAVAILABLE, Optional.empty());
  }
}
