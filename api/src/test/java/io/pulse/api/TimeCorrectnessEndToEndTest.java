package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decay and inactivity transitions happen on time in real time, with nothing sent: while the user
 * is passivated, and across a full restart of the server.
 */
class TimeCorrectnessEndToEndTest {

  /** A 3-second half-life: 80 points (high) fall below 7 after 1.63 s and below 4 after 5.94 s. */
  private static final double HALF_LIFE_SECONDS = 3;

  private static final Map<String, Object> FAST_SETTINGS =
      Map.of(
          // Idle users leave memory at once, so wake-ups reach passivated entities.
          "pekko.cluster.sharding.passivation.pulse-lru.idle-entity.timeout", "200ms",
          "pulse.wake-ups.resolution", "250ms");

  private static String fastModel(String inactiveAfter) {
    return "{\"rules\": [{\"event\": \"email_click\", \"points\": 40}],"
        + " \"halfLifeDays\": "
        + (HALF_LIFE_SECONDS / 86_400)
        + ","
        + (inactiveAfter == null ? "" : " \"inactiveAfter\": \"" + inactiveAfter + "\",")
        + " \"bands\": [{\"name\": \"low\", \"from\": 1, \"to\": 4},"
        + " {\"name\": \"medium\", \"from\": 4, \"to\": 7},"
        + " {\"name\": \"high\", \"from\": 7, \"to\": 10}]}";
  }

