package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.DeadLetterView;
import io.pulse.api.json.FilterDocument;
import io.pulse.api.json.SubscriptionRequest;
import io.pulse.api.json.SubscriptionView;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.subscription.SubscriptionState;
import io.pulse.engine.domain.subscription.WebhookSubscription;
import io.pulse.engine.subscription.SubscriptionEntity;
import io.pulse.engine.subscription.SubscriptionRegistry;
import io.pulse.persistence.LiveTagFeed;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;

/**
 * {@code /v1/subscriptions}: webhook subscriptions to transitions; create, list, read, delete,
 * inspect and redeliver dead letters, and replay from an offset.
 */
public final class SubscriptionRoutes {

  /** Shorter secrets make a weak signing key. */
  static final int MIN_SECRET_LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ActorSystem<?> system;
  private final EntityRef<SubscriptionRegistry.Command> registry;
  private final LiveTagFeed transitions;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final Clock clock;
  private final StrictJsonBody<SubscriptionRequest> requestBody;

  public SubscriptionRoutes(
      ActorSystem<?> system,
      String tenant,
      LiveTagFeed transitions,
      JsonResponses responses,
      HttpSettings settings,
      Clock clock) {
    this.system = system;
    this.registry = SubscriptionRegistry.refFor(system, tenant);
    this.transitions = transitions;
    this.responses = responses;
    this.settings = settings;
    this.clock = clock;
    this.requestBody =
        new StrictJsonBody<>(
            responses.mapper(),
            SubscriptionRequest.class,
            "invalid-subscription",
            "Invalid subscription",
            "a subscription");
  }

  public Route route() {
    return pathPrefix(
        "subscriptions",
        () ->
            concat(
                pathEnd(
                    () ->
                        concat(
                            post(() -> StrictJsonBody.completeWithBody(settings, this::create)),
                            get(() -> completeWithFuture(list())))),
                pathPrefix(
                    PathMatchers.segment(),
                    id ->
                        concat(
                            pathEnd(
                                () ->
                                    concat(
                                        get(() -> completeWithFuture(read(id))),
                                        delete(() -> completeWithFuture(remove(id))))),
                            path(
                                "dead-letters",
                                () -> get(() -> completeWithFuture(deadLetters(id)))),
                            path(
                                PathMatchers.segment("dead-letters").slash("redeliver"),
                                () -> post(() -> completeWithFuture(redeliver(id)))),
                            path(
                                "replay",
                                () ->
                                    post(
                                        () ->
                                            parameterMap(
                                                parameters ->
                                                    completeWithFuture(
                                                        replay(id, parameters)))))))));
  }

