package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.UserView;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.model.ModelCatalog;
import io.pulse.engine.user.UserEntity;
import java.time.Clock;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /v1/users/{userId}}: scores, segments and metrics as of now. */
public final class UserRoutes {

  private final ClusterSharding sharding;
  private final ModelCatalog catalog;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final String tenant;
  private final Clock clock;

  public UserRoutes(
      ClusterSharding sharding,
      ModelCatalog catalog,
      JsonResponses responses,
      HttpSettings settings,
      String tenant,
      Clock clock) {
    this.sharding = sharding;
    this.catalog = catalog;
    this.responses = responses;
    this.settings = settings;
    this.tenant = tenant;
    this.clock = clock;
  }

  public Route route() {
    return pathPrefix(
        "users",
        () ->
            path(
                PathMatchers.segment(),
                userId ->
                    get(
                        () ->
                            completeWithFuture(
                                sharding
                                    .entityRefFor(
                                        UserEntity.ENTITY_KEY, UserEntity.entityId(tenant, userId))
                                    .<UserEngagement>ask(
                                        UserEntity.GetEngagement::new, settings.askTimeout())
                                    .thenApply(user -> view(userId, user))
                                    .exceptionally(
                                        failure -> PulseRoutes.unavailable(responses, failure))))));
  }

  private HttpResponse view(String userId, UserEngagement user) {
    if (!user.hasEvents()) {
      return responses.problem(
          Problem.of(
              404,
              "user-not-found",
              "User not found",
              "no event was ever recorded for user '" + userId + "'"));
    }
    return responses.json(200, UserView.of(user, catalog.get(), clock.instant()));
  }
}
