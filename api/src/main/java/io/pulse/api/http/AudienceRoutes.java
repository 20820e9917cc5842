package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.AudienceDocument;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.ModelCatalogs;
import io.pulse.engine.model.ModelRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.util.ByteString;

/**
 * {@code /v1/audiences}: define, read, list and delete a tenant's audiences. A changed definition
 * re-evaluates every user from the journal in the background; its progress is on the audience.
 */
public final class AudienceRoutes {

  private final ActorSystem<?> system;
  private final ModelCatalogs catalogs;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final StrictJsonBody<AudienceDocument> audienceBody;

  public AudienceRoutes(
      ActorSystem<?> system,
      ModelCatalogs catalogs,
      JsonResponses responses,
      HttpSettings settings) {
    this.system = system;
    this.catalogs = catalogs;
    this.responses = responses;
    this.settings = settings;
    this.audienceBody =
        new StrictJsonBody<>(
            responses.mapper(),
            AudienceDocument.class,
            "invalid-audience",
            "Invalid audience",
            "{\"name\", \"condition\"}");
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.tenant(
            "GET",
            "/v1/audiences",
            Scope.AUDIENCES_READ,
            call -> completeWithFuture(list(call.tenant()))),
        Endpoint.tenant(
            "GET",
            "/v1/audiences/{audienceId}",
            Scope.AUDIENCES_READ,
            call -> completeWithFuture(read(call.tenant(), call.parameter(0)))),
        Endpoint.tenant(
            "PUT",
            "/v1/audiences/{audienceId}",
            Scope.AUDIENCES_WRITE,
            call ->
                StrictJsonBody.completeWithBody(
                    settings, body -> define(call.tenant(), call.parameter(0), body))),
        Endpoint.tenant(
            "DELETE",
            "/v1/audiences/{audienceId}",
            Scope.AUDIENCES_WRITE,
            call -> completeWithFuture(remove(call.tenant(), call.parameter(0)))));
  }

  private CompletionStage<ModelCatalogRevision> current(String tenant) {
    return ModelRegistry.refFor(system, tenant)
        .<ModelCatalogRevision>ask(ModelRegistry.GetCatalog::new, settings.askTimeout())
        .thenApply(
            revision -> {
              catalogs.catalog(tenant).offer(revision);
              return revision;
            });
  }

  private CompletionStage<HttpResponse> list(String tenant) {
    return current(tenant)
        .thenApply(
            revision ->
                responses.json(
                    200,
                    Map.of(
                        "audiences",
                        revision.audiences().all().stream()
                            .map(audience -> document(audience, revision))
                            .toList())))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> read(String tenant, String audienceId) {
    return current(tenant)
        .thenApply(
            revision ->
                revision
                    .audiences()
                    .get(audienceId)
                    .map(audience -> responses.json(200, document(audience, revision)))
                    .orElseGet(() -> responses.problem(notFound(audienceId))))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> define(String tenant, String audienceId, ByteString body) {
    if (!Audience.isValidId(audienceId)) {
      return CompletableFuture.completedFuture(
          responses.problem(
              invalid(
                  List.of(
                      "id must be 1 to 64 letters, digits, '_' or '-', starting with a letter or"
                          + " digit"))));
    }
    AudienceDocument document;
    try {
      document = audienceBody.read(body);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    AudienceDocument.Result result = document.toAudience(audienceId);
    if (result.audience() == null) {
      return CompletableFuture.completedFuture(responses.problem(invalid(result.problems())));
    }
    return ModelRegistry.refFor(system, tenant)
        .<StatusReply<ModelRegistry.AudiencePut>>ask(
            replyTo -> new ModelRegistry.PutAudience(result.audience(), replyTo),
            settings.askTimeout())
        .thenCompose(
            reply -> {
              if (reply.isError()) {
                return CompletableFuture.completedFuture(
                    responses.problem(invalid(List.of(reply.getError().getMessage().split("; ")))));
              }
              ModelRegistry.AudiencePut put = reply.getValue();
              return current(tenant)
                  .thenApply(
                      revision -> {
                        HttpResponse answer =
                            responses.json(
                                put.created() ? 201 : 200, document(put.audience(), revision));
                        return put.created()
                            ? answer.addHeader(Location.create("/v1/audiences/" + audienceId))
                            : answer;
                      });
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> remove(String tenant, String audienceId) {
    if (!Audience.isValidId(audienceId)) {
      return CompletableFuture.completedFuture(responses.problem(notFound(audienceId)));
    }
    return ModelRegistry.refFor(system, tenant)
        .<StatusReply<Boolean>>ask(
            replyTo -> new ModelRegistry.DeleteAudience(audienceId, replyTo), settings.askTimeout())
        .thenCompose(
            reply -> {
              if (reply.isError()) {
                return CompletableFuture.completedFuture(
                    responses.problem(
                        Problem.of(
                            409,
                            "audience-in-use",
                            "Audience in use",
                            reply.getError().getMessage())));
              }
              return reply.getValue()
                  ? current(tenant).thenApply(revision -> responses.noContent())
                  : CompletableFuture.completedFuture(responses.problem(notFound(audienceId)));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private static AudienceDocument document(Audience audience, ModelCatalogRevision revision) {
    return AudienceDocument.of(audience, revision.progressOf(audience.id(), true));
  }

  private static Problem invalid(List<String> problems) {
    return Problem.of(400, "invalid-audience", "Invalid audience", String.join("; ", problems))
        .withErrors(problems);
  }

  private static Problem notFound(String audienceId) {
    return Problem.of(
        404, "audience-not-found", "Audience not found", "no audience '" + audienceId + "'");
  }
}
