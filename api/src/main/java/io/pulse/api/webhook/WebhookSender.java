package io.pulse.api.webhook;

import io.pulse.engine.domain.subscription.WebhookSubscription;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;

/**
 * Sends one signed delivery attempt with Pekko HTTP's pooled client and classifies the answer.
 *
 * <p>Each receiver (host and port) gets its own connection pool, so a slow or failing receiver only
 * uses up its own connections. A connection that shows no activity for the request timeout is
 * closed, which fails the attempt; that bounds every attempt, whatever the receiver does.
 */
public final class WebhookSender {

  public static final ContentType CLOUD_EVENTS_JSON =
      MediaTypes.applicationWithFixedCharset("cloudevents+json", HttpCharsets.UTF_8)
          .toContentType();

  private final ActorSystem<?> system;
  private final Http http;
  private final ConnectionPoolSettings pool;
  private final LoggingAdapter log;
  private final Duration requestTimeout;
  private final Clock signingClock;

  public WebhookSender(ActorSystem<?> system, WebhookSettings settings, Clock signingClock) {
    this.system = system;
    this.http = Http.get(system);
    this.requestTimeout = settings.requestTimeout();
    this.signingClock = signingClock;
    this.log = Logging.getLogger(system.classicSystem(), WebhookSender.class);
    int connections = Math.max(1, settings.lanes());
    this.pool =
        ConnectionPoolSettings.create(system.classicSystem())
            .withMaxConnections(connections)
            // Room for every lane of several subscriptions sharing one receiver.
            .withMaxOpenRequests(Integer.highestOneBit(connections * 16) * 2)
            // Deliveries are retried by the caller, with its own backoff.
            .withMaxRetries(0)
            // A receiver that was down is tried again soon after it is back.
            .withBaseConnectionBackoff(Duration.ofMillis(50))
            .withMaxConnectionBackoff(
                minimum(settings.retries().maxBackoff(), Duration.ofSeconds(2)))
            .withConnectionSettings(
                ClientConnectionSettings.create(system.classicSystem())
                    .withConnectingTimeout(settings.connectTimeout())
                    .withIdleTimeout(settings.requestTimeout()));
  }

  /** Sends {@code body} as attempt {@code attempt} of the delivery of event {@code eventId}. */
  public CompletionStage<DeliveryOutcome> send(
      WebhookSubscription subscription, String eventId, byte[] body, int attempt) {
    HttpRequest request;
    try {
      request =
          HttpRequest.POST(subscription.url())
              .withEntity(CLOUD_EVENTS_JSON, body)
              .addHeader(
                  RawHeader.create(
                      WebhookSignature.HEADER,
                      WebhookSignature.header(
                          subscription.secret(), signingClock.instant().getEpochSecond(), body)))
              .addHeader(RawHeader.create("Pulse-Subscription", subscription.id()))
              .addHeader(RawHeader.create("Pulse-Delivery-Attempt", Integer.toString(attempt)))
              .addHeader(RawHeader.create("User-Agent", "pulse-webhooks/1"));
    } catch (RuntimeException invalidUrl) {
      return java.util.concurrent.CompletableFuture.completedFuture(
          new DeliveryOutcome(
              false, false, "invalid URL: " + invalidUrl.getMessage(), Optional.empty()));
    }
    return http.singleRequest(request, http.defaultClientHttpsContext(), pool, log)
        .toCompletableFuture()
        // The connection's idle timeout ends a stalled attempt; this also covers a request that
        // waits too long for a pooled connection.
        .orTimeout(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
        .thenApply(this::classify)
        .exceptionally(failure -> DeliveryOutcome.ofFailure(describe(failure)));
  }

  private DeliveryOutcome classify(HttpResponse response) {
    // The body is not used, but must be read off the connection before it can serve again.
    response.discardEntityBytes(system);
    Optional<Duration> retryAfter =
        response
            .getHeader(RetryAfter.class)
            .flatMap(header -> header.getDelaySeconds().map(Duration::ofSeconds));
    return DeliveryOutcome.ofStatus(response.status().intValue(), retryAfter);
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return "timed out";
    }
    String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
    return cause.getClass().getSimpleName() + message;
  }

  private static Duration minimum(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
