package io.pulse.api.webhook;

import io.pulse.engine.domain.subscription.HostResolver;
import io.pulse.engine.domain.subscription.SecretBox;
import io.pulse.engine.domain.subscription.WebhookSubscription;
import io.pulse.engine.domain.subscription.WebhookTargetPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.ClientTransport;
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
 *
 * <p>The pool's connections resolve their host through {@link WebhookTargetPolicy}: every address
 * of the name is checked when the connection is made and the connection goes to an address that was
 * checked, so there is no moment between the check and the connection in which the name could
 * change its answer. A refused target fails the attempt for good.
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
  private final WebhookTargetPolicy targets;
  private final HostResolver resolver;
  private final SecretBox secrets;
  private final Executor lookups;

  public WebhookSender(
      ActorSystem<?> system,
      WebhookSettings settings,
      Clock signingClock,
      HostResolver resolver,
      SecretBox secrets) {
    this.system = system;
    this.http = Http.get(system);
    this.requestTimeout = settings.requestTimeout();
    this.signingClock = signingClock;
    this.targets = settings.targets();
    this.resolver = resolver;
    this.secrets = secrets;
    // Name lookups block; they run where blocking is expected.
    this.lookups = system.dispatchers().lookup(DispatcherSelector.blocking());
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
                    .withIdleTimeout(settings.requestTimeout()))
            .withTransport(
                ClientTransport.withCustomResolver(
                    (host, port) -> checkedAddress(host, (Integer) port)));
  }

  /** Sends {@code body} as attempt {@code attempt} of the delivery of event {@code eventId}. */
  public CompletionStage<DeliveryOutcome> send(
      WebhookSubscription subscription, String eventId, byte[] body, int attempt) {
    String secret;
    try {
      secret = secrets.open(subscription.id(), subscription.secret());
    } catch (IllegalStateException unreadable) {
      log.error(
          "Cannot sign the webhooks of {}: {}. Set the key it was sealed with in"
              + " PULSE_SECRET_KEY or PULSE_SECRET_KEY_PREVIOUS, then redeliver its dead letters.",
          subscription.id(),
          unreadable.getMessage());
      return CompletableFuture.completedFuture(DeliveryOutcome.secretUnavailable());
    }
    HttpRequest request;
    try {
      request =
          HttpRequest.POST(subscription.url())
              .withEntity(CLOUD_EVENTS_JSON, body)
              .addHeader(
                  RawHeader.create(
                      WebhookSignature.HEADER,
                      WebhookSignature.header(
                          secret, signingClock.instant().getEpochSecond(), body)))
              .addHeader(RawHeader.create("Pulse-Subscription", subscription.id()))
              .addHeader(RawHeader.create("Pulse-Delivery-Attempt", Integer.toString(attempt)))
              .addHeader(RawHeader.create("User-Agent", "pulse-webhooks/1"));
    } catch (RuntimeException invalidUrl) {
      log.debug("Webhook URL of {} is not usable: {}", subscription.id(), invalidUrl.getMessage());
      return CompletableFuture.completedFuture(DeliveryOutcome.notAllowed());
    }
    return http.singleRequest(request, http.defaultClientHttpsContext(), pool, log)
        .toCompletableFuture()
        // The connection's idle timeout ends a stalled attempt; this also covers a request that
        // waits too long for a pooled connection.
        .orTimeout(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
        .thenApply(response -> classify(subscription, response))
        .exceptionally(failure -> classify(subscription, failure));
  }

  /**
   * The secret of {@code subscription} sealed under the current key, when it is plain or sealed
   * under the previous one; empty when it needs nothing, or does not open (which {@link #send}
   * reports).
   */
  Optional<String> resealedSecret(WebhookSubscription subscription) {
    if (!secrets.needsResealing(subscription.id(), subscription.secret())) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          secrets.seal(subscription.id(), secrets.open(subscription.id(), subscription.secret())));
    } catch (IllegalStateException unreadable) {
      return Optional.empty();
    }
  }

  /**
   * The address a new connection to {@code host} goes to: one of its addresses, once all of them
   * have passed the policy.
   */
  private CompletionStage<InetSocketAddress> checkedAddress(String host, int port) {
    return CompletableFuture.supplyAsync(
        () -> {
          Optional<List<InetAddress>> addresses;
          try {
            addresses = targets.resolve(host, resolver);
          } catch (UnknownHostException e) {
            throw new CompletionException(e);
          }
          if (addresses.isEmpty()) {
            throw new TargetRefused(host);
          }
          return new InetSocketAddress(addresses.get().get(0), port);
        },
        lookups);
  }

  private DeliveryOutcome classify(WebhookSubscription subscription, HttpResponse response) {
    // The body is not used, but must be read off the connection before it can serve again.
    response.discardEntityBytes(system);
    int status = response.status().intValue();
    if (status < 200 || status >= 300) {
      log.debug("Webhook receiver of {} answered HTTP {}", subscription.id(), status);
    }
    Optional<Duration> retryAfter =
        response
            .getHeader(RetryAfter.class)
            .flatMap(header -> header.getDelaySeconds().map(Duration::ofSeconds));
    return DeliveryOutcome.ofStatus(status, retryAfter);
  }

  private DeliveryOutcome classify(WebhookSubscription subscription, Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof TargetRefused) {
        log.debug(
            "Webhook target of {} refused: {} has an address webhooks may not reach",
            subscription.id(),
            cause.getMessage());
        return DeliveryOutcome.notAllowed();
      }
    }
    log.debug("Webhook receiver of {} unreachable: {}", subscription.id(), failure.toString());
    return DeliveryOutcome.unreachable();
  }

  private static Duration minimum(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A connection the target policy did not allow; the message is the host, for the log. */
  static final class TargetRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TargetRefused(String host) {
      super(host, null, false, false);
    }
  }
}
