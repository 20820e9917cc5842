package io.pulse.api.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.api.HttpJson;
import io.pulse.api.TestServer;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.SchemaMigrations;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Data written by release 0.1.0 is read by this release exactly as 0.1.0 answered about it, and new
 * writes continue on top of it; run once per database by the subclasses. Every later release must
 * keep this passing against the same, unchanged fixture.
 */
abstract class UpgradeFixtureContract {

  static final ReleaseFixture FIXTURE = ReleaseFixture.named(ReleaseFixture.RELEASE_0_1_0);

  /** A quicker read side than the default, so that the tests wait less for it. */
  private static final Map<String, Object> SETTINGS =
      Map.of(
          "jdbc-read-journal.refresh-interval", "50ms",
          "jdbc-read-journal.journal-sequence-retrieval.query-delay", "50ms",
          // a subscription whose filter passes none of the new transitions still records that it
          // read past them, which the test awaits
          "pulse.webhooks.idle-commit-interval", "200ms");

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** When eve's first event, which the release accepted, happened. */
  private static final Instant EVE_1_AT = Instant.parse("2026-11-20T10:00:00Z");

  abstract DatabaseKind kind();

  @Test
  void everyAnswerRecordedByTheReleaseIsAnsweredTheSameNow() {
    try (TestDatabase database = loadedDatabase();
        TestServer server = new TestServer(database, clockAtFixture(), SETTINGS)) {
      Map<String, JsonNode> expected = FIXTURE.expectedAnswers();
      Map<String, JsonNode> actual = new LinkedHashMap<>();
      for (String path : expected.keySet()) {
        actual.put(path, ApiAnswers.get(server.http(), path));
      }

      // The last recorded page of transitions is empty: nothing follows the release's history.
      assertNoDifferences(JsonTrees.differences(expected, actual));
    }
  }

  @Test
  void newEventsAreScoredOnTopOfTheReplayedStateAndARestartAnswersTheSame() throws Exception {
    Instant now = FIXTURE.clock();
    JsonNode benBefore = FIXTURE.expected("/v1/users/ben");
    JsonNode statsBefore = FIXTURE.expected("/v1/stats");
    JsonNode vipBefore = FIXTURE.expected("/v1/campaigns/vip/stats");
    JsonNode engagement = benBefore.get("scores").get("engagement");
    assertEquals("low", engagement.get("band").asText(), "fixture: ben is low in engagement");
    long benTransitions = transitionsOf("ben", "engagement");

    try (TestDatabase database = loadedDatabase();
        TestServer server = new TestServer(database, clockAtFixture(), SETTINGS)) {
      HttpJson http = server.http();

      // A retry of an event the release accepted is still recognised.
      assertCounts(
          0,
          1,
          send(http, event("eve-1", "eve", "purchase", "web", EVE_1_AT, Map.of("amount", 60))));
      // One point for a page view, on top of the decayed points the release held.
      assertCounts(
          1, 0, send(http, event("ben-after-0", "ben", "page_view", "web", now, Map.of())));
      JsonNode ben = ApiAnswers.get(http, "/v1/users/ben");
      assertEquals(
          engagement.get("points").asDouble() + 1,
          ben.get("scores").get("engagement").get("points").asDouble(),
          1e-9);
      assertEquals(benBefore.get("metrics").get("events").asLong() + 1, eventsOf(ben));
      assertEquals(now.toString(), ben.get("metrics").get("lastSeen").asText());

      // Ten more take ben to medium: a transition numbered after the release's, journaled after
      // its rows, counted by the read side and considered by the campaigns.
      assertCounts(
          2,
          0,
          send(
              http,
              event("ben-after-1", "ben", "email_click", "email", now, Map.of()),
              event("ben-after-2", "ben", "email_click", "email", now, Map.of())));
      JsonNode after = ApiAnswers.get(http, "/v1/users/ben");
      assertEquals(
          engagement.get("points").asDouble() + 11,
          after.get("scores").get("engagement").get("points").asDouble(),
          1e-9);
      assertEquals("medium", after.get("scores").get("engagement").get("band").asText());
      JsonNode all =
          ApiAnswers.get(http, "/v1/transitions?user=ben&model=engagement&limit=1000")
              .get("transitions");
      assertEquals(benTransitions + 1, all.size(), all.toString());
      JsonNode transition = all.get(all.size() - 1);
      assertEquals("ben:engagement:" + (benTransitions + 1), transition.get("id").asText());
      assertTrue(transition.get("offset").asLong() > FIXTURE.highestOrdering());
      assertEquals("low", transition.get("from").asText());
      assertEquals("medium", transition.get("to").asText());
      assertEquals("event", transition.get("cause").asText());
      assertEquals(now.toString(), transition.get("at").asText());

      JsonNode stats =
          await(
              http,
              "/v1/stats",
              body ->
                  body.get("caughtUp").asBoolean()
                      && body.get("transitions").asLong()
                          == statsBefore.get("transitions").asLong() + 1);
      assertEquals(statsBefore.get("users").asLong(), stats.get("users").asLong());
      assertEquals(
          statsBefore.at("/segments/engagement/medium").asLong() + 1,
          stats.at("/segments/engagement/medium").asLong());
      // vip spent its budget in the release's history: ben's medium is counted as over budget.
      await(
          http,
          "/v1/campaigns/vip/stats",
          body ->
              body.at("/outcomes/budget-exhausted").asLong()
                  == vipBefore.at("/outcomes/budget-exhausted").asLong() + 1);
      long newest = stats.at("/readSide/transition/newest").asLong();
      await(
          http,
          "/v1/subscriptions",
          body -> {
            for (JsonNode subscription : body.get("subscriptions")) {
              if (subscription.get("deliveredOffset").asLong() < newest) {
                return false;
              }
            }
            return true;
          });

      Map<String, JsonNode> beforeRestart = ApiAnswers.collect(http, FIXTURE.users());
      server.restart();
      Map<String, JsonNode> afterRestart = ApiAnswers.collect(server.http(), FIXTURE.users());
      assertNoDifferences(JsonTrees.differences(beforeRestart, afterRestart));
    }
  }

