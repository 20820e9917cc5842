package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.extractMaterializer;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;

import io.pulse.engine.access.AccessCatalog;
import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.RateDecision;
import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.journal.JournalStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The whole HTTP surface as a table of {@link Endpoint}s, and the one place where a request is
 * matched to its endpoint, authenticated, checked against the endpoint's scope and the key's rate
 * limit, and handed to the endpoint with the caller's tenant. A route that is not in the table does
 * not exist; one that is cannot skip these checks.
 *
 * <p>Order of the answers: an unknown path is a {@code 404} and a known path with another method a
 * {@code 405}; then a missing, unknown or revoked key is a {@code 401}; an operator route asked by
 * another tenant's key is a {@code 404}, as if it did not exist; a key without the scope is a
 * {@code 403}; a write (any method but {@code GET}) while this node finds its journal database
 * unavailable is a {@code 503} at once; a key over its request limit is a {@code 429}.
 */
public final class RouteTable {

  private final List<Endpoint> endpoints;
  private final AccessCatalog access;
  private final KeyBudgets budgets;
  private final JsonResponses responses;
  private final Duration retryAfter;
  private final JournalAvailability journal;

  public RouteTable(
      List<Endpoint> endpoints,
      AccessCatalog access,
      KeyBudgets budgets,
      JsonResponses responses,
      Duration retryAfter,
      JournalAvailability journal) {
    this.endpoints = List.copyOf(endpoints);
    this.access = access;
    this.budgets = budgets;
    this.responses = responses;
    this.retryAfter = retryAfter;
    this.journal = journal;
    checkNoDuplicates(this.endpoints);
  }

  /** Every endpoint, in the order they were declared. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  public Route route() {
    return extractRequest(this::serve);
  }

  private Route serve(HttpRequest request) {
    Optional<List<String>> decoded = PathSegments.decode(request.getUri().path());
    if (decoded.isEmpty()) {
      return complete(
          responses.problem(
              Problem.of(
                  400,
                  "invalid-path",
                  "Invalid path",
                  "the path is not valid percent-encoded UTF-8")));
    }
    List<Matched> matches = match(decoded.get());
    if (matches.isEmpty()) {
      return complete(responses.problem(notFound(request)));
    }
    String method = request.method().value();
    Optional<Matched> matched =
        matches.stream()
            .filter(candidate -> candidate.endpoint().method().equals(method))
            .findFirst();
    if (matched.isEmpty()) {
      Set<String> allowed = new LinkedHashSet<>();
      matches.forEach(candidate -> allowed.add(candidate.endpoint().method()));
      return complete(
          responses
              .problem(
                  Problem.of(
                      405,
                      "method-not-allowed",
                      "Method not allowed",
                      method + " is not allowed here; allowed: " + String.join(", ", allowed)))
              .addHeader(RawHeader.create("Allow", String.join(", ", allowed))));
    }
    return call(matched.get(), request);
  }

  private Route call(Matched matched, HttpRequest request) {
    Endpoint endpoint = matched.endpoint();
    if (endpoint.access() == Endpoint.Access.OPEN) {
      return endpoint.handler().handle(new Endpoint.Call(null, matched.parameters()));
    }
    if (!access.isLoaded()) {
      // A valid key must not be told it is unknown while this node is still reading the keys.
      return complete(
          responses.retryLater(
              Problem.of(503, "starting", "Starting", "this node has not loaded the API keys yet"),
              retryAfter));
    }
    Optional<ApiKey> key = BearerToken.of(request).flatMap(access::authenticate);
    if (key.isEmpty()) {
      return complete(unauthenticated(BearerToken.of(request).isPresent()));
    }
    if (endpoint.access() == Endpoint.Access.OPERATOR && !key.get().tenant().isDefault()) {
      return complete(responses.problem(notFound(request)));
    }
    if (!key.get().allows(endpoint.scope())) {
      return complete(
          responses.problem(
              Problem.of(
                  403,
                  "forbidden",
                  "Forbidden",
                  "this key lacks the scope '" + endpoint.scope().wireName() + "'")));
    }
    JournalStatus status = journal.status();
    if (!status.available()
        && !endpoint.method().equals("GET")
        && endpoint.metering() != Endpoint.Metering.EVENTS) {
      // Every write of the API ends in the journal: waiting for it would only end in a timeout.
      // Events are refused by ingestion itself, which also counts them in the ingest metrics.
      journal.refused();
      return refused(request, status);
    }
    KeyBudgets.Budget budget = budgets.of(key.get());
    RateDecision requests = budget.takeRequest();
    if (!requests.allowed()) {
      return complete(tooManyRequests(responses, requests, "requests"));
    }
    Route handled =
        endpoint
            .handler()
            .handle(new Endpoint.Call(new Caller(key.get(), budget), matched.parameters()));
    if (endpoint.metering() == Endpoint.Metering.EVENTS) {
      return handled;
    }
    return respondWithHeaders(rateLimitHeaders(requests), () -> handled);
  }

  /** Refuses a write, after reading its body: a connection closed mid-upload loses the answer. */
  private Route refused(HttpRequest request, JournalStatus status) {
    return extractMaterializer(
        materializer ->
            completeWithFuture(
                request
                    .entity()
                    .discardBytes(materializer)
                    .completionStage()
                    .thenApply(
                        done -> JournalOutageAnswers.refused(responses, status, retryAfter))));
  }

