package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.engine.journal.JournalFailures;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole HTTP surface, with every error, rejection and crash answered as a problem. */
public final class PulseRoutes {

  private static final Logger log = LoggerFactory.getLogger(PulseRoutes.class);

  static final HttpHeader NO_SNIFF = RawHeader.create("X-Content-Type-Options", "nosniff");
  static final HttpHeader NO_STORE = CacheControl.create(CacheDirectives.NO_STORE);

  private final JsonResponses responses;
  private final RouteTable table;

  public PulseRoutes(JsonResponses responses, RouteTable table) {
    this.responses = responses;
    this.table = table;
  }

  /** Every endpoint of the surface. */
  public List<Endpoint> endpoints() {
    return table.endpoints();
  }

  public Route route() {
    ExceptionHandler exceptions =
        ExceptionHandler.newBuilder().matchAny(failure -> complete(answer(failure))).build();
    RejectionHandler rejections =
        RejectionHandler.defaultHandler().mapRejectionResponse(this::asProblem);
    return withTimeoutProblem(
        responses,
        () -> handleExceptions(exceptions, () -> handleRejections(rejections, table::route)));
  }

  /**
   * Answers a request that {@code inner} has not answered within {@code
   * pekko.http.server.request-timeout} with a 503 problem and the headers of every answer.
   */
  static Route withTimeoutProblem(JsonResponses responses, Supplier<Route> inner) {
    return withRequestTimeoutResponse(
        request ->
            answerHeaders(
                responses.retryLater(
                    Problem.of(
                        503,
                        "timeout",
                        "Request timed out",
                        "the server could not answer in time; try again shortly"),
                    Duration.ofSeconds(1)),
                isUserData(request.getUri().path())),
        inner);
  }

  /**
   * The headers every answer carries: {@code X-Content-Type-Options: nosniff}, and for user data
   * (everything under {@code /v1}) {@code Cache-Control: no-store}. No {@code Server} header is
   * sent at all ({@code server-header} in http.conf).
   */
  public static Route withAnswerHeaders(Route inner) {
    return extractUri(
        uri ->
            mapResponse(response -> answerHeaders(response, isUserData(uri.path())), () -> inner));
  }

  static HttpResponse answerHeaders(HttpResponse response, boolean userData) {
    HttpResponse answer = response.removeHeader(NO_SNIFF.name()).addHeader(NO_SNIFF);
    return userData ? answer.removeHeader("Cache-Control").addHeader(NO_STORE) : answer;
  }

  private static boolean isUserData(String path) {
    return path.equals("/v1") || path.startsWith("/v1/");
  }

  /** The answer to a failure no route handled itself. */
  private HttpResponse answer(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof Problem.Raised raised) {
      return responses.problem(raised.problem());
    }
    if (cause instanceof EntityStreamSizeException) {
      return responses.problem(
          Problem.of(413, "body-too-large", "Body too large", "the request body is too large"));
    }
    if (cause instanceof IllegalRequestException illegal) {
      int status = illegal.status().intValue();
      return responses.problem(
          Problem.of(
              status,
              slug(illegal.status().reason()),
              illegal.status().reason(),
              PublicText.orElse(illegal.info().summary(), illegal.status().reason())));
    }
    return unavailable(responses, cause);
  }

  /** Rejections (no such path, wrong method, ...) keep their status but speak problem+json. */
  private HttpResponse asProblem(HttpResponse response) {
    if (response.entity().getContentType().equals(JsonResponses.PROBLEM_JSON)) {
      return response;
    }
    String reason = response.status().reason();
    String detail =
        response.entity() instanceof HttpEntity.Strict strict
            ? PublicText.orElse(strict.getData().utf8String(), reason)
            : reason;
    int status = response.status().intValue();
    return responses
        .problem(Problem.of(status, slug(reason), reason, detail))
        .addHeaders(response.getHeaders());
  }

  static String slug(String reason) {
    return reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
  }

  /**
   * A failure of a dependency (an ask timed out, the journal is slow or out of reach) is a 503, not
   * a crash.
   */
  static HttpResponse unavailable(JsonResponses responses, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return responses.retryLater(
          Problem.of(
              503,
              "unavailable",
              "Temporarily unavailable",
              "a part of the server did not answer in time; try again shortly"),
          Duration.ofSeconds(1));
    }
    if (JournalFailures.isConnectivity(cause)) {
      // The node logs the outage once; a line per request would only repeat it.
      log.debug("A request failed while the journal database is out of reach", cause);
      return responses.retryLater(
          Problem.of(
              503,
              "journal-unavailable",
              "Journal unavailable",
              "the journal database did not answer ("
                  + JournalFailures.reasonOf(cause)
                  + "); try again shortly"),
          Duration.ofSeconds(1));
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
