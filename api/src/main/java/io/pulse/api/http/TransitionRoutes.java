package io.pulse.api.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import io.pulse.api.json.TransitionView;
import io.pulse.engine.domain.Transition;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.domain.subscription.TransitionFilter;
import io.pulse.engine.user.JournalTags;
import io.pulse.engine.user.UserEntity;
import io.pulse.persistence.TaggedEventFeed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.persistence.query.EventEnvelope;

/** {@code GET /v1/transitions}: transitions in journal order, resumable by offset. */
public final class TransitionRoutes {

  /** A page of transitions; {@code next} is the offset to pass as {@code after} next time. */
  public record TransitionPage(List<Object> transitions, long next) {}

  /** How many journal pages one request may scan while a filter skips transitions. */
  private static final int MAX_PAGES_PER_REQUEST = 20;

  /** Journal entries read per page while filtering. */
  private static final int SCAN_PAGE_SIZE = 1000;

  /** How long one request may scan before it answers with what it found so far. */
  private static final long SCAN_NANOS = java.time.Duration.ofSeconds(2).toNanos();

  private final TaggedEventFeed feed;
  private final JsonResponses responses;
  private final HttpSettings settings;

  public TransitionRoutes(TaggedEventFeed feed, JsonResponses responses, HttpSettings settings) {
    this.feed = feed;
    this.responses = responses;
    this.settings = settings;
  }

  public List<Endpoint> endpoints() {
    return List.of(
        Endpoint.tenant(
            "GET", "/v1/transitions", Scope.TRANSITIONS_READ, call -> page(call.tenant())));
  }

  private Route page(String tenant) {
    return parameterMap(
        parameters -> {
          long after;
          int limit;
          try {
            after = longParameter(parameters, "after", 0, 0, Long.MAX_VALUE);
            limit =
                (int) longParameter(parameters, "limit", 100, 1, settings.maxTransitionsPerPage());
          } catch (Problem.Raised raised) {
            return complete(responses.problem(raised.problem()));
          }
          Predicate<Transition> filter = filterOf(parameters);
          return completeWithFuture(
              collect(
                      JournalTags.transitionsOf(tenant),
                      UserEntity.persistenceIdPrefix(tenant),
                      after,
                      limit,
                      filter,
                      new ArrayList<>(),
                      0,
                      System.nanoTime() + SCAN_NANOS)
                  .thenApply(page -> responses.json(200, page))
                  .exceptionally(failure -> PulseRoutes.unavailable(responses, failure)));
        });
  }

  /** Filters by model, band (entered), audience, cause and user; each is optional. */
  public static Predicate<Transition> filterOf(Map<String, String> parameters) {
    return new TransitionFilter(
            parameters.get("model"),
            parameters.get("band"),
            parameters.get("cause"),
            parameters.get("user"),
            parameters.get("audience"))
        ::matches;
  }

  /**
   * Reads journal pages until {@code limit} transitions pass the filter, the journal is read to its
   * end, or the scan has taken its time budget; {@code next} is the last offset examined, so a
   * client continues exactly where the scan stopped.
   */
  private CompletionStage<TransitionPage> collect(
      String tag,
      String ownUsers,
      long after,
      int limit,
      Predicate<Transition> filter,
      List<Object> collected,
      int pagesScanned,
      long deadline) {
    int pageSize = Math.max(limit, SCAN_PAGE_SIZE);
    return feed.page(tag, after, pageSize)
        .thenCompose(
            envelopes -> {
              long next = after;
              for (EventEnvelope envelope : envelopes) {
                next = TaggedEventFeed.offsetOf(envelope);
                if (envelope.event() instanceof Transition transition
                    && envelope.persistenceId().startsWith(ownUsers)
                    && filter.test(transition)) {
                  collected.add(TransitionView.ofAny(transition, next));
                  if (collected.size() >= limit) {
                    return CompletableFuture.completedFuture(new TransitionPage(collected, next));
                  }
                }
              }
              boolean exhausted = envelopes.size() < pageSize;
              if (exhausted
                  || pagesScanned + 1 >= MAX_PAGES_PER_REQUEST
                  || System.nanoTime() > deadline) {
                return CompletableFuture.completedFuture(new TransitionPage(collected, next));
              }
              return collect(
                  tag, ownUsers, next, limit, filter, collected, pagesScanned + 1, deadline);
            });
  }

  static long longParameter(
      Map<String, String> parameters, String name, long fallback, long min, long max) {
    String text = parameters.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text);
      if (value < min || value > max) {
        throw invalid(name, "between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(name, "a whole number");
    }
  }

  private static Problem.Raised invalid(String name, String expected) {
    return Problem.of(
            400, "invalid-parameter", "Invalid parameter", "'" + name + "' must be " + expected)
        .raise();
  }
}
