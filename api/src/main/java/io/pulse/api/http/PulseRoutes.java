package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole HTTP surface, with every error, rejection and crash answered as a problem. */
public final class PulseRoutes {

  private static final Logger log = LoggerFactory.getLogger(PulseRoutes.class);

  private final JsonResponses responses;
  private final Route routes;

  public PulseRoutes(
      JsonResponses responses,
      EventRoutes events,
      UserRoutes users,
      ModelRoutes models,
      TransitionRoutes transitions,
      CampaignRoutes campaigns,
      VoucherRoutes vouchers,
      StatsRoutes stats,
      TransitionStreamRoutes transitionStream,
      SubscriptionRoutes subscriptions,
      HealthRoutes health) {
    this.responses = responses;
    this.routes =
        concat(
            pathPrefix(
                "v1",
                () ->
                    concat(
                        events.route(),
                        users.route(),
                        models.route(),
                        transitions.route(),
                        campaigns.route(),
                        vouchers.route(),
                        stats.route(),
                        transitionStream.route(),
                        subscriptions.route())),
            health.route());
  }

  public Route route() {
    ExceptionHandler exceptions =
        ExceptionHandler.newBuilder()
            .match(Problem.Raised.class, raised -> complete(responses.problem(raised.problem())))
            .matchAny(failure -> complete(unexpected(responses, failure)))
            .build();
    RejectionHandler rejections =
        RejectionHandler.defaultHandler().mapRejectionResponse(this::asProblem);
    return withRequestTimeoutResponse(
        request ->
            responses.retryLater(
                Problem.of(
                    503,
                    "timeout",
                    "Request timed out",
                    "the server could not answer in time; try again shortly"),
                java.time.Duration.ofSeconds(1)),
        () -> handleExceptions(exceptions, () -> handleRejections(rejections, () -> routes)));
  }

  /** Rejections (no such path, wrong method, ...) keep their status but speak problem+json. */
  private HttpResponse asProblem(HttpResponse response) {
    if (response.entity().getContentType().equals(JsonResponses.PROBLEM_JSON)) {
      return response;
    }
    String detail =
        response.entity() instanceof HttpEntity.Strict strict
            ? strict.getData().utf8String()
            : response.status().reason();
    int status = response.status().intValue();
    return responses
        .problem(
            Problem.of(
                status,
                response.status().reason().toLowerCase().replace(' ', '-'),
                response.status().reason(),
                detail))
        .addHeaders(response.getHeaders());
  }

  /** A failure of a dependency (an ask timed out, the journal is slow) is a 503, not a crash. */
  static HttpResponse unavailable(JsonResponses responses, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return responses.problem(
          Problem.of(
              503,
              "unavailable",
              "Temporarily unavailable",
              "the request timed out: " + cause.getMessage()));
    }
    return unexpected(responses, cause);
  }

  static HttpResponse unexpected(JsonResponses responses, Throwable failure) {
    log.error("Unexpected failure while serving a request", failure);
    return responses.problem(
        Problem.of(
            500,
            "internal-error",
            "Internal error",
            "an unexpected error occurred; it was logged"));
  }
}
