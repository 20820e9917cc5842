package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.KeyRequest;
import io.pulse.api.json.KeyView;
import io.pulse.api.json.TenantRequest;
import io.pulse.engine.access.AccessCatalog;
import io.pulse.engine.access.AccessRegistry;
import io.pulse.engine.domain.access.AccessState;
import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.KeySecrets;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.access.TenantId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;

/**
 * {@code /v1/tenants} (the operator's) and {@code /v1/keys}: create tenants, create, list and
 * revoke keys. A tenant's admin manages its own tenant's keys; the operator (an admin key of the
 * {@code default} tenant) manages every tenant's. Another tenant, or its keys, are unknown to a
 * tenant's admin, exactly like ones that do not exist.
 */
public final class AccessRoutes {

  private final ActorSystem<?> system;
  private final AccessCatalog catalog;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final StrictJsonBody<KeyRequest> keyBody;
  private final StrictJsonBody<TenantRequest> tenantBody;

  public AccessRoutes(
      ActorSystem<?> system,
      AccessCatalog catalog,
      JsonResponses responses,
      HttpSettings settings) {
    this.system = system;
    this.catalog = catalog;
    this.responses = responses;
    this.settings = settings;
    this.keyBody =
        new StrictJsonBody<>(
            responses.mapper(),
            KeyRequest.class,
            "invalid-key",
            "Invalid key",
            "{\"name\", \"scopes\", \"tenant\", \"limits\"}");
    this.tenantBody =
        new StrictJsonBody<>(
            responses.mapper(),
            TenantRequest.class,
            "invalid-tenant",
            "Invalid tenant",
            "{\"id\"}");
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.operator(
            "POST",
            "/v1/tenants",
            Scope.ADMIN,
            call -> StrictJsonBody.completeWithBody(settings, this::createTenant)),
        Endpoint.operator(
            "GET", "/v1/tenants", Scope.ADMIN, call -> completeWithFuture(listTenants())),
        Endpoint.tenant(
            "POST",
            "/v1/keys",
            Scope.ADMIN,
            call ->
                StrictJsonBody.completeWithBody(settings, body -> createKey(call.caller(), body))),
        Endpoint.tenant(
            "GET",
            "/v1/keys",
            Scope.ADMIN,
            call ->
                parameterMap(
                    parameters -> completeWithFuture(listKeys(call.caller(), parameters)))),
        Endpoint.tenant(
            "DELETE",
            "/v1/keys/{keyId}",
            Scope.ADMIN,
            call -> completeWithFuture(revoke(call.caller(), call.parameter(0)))));
  }

  private CompletionStage<HttpResponse> createTenant(ByteString body) {
    TenantRequest request;
    try {
      request = tenantBody.read(body);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    if (request.id() == null || !TenantId.isValid(request.id())) {
      return CompletableFuture.completedFuture(
          responses.problem(invalidTenant("id must be " + TenantId.rule())));
    }
    return AccessRegistry.refFor(system)
        .<StatusReply<AccessState>>ask(
            replyTo -> new AccessRegistry.CreateTenant(request.id(), replyTo),
            settings.askTimeout())
        .thenApply(
            reply -> {
              if (reply.isError()) {
                return responses.problem(
                    Problem.of(
                        409, "tenant-exists", "Tenant exists", reply.getError().getMessage()));
              }
              catalog.offer(reply.getValue());
              TenantId tenant = new TenantId(request.id());
              return responses
                  .json(201, tenantView(tenant, reply.getValue()))
                  .addHeader(Location.create("/v1/tenants/" + tenant.value()));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> listTenants() {
    return current()
        .thenApply(
            state ->
                responses.json(
                    200,
                    Map.of(
                        "tenants",
                        state.tenantIds().stream().map(id -> tenantView(id, state)).toList())))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private static Map<String, Object> tenantView(TenantId tenant, AccessState state) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", tenant.value());
    view.put("createdAt", state.tenantCreatedAt(tenant).map(Object::toString).orElse(null));
    return view;
  }

  private CompletionStage<HttpResponse> createKey(Caller caller, ByteString body) {
    KeyRequest request;
    try {
      request = keyBody.read(body);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    KeyRequest.Result result = request.toNewKey(caller.tenantId());
    if (result.key() == null) {
      return CompletableFuture.completedFuture(responses.problem(invalidKey(result.problems())));
    }
    if (!caller.operator() && !result.key().tenant().equals(caller.tenantId())) {
      // Said exactly as for a tenant that does not exist.
      return CompletableFuture.completedFuture(
          responses.problem(
              invalidKey(List.of("tenant '" + result.key().tenant() + "' does not exist"))));
    }
    String secret = KeySecrets.newSecret();
    return AccessRegistry.refFor(system)
        .<StatusReply<ApiKey>>ask(
            replyTo ->
                new AccessRegistry.CreateKey(
                    result.key(),
                    KeySecrets.newKeyId(),
                    KeySecrets.hash(secret),
                    KeySecrets.hint(secret),
                    replyTo),
            settings.askTimeout())
        .thenCompose(
            reply -> {
              if (reply.isError()) {
                return CompletableFuture.completedFuture(
                    responses.problem(invalidKey(List.of(reply.getError().getMessage()))));
              }
              ApiKey key = reply.getValue();
              // Usable on this node at once, not only after the announcement arrives.
              return current()
                  .thenApply(
                      state ->
                          responses
                              .json(201, KeyView.created(key, secret))
                              .addHeader(Location.create("/v1/keys/" + key.id())));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> listKeys(Caller caller, Map<String, String> parameters) {
    Optional<String> asked = Optional.ofNullable(parameters.get("tenant"));
    TenantId tenant = caller.tenantId();
    if (asked.isPresent()) {
      if (!TenantId.isValid(asked.get())) {
        return CompletableFuture.completedFuture(
            responses.problem(
                Problem.of(
                    400,
                    "invalid-parameter",
                    "Invalid parameter",
                    "'tenant' must be " + TenantId.rule())));
      }
      tenant = new TenantId(asked.get());
      if (!caller.operator() && !tenant.equals(caller.tenantId())) {
        return CompletableFuture.completedFuture(responses.problem(tenantNotFound(tenant)));
      }
    }
    TenantId listed = tenant;
    return current()
        .thenApply(
            state -> {
              if (!state.hasTenant(listed)) {
                return responses.problem(tenantNotFound(listed));
              }
              return responses.json(
                  200, Map.of("keys", state.keysOf(listed).stream().map(KeyView::of).toList()));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> revoke(Caller caller, String keyId) {
    TenantId scope = caller.operator() ? null : caller.tenantId();
    return AccessRegistry.refFor(system)
        .<StatusReply<ApiKey>>ask(
            replyTo -> new AccessRegistry.RevokeKey(keyId, scope, replyTo), settings.askTimeout())
        .thenCompose(
            reply ->
                reply.isError()
                    ? CompletableFuture.completedFuture(
                        responses.problem(
                            Problem.of(
                                404, "key-not-found", "Key not found", "no key '" + keyId + "'")))
                    : current().thenApply(state -> responses.noContent()))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  /** The registry's state, taken into this node's catalog on the way. */
  private CompletionStage<AccessState> current() {
    return AccessRegistry.refFor(system)
        .<AccessState>ask(AccessRegistry.GetAccess::new, settings.askTimeout())
        .thenApply(
            state -> {
              catalog.offer(state);
              return state;
            });
  }

  private static Problem invalidKey(List<String> problems) {
    return Problem.of(400, "invalid-key", "Invalid key", String.join("; ", problems))
        .withErrors(problems);
  }

  private static Problem invalidTenant(String detail) {
    return Problem.of(400, "invalid-tenant", "Invalid tenant", detail).withErrors(List.of(detail));
  }

  private static Problem tenantNotFound(TenantId tenant) {
    return Problem.of(404, "tenant-not-found", "Tenant not found", "no tenant '" + tenant + "'");
  }
}
