package io.pulse.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.loadtest.cli.LoadCommand;
import io.pulse.loadtest.http.ApiKeys;
import io.pulse.loadtest.report.BenchSummary;
import io.pulse.loadtest.report.LoadReport;
import io.pulse.loadtest.report.ReportPrinter;
import io.pulse.loadtest.report.Reports;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the generator for about two seconds per model against an in-process stub of Pulse. */
class LoadRunnerSmokeTest {
  private static final String KEY = "pulse_smoke_key_0123456789abcdef";
  private static final List<String> TENANT_KEYS =
      List.of(
          "pulse_tenant_one_00000000000000000001",
          "pulse_tenant_two_00000000000000000002",
          "pulse_tenant_three_000000000000000003");

  @TempDir Path temp;

  @Test
  void openModelKeepsToTheClockAndAccountsForEveryRequest() throws Exception {
    try (StubPulseServer stub = new StubPulseServer(Set.of(KEY), 10, false).throttling(7, 1)) {
      LoadSettings settings =
          LoadSettings.builder()
              .url(stub.url())
              .keys(ApiKeys.of(List.of(KEY)))
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
      assertEquals(0, stub.unauthenticated.get(), "every request carried the key");
      assertEquals(report.total().requests(), stub.requestsByKey.get(KEY).sum());
      assertThrottlingCountedApart(report, stub, 20);

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
  void aStallAtTheStartShowsAsTheTimeToTheFirstAcknowledgementAndTheLongestGap() throws Exception {
    try (StubPulseServer stub =
        new StubPulseServer(Set.of(KEY), 0, false).holdingFirstAnswers(800)) {
      LoadReport report = quietClosedRun(stub, 1.5);

      LoadReport.Acknowledgements acknowledgements = report.acknowledgements();
      assertNotNull(acknowledgements);
      assertNotNull(acknowledgements.firstMs());
      assertTrue(
          acknowledgements.firstMs() >= 790, "first 2xx after the stall: " + acknowledgements);
      assertTrue(
          acknowledgements.longestGapMs() >= 790 && acknowledgements.longestGapFromMs() < 100,
          "the stall is the longest gap, from the start: " + acknowledgements);
      assertTrue(report.total().okRequests() > 10, "answers came after the stall");
    }
    try (StubPulseServer stub = new StubPulseServer(Set.of(KEY), 0, false)) {
      LoadReport report = quietClosedRun(stub, 1);
      assertTrue(
          report.acknowledgements().firstMs() < 500
              && report.acknowledgements().longestGapMs() < 500,
          "without a stall, answers come at once and often: " + report.acknowledgements());
    }
  }

  /** Two connections, 20 events a request, 0.2 s of warm-up, and no progress lines. */
  private static LoadReport quietClosedRun(StubPulseServer stub, double seconds) throws Exception {
    LoadSettings settings =
        LoadSettings.builder()
            .url(stub.url())
            .keys(ApiKeys.of(List.of(KEY)))
            .users(1000)
            .eventsPerRequest(20)
            .connections(2)
            .warmupSeconds(0.2)
            .durationSeconds(seconds)
            .progressSeconds(0)
            .seed(7)
            .build();
    return new LoadRunner(settings, new PrintStream(OutputStream.nullOutputStream())).run();
  }

  @Test
  void closedModelThroughTheCommandLineWritesAParsableReport() throws Exception {
    try (StubPulseServer stub = new StubPulseServer(Set.copyOf(TENANT_KEYS), 7, true)) {
      Path reportFile = temp.resolve("closed.json");
      int exit =
          LoadCommand.commandLine()
              .execute(
                  "--url=" + stub.url(),
                  "--keys=" + String.join(",", TENANT_KEYS),
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
      assertEquals(3, json.at("/settings/keys").asInt());
      String text = Files.readString(reportFile);
      TENANT_KEYS.forEach(key -> assertFalse(text.contains(key), "the report holds no secret"));

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
      assertEquals(0, stub.unauthenticated.get(), "every request carried one of the keys");
      assertEvenlySpread(stub, report.total().requests());
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

  @Test
  void withoutAKeyTheRunStopsAtTheFirst401() throws Exception {
    try (StubPulseServer stub = new StubPulseServer(Set.of(KEY), 0, false)) {
      LoadSettings settings =
          LoadSettings.builder()
              .url(stub.url())
              .eventsPerRequest(10)
              .connections(4)
              .warmupSeconds(1)
              .durationSeconds(30)
              .progressSeconds(0)
              .build();
      long started = System.nanoTime();
      LoadReport report =
          new LoadRunner(settings, new PrintStream(new ByteArrayOutputStream())).run();
      double seconds = (System.nanoTime() - started) / 1e9;

      assertTrue(seconds < 5, "stopped at the first 401, not after 31 s: " + seconds);
      LoadReport.KeyRefusal refusal = report.keyRefusal();
      assertNotNull(refusal);
      assertEquals(401, refusal.status());
      assertNull(refusal.key(), "no key was sent");
      assertEquals(StubPulseServer.KEY_REQUIRED, refusal.detail());
      assertEquals(0, report.total().okRequests());
      assertTrue(stub.unauthenticated.get() <= 4, "one answer per connection at most");
      String advice = ReportPrinter.keyRefusalText(refusal);
      assertTrue(advice.contains("--key") && advice.contains("PULSE_KEY"), advice);
    }
  }

  @Test
  void anUnknownKeyStopsTheCommandWithAMessageThatKeepsTheSecret() throws Exception {
    try (StubPulseServer stub = new StubPulseServer(Set.of(KEY), 0, false)) {
      String unknown = "pulse_revoked_key_000000000000wxyz";
      StringWriter err = new StringWriter();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PrintStream stdout = System.out;
      int exit;
      long started = System.nanoTime();
      try {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        exit =
            LoadCommand.commandLine()
                .setErr(new PrintWriter(err, true))
                .execute(
                    "--url=" + stub.url(),
                    "--key=" + unknown,
                    "--connections=2",
                    "--warmup=0",
                    "--duration=30",
                    "--progress=0");
      } finally {
        System.setOut(stdout);
      }
      double seconds = (System.nanoTime() - started) / 1e9;

      assertEquals(LoadCommand.KEY_REFUSED, exit);
      assertTrue(seconds < 5, "stopped at the first 401: " + seconds);
      String message = err.toString();
      assertTrue(message.contains("key 1 of 1 (****wxyz)"), message);
      assertTrue(message.contains(StubPulseServer.KEY_UNKNOWN), message);
      String printed = out.toString(StandardCharsets.UTF_8);
      assertTrue(printed.contains("STOPPED EARLY"), printed);
      assertFalse((message + printed).contains(unknown), "the secret is never printed");
    }
  }

  @Test
  void aKeyWithoutTheScopeStopsTheRunAt403() throws Exception {
    String readOnly = "pulse_read_only_key_0000000000000000";
    try (StubPulseServer stub =
        new StubPulseServer(Set.of(KEY), 0, false).withKeyWithoutScope(readOnly)) {
      LoadSettings settings =
          LoadSettings.builder()
              .url(stub.url())
              .keys(ApiKeys.of(List.of(KEY, readOnly)))
              .eventsPerRequest(10)
              .connections(1)
              .warmupSeconds(0)
              .durationSeconds(30)
              .progressSeconds(0)
              .build();
      LoadReport report =
          new LoadRunner(settings, new PrintStream(new ByteArrayOutputStream())).run();

      assertEquals(
          new LoadReport.KeyRefusal(403, "key 2 of 2 (****0000)", StubPulseServer.SCOPE_MISSING),
          report.keyRefusal());
      assertEquals(1, report.total().okRequests(), "the first key's request went through");
      assertEquals(1, stub.forbidden.get());
      assertTrue(ReportPrinter.keyRefusalText(report.keyRefusal()).contains("events:write"));
    }
  }

  @Test
  void closedModelCountsA429ApartAndWaitsAsItsRetryAfterAsks() throws Exception {
    try (StubPulseServer stub = new StubPulseServer(Set.of(KEY), 0, false).throttling(3, 1)) {
      LoadSettings settings =
          LoadSettings.builder()
              .url(stub.url())
              .keys(ApiKeys.of(List.of(KEY)))
              .eventsPerRequest(10)
              .connections(1)
              .warmupSeconds(0)
              .durationSeconds(2.5)
              .progressSeconds(0)
              .build();
      LoadReport report =
          new LoadRunner(settings, new PrintStream(new ByteArrayOutputStream())).run();

      assertThrottlingCountedApart(report, stub, 10);
      assertEquals(0, report.total().failedRequests(), "a 429 is not a failure");
      List<StubPulseServer.Arrival> arrivals = List.copyOf(stub.arrivals);
      assertTrue(stub.throttled.get() >= 2, "throttled twice in 2.5 s: " + arrivals.size());
      for (int i = 0; i + 1 < arrivals.size(); i++) {
        long gapMillis = (arrivals.get(i + 1).nanos() - arrivals.get(i).nanos()) / 1_000_000;
        if (arrivals.get(i).throttled()) {
          assertTrue(gapMillis >= 950, "Retry-After: 1 honoured, waited " + gapMillis + " ms");
        } else {
          assertTrue(gapMillis < 900, "no pause after an accepted request: " + gapMillis + " ms");
        }
      }
    }
  }

  private static void assertThrottlingCountedApart(
      LoadReport report, StubPulseServer stub, int eventsPerRequest) {
    LoadReport.Window total = report.total();
    assertTrue(stub.throttled.get() > 0, "the stub throttled some requests");
    assertEquals(stub.throttled.get(), total.throttledRequests());
    assertEquals(stub.throttled.get() * eventsPerRequest, total.throttledEvents());
    assertFalse(total.errorsByStatus().containsKey("429"), "a 429 is not an HTTP error");
    assertEquals("stub rate limit", report.errorSamples().get("429"));
  }

  private static void assertEvenlySpread(StubPulseServer stub, long requests) {
    List<Long> perKey = TENANT_KEYS.stream().map(key -> stub.requestsByKey.get(key).sum()).toList();
    assertEquals(requests, perKey.stream().mapToLong(Long::longValue).sum());
    long spread = Collections.max(perKey) - Collections.min(perKey);
    assertTrue(spread <= 1, "requests take the keys in turn: " + perKey);
  }

  private static void assertConsistent(LoadReport.Window window, int eventsPerRequest) {
    long httpErrors = window.errorsByStatus().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(
        window.requests(),
        window.okRequests()
            + window.throttledRequests()
            + httpErrors
            + window.requestsWithoutResponse(),
        "every request ends acknowledged, throttled, as an HTTP error, or without a response: "
            + window);
    assertEquals(window.requests() * eventsPerRequest, window.events());
    assertEquals(
        window.events(),
        window.accepted()
            + window.duplicates()
            + window.rejected()
            + window.throttledEvents()
            + window.failedEvents(),
        "every event is accepted, a duplicate, rejected, throttled, or in a failed request: "
            + window);
    assertEquals(httpErrors + window.requestsWithoutResponse(), window.failedRequests());
  }

  /**
   * A window counts requests when they start and outcomes when they end, so the requests in flight
   * at its two edges may be counted on one side only.
   */
  private static void assertRoughlyConsistent(
      LoadReport.Window window, int eventsPerRequest, int maxInFlight) {
    long httpErrors = window.errorsByStatus().values().stream().mapToLong(Long::longValue).sum();
    long ended =
        window.okRequests()
            + window.throttledRequests()
            + httpErrors
            + window.requestsWithoutResponse();
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
