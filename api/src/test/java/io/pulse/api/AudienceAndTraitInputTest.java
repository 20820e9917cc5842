package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad audiences and bad traits: each a 400 problem that names what is wrong, and nothing changes,
 * neither the audiences nor the user's traits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudienceAndTraitInputTest {

  private TestDatabase database;
  private TestServer server;
  private HttpJson http;

  @BeforeAll
  void start() {
    database = TestDatabase.create(DatabaseKind.H2);
    server = new TestServer(database, Clock.systemUTC(), Map.of());
    http = server.http();
    assertEquals(
        201,
        http.put(
                "/v1/audiences/irish",
                "{\"name\": \"Irish\", \"condition\": {\"trait\": \"country\", \"eq\": \"IE\"}}")
            .status());
    assertEquals(
        201,
        http.put(
                "/v1/audiences/irish-buyers",
                "{\"name\": \"Irish buyers\", \"condition\": {\"all\": [{\"audience\":"
                    + " \"irish\"}, {\"metric\": \"orders\", \"gte\": 1}]}}")
            .status());
    assertEquals(200, http.send("PATCH", "/v1/users/ann/traits", "{\"country\": \"IE\"}").status());
  }

  @AfterAll
  void stop() {
    server.close();
    database.close();
  }

  private static String audience(String condition) {
    return "{\"name\": \"Bad\", \"condition\": " + condition + "}";
  }

  /** A condition nested {@code depth} levels deep in "not". */
  private static String nested(int depth) {
    String condition = "{\"trait\": \"a\", \"exists\": true}";
    for (int i = 1; i < depth; i++) {
      condition = "{\"not\": " + condition + "}";
    }
    return condition;
  }

  private static String wide(int leaves) {
    List<String> tests = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      tests.add("{\"trait\": \"t" + i + "\", \"exists\": true}");
    }
    return "{\"any\": [" + String.join(", ", tests) + "]}";
  }

  @Test
  void eachBadAudienceIsA400NamingTheProblemAndChangesNothing() {
    String before = http.get("/v1/audiences").body();
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(audience("{\"trait\": \"a\", \"equals\": 1}"), "unknown key 'equals'");
    cases.put(audience("{\"colour\": \"red\"}"), "names no test");
    cases.put(
        audience("{\"score\": {\"model\": \"loyalty\", \"band\": \"high\"}}"),
        "score.model 'loyalty' is not a scoring model");
    cases.put(
        audience("{\"score\": {\"model\": \"engagement\", \"band\": \"gold\"}}"),
        "score.band 'gold' is not a band of model 'engagement'");
    cases.put(audience("{\"metric\": \"visits\", \"gte\": 1}"), "metric must be one of");
    cases.put(audience("{\"audience\": \"nobody\"}"), "audience 'nobody' does not exist");
    cases.put(
        audience("{\"event\": \"page_view\", \"within\": \"soon\", \"count\": {\"gte\": 1}}"),
        "within 'soon'");
    cases.put(
        audience("{\"event\": \"page_view\", \"within\": \"P1M\", \"count\": {\"gte\": 1}}"),
        "within 'P1M'");
    cases.put(
        audience(
            "{\"event\": \"add_to_cart\", \"within\": \"PT1H\", \"count\": {\"gte\": 1},"
                + " \"notFollowedBy\": {\"event\": \"purchase\"}}"),
        "exactly one of count and notFollowedBy");
    cases.put(audience("{\"trait\": \"signup\", \"before\": \"yesterday\"}"), "'yesterday'");
    cases.put(audience(nested(17)), "17 levels deep; at most 16");
    cases.put(audience(wide(101)), "101 tests; at most 100");
    cases.put("{\"condition\": {\"trait\": \"a\", \"exists\": true}}", "name is required");
    cases.put(
        "{\"name\": \"x\", \"condition\": {\"trait\": \"a\", \"exists\": true}, \"colour\": 1}",
        "colour");
    for (Map.Entry<String, String> bad : cases.entrySet()) {
      HttpJson.Answer answer = http.put("/v1/audiences/bad", bad.getKey());
      assertEquals(400, answer.status(), bad.getKey() + " -> " + answer.body());
      assertTrue(answer.isProblem(), answer.body());
      assertTrue(answer.body().contains(bad.getValue()), bad.getValue() + " in " + answer.body());
    }
    // a cycle through an existing audience: irish would refer to irish-buyers, which refers back
    HttpJson.Answer cycle =
        http.put("/v1/audiences/irish", audience("{\"audience\": \"irish-buyers\"}"));
    assertEquals(400, cycle.status(), cycle.body());
    assertTrue(cycle.body().contains("cycle"), cycle.body());
    HttpJson.Answer itself = http.put("/v1/audiences/loop", audience("{\"audience\": \"loop\"}"));
    assertEquals(400, itself.status(), itself.body());
    assertTrue(itself.body().contains("refers to itself"), itself.body());
    assertEquals(400, http.put("/v1/audiences/not%20an%20id", audience(nested(1))).status());

    assertEquals(before, http.get("/v1/audiences").body(), "nothing changed");
    assertEquals(404, http.get("/v1/audiences/bad").status());
  }

  @Test
  void traitsBeyondTheBoundsAreA400NamingTheTraitAndChangeNothing() {
    JsonNode before = http.get("/v1/users/ann").json().get("traits");
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("{\"" + "k".repeat(129) + "\": 1}", "k".repeat(20));
    cases.put("{\"bio\": \"" + "x".repeat(1100) + "\"}", "bio");
    cases.put("{\"address\": {\"city\": \"Cork\"}}", "address");
    cases.put("{\"scores\": [1, 2]}", "scores");
    cases.put("{\"\": 1}", "name");
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 257; i++) {
      many.append(i == 0 ? "" : ", ").append("\"t").append(i).append("\": ").append(i);
    }
    cases.put(many.append("}").toString(), "at most 256 traits");
    cases.put("[{\"country\": \"FR\"}]", "object");
    for (Map.Entry<String, String> bad : cases.entrySet()) {
      HttpJson.Answer answer = http.send("PATCH", "/v1/users/ann/traits", bad.getKey());
      assertEquals(400, answer.status(), answer.body());
      assertTrue(answer.isProblem(), answer.body());
      assertTrue(answer.body().contains(bad.getValue()), bad.getValue() + " in " + answer.body());
      // an identify event with the same traits is rejected alone, and not stored
      if (bad.getKey().startsWith("{")) {
        HttpJson.Answer event =
            http.post(
                "/v1/events",
                "[{\"eventId\": \"fine\", \"userId\": \"bob\", \"type\": \"page_view\"},"
                    + " {\"userId\": \"ann\", \"type\": \"identify\", \"traits\": "
                    + bad.getKey()
                    + "}]");
        assertEquals(202, event.status(), event.body());
        assertEquals(1, event.json().get("rejected").size(), event.body());
        assertEquals(1, event.json().get("rejected").get(0).get("index").asInt());
      }
    }
    assertEquals(before, http.get("/v1/users/ann").json().get("traits"), "nothing changed");
  }

  @Test
  void anIdentifyEventThatWouldMakeTooManyTraitsIsRejectedByTheUserAlone() {
    StringBuilder traits = new StringBuilder("{");
    for (int i = 0; i < 256; i++) {
      traits.append(i == 0 ? "" : ", ").append("\"t").append(i).append("\": ").append(i);
    }
    assertEquals(
        200, http.send("PATCH", "/v1/users/full/traits", traits.append("}").toString()).status());
    HttpJson.Answer answer =
        http.post(
            "/v1/events",
            "[{\"eventId\": \"one-more\", \"userId\": \"full\", \"type\": \"identify\","
                + " \"traits\": {\"extra\": true}},"
                + " {\"eventId\": \"other\", \"userId\": \"carl\", \"type\": \"page_view\"}]");
    assertEquals(202, answer.status(), answer.body());
    assertEquals(1, answer.json().get("accepted").asInt(), answer.body());
    JsonNode rejected = answer.json().get("rejected");
    assertEquals(1, rejected.size(), answer.body());
    assertEquals(0, rejected.get(0).get("index").asInt());
    assertTrue(rejected.get(0).get("error").asText().contains("at most 256"), answer.body());
    assertEquals(256, http.get("/v1/users/full").json().get("traits").size());
    assertEquals(false, http.get("/v1/users/full").json().get("traits").has("extra"));
  }
}
