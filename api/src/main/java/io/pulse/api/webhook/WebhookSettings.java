package io.pulse.api.webhook;

import com.typesafe.config.Config;
import io.pulse.engine.domain.subscription.RetrySchedule;
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
    int bufferSize,
    Duration minRestart,
    Duration maxRestart,
    Duration keepAliveInterval,
    Duration askTimeout,
    SubscriptionSettings subscriptions) {

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
        webhooks.getInt("buffer-size"),
        webhooks.getDuration("restart.min-backoff"),
        webhooks.getDuration("restart.max-backoff"),
        webhooks.getDuration("keep-alive-interval"),
        config.getDuration("pulse.http.ask-timeout"),
        new SubscriptionSettings(
            webhooks.getInt("max-dead-letters"), webhooks.getInt("snapshot-every"), 2));
  }
}