  /**
   * When decay takes {@code points}, held since {@code since}, down to a score of {@code score}.
   */
  private static Instant crossing(Instant since, double points, double score) {
    double floor = -50 * Math.log(1 - (score - 1) / 9);
    double seconds = HALF_LIFE_SECONDS * Math.log(points / floor) / Math.log(2);
    return since.plusNanos((long) (seconds * 1e9));
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void decayTransitionsHappenOnTimeForAPassivatedUser(DatabaseKind kind) throws Exception {
    try (TestDatabase database = TestDatabase.create(kind);
        TestServer server = new TestServer(database, Clock.systemUTC(), FAST_SETTINGS)) {
      HttpJson http = server.http();
      String model = "fast-" + UUID.randomUUID().toString().substring(0, 8);
      assertEquals(201, http.put("/v1/models/" + model, fastModel(null)).status());
      awaitRescoringFinished(http, model);
      String user = "decaying-" + UUID.randomUUID();
      Instant sent = Instant.now();
      pushToHigh(http, user, sent);

      List<JsonNode> decay =
          awaitTransitions(http, user, model, "decay", 2, Duration.ofSeconds(15));
      Instant observedSecond = Instant.now();

      assertEquals("high", decay.get(0).get("from").asText());
      assertEquals("medium", decay.get(0).get("to").asText());
      assertEquals("medium", decay.get(1).get("from").asText());
      assertEquals("low", decay.get(1).get("to").asText());
      assertAt(crossing(sent, 80, 7), decay.get(0));
      assertAt(crossing(sent, 80, 4), decay.get(1));
      assertEquals(7.0, decay.get(0).get("score").asDouble(), 1e-6);
      assertEquals(4.0, decay.get(1).get("score").asDouble(), 1e-6);
      // Emitted within the resolution (plus the read side's polling), not at the next event.
      assertTrue(
          Duration.between(crossing(sent, 80, 4), observedSecond).compareTo(Duration.ofSeconds(3))
              < 0,
          "second decay transition seen " + observedSecond + ", due " + crossing(sent, 80, 4));
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void decayTransitionsDueWhileTheServerIsDownHappenAfterItRestarts(DatabaseKind kind)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind);
        TestServer server = new TestServer(database, Clock.systemUTC(), FAST_SETTINGS)) {
      HttpJson http = server.http();
      String model = "restart-" + UUID.randomUUID().toString().substring(0, 8);
      assertEquals(201, http.put("/v1/models/" + model, fastModel(null)).status());
      awaitRescoringFinished(http, model);
      String user = "sleeping-" + UUID.randomUUID();
      Instant sent = Instant.now();
      pushToHigh(http, user, sent);
      // The wake-up request is journaled with the events; the scheduler copies it shortly after.
      Thread.sleep(500);
      server.stop();
      Thread.sleep(Duration.between(Instant.now(), crossing(sent, 80, 4)).toMillis() + 500);

      server.start();
      List<JsonNode> decay =
          awaitTransitions(server.http(), user, model, "decay", 2, Duration.ofSeconds(20));

      assertAt(crossing(sent, 80, 7), decay.get(0));
      assertAt(crossing(sent, 80, 4), decay.get(1));
      assertEquals("low", decay.get(1).get("to").asText());
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void inactivityIsEnteredOnTimeAndTheNextEventEndsIt(DatabaseKind kind) throws Exception {
    try (TestDatabase database = TestDatabase.create(kind);
        TestServer server = new TestServer(database, Clock.systemUTC(), FAST_SETTINGS)) {
      HttpJson http = server.http();
      String model = "idle-" + UUID.randomUUID().toString().substring(0, 8);
      assertEquals(201, http.put("/v1/models/" + model, fastModel("PT2S")).status());
      awaitRescoringFinished(http, model);
      String user = "idle-" + UUID.randomUUID();
      Instant sent = Instant.now();
      click(http, user, "c1-" + user, sent);

      List<JsonNode> inactivity =
          awaitTransitions(http, user, model, "inactivity", 1, Duration.ofSeconds(10));
      assertTrue(inactivity.get(0).get("from").isNull());
      assertEquals("inactive", inactivity.get(0).get("to").asText());
      assertAt(sent.plusSeconds(2), inactivity.get(0));
      JsonNode read = http.get("/v1/users/" + user).json();
      assertTrue(read.get("segments").toString().contains(model + ":inactive"), read.toString());

      click(http, user, "c2-" + user, Instant.now());
      JsonNode back = null;
      for (JsonNode transition : transitions(http, user, model)) {
        if ("inactive".equals(transition.get("from").asText(null))) {
          back = transition;
        }
      }
      assertTrue(back != null, "no transition out of inactivity");
      assertTrue(back.get("to").isNull());
      assertEquals("event", back.get("cause").asText());
      JsonNode after = http.get("/v1/users/" + user).json();
      assertFalse(after.get("segments").toString().contains(model + ":inactive"));
    }
  }

  private static void pushToHigh(HttpJson http, String user, Instant at) {
    HttpJson.Answer answer =
        http.post(
            "/v1/events",
            HttpJson.json(List.of(click(user, "a-" + user, at), click(user, "b-" + user, at))));
    assertEquals(202, answer.status(), answer.body());
  }

  private static void click(HttpJson http, String user, String eventId, Instant at) {
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(click(user, eventId, at)));
    assertEquals(202, answer.status(), answer.body());
  }

  private static Map<String, Object> click(String user, String eventId, Instant at) {
    return Map.of(
        "eventId",
        eventId,
        "userId",
        user,
        "type",
        "email_click",
        "channel",
        "email",
        "timestamp",
        at.toString());
  }

  private static void assertAt(Instant expected, JsonNode transition) {
    Instant at = Instant.parse(transition.get("at").asText());
    assertTrue(
        Duration.between(expected, at).abs().toMillis() <= 1,
        "transition at " + at + ", expected " + expected + ": " + transition);
  }

  static void awaitRescoringFinished(HttpJson http, String model) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode rescoring = http.get("/v1/models/" + model).json().get("rescoring");
      if (rescoring == null || rescoring.get("finished").asBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("re-scoring of " + model + " did not finish");
  }

  private static List<JsonNode> transitions(HttpJson http, String user, String model) {
    List<JsonNode> found = new ArrayList<>();
    http.get("/v1/transitions?after=0&limit=1000&user=" + user + "&model=" + model)
        .json()
        .get("transitions")
        .forEach(found::add);
    return found;
  }

  private static List<JsonNode> awaitTransitions(
      HttpJson http, String user, String model, String cause, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> matching = List.of();
    while (System.nanoTime() < deadline) {
      matching =
          transitions(http, user, model).stream()
              .filter(transition -> cause.equals(transition.get("cause").asText()))
              .toList();
      if (matching.size() >= count) {
        return matching;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "expected " + count + " " + cause + " transitions of " + user + ", saw " + matching);
  }
}