  /** The {@code RateLimit-*} headers that describe a key's budget after a decision. */
  public static List<HttpHeader> rateLimitHeaders(RateDecision decision) {
    return List.of(
        RawHeader.create("RateLimit-Limit", Long.toString(decision.limit())),
        RawHeader.create("RateLimit-Remaining", Long.toString(decision.remaining())),
        RawHeader.create("RateLimit-Reset", Long.toString(decision.resetSeconds())));
  }

  /** The {@code 429} of a key over one of its limits ({@code what}: requests or events). */
  public static HttpResponse tooManyRequests(
      JsonResponses responses, RateDecision decision, String what) {
    return responses
        .retryLater(
            Problem.of(
                429,
                "rate-limited",
                "Too many requests",
                "this key may send "
                    + decision.limit()
                    + " "
                    + what
                    + " a second to this node; try again in "
                    + decision.retryAfterSeconds()
                    + " s"),
            Duration.ofSeconds(decision.retryAfterSeconds()))
        .addHeaders(rateLimitHeaders(decision));
  }

  private HttpResponse unauthenticated(boolean tokenSent) {
    // RFC 6750: a challenge, with invalid_token when a token was sent but is not accepted.
    String challenge =
        tokenSent ? "Bearer realm=\"pulse\", error=\"invalid_token\"" : "Bearer realm=\"pulse\"";
    return responses
        .problem(
            Problem.of(
                401,
                "unauthenticated",
                "Unauthenticated",
                tokenSent
                    ? "the API key is unknown or revoked"
                    : "an API key is required: send 'Authorization: Bearer <key>'"))
        .addHeader(RawHeader.create("WWW-Authenticate", challenge));
  }

  private static Problem notFound(HttpRequest request) {
    return Problem.of(
        404,
        "not-found",
        "Not found",
        "no resource at " + request.method().value() + " " + request.getUri().path());
  }

  /** An endpoint whose template matched the path, and the path's parameters. */
  private record Matched(Endpoint endpoint, List<String> parameters) {}

  /**
   * The endpoints whose template matches {@code segments}, the most specific (most literal
   * segments) first, so that {@code /v1/transitions/stream} wins over a parameter in its place.
   */
  private List<Matched> match(List<String> segments) {
    List<Matched> matches = new ArrayList<>(2);
    int bestLiterals = -1;
    for (Endpoint endpoint : endpoints) {
      List<String> template = endpoint.segments();
      if (template.size() != segments.size()) {
        continue;
      }
      List<String> parameters = new ArrayList<>(1);
      int literals = 0;
      boolean matches_ = true;
      for (int i = 0; i < template.size() && matches_; i++) {
        String expected = template.get(i);
        String actual = segments.get(i);
        if (Endpoint.isParameter(expected)) {
          if (actual.isEmpty()) {
            matches_ = false;
          } else {
            parameters.add(actual);
          }
        } else if (expected.equals(actual)) {
          literals++;
        } else {
          matches_ = false;
        }
      }
      if (!matches_) {
        continue;
      }
      if (literals > bestLiterals) {
        matches.clear();
        bestLiterals = literals;
      }
      if (literals == bestLiterals) {
        matches.add(new Matched(endpoint, List.copyOf(parameters)));
      }
    }
    return matches;
  }

  private static void checkNoDuplicates(List<Endpoint> endpoints) {
    List<String> seen = new ArrayList<>();
    endpoints.stream()
        .sorted(Comparator.comparing(Endpoint::toString))
        .forEach(
            endpoint -> {
              String key =
                  endpoint.method() + " " + endpoint.template().replaceAll("\\{[^}]*}", "{}");
              if (seen.contains(key)) {
                throw new IllegalArgumentException("two endpoints for " + endpoint);
              }
              seen.add(key);
            });
  }
}