  /**
   * A database with the schema the release had (version 1) and its rows; the node under test
   * migrates the rest on start, as in an upgrade.
   */
  private TestDatabase loadedDatabase() {
    TestDatabase database = TestDatabase.createEmpty(kind());
    try {
      SchemaMigrations.migrateTo(database.settings(), FIXTURE.schemaVersion());
      FIXTURE.loadInto(database.settings());
      return database;
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static TestClock clockAtFixture() {
    return new TestClock(FIXTURE.clock());
  }

  private static long transitionsOf(String user, String model) {
    long count = 0;
    for (Map.Entry<String, JsonNode> answer : FIXTURE.expectedAnswers().entrySet()) {
      if (answer.getKey().startsWith("/v1/transitions?")) {
        for (JsonNode transition : answer.getValue().get("transitions")) {
          if (transition.get("userId").asText().equals(user)
              && transition.get("model").asText().equals(model)) {
            count++;
          }
        }
      }
    }
    return count;
  }

  private static Map<String, Object> event(
      String id, String user, String type, String channel, Instant at, Map<String, Object> props) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventId", id);
    event.put("userId", user);
    event.put("type", type);
    event.put("channel", channel);
    event.put("timestamp", at.toString());
    if (!props.isEmpty()) {
      event.put("properties", props);
    }
    return event;
  }

  private static long eventsOf(JsonNode user) {
    return user.get("metrics").get("events").asLong();
  }

  private static JsonNode send(HttpJson http, Map<?, ?>... events) {
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(List.of(events)));
    assertEquals(202, answer.status(), answer.body());
    return answer.json();
  }

  private static void assertCounts(int accepted, int duplicates, JsonNode counts) {
    assertEquals(accepted, counts.get("accepted").asInt(), counts.toString());
    assertEquals(duplicates, counts.get("duplicates").asInt(), counts.toString());
  }

  private static JsonNode await(HttpJson http, String path, Predicate<JsonNode> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode body = ApiAnswers.get(http, path);
    while (!done.test(body)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("GET " + path + " did not come to answer as expected: " + body);
      }
      Thread.sleep(50);
      body = ApiAnswers.get(http, path);
    }
    return body;
  }

  private static void assertNoDifferences(List<String> differences) {
    List<String> shown = new ArrayList<>(differences.subList(0, Math.min(50, differences.size())));
    assertTrue(
        differences.isEmpty(), differences.size() + " differences:\n" + String.join("\n", shown));
  }
}
