package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/stats} and the customer metrics of {@code GET /v1/users/{id}} against a scripted
 * history sent over HTTP with explicit timestamps, on a server of its own (the figures are global),
 * with a clock the test holds still. Run once per database by the subclasses.
 */
abstract class StatsContract {

  static final Instant NOW = Instant.parse("2026-11-22T12:30:00Z");

  private static final Duration CATCH_UP = Duration.ofSeconds(20);

  /** Purchases earn 30 points: one is hot. No decay; seven days without one is inactive. */
  private static final String BUYERS =
      "{\"name\": \"Buyers\", \"rules\": [{\"event\": \"purchase\", \"points\": 30}],"
          + " \"inactiveAfter\": \"P7D\","
          + " \"bands\": [{\"name\": \"cold\", \"from\": 1, \"to\": 5},"
          + " {\"name\": \"hot\", \"from\": 5, \"to\": 10}]}";

  abstract DatabaseKind kind();

  @Test
  void statsAndUserMetricsMatchAHandComputedHistory() throws Exception {
    TestClock clock = new TestClock(NOW);
    try (TestDatabase database = TestDatabase.create(kind());
        TestServer server =
            new TestServer(database, clock, Map.of("pulse.wake-ups.resolution", "250ms"))) {
      HttpJson http = server.http();

      JsonNode empty = http.get("/v1/stats").json();
      assertEquals(0, empty.get("users").asLong(), empty.toString());
      // No customers, no orders: the ratios are left out rather than divided by zero.
      assertFalse(empty.has("repeatPurchaseRate"), empty.toString());
      assertFalse(empty.has("averageOrderValue"), empty.toString());
      assertFalse(empty.has("purchaseFrequency"), empty.toString());

      assertEquals(201, http.put("/v1/models/buyers", BUYERS).status());
      TimeCorrectnessEndToEndTest.awaitRescoringFinished(http, "buyers");

      // u1: bought in May and on 11-19, then clicked; inactive in buyers from 05-17 to 11-19.
      send(
          http,
          purchase("u1", "2026-05-10T08:00:00Z", 30),
          purchase("u1", "2026-11-19T09:00:00Z", 50),
          event("u1", "email_click", "email", "2026-11-22T09:30:00Z"));
      // u2: a purchase, then a late one dated the day before.
      send(
          http,
          purchase("u2", "2026-11-21T20:00:00Z", 100),
          purchase("u2", "2026-11-20T10:00:00Z", 20));
      // u3: only browses.
      send(http, event("u3", "page_view", "web", "2026-11-22T11:10:00Z"));
      // u4: one purchase a year and a half ago; the wake-up scheduler makes it inactive.
      send(http, purchase("u4", "2025-06-01T12:00:00Z", 10));
      // u5: five clicks, 25 points: medium in engagement from the fifth on.
      send(
          http,
          event("u5", "email_click", "email", "2026-11-22T10:00:00Z"),
          event("u5", "email_click", "email", "2026-11-22T10:01:00Z"),
          event("u5", "email_click", "email", "2026-11-22T10:02:00Z"),
          event("u5", "email_click", "email", "2026-11-22T10:03:00Z"),
          event("u5", "email_click", "email", "2026-11-22T10:04:00Z"));
      // u6: a purchase without an amount: an order of 0.
      send(http, event("u6", "purchase", "web", "2026-11-22T12:10:00Z"));

      // Transitions: u1 engagement null→low, buyers null→hot, null→inactive (05-17), inactive→null
      // (11-19); u2 null→low, null→hot (11-21 20h); u3 null→low, null→cold (11h); u4 null→low,
      // null→hot, null→inactive (2025-06-08); u5 null→low, null→cold, low→medium (10h); u6
      // null→low, null→hot (12h).
      JsonNode stats = awaitStats(http, 16);

      assertEquals(NOW.toString(), stats.get("asOf").asText());
      assertEquals(6, stats.get("users").asLong());
      assertEquals(
          HttpJson.MAPPER.readTree(
              "{\"engagement\": {\"low\": 5, \"medium\": 1},"
                  + " \"buyers\": {\"cold\": 2, \"hot\": 4, \"inactive\": 1}}"),
          stats.get("segments"));
      // Customers u1, u2, u4, u6; repeat u1, u2. Orders 2 + 2 + 1 + 1 worth 80 + 120 + 10 + 0.
      assertEquals(4, stats.get("customers").asLong());
      assertEquals(2, stats.get("repeatCustomers").asLong());
      assertEquals(0.5, stats.get("repeatPurchaseRate").asDouble(), 1e-9);
      assertEquals(6, stats.get("orders").asLong());
      assertEquals(210.0, stats.get("revenue").asDouble(), 1e-9);
      assertEquals(35.0, stats.get("averageOrderValue").asDouble(), 1e-9);
      // Since 2025-11-23: u1 2, u2 2, u6 1 orders, by 3 customers; u4's is older.
      assertEquals(5, stats.get("ordersLast365Days").asLong());
      assertEquals(3, stats.get("customersLast365Days").asLong());
      assertEquals(5.0 / 3, stats.get("purchaseFrequency").asDouble(), 1e-9);
      assertEquals(16, stats.get("transitions").asLong());
      assertEquals(9, stats.get("transitionsLast24Hours").asLong());
      Map<String, Long> expectedHours = new LinkedHashMap<>();
      for (int i = 23; i >= 0; i--) {
        expectedHours.put(
            Instant.parse("2026-11-22T12:00:00Z").minus(Duration.ofHours(i)).toString(), 0L);
      }
      expectedHours.put("2026-11-21T20:00:00Z", 2L);
      expectedHours.put("2026-11-22T10:00:00Z", 3L);
      expectedHours.put("2026-11-22T11:00:00Z", 2L);
      expectedHours.put("2026-11-22T12:00:00Z", 2L);
      Map<String, Long> hours = new LinkedHashMap<>();
      stats
          .get("transitionsPerHour")
          .forEach(hour -> hours.put(hour.get("hour").asText(), hour.get("count").asLong()));
      assertEquals(expectedHours, hours);
      assertEquals(List.copyOf(expectedHours.keySet()), List.copyOf(hours.keySet()));
      assertTrue(stats.get("caughtUp").asBoolean());
      JsonNode readSide = stats.get("readSide");
      assertEquals(readSide.get("customer").get("newest"), readSide.get("customer").get("offset"));
      assertEquals(
          readSide.get("transition").get("newest"), readSide.get("transition").get("offset"));

      JsonNode u1 = metrics(http, "u1");
      assertEquals(3, u1.get("events").asLong());
      assertEquals(2, u1.get("orders").asLong());
      assertEquals(80.0, u1.get("revenue").asDouble(), 1e-9);
      assertEquals(40.0, u1.get("averageOrderValue").asDouble(), 1e-9);
      assertEquals(2.0, u1.get("purchaseFrequency").asDouble(), 1e-9);
      assertTrue(u1.get("repeatPurchaser").asBoolean());
      // 11-19 09:00 to 11-22 12:30: three whole days.
      assertEquals(3, u1.get("daysSinceLastPurchase").asLong());
      assertEquals("2026-05-10T08:00:00Z", u1.get("firstSeen").asText());
      assertEquals("2026-11-22T09:30:00Z", u1.get("lastSeen").asText());

      // The late purchase changes neither the last purchase nor the last time seen.
      JsonNode u2 = metrics(http, "u2");
      assertEquals(2, u2.get("orders").asLong());
      assertEquals(60.0, u2.get("averageOrderValue").asDouble(), 1e-9);
      assertEquals(0, u2.get("daysSinceLastPurchase").asLong());
      assertEquals("2026-11-21T20:00:00Z", u2.get("lastSeen").asText());
      assertEquals("2026-11-20T10:00:00Z", u2.get("firstSeen").asText());

      // 2025-06-01 12:00 to 2026-11-22 12:30: 365 + 174 days; outside the 365-day window.
      JsonNode u4 = metrics(http, "u4");
      assertEquals(0.0, u4.get("purchaseFrequency").asDouble(), 1e-9);
      assertFalse(u4.get("repeatPurchaser").asBoolean());
      assertEquals(539, u4.get("daysSinceLastPurchase").asLong());

      JsonNode u3 = metrics(http, "u3");
      assertEquals(0, u3.get("orders").asLong());
      assertFalse(u3.has("averageOrderValue"), u3.toString());
      assertFalse(u3.has("daysSinceLastPurchase"), u3.toString());

      // The windows follow the server's clock: by 2027-05-15 u1's May order has left the year
      // (2026-05-16 on), and no transition is dated in the last 24 hours.
      clock.set(Instant.parse("2027-05-15T00:00:00Z"));
      JsonNode later = http.get("/v1/stats").json();
      assertEquals("2027-05-15T00:00:00Z", later.get("asOf").asText());
      assertEquals(4, later.get("ordersLast365Days").asLong(), later.toString());
      assertEquals(3, later.get("customersLast365Days").asLong());
      assertEquals(4.0 / 3, later.get("purchaseFrequency").asDouble(), 1e-9);
      assertEquals(0, later.get("transitionsLast24Hours").asLong());
      assertEquals(
          "2027-05-14T01:00:00Z", later.get("transitionsPerHour").get(0).get("hour").asText());
      JsonNode u1Later = metrics(http, "u1");
      assertEquals(1.0, u1Later.get("purchaseFrequency").asDouble(), 1e-9);
      // 2026-11-19 09:00 to 2027-05-15 00:00: 176 days and 15 hours.
      assertEquals(176, u1Later.get("daysSinceLastPurchase").asLong());
    }
  }

