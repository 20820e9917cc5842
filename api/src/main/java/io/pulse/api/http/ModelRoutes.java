package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.ModelDocument;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.model.ModelCatalog;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.ModelRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/** {@code /v1/models}: list, read, create or replace, and delete scoring models. */
public final class ModelRoutes {

  private final EntityRef<ModelRegistry.Command> registry;
  private final ModelCatalog catalog;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final StrictJsonBody<ModelDocument> modelBody;

  public ModelRoutes(
      EntityRef<ModelRegistry.Command> registry,
      ModelCatalog catalog,
      JsonResponses responses,
      HttpSettings settings) {
    this.registry = registry;
    this.catalog = catalog;
    this.responses = responses;
    this.settings = settings;
    this.modelBody =
        new StrictJsonBody<>(
            responses.mapper(), ModelDocument.class, "invalid-model", "Invalid model", "a model");
  }

  public Route route() {
    return pathPrefix(
        "models",
        () ->
            concat(
                pathEnd(() -> get(() -> completeWithFuture(list()))),
                path(
                    PathMatchers.segment(),
                    modelId ->
                        concat(
                            get(() -> completeWithFuture(read(modelId))),
                            put(
                                () ->
                                    StrictJsonBody.completeWithBody(
                                        settings, body -> replace(modelId, body))),
                            delete(() -> completeWithFuture(remove(modelId)))))));
  }

  private CompletionStage<ModelCatalogRevision> current() {
    return registry
        .<ModelCatalogRevision>ask(ModelRegistry.GetCatalog::new, settings.askTimeout())
        .thenApply(
            revision -> {
              catalog.offer(revision);
              return revision;
            });
  }

  private CompletionStage<HttpResponse> list() {
    return current()
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

  private CompletionStage<HttpResponse> read(String modelId) {
    return current()
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

  private CompletionStage<HttpResponse> replace(String modelId, ByteString body) {
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
    ModelDocument.Result result = document.toModel(modelId);
    if (result.model() == null) {
      return CompletableFuture.completedFuture(
          responses.problem(
              Problem.of(
                      400, "invalid-model", "Invalid model", String.join("; ", result.problems()))
                  .withErrors(result.problems())));
    }
    return registry
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
              return current()
                  .thenApply(
                      revision ->
                          responses.json(
                              put.created() ? 201 : 200,
                              ModelDocument.of(
                                  put.model(), revision.rescorings().get(put.model().id()))));
            })
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private CompletionStage<HttpResponse> remove(String modelId) {
    return registry
        .<ModelRegistry.ModelDeleted>ask(
            replyTo -> new ModelRegistry.DeleteModel(modelId, replyTo), settings.askTimeout())
        .thenCompose(
            deleted ->
                deleted.found()
                    ? current().thenApply(revision -> responses.noContent())
                    : CompletableFuture.completedFuture(responses.problem(notFound(modelId))))
        .exceptionally(failure -> PulseRoutes.unavailable(responses, failure));
  }

  private static Problem notFound(String modelId) {
    return Problem.of(404, "model-not-found", "Model not found", "no model '" + modelId + "'");
  }
}
