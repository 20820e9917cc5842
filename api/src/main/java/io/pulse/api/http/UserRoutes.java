package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.UserView;
import io.pulse.engine.domain.InputText;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.profile.Traits;
import io.pulse.engine.model.ModelCatalogs;
import io.pulse.engine.user.UserEntity;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;

/** {@code GET /v1/users/{userId}}: scores, segments and metrics as of now. */
public final class UserRoutes {

  private final ClusterSharding sharding;
  private final ModelCatalogs catalogs;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final Clock clock;
  private final StrictJsonBody<Map<String, Object>> traitsBody;

  public UserRoutes(
      ClusterSharding sharding,
      ModelCatalogs catalogs,
      JsonResponses responses,
      HttpSettings settings,
      Clock clock) {
    this.sharding = sharding;
    this.catalogs = catalogs;
    this.responses = responses;
    this.settings = settings;
    this.clock = clock;
    this.traitsBody = StrictJsonBody.ofMap(responses.mapper(), "invalid-traits", "Invalid traits");
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.tenant(
            "GET",
            "/v1/users/{userId}",
            Scope.USERS_READ,
            call -> read(call.tenant(), call.parameter(0))),
        Endpoint.tenant(
            "PATCH",
            "/v1/users/{userId}/traits",
            Scope.USERS_WRITE,
            call ->
                StrictJsonBody.completeWithBody(
                    settings, body -> patchTraits(call.tenant(), call.parameter(0), body))));
  }

  /**
   * Applies a JSON merge patch (RFC 7396) to a user's traits: a value sets a trait, null removes
   * it. A user not seen before is created with them.
   */
  private CompletionStage<HttpResponse> patchTraits(String tenant, String userId, ByteString body) {
    Map<String, Object> patch;
    try {
      patch = traitsBody.read(body);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    Optional<String> idProblem = InputText.userIdProblem(userId);
    if (idProblem.isPresent()) {
      return CompletableFuture.completedFuture(responses.problem(invalidTraits(idProblem.get())));
    }
    return sharding
        .entityRefFor(UserEntity.ENTITY_KEY, UserEntity.entityId(tenant, userId))
        .<StatusReply<Traits>>ask(
            replyTo -> new UserEntity.PatchTraits(patch, replyTo), settings.askTimeout())
        .thenApply(
            reply ->
                reply.isError()
                    ? responses.problem(invalidTraits(reply.getError().getMessage()))
                    : responses.json(
                        200, Map.of("userId", userId, "traits", reply.getValue().values())))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private static Problem invalidTraits(String problems) {
    List<String> each = List.of(problems.split("; "));
    return Problem.of(400, "invalid-traits", "Invalid traits", problems).withErrors(each);
  }

  private Route read(String tenant, String userId) {
    return completeWithFuture(
        sharding
            .entityRefFor(UserEntity.ENTITY_KEY, UserEntity.entityId(tenant, userId))
            .<UserEngagement>ask(UserEntity.GetEngagement::new, settings.askTimeout())
            .thenApply(user -> view(tenant, userId, user))
            .exceptionally(failure -> PulseRoutes.unavailable(responses, failure)));
  }

  private HttpResponse view(String tenant, String userId, UserEngagement user) {
    if (!user.known()) {
      return responses.problem(
          Problem.of(
              404,
              "user-not-found",
              "User not found",
              "no event or trait was ever recorded for user '" + userId + "'"));
    }
    return responses.json(
        200, UserView.of(user, catalogs.catalog(tenant).definitions(), clock.instant()));
  }
}