  private CompletionStage<HttpResponse> create(ByteString body) {
    WebhookSubscription subscription;
    SubscriptionRequest request;
    boolean generatedSecret;
    try {
      request = requestBody.read(body);
      generatedSecret = request.secret() == null;
      subscription = validate(request);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    CompletionStage<Long> startAfter =
        request.after() != null
            ? CompletableFuture.completedFuture(request.after())
            : transitions.head();
    // Registered first: an id whose creation then fails is only a harmless empty entry, while a
    // subscription that is not registered would not be kept running after a restart.
    return startAfter
        .thenCompose(
            after ->
                registry
                    .<Done>ask(
                        replyTo -> new SubscriptionRegistry.Register(subscription.id(), replyTo),
                        settings.askTimeout())
                    .thenCompose(
                        registered ->
                            entity(subscription.id())
                                .<StatusReply<SubscriptionState>>ask(
                                    replyTo ->
                                        new SubscriptionEntity.Create(subscription, after, replyTo),
                                    settings.askTimeout())))
        .thenApply(
            reply -> {
              if (reply.isError()) {
                return responses.problem(
                    Problem.of(
                        409, "subscription-exists", "Conflict", reply.getError().getMessage()));
              }
              SubscriptionView view = SubscriptionView.of(reply.getValue(), generatedSecret);
              return responses
                  .json(201, view)
                  .addHeader(Location.create("/v1/subscriptions/" + subscription.id()));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private WebhookSubscription validate(SubscriptionRequest request) {
    List<String> problems = new ArrayList<>();
    String url = request.url();
    if (url == null || url.isBlank()) {
      problems.add("url is required");
    } else if (!isHttpUrl(url)) {
      problems.add("url must be an absolute http or https URL; got '" + url + "'");
    }
    String secret = request.secret();
    if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
      problems.add("secret must have at least " + MIN_SECRET_LENGTH + " characters");
    }
    FilterDocument filter =
        request.filter() == null ? new FilterDocument(null, null, null, null) : request.filter();
    if (filter.cause() != null
        && Arrays.stream(TransitionCause.values())
            .noneMatch(cause -> cause.wireName().equals(filter.cause()))) {
      problems.add(
          "filter.cause must be one of "
              + Arrays.stream(TransitionCause.values()).map(TransitionCause::wireName).toList()
              + "; got '"
              + filter.cause()
              + "'");
    }
    if (request.after() != null && request.after() < 0) {
      problems.add("after must not be negative");
    }
    if (!problems.isEmpty()) {
      throw Problem.of(
              400, "invalid-subscription", "Invalid subscription", String.join("; ", problems))
          .withErrors(problems)
          .raise();
    }
    return new WebhookSubscription(
        "sub-" + UUID.randomUUID(),
        url,
        filter.toFilter(),
        secret != null ? secret : generatedSecret(),
        clock.instant());
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String generatedSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "whsec_" + HexFormat.of().formatHex(bytes);
  }

  private CompletionStage<HttpResponse> list() {
    return registry
        .<SubscriptionRegistry.SubscriptionIds>ask(
            SubscriptionRegistry.ListIds::new, settings.askTimeout())
        .thenCompose(
            ids -> {
              List<CompletableFuture<SubscriptionState>> states =
                  ids.ids().stream().map(id -> state(id).toCompletableFuture()).toList();
              return CompletableFuture.allOf(states.toArray(CompletableFuture[]::new))
                  .thenApply(
                      all ->
                          states.stream()
                              .map(CompletableFuture::join)
                              .filter(SubscriptionState::isActive)
                              .map(SubscriptionView::of)
                              .toList());
            })
        .thenApply(views -> responses.json(200, Map.of("subscriptions", views)))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> read(String id) {
    return state(id)
        .thenApply(
            state ->
                state.isActive()
                    ? responses.json(200, SubscriptionView.of(state))
                    : responses.problem(notFound(id)))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> remove(String id) {
    return entity(id)
        .<SubscriptionState>ask(SubscriptionEntity.Delete::new, settings.askTimeout())
        .thenCompose(
            before -> {
              if (!before.isActive()) {
                return CompletableFuture.completedFuture(responses.problem(notFound(id)));
              }
              return registry
                  .<Done>ask(
                      replyTo -> new SubscriptionRegistry.Unregister(id, replyTo),
                      settings.askTimeout())
                  .thenApply(done -> responses.noContent());
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> deadLetters(String id) {
    return state(id)
        .thenApply(
            state -> {
              if (!state.isActive()) {
                return responses.problem(notFound(id));
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("subscriptionId", id);
              body.put(
                  "deadLetters", state.deadLetters().stream().map(DeadLetterView::of).toList());
              body.put("dropped", state.deadLettersDropped());
              return responses.json(200, body);
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> redeliver(String id) {
    return entity(id)
        .<StatusReply<SubscriptionState>>ask(
            SubscriptionEntity.Redeliver::new, settings.askTimeout())
        .thenApply(
            reply ->
                reply.isError()
                    ? responses.problem(notFound(id))
                    : responses.json(
                        202, Map.of("redelivering", reply.getValue().pendingRedeliveries().size())))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> replay(String id, Map<String, String> parameters) {
    long from;
    try {
      if (!parameters.containsKey("from")) {
        throw invalid("'from' (an offset) is required");
      }
      from = TransitionRoutes.longParameter(parameters, "from", 0, 0, Long.MAX_VALUE);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    return entity(id)
        .<StatusReply<SubscriptionState>>ask(
            replyTo -> new SubscriptionEntity.Replay(from, replyTo), settings.askTimeout())
        .thenApply(
            reply ->
                reply.isError()
                    ? responses.problem(notFound(id))
                    : responses.json(
                        202,
                        Map.of(
                            "subscriptionId",
                            id,
                            "from",
                            from,
                            "deliveredOffset",
                            reply.getValue().deliveredOffset())))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<SubscriptionState> state(String id) {
    return entity(id).ask(SubscriptionEntity.Get::new, settings.askTimeout());
  }

  private EntityRef<SubscriptionEntity.Command> entity(String id) {
    return SubscriptionEntity.refFor(system, id);
  }

  private static Problem notFound(String id) {
    return Problem.of(
        404, "subscription-not-found", "Subscription not found", "no subscription '" + id + "'");
  }

  private static Problem.Raised invalid(String detail) {
    return Problem.of(400, "invalid-subscription", "Invalid subscription", detail).raise();
  }
}
