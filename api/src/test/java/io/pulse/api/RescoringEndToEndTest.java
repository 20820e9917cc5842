package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.domain.Band;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Condition;
import io.pulse.engine.domain.ConditionOperator;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.ScoringRule;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.user.UserEntity;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A changed model re-scores every user from the journal in the background while ingestion goes on;
 * band changes it causes are model-change transitions, and the scores before and after are those of
 * an independent replay of the journal.
 */
class RescoringEndToEndTest {

  private static final int USERS = 10_000;

  private static ScoringModel model(String id, double pageViewPoints) {
    return new ScoringModel(
        id,
        id,
        0,
        List.of(
            ScoringRule.of("page_view", null, pageViewPoints),
            new ScoringRule(
                "purchase",
                null,
                10,
                List.of(new Condition("properties.amount", ConditionOperator.GTE, 50)),
                null)),
        null,
        null,
        List.of(new Band("cold", 1, 5), new Band("hot", 5, 10)),
        ScoringModel.DEFAULT_SATURATION_POINTS);
  }

  private static String document(double pageViewPoints) {
    return "{\"rules\": [{\"event\": \"page_view\", \"points\": "
        + pageViewPoints
        + "}, {\"event\": \"purchase\", \"points\": 10,"
        + " \"where\": {\"properties.amount\": {\"gte\": 50}}}],"
        + " \"bands\": [{\"name\": \"cold\", \"from\": 1, \"to\": 5},"
        + " {\"name\": \"hot\", \"from\": 5, \"to\": 10}]}";
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aChangedModelReScoresTenThousandUsersWhileIngestionGoesOn(DatabaseKind kind)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind);
        TestServer server = new TestServer(database, Clock.systemUTC(), Map.of())) {
      HttpJson http = server.http();
      String modelId = "rs-" + UUID.randomUUID().toString().substring(0, 8);
      assertEquals(201, http.put("/v1/models/" + modelId, document(1)).status());
      TimeCorrectnessEndToEndTest.awaitRescoringFinished(http, modelId);

      String prefix = "r-" + UUID.randomUUID().toString().substring(0, 6) + "-";
      Instant at = Instant.now().minus(1, ChronoUnit.HOURS);
      for (int request = 0; request < USERS / 1000; request++) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = request * 1000; i < (request + 1) * 1000; i++) {
          batch.add(eventOf(prefix + i, "e-" + i, i, at));
        }
        HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(batch));
        assertEquals(202, answer.status(), answer.body());
      }
      List<String> sample = new ArrayList<>();
      for (int i = 0; i < USERS; i += 97) {
        sample.add(prefix + i);
      }
      ScoringModel v1 = model(modelId, 1).withVersion(1);
      ScoringModel v2 = model(modelId, 30).withVersion(2);
      for (String user : sample) {
        assertPoints(server, http, user, modelId, v1, 1);
      }

      HttpJson.Answer changed = http.put("/v1/models/" + modelId, document(30));
      assertEquals(200, changed.status(), changed.body());
      assertEquals(2, changed.json().get("version").asInt());

      // Ingestion goes on while users are re-scored: new users, and users being re-scored.
      CompletableFuture<Integer> ingesting =
          CompletableFuture.supplyAsync(
              () -> {
                int accepted = 0;
                for (int request = 0; request < 20; request++) {
                  List<Map<String, Object>> batch = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    int n = request * 50 + i;
                    String user = n % 2 == 0 ? prefix + "late-" + n : prefix + (n * 7 % USERS);
                    batch.add(eventOf(user, "late-" + n, 1, at.plusSeconds(60)));
                  }
                  HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(batch));
                  assertEquals(202, answer.status(), answer.body());
                  accepted += answer.json().get("accepted").asInt();
                }
                return accepted;
              });
      JsonNode progress = awaitFinished(http, modelId, Duration.ofMinutes(4));
      assertEquals(1000, ingesting.get(2, TimeUnit.MINUTES).intValue());
      assertTrue(progress.get("total").asLong() >= USERS, progress.toString());
      assertEquals(progress.get("total").asLong(), progress.get("done").asLong());

      for (String user : sample) {
        assertPoints(server, http, user, modelId, v2, 2);
      }
      for (int n = 1; n < 1000; n += 2) {
        assertPoints(server, http, prefix + (n * 7 % USERS), modelId, v2, 2);
      }

      // Page viewers (two users in three) move from cold to hot because of the change.
      int expectedMoves = 0;
      for (int i = 0; i < USERS; i++) {
        if (i % 3 != 0) {
          expectedMoves++;
        }
      }
      assertEquals(expectedMoves, countModelChangeTransitions(http, modelId, prefix));
    }
  }

  /** Users i%3==0 buy (half of them for 50 or more); the others view a page. */
  private static Map<String, Object> eventOf(String user, String eventId, int i, Instant at) {
    if (i % 3 == 0) {
      return Map.of(
          "eventId",
          eventId,
          "userId",
          user,
          "type",
          "purchase",
          "channel",
          "web",
          "timestamp",
          at.toString(),
          "properties",
          Map.of("amount", (i / 3) % 2 == 0 ? 80 : 20));
    }
    return Map.of(
        "eventId",
        eventId,
        "userId",
        user,
        "type",
        "page_view",
        "channel",
        "web",
        "timestamp",
        at.toString());
  }

  /** Replays the user's journal independently and compares its points with the API's. */
  private static void assertPoints(
      TestServer server,
      HttpJson http,
      String user,
      String modelId,
      ScoringModel model,
      int version)
      throws Exception {
    JdbcReadJournal journal =
        PersistenceQuery.get(server.system())
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    List<BehaviouralEvent> history =
        journal
            .currentEventsByPersistenceId(
                UserEntity.persistenceIdOf(UserEntity.entityId("default", user)).id(),
                0,
                Long.MAX_VALUE)
            .filter(envelope -> envelope.event() instanceof ScoredEvent)
            .map(envelope -> ((ScoredEvent) envelope.event()).event())
            .runWith(Sink.seq(), server.system())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    double expected =
        UserEngagement.empty(user, 1024)
            .record(history, ScoringModels.of(model))
            .state()
            .scoreIn(modelId)
            .points();
    JsonNode score = http.get("/v1/users/" + user).json().get("scores").get(modelId);
    assertEquals(version, score.get("modelVersion").asInt(), user + " " + score);
    assertEquals(expected, score.get("points").asDouble(), 1e-9, user);
    assertEquals(model.bandFor(model.scoreFor(expected)), score.get("band").asText(), user);
  }

  private static JsonNode awaitFinished(HttpJson http, String modelId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode rescoring = null;
    while (System.nanoTime() < deadline) {
      rescoring = http.get("/v1/models/" + modelId).json().get("rescoring");
      if (rescoring != null && rescoring.get("finished").asBoolean()) {
        return rescoring;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("re-scoring did not finish: " + rescoring);
  }

  private static int countModelChangeTransitions(HttpJson http, String modelId, String prefix) {
    Map<String, Integer> perUser = new HashMap<>();
    long after = 0;
    while (true) {
      JsonNode page =
          http.get(
                  "/v1/transitions?limit=1000&cause=model-change&model="
                      + modelId
                      + "&after="
                      + after)
              .json();
      for (JsonNode transition : page.get("transitions")) {
        String user = transition.get("userId").asText();
        if (user.startsWith(prefix) && !user.startsWith(prefix + "late-")) {
          assertEquals("cold", transition.get("from").asText(), transition.toString());
          assertEquals("hot", transition.get("to").asText(), transition.toString());
          perUser.merge(user, 1, Integer::sum);
        }
      }
      long next = page.get("next").asLong();
      if (next == after) {
        break;
      }
      after = next;
    }
    perUser.values().forEach(count -> assertEquals(1, count.intValue()));
    return perUser.size();
  }
}
