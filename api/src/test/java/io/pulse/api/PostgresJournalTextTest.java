package io.pulse.api;

import static io.pulse.api.HostileInputTest.T0;
import static io.pulse.api.HostileInputTest.assertRejected;
import static io.pulse.api.HostileInputTest.event;
import static io.pulse.api.HostileInputTest.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Text on PostgreSQL, whose text columns refuse a NUL character outright: with a user id holding
 * one, every journal query of that user fails, so its entity never starts and its request times
 * out. Such an id is refused at the edge, like text that is not Unicode; in properties, which the
 * journal keeps as bytes, control characters are data and are stored. Skipped where no PostgreSQL
 * is reachable, unless required.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJournalTextTest {

  final TestClock clock = new TestClock(T0);
  TestDatabase database;
  TestServer server;
  HttpJson http;

  @BeforeAll
  void startServer() {
    database = TestDatabase.create(DatabaseKind.POSTGRES);
    server = new TestServer(database, clock, Map.of());
    http = server.http();
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
    if (database != null) {
      database.close();
    }
  }

  private JsonNode metricsOf(String userId) {
    HttpJson.Answer user = http.get("/v1/users/" + HostileInputTest.percentEncoded(userId));
    assertEquals(200, user.status(), user.body());
    return user.json().get("metrics");
  }

  @Test
  void textTheJournalCannotHoldCostsOnlyItsOwnEvent() {
    String userId = user();
    String other = user();
    String batch =
        "["
            + event("a-" + userId, userId, "page_view")
            + ", {\"userId\": \"u\\u0000"
            + userId
            + "\", \"type\": \"page_view\"}"
            + ", {\"userId\": \""
            + userId
            + "\", \"type\": \"page_view\", \"properties\": {\"x\": \"\\udbff\"}}"
            + ", "
            + event("b-" + other, other, "page_view")
            + "]";

    long started = System.nanoTime();
    HttpJson.Answer answer = http.post("/v1/events", batch);

    assertEquals(202, answer.status(), answer.body());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5, "answered at once");
    assertEquals(2, answer.json().get("accepted").asInt());
    assertRejected(answer.json(), 1, "userId must not contain control characters");
    assertRejected(answer.json(), 2, "properties.x is not valid Unicode text");
    assertEquals(1, metricsOf(userId).get("events").asInt());
    assertEquals(1, metricsOf(other).get("events").asInt());
  }

  @Test
  void controlCharactersInPropertiesAreStoredAsData() {
    String userId = user();
    HttpJson.Answer answer =
        http.post(
            "/v1/events",
            "{\"userId\": \""
                + userId
                + "\", \"type\": \"note\", \"properties\": {\"text\": \"a\\u0000b\\u001f\\u0085\"}}");
    assertEquals(202, answer.status(), answer.body());
    assertEquals(1, answer.json().get("accepted").asInt());

    // The event survives a restart: it was journaled, not just held in memory.
    server.restart();
    http = server.http();
    assertEquals(1, metricsOf(userId).get("events").asInt());
  }
}