  /** Polls until the read side has caught up with the journal and counted every transition. */
  private static JsonNode awaitStats(HttpJson http, long transitions) throws InterruptedException {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    JsonNode stats = http.get("/v1/stats").json();
    while (!(stats.get("caughtUp").asBoolean() && stats.get("transitions").asLong() >= transitions)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
      stats = http.get("/v1/stats").json();
    }
    assertTrue(stats.get("caughtUp").asBoolean(), "the read side did not catch up: " + stats);
    return stats;
  }

  private static JsonNode metrics(HttpJson http, String userId) {
    HttpJson.Answer answer = http.get("/v1/users/" + userId);
    assertEquals(200, answer.status(), answer.body());
    return answer.json().get("metrics");
  }

  private static void send(HttpJson http, Map<?, ?>... events) {
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(List.of(events)));
    assertEquals(202, answer.status(), answer.body());
    assertEquals(events.length, answer.json().get("accepted").asInt(), answer.body());
  }

  private static int eventIds;

  private static Map<String, Object> event(
      String userId, String type, String channel, String timestamp) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventId", userId + "-" + ++eventIds);
    event.put("userId", userId);
    event.put("type", type);
    event.put("channel", channel);
    event.put("timestamp", timestamp);
    return event;
  }

  private static Map<String, Object> purchase(String userId, String timestamp, double amount) {
    Map<String, Object> event = event(userId, "purchase", "web", timestamp);
    event.put("properties", Map.of("amount", amount));
    return event;
  }
}
