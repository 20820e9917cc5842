package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.EventBatchParser;
import io.pulse.api.json.EventRejection;
import io.pulse.api.json.ParsedEvents;
import io.pulse.engine.domain.access.RateDecision;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.ingest.EventIngestion;
import io.pulse.engine.ingest.IngestOverloadedException;
import io.pulse.engine.ingest.IngestResult;
import io.pulse.engine.ingest.IngestTimeoutException;
import io.pulse.engine.journal.JournalUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;

/** {@code POST /v1/events}: one event or a batch, answered once every accepted event is durable. */
public final class EventRoutes {

  /** The answer to an ingest request. */
  public record IngestAnswer(int accepted, int duplicates, List<EventRejection> rejected) {}

  private final EventIngestion ingestion;
  private final Function<String, CompletionStage<Boolean>> modelsReady;
  private final EventBatchParser parser;
  private final JsonResponses responses;
  private final HttpSettings settings;
  private final IngestObserver observer;

  private final Function<RateDecision, HttpResponse> tooManyEvents;

  /**
   * Routes that ingest into {@code ingestion} once {@code modelsReady} says the caller's tenant has
   * its models here; {@code tooManyEvents} answers a key over its event limit.
   */
  public EventRoutes(
      EventIngestion ingestion,
      Function<String, CompletionStage<Boolean>> modelsReady,
      EventBatchParser parser,
      JsonResponses responses,
      HttpSettings settings,
      IngestObserver observer,
      Function<RateDecision, HttpResponse> tooManyEvents) {
    this.tooManyEvents = tooManyEvents;
    this.ingestion = ingestion;
    this.modelsReady = modelsReady;
    this.parser = parser;
    this.responses = responses;
    this.settings = settings;
    this.observer = observer;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.tenant("POST", "/v1/events", Scope.EVENTS_WRITE, call -> ingest(call.caller()))
            .meteredByEvents());
  }

  private Route ingest(Caller caller) {
    return extractMaterializer(
        materializer ->
            extractRequestEntity(
                entity -> {
                  long started = System.nanoTime();
                  if (entity.getContentLengthOption().isPresent()
                      && entity.getContentLengthOption().getAsLong() > settings.maxBodyBytes()) {
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
                          .thenCompose(strict -> handle(caller, strict.getData()))
                          .exceptionally(this::failure)
                          .whenComplete(
                              (response, failure) ->
                                  observer.answered(
                                      response == null ? 500 : response.status().intValue(),
                                      System.nanoTime() - started));
                  return completeWithFuture(answer);
                }));
  }

  private CompletionStage<HttpResponse> handle(Caller caller, ByteString body) {
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
    RateDecision budget = caller.takeEvents(parsed.valid().size());
    if (!budget.allowed()) {
      return CompletableFuture.completedFuture(tooManyEvents.apply(budget));
    }
    return modelsReady
        .apply(caller.tenant())
        .thenCompose(
            ready ->
                ready
                    ? ingestion.ingest(caller.tenant(), parsed.valid())
                    // Scoring without the models would record wrong scores; the client retries.
                    : CompletableFuture.failedFuture(
                        Problem.of(
                                503,
                                "starting",
                                "Starting",
                                "this node has not loaded the scoring models yet")
                            .raise()))
        .thenApply(
            (IngestResult result) -> {
              List<EventRejection> rejected = parsed.rejectedWith(result.refused());
              observer.counted(result.accepted(), result.duplicates(), rejected.size());
              return responses
                  .json(202, new IngestAnswer(result.accepted(), result.duplicates(), rejected))
                  .addHeaders(RouteTable.rateLimitHeaders(budget));
            });
  }

  private HttpResponse failure(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof Problem.Raised raised) {
      return raised.problem().status() == 503
          ? responses.retryLater(raised.problem(), settings.retryAfter())
          : responses.problem(raised.problem());
    }
    if (cause instanceof IngestOverloadedException) {
      return responses.retryLater(
          Problem.of(503, "overloaded", "Overloaded", cause.getMessage()), settings.retryAfter());
    }
    if (cause instanceof JournalUnavailableException unavailable) {
      return JournalOutageAnswers.refused(responses, unavailable, settings.retryAfter());
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
    Optional<Problem> unread = StrictJsonBody.readFailure(cause, settings);
    if (unread.isPresent()) {
      return responses.problem(unread.get());
    }
    return PulseRoutes.unexpected(responses, cause);
  }

  private Problem tooLarge() {
    return StrictJsonBody.tooLarge(settings.maxBodyBytes());
  }
}
