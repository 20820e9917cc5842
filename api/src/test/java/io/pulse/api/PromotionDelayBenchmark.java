package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The delay from an event to the voucher it earns, through the whole pipeline with the default
 * settings: HTTP ingestion, the journal, the read side's polling, the promotion projection, the
 * campaign, the code claim and its confirmation. For each user one event pushes them into the
 * trigger band; the delay runs from just before that POST until {@code GET /v1/users/{id}/vouchers}
 * first shows the voucher (polled every 5 ms). Not part of the build (its name is no test's): run
 * it with {@code mvn -B -o -pl api test -Dtest=PromotionDelayBenchmark} ({@code
 * -Dpulse.bench.users}, {@code -Dpulse.bench.runs}).
 */
class PromotionDelayBenchmark {

  private static final int USERS = Integer.getInteger("pulse.bench.users", 100);
  private static final int RUNS = Integer.getInteger("pulse.bench.runs", 3);

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void eventToVoucher(DatabaseKind kind) throws Exception {
    try (TestDatabase database = TestDatabase.create(kind);
        TestServer server = new TestServer(database, Clock.systemUTC(), settings())) {
      HttpJson http = server.http();
      String model = "bench-" + UUID.randomUUID().toString().substring(0, 6);
      assertEquals(
          201,
          http.put(
                  "/v1/models/" + model,
                  "{\"rules\": [{\"event\": \""
                      + model
                      + "-jump\", \"points\": 60}],"
                      + " \"bands\": [{\"name\": \"low\", \"from\": 1, \"to\": 4},"
                      + " {\"name\": \"medium\", \"from\": 4, \"to\": 7},"
                      + " {\"name\": \"high\", \"from\": 7, \"to\": 10}]}")
              .status());
      TimeCorrectnessEndToEndTest.awaitRescoringFinished(http, model);
      assertEquals(
          201,
          http.put(
                  "/v1/campaigns/" + model,
                  HttpJson.json(
                      Map.of(
                          "trigger", Map.of("model", model, "entered", "high"),
                          "offer", Map.of("type", "percent", "value", 10))))
              .status());
      for (int run = 0; run <= RUNS; run++) {
        List<Double> delays = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
          String user = model + "-r" + run + "-u" + i;
          long start = System.nanoTime();
          String event =
              HttpJson.json(
                  Map.of(
                      "eventId", user, "userId", user, "type", model + "-jump", "channel", "web"));
          assertEquals(202, http.post("/v1/events", event).status());
          while (true) {
            JsonNode vouchers = http.get("/v1/users/" + user + "/vouchers").json().get("vouchers");
            if (vouchers.size() > 0) {
              break;
            }
            if (System.nanoTime() - start > Duration.ofSeconds(30).toNanos()) {
              throw new AssertionError("no voucher for " + user + " within 30 s");
            }
            Thread.sleep(5);
          }
          delays.add((System.nanoTime() - start) / 1e6);
        }
        if (run == 0) {
          continue; // warm-up
        }
        Collections.sort(delays);
        System.out.printf(
            "BENCH %s refresh %s run %d: users %d, p50 %.0f ms, p99 %.0f ms, max %.0f ms, load average %.1f%n",
            kind,
            System.getProperty("pulse.bench.refresh", "default"),
            run,
            USERS,
            percentile(delays, 0.50),
            percentile(delays, 0.99),
            delays.get(delays.size() - 1),
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    }
  }

  /** The defaults, or the read side's polling interval from {@code -Dpulse.bench.refresh}. */
  private static Map<String, Object> settings() {
    String refresh = System.getProperty("pulse.bench.refresh");
    // The plugin's own keys: pulse.read-journal.* are already substituted into them when the
    // server's configuration is loaded.
    return refresh == null
        ? Map.of()
        : Map.of(
            "jdbc-read-journal.refresh-interval", refresh,
            "jdbc-read-journal.journal-sequence-retrieval.query-delay", refresh);
  }

  private static double percentile(List<Double> sorted, double q) {
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
