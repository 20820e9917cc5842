package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.ModelDocument;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.ModelCatalogs;
import io.pulse.engine.model.ModelRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.util.ByteString;

/** {@code /v1/models}: list, read, create or replace, and delete scoring models. */
public final class ModelRoutes {

  private final ActorSystem<?> system;
  private final ModelCatalogs catalogs;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final StrictJsonBody<ModelDocument> modelBody;

  public ModelRoutes(
      ActorSystem<?> system,
      ModelCatalogs catalogs,
      JsonResponses responses,
      HttpSettings settings) {
    this.system = system;
    this.catalogs = catalogs;
    this.responses = responses;
    this.settings = settings;
    this.modelBody =
        new StrictJsonBody<>(
            responses.mapper(), ModelDocument.class, "invalid-model", "Invalid model", "a model");
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.tenant(
            "GET",
            "/v1/models",
            Scope.MODELS_READ,
            call -> completeWithFuture(list(call.tenant()))),
        Endpoint.tenant(
            "GET",
            "/v1/models/{modelId}",
            Scope.MODELS_READ,
            call -> completeWithFuture(read(call.tenant(), call.parameter(0)))),
        Endpoint.tenant(
            "PUT",
            "/v1/models/{modelId}",
            Scope.MODELS_WRITE,
            call ->
                StrictJsonBody.completeWithBody(
                    settings, body -> replace(call.tenant(), call.parameter(0), body))),
        Endpoint.tenant(
            "DELETE",
            "/v1/models/{modelId}",
            Scope.MODELS_WRITE,
            call -> completeWithFuture(remove(call.tenant(), call.parameter(0)))));
  }

  private EntityRef<ModelRegistry.Command> registry(String tenant) {
    return ModelRegistry.refFor(system, tenant);
  }

  private CompletionStage<ModelCatalogRevision> current(String tenant) {
    return registry(tenant)
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
                        "models",
                        revision.models().all().stream()
                            .map(
                                model ->
                                    ModelDocument.of(model, revision.rescorings().get(model.id())))
                            .toList())))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> read(String tenant, String modelId) {
    return current(tenant)
        .thenApply(
            revision ->
                revision
                    .models()
                    .get(modelId)
                    .map(
                        model ->
                            responses.json(
                                200,
                                ModelDocument.of(model, revision.rescorings().get(model.id()))))
                    .orElseGet(() -> responses.problem(notFound(modelId))))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> replace(String tenant, String modelId, ByteString body) {
    if (!ScoringModel.isValidId(modelId)) {
      return CompletableFuture.completedFuture(
          responses.problem(
              Problem.of(
                  400,
                  "invalid-model",
                  "Invalid model",
                  "model id must be 1 to 64 letters, digits, '_' or '-'")));
    }
    ModelDocument document;
    try {
      document = modelBody.read(body);
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    }
    ModelDocument.Result result = document.toModel(modelId, settings.limits());
    if (result.model() == null) {
      return CompletableFuture.completedFuture(
          responses.problem(
              Problem.of(
                      400, "invalid-model", "Invalid model", String.join("; ", result.problems()))
                  .withErrors(result.problems())));
    }
    return registry(tenant)
        .<org.apache.pekko.pattern.StatusReply<ModelRegistry.ModelPut>>ask(
            replyTo -> new ModelRegistry.PutModel(result.model(), replyTo), settings.askTimeout())
        .thenCompose(
            reply -> {
              if (reply.isError()) {
                return CompletableFuture.completedFuture(
                    responses.problem(
                        Problem.of(
                            400, "invalid-model", "Invalid model", reply.getError().getMessage())));
              }
              ModelRegistry.ModelPut put = reply.getValue();
              return current(tenant)
                  .thenApply(
                      revision -> {
                        HttpResponse answer =
                            responses.json(
                                put.created() ? 201 : 200,
                                ModelDocument.of(
                                    put.model(), revision.rescorings().get(put.model().id())));
                        return put.created()
                            ? answer.addHeader(Location.create("/v1/models/" + modelId))
                            : answer;
                      });
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> remove(String tenant, String modelId) {
    return registry(tenant)
        .<ModelRegistry.ModelDeleted>ask(
            replyTo -> new ModelRegistry.DeleteModel(modelId, replyTo), settings.askTimeout())
        .thenCompose(
            deleted ->
                deleted.found()
                    ? current(tenant).thenApply(revision -> responses.noContent())
                    : CompletableFuture.completedFuture(responses.problem(notFound(modelId))))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private static Problem notFound(String modelId) {
    return Problem.of(404, "model-not-found", "Model not found", "no model '" + modelId + "'");
  }
}
