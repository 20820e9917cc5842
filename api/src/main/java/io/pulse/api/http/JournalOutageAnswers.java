package io.pulse.api.http;

import io.pulse.engine.journal.JournalStatus;
import io.pulse.engine.journal.JournalUnavailableException;
import java.time.Duration;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** The {@code 503 journal-unavailable} a write gets at once while the journal does not answer. */
final class JournalOutageAnswers {

  private JournalOutageAnswers() {}

  /** A write refused before it reached the journal. */
  static HttpResponse refused(JsonResponses responses, JournalStatus status, Duration retryAfter) {
    return answer(
        responses,
        "the journal database is unavailable ("
            + status.reason()
            + "); nothing was stored, try again shortly",
        retryAfter);
  }

  /** Work refused or given up because the journal became unavailable. */
  static HttpResponse refused(
      JsonResponses responses, JournalUnavailableException failure, Duration retryAfter) {
    return answer(
        responses, failure.getMessage() + "; retrying with the same eventIds is safe", retryAfter);
  }

  private static HttpResponse answer(JsonResponses responses, String detail, Duration retryAfter) {
    return responses.retryLater(
        Problem.of(503, "journal-unavailable", "Journal unavailable", detail), retryAfter);
  }
}
