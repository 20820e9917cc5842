package io.pulse.api.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.engine.domain.subscription.DeadLetter;
import io.pulse.engine.domain.subscription.RetrySchedule;
import io.pulse.engine.domain.subscription.WebhookSubscription;
import io.pulse.engine.subscription.DeliveryRun;
import io.pulse.engine.subscription.SubscriptionDelivery;
import io.pulse.engine.subscription.SubscriptionEntity;
import io.pulse.persistence.LiveTagFeed;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.Patterns;

/**
 * This node's webhook deliveries: the {@link SubscriptionDelivery} the subscription entities start
 * their runs with, and the attempt-and-retry logic the runs share.
 */
public final class WebhookDeliveries implements SubscriptionDelivery {

  private final ActorSystem<?> system;
  private final LiveTagFeed transitions;
  private final WebhookSender sender;
  private final WebhookSettings settings;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final WebhookObserver observer;

  public WebhookDeliveries(
      ActorSystem<?> system,
      LiveTagFeed transitions,
      WebhookSender sender,
      WebhookSettings settings,
      ObjectMapper mapper,
      Clock clock,
      WebhookObserver observer) {
    this.system = system;
    this.transitions = transitions;
    this.sender = sender;
    this.settings = settings;
    this.mapper = mapper;
    this.clock = clock;
    this.observer = observer;
  }

  @Override
  public Behavior<?> start(DeliveryRun run, ActorRef<SubscriptionEntity.Command> entity) {
    return DeliveryWorker.create(run, entity, this);
  }

  @Override
  public Optional<String> resealedSecret(WebhookSubscription subscription) {
    return sender.resealedSecret(subscription);
  }

  LiveTagFeed transitions() {
    return transitions;
  }

  WebhookSettings settings() {
    return settings;
  }

  /**
   * Delivers {@code delivery} with retries; completes once it is delivered, or filed as a dead
   * letter by the entity. Fails only when the entity does not acknowledge a report, and then the
   * run starts over from its last recorded position.
   */
  CompletionStage<Done> deliver(
      DeliveryRun run,
      ActorRef<SubscriptionEntity.Command> entity,
      Delivery delivery,
      boolean redelivery) {
    byte[] body;
    try {
      body = mapper.writeValueAsBytes(CloudEvent.of(delivery.transition(), delivery.offset()));
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    return attempt(run, entity, delivery, body, 1, redelivery);
  }

  private CompletionStage<Done> attempt(
      DeliveryRun run,
      ActorRef<SubscriptionEntity.Command> entity,
      Delivery delivery,
      byte[] body,
      int attempt,
      boolean redelivery) {
    return sender
        .send(run.subscription(), delivery.transition().id(), body, attempt)
        .thenCompose(
            outcome -> {
              observer.attempted(run.tenant(), outcome);
              if (outcome.delivered()) {
                return redelivery
                    ? report(
                        entity,
                        replyTo ->
                            new SubscriptionEntity.ReportRedelivered(
                                run.generation(), delivery.offset(), replyTo))
                    : CompletableFuture.completedFuture(Done.getInstance());
              }
              RetrySchedule retries = settings.retries();
              if (outcome.retryable() && retries.mayRetryAfter(attempt)) {
                Duration delay =
                    retries.delayAfter(attempt, ThreadLocalRandom.current().nextDouble());
                if (outcome.retryAfter().isPresent()) {
                  Duration asked = outcome.retryAfter().get();
                  Duration capped =
                      asked.compareTo(retries.maxBackoff()) > 0 ? retries.maxBackoff() : asked;
                  delay = capped.compareTo(delay) > 0 ? capped : delay;
                }
                return Patterns.after(
                    delay,
                    system,
                    () -> attempt(run, entity, delivery, body, attempt + 1, redelivery));
              }
              DeadLetter letter =
                  new DeadLetter(
                      delivery.offset(),
                      delivery.transition(),
                      delivery.priorAttempts() + attempt,
                      outcome.error(),
                      clock.instant(),
                      false);
              return report(
                      entity,
                      replyTo ->
                          new SubscriptionEntity.ReportDeadLetter(
                              run.generation(), letter, replyTo))
                  .thenApply(
                      filed -> {
                        observer.deadLettered(run.tenant(), outcome);
                        return filed;
                      });
            });
  }

  private CompletionStage<Done> report(
      ActorRef<SubscriptionEntity.Command> entity,
      org.apache.pekko.japi.function.Function<ActorRef<Done>, SubscriptionEntity.Command> message) {
    return AskPattern.ask(entity, message, settings.askTimeout(), system.scheduler());
  }
}
