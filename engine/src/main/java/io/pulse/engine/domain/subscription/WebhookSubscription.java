package io.pulse.engine.domain.subscription;

import java.time.Instant;
import java.util.Objects;

/**
 * A campaign orchestrator's standing order: POST every transition that passes {@code filter} to
 * {@code url}, signed with {@code secret}. {@code secret} is sealed ({@link SecretBox}) in every
 * subscription created since secrets are sealed, and plain in older ones; {@code maskedSecret} is
 * how answers show it, kept apart because the sealed secret is opened only to sign.
 */
public record WebhookSubscription(
    String id,
    String url,
    TransitionFilter filter,
    String secret,
    Instant createdAt,
    String maskedSecret) {

  public WebhookSubscription {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(createdAt, "createdAt");
    filter = TransitionFilter.orAny(filter);
    if (maskedSecret == null) {
      // Journaled before the mask was kept: the secret is plain, or nothing of it is shown.
      maskedSecret = SecretBox.isSealed(secret) ? "****" : mask(secret);
    }
  }

  /** A subscription whose mask is taken from {@code secret}, which must then be plain. */
  public WebhookSubscription(
      String id, String url, TransitionFilter filter, String secret, Instant createdAt) {
    this(id, url, filter, secret, createdAt, null);
  }

  /**
   * The secret as answers show it: never the secret itself, only enough of its end to tell two
   * secrets apart, and nothing at all of a short one.
   */
  public static String mask(String plainSecret) {
    if (plainSecret.length() < 16) {
      return "****";
    }
    return "****" + plainSecret.substring(plainSecret.length() - 4);
  }

  /** The same subscription with its secret stored as {@code storedSecret} (sealed again). */
  public WebhookSubscription withStoredSecret(String storedSecret) {
    return new WebhookSubscription(id, url, filter, storedSecret, createdAt, maskedSecret);
  }
}
