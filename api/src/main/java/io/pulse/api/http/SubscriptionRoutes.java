package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.DeadLetterView;
import io.pulse.api.json.FilterDocument;
import io.pulse.api.json.SubscriptionRequest;
import io.pulse.api.json.SubscriptionView;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.subscription.NewSubscription;
import io.pulse.engine.domain.subscription.SubscriptionState;
import io.pulse.engine.domain.subscription.WebhookSubscription;
import io.pulse.engine.subscription.SubscriptionEntity;
import io.pulse.engine.subscription.SubscriptionRegistry;
import io.pulse.persistence.LiveTagFeed;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;

/**
 * {@code /v1/subscriptions}: webhook subscriptions to transitions; create, list, read, delete,
 * inspect and redeliver dead letters, and replay from an offset.
 */
public final class SubscriptionRoutes {

  private final ActorSystem<?> system;
  private final LiveTagFeed transitions;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final Clock clock;
  private final StrictJsonBody<SubscriptionRequest> requestBody;
  private final NewSubscription rules;
  private final Executor blocking;

  public SubscriptionRoutes(
      ActorSystem<?> system,
      LiveTagFeed transitions,
      JsonResponses responses,
      HttpSettings settings,
      Clock clock,
      NewSubscription rules) {
    this.system = system;
    this.rules = rules;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
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

  public List<Endpoint> endpoints() {
    Scope scope = Scope.SUBSCRIPTIONS_WRITE;
    return List.of(
        Endpoint.tenant(
            "POST",
            "/v1/subscriptions",
            scope,
            call -> StrictJsonBody.completeWithBody(settings, body -> create(call.tenant(), body))),
        Endpoint.tenant(
            "GET", "/v1/subscriptions", scope, call -> completeWithFuture(list(call.tenant()))),
        Endpoint.tenant(
            "GET",
            "/v1/subscriptions/{subscriptionId}",
            scope,
            call -> completeWithFuture(read(call.tenant(), call.parameter(0)))),
        Endpoint.tenant(
            "DELETE",
            "/v1/subscriptions/{subscriptionId}",
            scope,
            call -> completeWithFuture(remove(call.tenant(), call.parameter(0)))),
        Endpoint.tenant(
            "GET",
            "/v1/subscriptions/{subscriptionId}/dead-letters",
            scope,
            call -> completeWithFuture(deadLetters(call.tenant(), call.parameter(0)))),
        Endpoint.tenant(
            "POST",
            "/v1/subscriptions/{subscriptionId}/dead-letters/redeliver",
            scope,
            call -> completeWithFuture(redeliver(call.tenant(), call.parameter(0)))),
        Endpoint.tenant(
            "POST",
            "/v1/subscriptions/{subscriptionId}/replay",
            scope,
            call ->
                parameterMap(
                    parameters ->
                        completeWithFuture(replay(call.tenant(), call.parameter(0), parameters)))));
  }

  private EntityRef<SubscriptionRegistry.Command> registry(String tenant) {
    return SubscriptionRegistry.refFor(system, tenant);
  }

  private CompletionStage<HttpResponse> create(String tenant, ByteString body) {
    SubscriptionRequest request;
    try {
      request = requestBody.read(body);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    FilterDocument filter = request.filter();
    NewSubscription.Request asked =
        new NewSubscription.Request(
            request.url(),
            filter == null ? null : filter.toFilter(),
            request.secret(),
            request.after());
    // The rules resolve the receiver's host name, which blocks.
    return CompletableFuture.supplyAsync(() -> rules.define(asked, clock.instant()), blocking)
        .thenCompose(
            outcome -> {
              if (outcome instanceof NewSubscription.Refused refused) {
                return CompletableFuture.completedFuture(
                    responses.problem(
                        Problem.of(
                                400,
                                "invalid-subscription",
                                "Invalid subscription",
                                String.join("; ", refused.problems()))
                            .withErrors(refused.problems())));
              }
              return create(tenant, (NewSubscription.Defined) outcome, request.after());
            });
  }

  private CompletionStage<HttpResponse> create(
      String tenant, NewSubscription.Defined defined, Long after) {
    WebhookSubscription subscription = defined.subscription();
    CompletionStage<Long> startAfter =
        after != null ? CompletableFuture.completedFuture(after) : transitions.head();
    // Registered first: an id whose creation then fails is only a harmless empty entry, while a
    // subscription that is not registered would not be kept running after a restart.
    return startAfter
        .thenCompose(
            from ->
                registry(tenant)
                    .<Done>ask(
                        replyTo -> new SubscriptionRegistry.Register(subscription.id(), replyTo),
                        settings.askTimeout())
                    .thenCompose(
                        registered ->
                            entity(tenant, subscription.id())
                                .<StatusReply<SubscriptionState>>ask(
                                    replyTo ->
                                        new SubscriptionEntity.Create(subscription, from, replyTo),
                                    settings.askTimeout())))
        .thenApply(
            reply -> {
              if (reply.isError()) {
                return responses.problem(
                    Problem.of(
                        409, "subscription-exists", "Conflict", reply.getError().getMessage()));
              }
              SubscriptionView view =
                  SubscriptionView.of(reply.getValue(), defined.generatedSecret());
              return responses
                  .json(201, view)
                  .addHeader(Location.create("/v1/subscriptions/" + subscription.id()));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> list(String tenant) {
    return registry(tenant)
        .<SubscriptionRegistry.SubscriptionIds>ask(
            SubscriptionRegistry.ListIds::new, settings.askTimeout())
        .thenCompose(
            ids -> {
              List<CompletableFuture<SubscriptionState>> states =
                  ids.ids().stream().map(id -> state(tenant, id).toCompletableFuture()).toList();
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

  private CompletionStage<HttpResponse> read(String tenant, String id) {
    return state(tenant, id)
        .thenApply(
            state ->
                state.isActive()
                    ? responses.json(200, SubscriptionView.of(state))
                    : responses.problem(notFound(id)))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> remove(String tenant, String id) {
    if (!SubscriptionEntity.isWellFormedId(id)) {
      return CompletableFuture.completedFuture(responses.problem(notFound(id)));
    }
    return entity(tenant, id)
        .<SubscriptionState>ask(SubscriptionEntity.Delete::new, settings.askTimeout())
        .thenCompose(
            before -> {
              if (!before.isActive()) {
                return CompletableFuture.completedFuture(responses.problem(notFound(id)));
              }
              return registry(tenant)
                  .<Done>ask(
                      replyTo -> new SubscriptionRegistry.Unregister(id, replyTo),
                      settings.askTimeout())
                  .thenApply(done -> responses.noContent());
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> deadLetters(String tenant, String id) {
    return state(tenant, id)
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

  private CompletionStage<HttpResponse> redeliver(String tenant, String id) {
    if (!SubscriptionEntity.isWellFormedId(id)) {
      return CompletableFuture.completedFuture(responses.problem(notFound(id)));
    }
    return entity(tenant, id)
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

  private CompletionStage<HttpResponse> replay(
      String tenant, String id, Map<String, String> parameters) {
    if (!SubscriptionEntity.isWellFormedId(id)) {
      return CompletableFuture.completedFuture(responses.problem(notFound(id)));
    }
    long from;
    try {
      if (!parameters.containsKey("from")) {
        throw invalid("'from' (an offset) is required");
      }
      from = TransitionRoutes.longParameter(parameters, "from", 0, 0, Long.MAX_VALUE);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    return entity(tenant, id)
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

  private CompletionStage<SubscriptionState> state(String tenant, String id) {
    if (!SubscriptionEntity.isWellFormedId(id)) {
      return CompletableFuture.completedFuture(SubscriptionState.EMPTY);
    }
    return entity(tenant, id).ask(SubscriptionEntity.Get::new, settings.askTimeout());
  }

  private EntityRef<SubscriptionEntity.Command> entity(String tenant, String id) {
    return SubscriptionEntity.refFor(system, tenant, id);
  }

  private static Problem notFound(String id) {
    return Problem.of(
        404, "subscription-not-found", "Subscription not found", "no subscription '" + id + "'");
  }

  private static Problem.Raised invalid(String detail) {
    return Problem.of(400, "invalid-subscription", "Invalid subscription", detail).raise();
  }
}
