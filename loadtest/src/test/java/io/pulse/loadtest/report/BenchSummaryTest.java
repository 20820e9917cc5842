package io.pulse.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.loadtest.ceiling.CeilingResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchSummaryTest {

  @Test
  void repeatedRunsCollapseToMediansWithARange() {
    CeilingResult ceiling =
        new CeilingResult(
            "2026-11-22T10:00:00Z",
            1_000_000,
            100_000,
            156,
            new CeilingResult.MethodResult(
                "copy-binary", 1_000_000, 4, 250_000, 1, null, 1_000_000, 0.5),
            new CeilingResult.MethodResult(
                "batched-insert", 1_000_000, 20, 50_000, 4, 1000, 1_000_000, null),
            "PostgreSQL 15",
            Map.of("synchronous_commit", "on"));
    List<LoadReport> reports =
        List.of(
            report(10_000, 50, 20_000, 4.0, "OK"),
            report(10_000, 50, 26_000, 9.0, "OK"),
            report(10_000, 50, 25_000, 5.0, "FAIL"),
            report(1_000_000, 500, 40_000, 30.0, "OK_UNACKNOWLEDGED_STORED", 7));
    String markdown = BenchSummary.markdown(reports, ceiling);

    assertTrue(markdown.contains("**250,000 rows/s**"), markdown);
    assertTrue(markdown.contains("**50,000 rows/s**"), markdown);
    assertTrue(
        markdown.contains(
            "| 10,000 | uniform | 50 | closed, 32 conn | 3 | 25,000 (20,000–26,000) | 1.00 |"
                + " 5.00 |"),
        markdown);
    assertTrue(markdown.contains("| 0.100 | 0.500 | FAIL (1/3) |"), markdown);
    // the first acknowledgement is a median, the longest gap the worst run's
    assertTrue(markdown.contains("| 0 | 0 | 0.50 | 4.50 | 0.100 | 0.500 | FAIL (1/3) |"), markdown);
    assertTrue(markdown.contains("| 1,000,000 | uniform | 500 | closed, 32 conn | 1 | 40,000 |"));
    assertTrue(markdown.contains("| 0 | 7 | 3.00 | 15.00 | 0.160 | 0.800 | OK |"), markdown);
    assertTrue(
        markdown.contains(
            "| failed requests | throttled requests | first 202 s"
                + " | longest gap without a 202, s (worst run) |"),
        markdown);
  }

  @Test
  void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
    List<LoadReport> runs =
        List.of(
            report(1, 1, 10, 1, "OK"),
            report(1, 1, 30, 1, "OK"),
            report(1, 1, 20, 1, "OK"),
            report(1, 1, 100, 1, "OK"));
    assertEquals(25, BenchSummary.median(runs, r -> r.measured().eventsPerSecond()));
  }

  @Test
  void journalCheckAllowsOnlyUnknownOutcomesAsSurplus() {
    LoadReport.Window total = window(1000, 50);
    assertEquals("OK", LoadReport.JournalCheck.of("t", "m", 1010, 10, total).status());
    assertEquals(
        "OK_UNACKNOWLEDGED_STORED", LoadReport.JournalCheck.of("t", "m", 1050, 0, total).status());
    assertEquals("FAIL", LoadReport.JournalCheck.of("t", "m", 1051, 0, total).status());
    assertEquals("FAIL", LoadReport.JournalCheck.of("t", "m", 999, 0, total).status());
  }

  private static LoadReport report(
      long users, int batch, double eventsPerSecond, double p99, String journalStatus) {
    return report(users, batch, eventsPerSecond, p99, journalStatus, 0);
  }

  private static LoadReport report(
      long users,
      int batch,
      double eventsPerSecond,
      double p99,
      String journalStatus,
      long throttled) {
    LoadReport.Settings settings =
        new LoadReport.Settings(
            users, "uniform", null, "u-", batch, null, null, 32, 30, 5, 0, Map.of(), 1, 30, 1);
    LoadReport.Window measured =
        new LoadReport.Window(
            30,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            throttled,
            throttled * batch,
            0,
            0,
            0,
            0,
            Map.of(),
            Map.of(),
            Map.of(),
            eventsPerSecond,
            0,
            0);
    LoadReport.Latency latency = new LoadReport.Latency(100, 1, 2, p99, p99 + 1, p99 + 2, 1.5);
    LoadReport.JournalCheck check =
        new LoadReport.JournalCheck("event_journal", "event-recorded", 0, 0, 0, 0, journalStatus);
    // Each run's first acknowledgement and longest gap follow from its p99, so that runs differ.
    LoadReport.Acknowledgements acknowledgements =
        new LoadReport.Acknowledgements(p99 * 100, p99 * 500, 0);
    return new LoadReport(
        "",
        "",
        "",
        "",
        "closed",
        settings,
        measured,
        measured,
        latency,
        acknowledgements,
        null,
        null,
        null,
        null,
        null,
        null,
        check,
        null);
  }

  private static LoadReport.Window window(long accepted, long unknownOutcome) {
    return new LoadReport.Window(
        30,
        0,
        0,
        0,
        accepted,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        unknownOutcome,
        Map.of(),
        Map.of(),
        Map.of(),
        0,
        0,
        0);
  }
}
