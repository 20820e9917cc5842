package io.pulse.engine.domain.subscription;

import java.time.Instant;
import java.util.Objects;

/**
 * A campaign orchestrator's standing order: POST every transition that passes {@code filter} to
 * {@code url}, signed with {@code secret}.
 */
public record WebhookSubscription(
    String id, String url, TransitionFilter filter, String secret, Instant createdAt) {

  public WebhookSubscription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(createdAt, "createdAt");
    filter = TransitionFilter.orAny(filter);
  }

  /**
   * The secret as answers show it: never the secret itself, only enough of its end to tell two
   * secrets apart, and nothing at all of a short one.
   */
  public String maskedSecret() {
    if (secret.length() < 16) {
      return "****";
    }
    return "****" + secret.substring(secret.length() - 4);
  }
}
