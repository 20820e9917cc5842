package io.pulse.api;

import com.typesafe.config.Config;
import io.pulse.api.http.HttpSettings;
import io.pulse.api.http.JsonResponses;
import io.pulse.api.http.SubscriptionRoutes;
import io.pulse.api.http.TransitionStreamRoutes;
import io.pulse.api.webhook.WebhookDeliveries;
import io.pulse.api.webhook.WebhookObserver;
import io.pulse.api.webhook.WebhookSender;
import io.pulse.api.webhook.WebhookSettings;
import io.pulse.engine.domain.subscription.HostResolver;
import io.pulse.engine.domain.subscription.NewSubscription;
import io.pulse.engine.domain.subscription.SecretBox;
import io.pulse.engine.subscription.SubscriptionEntity;
import io.pulse.engine.subscription.SubscriptionKeeper;
import io.pulse.engine.subscription.SubscriptionRegistry;
import io.pulse.engine.user.JournalTags;
import io.pulse.persistence.LiveTagFeed;
import java.time.Clock;
import java.util.Collection;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;

/**
 * Transitions pushed to campaign orchestrators on one node: the shared live read of transitions,
 * the SSE stream that follows it, and webhook subscriptions with their delivery runs, which follow
 * it too.
 */
public final class TransitionSubscriptions {

  private final TransitionStreamRoutes streamRoutes;
  private final SubscriptionRoutes subscriptionRoutes;

  private TransitionSubscriptions(
      TransitionStreamRoutes streamRoutes, SubscriptionRoutes subscriptionRoutes) {
    this.streamRoutes = streamRoutes;
    this.subscriptionRoutes = subscriptionRoutes;
  }

  /**
   * Starts this node's one live read of the transition tag, which the SSE streams, the webhook
   * deliveries, the statistics (where their singleton runs) and the read side's lag all follow, so
   * that each stored transition is read and deserialized once per node.
   */
  public static LiveTagFeed startLiveRead(ActorSystem<?> system, Config config) {
    Config live = config.getConfig("pulse.transitions.live");
    return LiveTagFeed.start(
        system,
        JournalTags.TRANSITION,
        new LiveTagFeed.Settings(
            live.getDuration("mark-interval"),
            live.getInt("hub-buffer-size"),
            live.getDuration("restart.min-backoff"),
            live.getDuration("restart.max-backoff")));
  }

  /**
   * Starts the subscription entities and their keeper on this node, following {@code transitions};
   * webhook hosts are resolved with {@code resolver}, secrets sealed and opened with {@code
   * secrets}, and deliveries reported to {@code observer}.
   */
  public static TransitionSubscriptions start(
      ActorSystem<?> system,
      Config config,
      LiveTagFeed transitions,
      Supplier<? extends Collection<String>> tenants,
      JsonResponses responses,
      HttpSettings http,
      Clock clock,
      HostResolver resolver,
      SecretBox secrets,
      WebhookObserver observer) {
    WebhookSettings webhooks = WebhookSettings.fromConfig(config);
    // Receivers check the signature's time against their own clock: sign with the real one.
    WebhookSender sender =
        new WebhookSender(system, webhooks, Clock.systemUTC(), resolver, secrets);
    SubscriptionRegistry.init(system);
    SubscriptionEntity.init(
        system,
        new WebhookDeliveries(
            system, transitions, sender, webhooks, responses.mapper(), clock, observer),
        webhooks.subscriptions(),
        clock);
    SubscriptionKeeper.start(system, tenants, webhooks.keepAliveInterval());
    // Once the subscriptions (and their deliveries) have stopped with the shard regions, close
    // the receivers' connection pools, so that they do not report an unexpected shutdown.
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "close-webhook-connection-pools",
            () ->
                Http.get(system)
                    .shutdownAllConnectionPools()
                    .thenApply(closed -> Done.getInstance()));
    return new TransitionSubscriptions(
        new TransitionStreamRoutes(
            system, transitions, responses, TransitionStreamRoutes.Settings.fromConfig(config)),
        new SubscriptionRoutes(
            system,
            transitions,
            responses,
            http,
            clock,
            new NewSubscription(webhooks.targets(), resolver, secrets)));
  }

  public TransitionStreamRoutes streamRoutes() {
    return streamRoutes;
  }

  public SubscriptionRoutes subscriptionRoutes() {
    return subscriptionRoutes;
  }
}
