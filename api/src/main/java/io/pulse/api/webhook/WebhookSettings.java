package io.pulse.api.webhook;

import com.typesafe.config.Config;
import io.pulse.engine.domain.subscription.RetrySchedule;
import io.pulse.engine.domain.subscription.WebhookTargetPolicy;
import io.pulse.engine.subscription.SubscriptionSettings;
import java.time.Duration;

/** Webhook delivery settings, from {@code pulse.webhooks}. */
public record WebhookSettings(
    RetrySchedule retries,
    int lanes,
    int laneBuffer,
    Duration requestTimeout,
    Duration connectTimeout,
    Duration commitInterval,
    Duration idleCommitInterval,
    int bufferSize,
    Duration minRestart,
    Duration maxRestart,
    Duration keepAliveInterval,
    Duration askTimeout,
    SubscriptionSettings subscriptions,
    WebhookTargetPolicy targets) {

  public static WebhookSettings fromConfig(Config config) {
    Config webhooks = config.getConfig("pulse.webhooks");
    return new WebhookSettings(
        new RetrySchedule(
            webhooks.getDuration("min-backoff"),
            webhooks.getDuration("max-backoff"),
            webhooks.getInt("max-attempts")),
        webhooks.getInt("lanes"),
        webhooks.getInt("lane-buffer"),
        webhooks.getDuration("request-timeout"),
        webhooks.getDuration("connect-timeout"),
        webhooks.getDuration("commit-interval"),
        webhooks.getDuration("idle-commit-interval"),
        webhooks.getInt("buffer-size"),
        webhooks.getDuration("restart.min-backoff"),
        webhooks.getDuration("restart.max-backoff"),
        webhooks.getDuration("keep-alive-interval"),
        config.getDuration("pulse.http.ask-timeout"),
        new SubscriptionSettings(
            webhooks.getInt("max-dead-letters"), webhooks.getInt("snapshot-every"), 2),
        targets(webhooks.getString("allowed-networks")));
  }

  private static WebhookTargetPolicy targets(String allowedNetworks) {
    try {
      return WebhookTargetPolicy.allowing(allowedNetworks);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "pulse.webhooks.allowed-networks (PULSE_WEBHOOK_ALLOWED_NETWORKS) must be"
              + " comma-separated CIDR blocks such as 10.20.0.0/16: "
              + e.getMessage(),
          e);
    }
  }
}
