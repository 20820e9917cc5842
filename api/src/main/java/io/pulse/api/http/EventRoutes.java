package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.EventBatchParser;
import io.pulse.api.json.EventRejection;
import io.pulse.api.json.ParsedEvents;
import io.pulse.engine.ingest.EventIngestion;
import io.pulse.engine.ingest.IngestOverloadedException;
import io.pulse.engine.ingest.IngestResult;
import io.pulse.engine.ingest.IngestTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/** {@code POST /v1/events}: one event or a batch, answered once every accepted event is durable. */
public final class EventRoutes {

  /** The answer to an ingest request. */
  public record IngestAnswer(int accepted, int duplicates, List<EventRejection> rejected) {}

  private final EventIngestion ingestion;
  private final BooleanSupplier modelsLoaded;
  private final EventBatchParser parser;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final IngestObserver observer;

  public EventRoutes(
      EventIngestion ingestion,
      BooleanSupplier modelsLoaded,
      EventBatchParser parser,
      JsonResponses responses,
      HttpSettings settings) {
    this(ingestion, modelsLoaded, parser, responses, settings, IngestObserver.NONE);
  }

  public EventRoutes(
      EventIngestion ingestion,
      BooleanSupplier modelsLoaded,
      EventBatchParser parser,
      JsonResponses responses,
      HttpSettings settings,
      IngestObserver observer) {
    this.ingestion = ingestion;
    this.modelsLoaded = modelsLoaded;
    this.parser = parser;
    this.responses = responses;
    this.settings = settings;
    this.observer = observer;
  }

  public Route route() {
    return path(
        "events",
        () ->
            post(
                () ->
                    extractMaterializer(
                        materializer ->
                            extractRequestEntity(
                                entity -> {
                                  long started = System.nanoTime();
                                  if (entity.getContentLengthOption().isPresent()
                                      && entity.getContentLengthOption().getAsLong()
                                          > settings.maxBodyBytes()) {
                                    // Read the body to its end before answering: a
                                    // connection closed mid-upload loses the answer.
                                    return completeWithFuture(
                                        entity
                                            .discardBytes(materializer)
                                            .completionStage()
                                            .thenApply(done -> responses.problem(tooLarge())));
                                  }
                                  CompletionStage<HttpResponse> answer =
                                      entity
                                          .withSizeLimit(settings.maxBodyBytes())
                                          .toStrict(settings.askTimeout().toMillis(), materializer)
                                          .thenCompose(strict -> handle(strict.getData()))
                                          .exceptionally(this::failure)
                                          .whenComplete(
                                              (response, failure) ->
                                                  observer.answered(
                                                      response == null
                                                          ? 500
                                                          : response.status().intValue(),
                                                      System.nanoTime() - started));
                                  return completeWithFuture(answer);
                                }))));
  }

  private CompletionStage<HttpResponse> handle(ByteString body) {
    ParsedEvents parsed = parser.parse(body.toArray());
    if (parsed.valid().isEmpty()) {
      Problem problem =
          Problem.of(
                  400,
                  "invalid-events",
                  "No valid event",
                  parsed.array()
                      ? "every event of the batch is invalid"
                      : parsed.rejected().get(0).error())
              .withErrors(
                  parsed.rejected().stream()
                      .map(rejection -> "[" + rejection.index() + "] " + rejection.error())
                      .toList());
      observer.counted(0, 0, parsed.rejected().size());
      return CompletableFuture.completedFuture(responses.problem(problem));
    }
    if (!modelsLoaded.getAsBoolean()) {
      // Scoring without the models would record wrong scores; the client retries shortly.
      return CompletableFuture.completedFuture(
          responses.retryLater(
              Problem.of(
                  503, "starting", "Starting", "this node has not loaded the scoring models yet"),
              settings.retryAfter()));
    }
    return ingestion
        .ingest(parsed.valid())
        .thenApply(
            (IngestResult result) -> {
              observer.counted(result.accepted(), result.duplicates(), parsed.rejected().size());
              return responses.json(
                  202, new IngestAnswer(result.accepted(), result.duplicates(), parsed.rejected()));
            });
  }

  private HttpResponse failure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof Problem.Raised raised) {
      return responses.problem(raised.problem());
    }
    if (cause instanceof IngestOverloadedException) {
      return responses.retryLater(
          Problem.of(503, "overloaded", "Overloaded", cause.getMessage()), settings.retryAfter());
    }
    if (cause instanceof IngestTimeoutException) {
      return responses.retryLater(
          Problem.of(
              503,
              "not-confirmed",
              "Not confirmed in time",
              cause.getMessage() + "; retrying with the same eventIds is safe"),
          settings.retryAfter());
    }
    if (cause instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) {
      return responses.problem(tooLarge());
    }
    return PulseRoutes.unexpected(responses, cause);
  }

  private Problem tooLarge() {
    return Problem.of(
        413,
        "body-too-large",
        "Body too large",
        "a request body may have at most " + settings.maxBodyBytes() + " bytes");
  }
}
