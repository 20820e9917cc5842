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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The HTTP contract of API.md against a real node and a real journal; run once per database by the
 * subclasses. Each test uses its own user and model ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndToEndContract {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  final TestClock clock = new TestClock(T0);
  TestDatabase database;
  TestServer server;
  HttpJson http;

  abstract DatabaseKind kind();

  @BeforeAll
  void startServer() {
    database = TestDatabase.create(kind());
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

  static String user() {
    return "u-" + UUID.randomUUID();
  }

  static Map<String, Object> event(String eventId, String userId, String type, String channel) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventId", eventId);
    event.put("userId", userId);
    event.put("type", type);
    if (channel != null) {
      event.put("channel", channel);
    }
    event.put("timestamp", T0.toString());
    return event;
  }

  HttpJson.Answer send(Object body) {
    return http.post("/v1/events", HttpJson.json(body));
  }

  JsonNode transitionsOf(String userId) {
    return http.get("/v1/transitions?after=0&limit=1000&user=" + userId).json().get("transitions");
  }

  @Test
  void twoOpensAndAClickGiveTheDocumentedScore() {
    String userId = user();
    HttpJson.Answer answer =
        send(
            List.of(
                event("o1-" + userId, userId, "email_open", "email"),
                event("o2-" + userId, userId, "email_open", "email"),
                event("c1-" + userId, userId, "email_click", "email")));
    assertEquals(202, answer.status(), answer.body());
    assertEquals(3, answer.json().get("accepted").asInt());

    JsonNode engagement = http.get("/v1/users/" + userId).json().get("scores").get("engagement");
    // 3 + 3 + 5 = 11 points, read at the events' own instant: no decay yet.
    double expected = 1 + 9 * (1 - Math.exp(-11.0 / 50));
    assertEquals(11.0, engagement.get("points").asDouble(), 1e-9);
    assertEquals(expected, engagement.get("score").asDouble(), 1e-9);
    assertEquals("low", engagement.get("band").asText());
  }

  @Test
  void scoresAreReadWithDecayUpToNow() {
    String userId = user();
    send(List.of(event("c-" + userId, userId, "email_click", "email")));
    clock.advance(Duration.ofDays(30));
    try {
      JsonNode engagement = http.get("/v1/users/" + userId).json().get("scores").get("engagement");
      assertEquals(2.5, engagement.get("points").asDouble(), 1e-9);
      assertEquals(1 + 9 * (1 - Math.exp(-2.5 / 50)), engagement.get("score").asDouble(), 1e-9);
    } finally {
      clock.set(T0);
    }
  }

  @Test
  void crossingABandEmitsExactlyOneTransition() {
    String userId = user();
    send(List.of(event("first-" + userId, userId, "page_view", "web")));
    JsonNode first = transitionsOf(userId);
    assertEquals(1, first.size(), first.toString());
    assertTrue(first.get(0).get("from").isNull());
    assertEquals("low", first.get(0).get("to").asText());

    // 4 clicks + 1 view = 21 points: score 4.12, medium.
    List<Object> clicks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clicks.add(event("click-" + i + "-" + userId, userId, "email_click", "email"));
    }
    assertEquals(202, send(clicks).status());

    JsonNode transitions = transitionsOf(userId);
    assertEquals(2, transitions.size(), transitions.toString());
    JsonNode crossing = transitions.get(1);
    assertEquals("low", crossing.get("from").asText());
    assertEquals("medium", crossing.get("to").asText());
    assertEquals("event", crossing.get("cause").asText());
    assertEquals("engagement", crossing.get("model").asText());
    assertTrue(crossing.get("offset").asLong() > transitions.get(0).get("offset").asLong());
    assertEquals(
        "medium",
        http.get("/v1/users/" + userId)
            .json()
            .get("scores")
            .get("engagement")
            .get("band")
            .asText());
  }

  @Test
  void transitionsPageByOffset() {
    String userId = user();
    send(List.of(event("v-" + userId, userId, "page_view", "web")));
    // Other users' transitions (decay, say) may be journaled meanwhile: page this user's.
    JsonNode all = http.get("/v1/transitions?after=0&limit=1000&user=" + userId).json();
    long last = all.get("next").asLong();
    assertTrue(last > 0);
    assertEquals(1, all.get("transitions").size());
    assertTrue(all.get("transitions").get(0).get("offset").asLong() <= last);
    JsonNode after = http.get("/v1/transitions?after=" + last + "&user=" + userId).json();
    assertEquals(0, after.get("transitions").size());
    assertTrue(after.get("next").asLong() >= last);
    HttpJson.Answer bad = http.get("/v1/transitions?after=-1");
    assertEquals(400, bad.status());
    assertTrue(bad.isProblem());
  }

  @Test
  void aResentEventIdIsCountedOnceAlsoAfterARestart() {
    String userId = user();
    Map<String, Object> open = event("dup-" + userId, userId, "email_open", "email");
    assertEquals(1, send(List.of(open)).json().get("accepted").asInt());

    JsonNode again = send(List.of(open)).json();
    assertEquals(0, again.get("accepted").asInt());
    assertEquals(1, again.get("duplicates").asInt());

    server.restart();
    http = server.http();

    JsonNode afterRestart = send(open).json();
    assertEquals(0, afterRestart.get("accepted").asInt());
    assertEquals(1, afterRestart.get("duplicates").asInt());
    JsonNode user = http.get("/v1/users/" + userId).json();
    assertEquals(1, user.get("metrics").get("events").asInt());
    assertEquals(3.0, user.get("scores").get("engagement").get("points").asDouble(), 1e-9);
    assertEquals(1, transitionsOf(userId).size());
  }

  @Test
  void aMixedBatchAcceptsTheValidEventsAndReportsEachInvalidOne() {
    String prefix = user();
    List<Object> batch = new ArrayList<>();
    List<Integer> invalid = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Map<String, Object> event =
          event(prefix + "-e" + i, prefix + "-" + (i % 50), "page_view", "web");
      if (i % 97 == 0) {
        event.remove("userId");
        invalid.add(i);
      } else if (i % 89 == 0) {
        event.put("channel", "carrier-pigeon");
        invalid.add(i);
      }
      batch.add(event);
    }
    HttpJson.Answer answer = send(batch);
    assertEquals(202, answer.status(), answer.body());
    JsonNode body = answer.json();
    assertEquals(1000 - invalid.size(), body.get("accepted").asInt());
    List<Integer> reported = new ArrayList<>();
    for (JsonNode rejection : body.get("rejected")) {
      reported.add(rejection.get("index").asInt());
      String error = rejection.get("error").asText();
      assertTrue(error.contains("userId is required") || error.contains("carrier-pigeon"), error);
    }
    assertEquals(invalid, reported);
    int events = 0;
    for (int user = 0; user < 50; user++) {
      HttpJson.Answer read = http.get("/v1/users/" + prefix + "-" + user);
      events += read.json().get("metrics").get("events").asInt();
    }
    assertEquals(1000 - invalid.size(), events);
  }

  @Test
  void badInputGetsAProblemAndChangesNothing() {
    String userId = user();
    send(List.of(event("base-" + userId, userId, "email_open", "email")));
    String before = http.get("/v1/users/" + userId).body();

    assertProblem(400, http.post("/v1/events", "{\"userId\": \"" + userId + "\", \"type\": "));
    assertProblem(400, http.post("/v1/events", ""));
    assertProblem(400, http.post("/v1/events", "[]"));
    assertProblem(400, http.post("/v1/events", "42"));
    assertProblem(
        400,
        http.post(
            "/v1/events",
            "{\"eventId\": \"wrong-type-"
                + userId
                + "\", \"userId\": \""
                + userId
                + "\", \"type\": 7}"));
    assertProblem(
        400,
        http.post(
            "/v1/events",
            "[{\"userId\": \"" + userId + "\", \"type\": \"page_view\", \"timestamp\": true}]"));
    List<Object> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(event("many-" + i + "-" + userId, userId, "page_view", "web"));
    }
    assertProblem(413, send(tooMany));
    StringBuilder huge = new StringBuilder("[");
    String padding = "x".repeat(2000);
    for (int i = 0; i < 600; i++) {
      huge.append(i == 0 ? "" : ",")
          .append("{\"eventId\":\"big-")
          .append(i)
          .append("\",\"userId\":\"")
          .append(userId)
          .append("\",\"type\":\"page_view\",\"properties\":{\"pad\":\"")
          .append(padding)
          .append("\"}}");
    }
    assertProblem(413, http.post("/v1/events", huge.append("]").toString()));

    assertEquals(before, http.get("/v1/users/" + userId).body());
  }

  @Test
  void modelsAreListedReadReplacedAndDeleted() {
    assertEquals(200, http.get("/v1/models/engagement").status());
    String modelId = "m-" + UUID.randomUUID().toString().substring(0, 8);
    String model =
        "{\"name\": \"Buyers\", \"rules\": [{\"event\": \"purchase\", \"points\": 10,"
            + " \"where\": {\"properties.amount\": {\"gte\": 50}}, \"dailyCap\": 3}],"
            + " \"halfLifeDays\": 7, \"bands\": [{\"name\": \"cold\", \"from\": 1, \"to\": 5},"
            + " {\"name\": \"hot\", \"from\": 5, \"to\": 10}]}";
    HttpJson.Answer created = http.put("/v1/models/" + modelId, model);
    assertEquals(201, created.status(), created.body());
    assertEquals(1, created.json().get("version").asInt());
    assertEquals(200, http.put("/v1/models/" + modelId, model).status());
    assertEquals(1, http.get("/v1/models/" + modelId).json().get("version").asInt());
    HttpJson.Answer changed =
        http.put(
            "/v1/models/" + modelId, model.replace("\"halfLifeDays\": 7", "\"halfLifeDays\": 14"));
    assertEquals(2, changed.json().get("version").asInt());

    // A changed model applies from the next event on: this user is scored in both models.
    String userId = user();
    Map<String, Object> purchase = event("p-" + userId, userId, "purchase", "web");
    purchase.put("properties", Map.of("amount", 80));
    send(List.of(purchase));
    JsonNode scores = http.get("/v1/users/" + userId).json().get("scores");
    assertEquals(10.0, scores.get(modelId).get("points").asDouble(), 1e-9);
    assertEquals(10.0, scores.get("engagement").get("points").asDouble(), 1e-9);

    boolean listed = false;
    for (JsonNode listedModel : http.get("/v1/models").json().get("models")) {
      listed |= listedModel.get("id").asText().equals(modelId);
    }
    assertTrue(listed);
    assertEquals(204, http.delete("/v1/models/" + modelId).status());
    assertProblem(404, http.get("/v1/models/" + modelId));
    assertProblem(404, http.delete("/v1/models/" + modelId));
    assertFalse(http.get("/v1/users/" + userId).json().get("scores").has(modelId));
  }

  @Test
  void anInvalidModelIsRefusedAndChangesNothing() {
    String modelId = "bad-" + UUID.randomUUID().toString().substring(0, 8);
    String gap =
        "{\"rules\": [{\"event\": \"page_view\", \"points\": 1}],"
            + " \"bands\": [{\"name\": \"low\", \"from\": 1, \"to\": 4},"
            + " {\"name\": \"high\", \"from\": 5, \"to\": 10}]}";
    HttpJson.Answer gapAnswer = http.put("/v1/models/" + modelId, gap);
    assertProblem(400, gapAnswer);
    assertTrue(
        gapAnswer.json().get("detail").asText().contains("gap between 4.0"), gapAnswer.body());

    String unknownField =
        "{\"rules\": [{\"event\": \"page_view\", \"points\": 1, \"pointz\": 2}],"
            + " \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}";
    HttpJson.Answer unknown = http.put("/v1/models/" + modelId, unknownField);
    assertProblem(400, unknown);
    assertTrue(unknown.json().get("detail").asText().contains("pointz"), unknown.body());

    assertProblem(400, http.put("/v1/models/" + modelId, "{\"rules\": "));
    assertProblem(
        400,
        http.put(
            "/v1/models/" + modelId,
            "{\"rules\": [], \"halfLifeDays\": -3, \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}"));
    assertProblem(404, http.get("/v1/models/" + modelId));
  }

  @Test
  void unknownUsersAndPathsAreProblems() {
    assertProblem(404, http.get("/v1/users/" + user()));
    assertProblem(404, http.get("/v1/nothing-here"));
    assertProblem(405, http.delete("/v1/events"));
  }

  @Test
  void healthEndpointsAnswer() {
    assertEquals(200, http.get("/health/alive").status());
    HttpJson.Answer ready = http.get("/health/ready");
    assertEquals(200, ready.status());
    assertEquals("ready", ready.json().get("status").asText());
    assertTrue(ready.json().get("checks").get("userShardsStarted").asBoolean(), ready.body());
  }

  static void assertProblem(int status, HttpJson.Answer answer) {
    assertEquals(status, answer.status(), answer.body());
    assertTrue(answer.isProblem(), "content type was " + answer.contentType());
    JsonNode problem = answer.json();
    assertEquals(status, problem.get("status").asInt());
    assertTrue(
        problem.hasNonNull("title") && problem.hasNonNull("detail") && problem.hasNonNull("type"));
  }
}
