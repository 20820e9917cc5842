package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.StatsView;
import io.pulse.engine.domain.access.Scope;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.stats.EngagementStats;
import io.pulse.persistence.stats.StatsStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code GET /v1/stats}: the aggregates the read side keeps, with "now" from the server's clock. It
 * reads a handful of small tables, never the users.
 */
public final class StatsRoutes {

  private final StatsStore store;
  private final Executor blocking;
  private final JsonResponses responses;
  private final Clock clock;

  public StatsRoutes(StatsStore store, Executor blocking, JsonResponses responses, Clock clock) {
    this.store = store;
    this.blocking = blocking;
    this.responses = responses;
    this.clock = clock;
  }

  /** Routes reading through a pool of their own, closed when the actor system terminates. */
  public static StatsRoutes open(
      ActorSystem<?> system, DatabaseSettings database, JsonResponses responses, Clock clock) {
    StatsStore store = new StatsStore(database, "pulse-stats-reads", 2);
    system.getWhenTerminated().thenRun(store::close);
    return new StatsRoutes(
        store, system.dispatchers().lookup(DispatcherSelector.blocking()), responses, clock);
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.tenant(
            "GET",
            "/v1/stats",
            Scope.STATS_READ,
            call ->
                completeWithFuture(
                    CompletableFuture.supplyAsync(() -> read(call.tenant()), blocking)
                        .thenApply(stats -> responses.json(200, StatsView.of(stats)))
                        .exceptionally(this::failed))));
  }

  private EngagementStats read(String tenant) {
    try {
      return store.read(tenant, clock.instant());
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  /** The database not answering is a 503 to retry, not a crash. */
  private HttpResponse failed(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof SQLException) {
      return responses.retryLater(
          Problem.of(
              503,
              "unavailable",
              "Temporarily unavailable",
              "the statistics could not be read: " + cause.getMessage()),
          Duration.ofSeconds(1));
    }
    return PulseRoutes.unavailable(responses, failure);
  }
}
