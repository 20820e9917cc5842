package io.pulse.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.loadtest.cli.LoadCommand;
import io.pulse.loadtest.report.BenchSummary;
import io.pulse.loadtest.report.LoadReport;
import io.pulse.loadtest.report.Reports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generator for about two seconds per model against an in-process stub of Pulse. */
class LoadRunnerSmokeTest {

  @TempDir Path temp;

  @Test
  void openModelKeepsToTheClockAndAccountsForEveryRequest() throws Exception {
    try (StubPulseServer stub = new StubPulseServer(10, false)) {
      LoadSettings settings =
          LoadSettings.builder()
              .url(stub.url())
              .users(1000)
              .eventsPerRequest(20)
              .rate(4000)
              .maxInFlight(8)
              .warmupSeconds(0.5)
              .durationSeconds(1.5)
              .progressSeconds(0.5)
              .seed(42)
              .label("smoke-open")
              .build();
      ByteArrayOutputStream progress = new ByteArrayOutputStream();
      LoadReport report = new LoadRunner(settings, new PrintStream(progress, true)).run();

      assertEquals("open", report.model());
      assertConsistent(report.total(), 20);
      assertRoughlyConsistent(report.measured(), 20, 8);
      assertEquals(
          stub.requests.get(), report.total().requests(), "every request reached the stub");
      assertEquals(0, stub.requestsWithBatchSizeOtherThan(20));
      assertEquals(0, stub.malformedEvents.get());
      assertEquals(stub.accepted.get(), report.total().accepted());
      assertEquals(stub.overloaded.get(), report.total().errorsByStatus().get("503"));
      assertTrue(report.total().errorsByStatus().get("503") > 0, "503s are counted by status");
      assertEquals("stub overload", report.errorSamples().get("503"));

      LoadReport.Schedule schedule = report.schedule();
      assertNotNull(schedule);
      assertEquals(300, schedule.intendedRequests(), "4000 ev/s in batches of 20 for 1.5 s");
      // The clock drives the schedule: every request due in the 2 s run was either sent or is
      // reported unsent (a starved machine can fall behind, never run ahead).
      assertEquals(400, report.total().requests() + schedule.unsentRequests(), 1.0);
      long due = report.measured().requests() + schedule.unsentRequests();
      assertTrue(due >= 270 && due <= 400, "due in the measured window: " + due);
      assertTrue(schedule.sendLagMaxMs() >= 0 && schedule.behindAtEndMs() >= 0);
      assertMonotoneLatency(report.latencyMs());

      String lines = progress.toString(StandardCharsets.UTF_8);
      assertTrue(lines.contains("accepted") && lines.contains("behind"), lines);
    }
  }

  @Test
  void closedModelThroughTheCommandLineWritesAParsableReport() throws Exception {
    try (StubPulseServer stub = new StubPulseServer(7, true)) {
      Path reportFile = temp.resolve("closed.json");
      int exit =
          LoadCommand.commandLine()
              .execute(
                  "--url=" + stub.url(),
                  "--users=500",
                  "--skew=zipf",
                  "--zipf-exponent=1.1",
                  "--events-per-request=25",
                  "--connections=3",
                  "--warmup=0.5",
                  "--duration=1.5",
                  "--duplicate-ratio=0.2",
                  "--retry-after-cap=0.05",
                  "--progress=0",
                  "--label=smoke-closed",
                  "--report=" + reportFile);
      assertEquals(0, exit);

      JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(reportFile));
      assertEquals("closed", json.get("model").asText());
      assertEquals("smoke-closed", json.get("label").asText());
      assertTrue(json.at("/measured/eventsPerSecond").asDouble() > 0);
      assertTrue(json.at("/total/accepted").asLong() > 0);
      assertTrue(json.at("/latencyMs/p999").isNumber());
      assertTrue(json.path("schedule").isMissingNode(), "closed model has no schedule");

      LoadReport report = Reports.readLoadReport(reportFile);
      assertConsistent(report.total(), 25);
      assertRoughlyConsistent(report.measured(), 25, 3);
      assertEquals(stub.requests.get(), report.total().requests());
      assertEquals(0, stub.requestsWithBatchSizeOtherThan(25));
      assertEquals(stub.accepted.get(), report.total().accepted());
      assertEquals(stub.duplicates.get(), report.total().duplicates());
      assertEquals(stub.rejected.get(), report.total().rejected());
      assertEquals(stub.overloaded.get(), report.total().errorsByStatus().get("503"));
      assertTrue(report.total().duplicates() > 0, "duplicates were re-sent and recognised");
      assertTrue(report.total().duplicates() <= report.total().duplicatesSent());
      assertTrue(report.total().rejectionReasons().containsKey(StubPulseServer.REJECTION));
      assertNull(report.schedule());
      assertMonotoneLatency(report.latencyMs());

      String markdown = BenchSummary.markdown(List.of(report, report), null);
      assertTrue(markdown.contains("| 500 | zipf 1.1 | 25 | closed, 3 conn | 2 |"), markdown);
    }
  }

  @Test
  void unreachableServerIsReportedAsConnectionErrors() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    LoadSettings settings =
        LoadSettings.builder()
            .url("http://127.0.0.1:" + closedPort)
            .eventsPerRequest(10)
            .rate(1000)
            .maxInFlight(4)
            .warmupSeconds(0)
            .durationSeconds(0.5)
            .progressSeconds(0)
            .build();
    LoadReport report =
        new LoadRunner(settings, new PrintStream(new ByteArrayOutputStream())).run();

    assertEquals(0, report.total().okRequests());
    assertTrue(report.total().connectionErrors().getOrDefault("connect-refused", 0L) > 0);
    assertConsistent(report.total(), 10);
    assertEquals(0, report.total().unknownOutcomeEvents(), "nothing was written to any socket");
    assertFalse(report.schedule().keptUp(), "refused connections back off, so the schedule slips");
  }

  private static void assertConsistent(LoadReport.Window window, int eventsPerRequest) {
    long httpErrors = window.errorsByStatus().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(
        window.requests(),
        window.okRequests() + httpErrors + window.requestsWithoutResponse(),
        "every request ends acknowledged, as an HTTP error, or without a response: " + window);
    assertEquals(window.requests() * eventsPerRequest, window.events());
    assertEquals(
        window.events(),
        window.accepted() + window.duplicates() + window.rejected() + window.failedEvents(),
        "every event is accepted, a duplicate, rejected, or in a failed request: " + window);
    assertEquals(httpErrors + window.requestsWithoutResponse(), window.failedRequests());
  }

  /**
   * A window counts requests when they start and outcomes when they end, so the requests in flight
   * at its two edges may be counted on one side only.
   */
  private static void assertRoughlyConsistent(
      LoadReport.Window window, int eventsPerRequest, int maxInFlight) {
    long httpErrors = window.errorsByStatus().values().stream().mapToLong(Long::longValue).sum();
    long ended = window.okRequests() + httpErrors + window.requestsWithoutResponse();
    assertTrue(Math.abs(window.requests() - ended) <= 2L * maxInFlight, window.toString());
    assertEquals(window.requests() * eventsPerRequest, window.events());
  }

  private static void assertMonotoneLatency(LoadReport.Latency latency) {
    assertTrue(latency.count() > 0);
    assertTrue(latency.p50() > 0, "p50 " + latency.p50());
    assertTrue(latency.p50() <= latency.p90());
    assertTrue(latency.p90() <= latency.p99());
    assertTrue(latency.p99() <= latency.p999());
    assertTrue(latency.p999() <= latency.max());
  }
}
