package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.pulse.api.json.ModelDocument;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.model.ModelCatalog;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.ModelRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
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
  private final ObjectReader strictModelReader;

  public ModelRoutes(
      EntityRef<ModelRegistry.Command> registry,
      ModelCatalog catalog,
      JsonResponses responses,
      HttpSettings settings) {
    this.registry = registry;
    this.catalog = catalog;
    this.responses = responses;
    this.settings = settings;
    this.strictModelReader =
        responses
            .mapper()
            .readerFor(ModelDocument.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
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
                                    withSizeLimit(
                                        settings.maxBodyBytes(),
                                        () ->
                                            extractStrictEntity(
                                                settings.askTimeout(),
                                                entity ->
                                                    completeWithFuture(
                                                        replace(modelId, entity.getData()))))),
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
      if (body.isEmpty()) {
        throw Problem.of(400, "empty-body", "Empty body", "the body must be a model").raise();
      }
      document = strictModelReader.readValue(body.toArray());
    } catch (Problem.Raised raised) {
      return CompletableFuture.completedFuture(responses.problem(raised.problem()));
    } catch (IOException e) {
      return CompletableFuture.completedFuture(responses.problem(jsonProblem(e)));
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

  /** Names the field at fault, e.g. "unknown field 'foo' at rules[0]". */
  static Problem jsonProblem(IOException failure) {
    if (failure instanceof UnrecognizedPropertyException unknown) {
      String at = pathOf(unknown);
      return Problem.of(
          400,
          "invalid-model",
          "Invalid model",
          "unknown field '" + unknown.getPropertyName() + "'" + (at.isEmpty() ? "" : " at " + at));
    }
    if (failure instanceof JsonMappingException mapping) {
      return Problem.of(
          400,
          "invalid-model",
          "Invalid model",
          "wrong type at '" + pathOf(mapping) + "': " + mapping.getOriginalMessage());
    }
    if (failure instanceof JsonProcessingException processing) {
      return Problem.of(400, "invalid-json", "Malformed JSON", processing.getOriginalMessage());
    }
    return Problem.of(400, "invalid-json", "Malformed JSON", failure.getMessage());
  }

  private static String pathOf(JsonMappingException failure) {
    List<JsonMappingException.Reference> path = failure.getPath();
    if (failure instanceof UnrecognizedPropertyException) {
      path = path.subList(0, Math.max(0, path.size() - 1));
    }
    return path.stream()
        .map(
            reference ->
                reference.getFieldName() != null
                    ? "." + reference.getFieldName()
                    : "[" + reference.getIndex() + "]")
        .collect(Collectors.joining())
        .replaceFirst("^\\.", "");
  }
}
