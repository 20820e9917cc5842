package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A key's limits: over them a 429 with Retry-After and the RateLimit headers, nothing stored, and
 * service again once the limit is whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitTest {

  private final TestClock clock = new TestClock(EndToEndContract.T0);
  private TestDatabase database;
  private TestServer server;

  @BeforeAll
  void start() {
    database = TestDatabase.create(DatabaseKind.H2);
    server = new TestServer(database, clock, Map.of());
  }

  @AfterAll
  void stop() {
    server.close();
    database.close();
  }

  private HttpJson keyWith(String scopes, String limits) {
    HttpJson.Answer created =
        server
            .http()
            .post(
                "/v1/keys",
                "{\"name\": \"limited\", \"scopes\": " + scopes + ", \"limits\": " + limits + "}");
    assertEquals(201, created.status(), created.body());
    return server.http().withKey(created.json().get("key").asText());
  }

  @Test
  void requestsOverTheLimitGet429WithTheHeadersThenServiceResumes() throws Exception {
    HttpJson limited = keyWith("[\"models:read\"]", "{\"requestsPerSecond\": 3}");
    HttpJson.Answer first = limited.get("/v1/models");
    assertEquals(200, first.status());
    assertEquals("3", first.header("RateLimit-Limit"));
    assertEquals("2", first.header("RateLimit-Remaining"));
    assertNotNull(first.header("RateLimit-Reset"));
    HttpJson.Answer refused = null;
    for (int i = 0; i < 10 && refused == null; i++) {
      HttpJson.Answer answer = limited.get("/v1/models");
      if (answer.status() == 429) {
        refused = answer;
      }
    }
    assertNotNull(refused, "a burst over 3 a second is refused");
    assertTrue(refused.isProblem());
    assertEquals("urn:pulse:problem:rate-limited", refused.json().get("type").asText());
    assertEquals("3", refused.header("RateLimit-Limit"));
    assertEquals("0", refused.header("RateLimit-Remaining"));
    long retryAfter = Long.parseLong(refused.header("Retry-After"));
    assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
    long reset = Long.parseLong(refused.header("RateLimit-Reset"));
    assertEquals(1, reset, "seconds until the limit is whole");

    Thread.sleep(reset * 1000 + 100);
    HttpJson.Answer again = limited.get("/v1/models");
    assertEquals(200, again.status(), "service again after the reset");

    // another key is not held back by this one's limit
    assertEquals(200, server.http().get("/v1/models").status());
  }

  @Test
  void eventsOverTheLimitAreRefusedWholeAndNothingIsStored() throws Exception {
    HttpJson limited =
        keyWith(
            "[\"events:write\", \"users:read\"]",
            "{\"requestsPerSecond\": 100, \"eventsPerSecond\": 4}");
    HttpJson.Answer accepted = limited.post("/v1/events", batch("limited-a", 3));
    assertEquals(202, accepted.status(), accepted.body());
    assertEquals("4", accepted.header("RateLimit-Limit"));
    assertEquals("1", accepted.header("RateLimit-Remaining"));

    HttpJson.Answer refused = limited.post("/v1/events", batch("limited-b", 3));
    assertEquals(429, refused.status(), refused.body());
    assertEquals("4", refused.header("RateLimit-Limit"));
    assertNotNull(refused.header("Retry-After"));
    assertEquals(404, limited.get("/v1/users/limited-b").status(), "nothing of it was stored");

    Thread.sleep(1100);
    HttpJson.Answer later = limited.post("/v1/events", batch("limited-b", 3));
    assertEquals(202, later.status(), later.body());
    JsonNode user = limited.get("/v1/users/limited-b").json();
    assertEquals(3, user.get("metrics").get("events").asInt());
  }

  @Test
  void aBatchLargerThanTheLimitStillPassesWhenTheBudgetIsWhole() throws Exception {
    HttpJson limited = keyWith("[\"events:write\"]", "{\"eventsPerSecond\": 2}");
    Thread.sleep(100);
    HttpJson.Answer big = limited.post("/v1/events", batch("limited-c", 5));
    assertEquals(202, big.status(), "a full budget lets one batch through: " + big.body());
    HttpJson.Answer next = limited.post("/v1/events", batch("limited-d", 1));
    assertEquals(429, next.status(), "and leaves the key in debt");
    long retryAfter = Long.parseLong(next.header("Retry-After"));
    assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
  }

  private static String batch(String user, int events) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < events; i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"eventId\": \"")
          .append(user)
          .append('-')
          .append(i)
          .append("\", \"userId\": \"")
          .append(user)
          .append("\", \"type\": \"email_open\"}");
    }
    return body.append(']').toString();
  }
}
