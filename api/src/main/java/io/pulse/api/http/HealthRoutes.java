package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.engine.model.ModelCatalog;
import io.pulse.persistence.TaggedEventFeed;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /health/alive} answers while the process runs; {@code /health/ready} only when this node
 * is an Up cluster member, holds the scoring models, and the journal answers a query.
 */
public final class HealthRoutes {

  private static final String PROBE_TAG = "pulse-readiness-probe";

  private final ActorSystem<?> system;
  private final ModelCatalog catalog;
  private final TaggedEventFeed feed;
  private final JsonResponses responses;
  private final Duration timeout;

  public HealthRoutes(
      ActorSystem<?> system,
      ModelCatalog catalog,
      TaggedEventFeed feed,
      JsonResponses responses,
      Duration timeout) {
    this.system = system;
    this.catalog = catalog;
    this.feed = feed;
    this.responses = responses;
    this.timeout = timeout;
  }

  public Route route() {
    return pathPrefix(
        "health",
        () ->
            concat(
                path(
                    "alive",
                    () -> get(() -> complete(responses.json(200, Map.of("status", "alive"))))),
                path("ready", () -> get(() -> completeWithFuture(readiness())))));
  }

  private CompletionStage<HttpResponse> readiness() {
    boolean member = Cluster.get(system).selfMember().status() == MemberStatus.up();
    boolean models = catalog.isLoaded();
    return feed.page(PROBE_TAG, 0, 1)
        .toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((envelopes, failure) -> failure == null)
        .thenApply(
            journal -> {
              Map<String, Object> checks = new LinkedHashMap<>();
              checks.put("clusterMemberUp", member);
              checks.put("modelsLoaded", models);
              checks.put("journal", journal);
              boolean ready = member && models && journal;
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("status", ready ? "ready" : "not-ready");
              body.put("checks", checks);
              return responses.json(ready ? 200 : 503, body);
            });
  }
}
