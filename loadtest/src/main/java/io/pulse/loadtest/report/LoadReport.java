package io.pulse.loadtest.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pulse.loadtest.ceiling.CeilingResult;
import java.util.Map;

/**
 * The outcome of one load run, as printed and as written to {@code --report}. {@code measured}
 * covers the measured window only; {@code total} covers the whole run including warm-up and the
 * drain of requests still in flight at the end, and is what the journal must match.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LoadReport(
    String label,
    String startedAt,
    String finishedAt,
    String url,
    String model,
    Settings settings,
    Window measured,
    Window total,
    Latency latencyMs,
    Acknowledgements acknowledgements,
    Schedule schedule,
    Generator generator,
    Map<String, String> errorSamples,
    CeilingResult ceiling,
    Double ratioToCopyCeiling,
    Double ratioToInsertCeiling,
    JournalCheck journalCheck,
    KeyRefusal keyRefusal) {

  /** The run's settings. {@code targetEventsPerSecond} is absent in the closed model. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Settings(
      long users,
      String skew,
      Double zipfExponent,
      String userPrefix,
      int eventsPerRequest,
      Double targetEventsPerSecond,
      Integer maxInFlight,
      Integer connections,
      double durationSeconds,
      double warmupSeconds,
      double duplicateRatio,
      Map<String, Integer> eventMix,
      int threads,
      double timeoutSeconds,
      int keys) {}

  /**
   * Counts over a time window. Every request ends as exactly one of: a 2xx acknowledgement ({@code
   * okRequests}), a {@code 429} of a key over its rate limit ({@code throttledRequests}: throttling
   * that the client was asked to wait out, not a failure of the server), another HTTP error ({@code
   * errorsByStatus}), or no usable response ({@code requestsWithoutResponse}: connection failure,
   * timeout, unreadable answer). {@code failedRequests} counts the last two.
   *
   * @param throttledEvents events of throttled requests, none of them stored
   * @param eventsPerSecond accepted events per second: the achieved throughput
   * @param unknownOutcomeEvents events of requests that reached the server but got a 5xx or no
   *     usable answer; the server may or may not have stored them
   */
  public record Window(
      double seconds,
      long requests,
      long events,
      long okRequests,
      long accepted,
      long duplicates,
      long duplicatesSent,
      long rejected,
      long throttledRequests,
      long throttledEvents,
      long failedRequests,
      long failedEvents,
      long requestsWithoutResponse,
      long unknownOutcomeEvents,
      Map<String, Long> errorsByStatus,
      Map<String, Long> connectionErrors,
      Map<String, Long> rejectionReasons,
      double eventsPerSecond,
      double sentEventsPerSecond,
      double requestsPerSecond) {}

  /**
   * Acknowledgement latency of 2xx answers in milliseconds (microsecond resolution); in the open
   * model measured from each request's intended start time.
   */
  public record Latency(
      long count, double p50, double p90, double p99, double p999, double max, double mean) {}

  /**
   * When acknowledgements came, from the start of the load (warm-up included), in milliseconds: a
   * stall that the averages hide shows here, such as a node whose users are all first seen.
   *
   * @param firstMs time to the first 2xx answer; null when none came
   * @param longestGapMs the longest stretch without a 2xx answer, from the start of the load to the
   *     end of sending
   * @param longestGapFromMs where that stretch began
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Acknowledgements(Double firstMs, double longestGapMs, double longestGapFromMs) {}

  /**
   * How well the open model kept to its clock.
   *
   * @param sendLagP99Ms how late requests left compared with their intended time
   * @param behindAtEndMs how far behind schedule the generator was when sending stopped
   * @param unsentRequests requests due before the end that never left
   */
  public record Schedule(
      double targetEventsPerSecond,
      double targetRequestsPerSecond,
      long intendedRequests,
      double sendLagP50Ms,
      double sendLagP99Ms,
      double sendLagMaxMs,
      double behindAtEndMs,
      long unsentRequests,
      long unsentEvents,
      boolean keptUp) {}

  /**
   * The generator's own cost over the measured window, and the machine's one-minute load average at
   * its end (other work on a shared machine changes every figure).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Generator(
      int threads,
      long connectionsOpened,
      Double cpuSeconds,
      Double cpuCoresUsed,
      Double systemLoadAverage) {}

  /**
   * Journal rows compared with acknowledged events ({@code total.accepted}).
   *
   * @param status {@code OK} when equal; {@code OK_UNACKNOWLEDGED_STORED} when the journal holds
   *     more, but no more than the events whose outcome was unknown; {@code FAIL} otherwise
   */
  public record JournalCheck(
      String table,
      String manifest,
      long journalRows,
      long baseline,
      long acknowledged,
      long unknownOutcomeEvents,
      String status) {

    public static JournalCheck of(
        String table, String manifest, long rows, long baseline, Window total) {
      long stored = rows - baseline;
      String status;
      if (stored == total.accepted()) {
        status = "OK";
      } else if (stored > total.accepted()
          && stored - total.accepted() <= total.unknownOutcomeEvents()) {
        status = "OK_UNACKNOWLEDGED_STORED";
      } else {
        status = "FAIL";
      }
      return new JournalCheck(
          table, manifest, rows, baseline, total.accepted(), total.unknownOutcomeEvents(), status);
    }

    public boolean ok() {
      return !status.equals("FAIL");
    }
  }

  /**
   * Why a run stopped before its time: the server refused a key ({@code 401}: missing, unknown or
   * revoked; {@code 403}: without the {@code events:write} scope). {@code key} names it by position
   * and last characters, null when the run sent none.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record KeyRefusal(int status, String key, String detail) {}

  /** This report with a ceiling and the achieved rate as a fraction of it. */
  public LoadReport withCeiling(CeilingResult newCeiling) {
    Double copyRatio = null;
    Double insertRatio = null;
    if (newCeiling != null && newCeiling.copy() != null) {
      copyRatio = ratio(measured.eventsPerSecond(), newCeiling.copy().rowsPerSecond());
    }
    if (newCeiling != null && newCeiling.insert() != null) {
      insertRatio = ratio(measured.eventsPerSecond(), newCeiling.insert().rowsPerSecond());
    }
    return new LoadReport(
        label,
        startedAt,
        finishedAt,
        url,
        model,
        settings,
        measured,
        total,
        latencyMs,
        acknowledgements,
        schedule,
        generator,
        errorSamples,
        newCeiling,
        copyRatio,
        insertRatio,
        journalCheck,
        keyRefusal);
  }

  public LoadReport withJournalCheck(JournalCheck check) {
    return new LoadReport(
        label,
        startedAt,
        finishedAt,
        url,
        model,
        settings,
        measured,
        total,
        latencyMs,
        acknowledgements,
        schedule,
        generator,
        errorSamples,
        ceiling,
        ratioToCopyCeiling,
        ratioToInsertCeiling,
        check,
        keyRefusal);
  }

  private static Double ratio(double achieved, double ceiling) {
    return ceiling > 0 ? Math.round(achieved / ceiling * 10_000) / 10_000.0 : null;
  }
}
