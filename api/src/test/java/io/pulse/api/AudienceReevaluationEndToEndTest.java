package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.api.json.AudienceDocument;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.ScoredEvent;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.domain.audience.Audience;
import io.pulse.engine.domain.audience.Audiences;
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
 * A changed audience re-decides every user from the journal in the background while ingestion goes
 * on: the users it lets in enter with a definition-change transition, once each, and every sampled
 * user's memberships are those of an independent evaluation of the user's journal.
 */
class AudienceReevaluationEndToEndTest {

  private static final int USERS = 10_000;

  /** Gold-tier users with at least {@code views} page views in the last 7 days. */
  private static String condition(int views) {
    return "{\"all\": [{\"trait\": \"tier\", \"eq\": \"gold\"},"
        + " {\"event\": \"page_view\", \"within\": \"P7D\", \"count\": {\"gte\": "
        + views
        + "}}]}";
  }

  private static String document(int views) {
    return "{\"name\": \"Engaged gold\", \"condition\": " + condition(views) + "}";
  }

  private static Audience audience(String id, int views, long version) throws Exception {
    JsonNode tree = HttpJson.MAPPER.readTree(condition(views));
    return new AudienceDocument(null, "Engaged gold", tree, null, null)
        .toAudience(id)
        .audience()
        .withVersion(version);
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aChangedAudienceReDecidesTenThousandUsersWhileIngestionGoesOn(DatabaseKind kind)
      throws Exception {
    try (TestDatabase database = TestDatabase.create(kind);
        TestServer server = new TestServer(database, Clock.systemUTC(), Map.of())) {
      HttpJson http = server.http();
      String audienceId = "au-" + UUID.randomUUID().toString().substring(0, 8);
      assertEquals(201, http.put("/v1/audiences/" + audienceId, document(3)).status());
      awaitFinished(http, audienceId, Duration.ofSeconds(30));

      // user i identifies as gold (even i) or silver, and views (i % 3) + 1 pages
      String prefix = "a-" + UUID.randomUUID().toString().substring(0, 6) + "-";
      Instant at = Instant.now().minus(1, ChronoUnit.HOURS);
      List<Map<String, Object>> batch = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        batch.addAll(eventsOf(prefix + i, i, at));
        if (batch.size() >= 900) {
          post(http, batch);
          batch.clear();
        }
      }
      post(http, batch);
      List<String> sample = new ArrayList<>();
      for (int i = 0; i < USERS; i += 97) {
        sample.add(prefix + i);
      }
      Definitions v1 = definitions(audience(audienceId, 3, 1));
      for (String user : sample) {
        assertMemberships(server, http, user, audienceId, v1);
      }

      HttpJson.Answer changed = http.put("/v1/audiences/" + audienceId, document(2));
      assertEquals(200, changed.status(), changed.body());
      assertEquals(2, changed.json().get("version").asInt());

      // Ingestion goes on while users are re-decided: new users, and users being re-decided.
      CompletableFuture<Integer> ingesting =
          CompletableFuture.supplyAsync(
              () -> {
                int accepted = 0;
                for (int request = 0; request < 20; request++) {
                  List<Map<String, Object>> late = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    int n = request * 50 + i;
                    String user = n % 2 == 0 ? prefix + "late-" + n : prefix + (n * 7 % USERS);
                    late.add(pageView(user, "late-" + n, at.plusSeconds(60)));
                  }
                  HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(late));
                  assertEquals(202, answer.status(), answer.body());
                  accepted += answer.json().get("accepted").asInt();
                }
                return accepted;
              });
      JsonNode progress = awaitFinished(http, audienceId, Duration.ofMinutes(4));
      assertEquals(1000, ingesting.get(2, TimeUnit.MINUTES).intValue());
      assertTrue(progress.get("total").asLong() >= USERS, progress.toString());
      assertEquals(progress.get("total").asLong(), progress.get("done").asLong());

      Definitions v2 = definitions(audience(audienceId, 2, 2));
      for (String user : sample) {
        assertMemberships(server, http, user, audienceId, v2);
      }
      for (int n = 1; n < 1000; n += 2) {
        assertMemberships(server, http, prefix + (n * 7 % USERS), audienceId, v2);
      }

      // Gold users with exactly two page views come in because of the change, each once, also
      // those a late page view reached first: their history is re-decided before the event.
      Map<String, Integer> entered = definitionChangeEntries(http, audienceId, prefix);
      entered.values().forEach(count -> assertEquals(1, count.intValue()));
      int expected = 0;
      for (int i = 0; i < USERS; i++) {
        if (i % 2 == 0 && i % 3 == 1) {
          assertTrue(entered.containsKey(prefix + i), prefix + i + " entered");
          expected++;
        }
      }
      assertEquals(expected, entered.size());
    }
  }

  private static Definitions definitions(Audience audience) {
    return new Definitions(
        ScoringModels.of(ScoringModel.defaultEngagement().withVersion(1)), Audiences.of(audience));
  }

  private static void post(HttpJson http, List<Map<String, Object>> batch) {
    if (batch.isEmpty()) {
      return;
    }
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(batch));
    assertEquals(202, answer.status(), answer.body());
    assertEquals(batch.size(), answer.json().get("accepted").asInt(), answer.body());
  }

  private static List<Map<String, Object>> eventsOf(String user, int i, Instant at) {
    List<Map<String, Object>> events = new ArrayList<>();
    events.add(
        Map.of(
            "eventId",
            "id-" + i,
            "userId",
            user,
            "type",
            "identify",
            "timestamp",
            at.toString(),
            "traits",
            Map.of("tier", i % 2 == 0 ? "gold" : "silver")));
    for (int view = 0; view <= i % 3; view++) {
      events.add(pageView(user, "pv-" + i + "-" + view, at.plusSeconds(view)));
    }
    return events;
  }

  private static Map<String, Object> pageView(String user, String eventId, Instant at) {
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

  /** Evaluates the user's journal independently and compares the membership with the API's. */
  private static void assertMemberships(
      TestServer server, HttpJson http, String user, String audienceId, Definitions definitions)
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
    Instant now = Instant.now();
    boolean expected =
        UserEngagement.empty(user, 1024)
            .record(history, definitions, now)
            .state()
            .audiences()
            .member(audienceId);
    JsonNode audiences = http.get("/v1/users/" + user).json().get("audiences");
    boolean member = false;
    for (JsonNode id : audiences) {
      member |= id.asText().equals(audienceId);
    }
    assertEquals(expected, member, user + " " + audiences + " after " + history.size());
  }

  private static JsonNode awaitFinished(HttpJson http, String audienceId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode progress = null;
    while (System.nanoTime() < deadline) {
      progress = http.get("/v1/audiences/" + audienceId).json().get("reevaluation");
      if (progress != null && progress.get("finished").asBoolean()) {
        return progress;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("re-evaluation did not finish: " + progress);
  }

  private static Map<String, Integer> definitionChangeEntries(
      HttpJson http, String audienceId, String prefix) {
    Map<String, Integer> perUser = new HashMap<>();
    long after = 0;
    while (true) {
      JsonNode page =
          http.get(
                  "/v1/transitions?limit=1000&cause=definition-change&audience="
                      + audienceId
                      + "&after="
                      + after)
              .json();
      for (JsonNode transition : page.get("transitions")) {
        String user = transition.get("userId").asText();
        if (user.startsWith(prefix) && !user.startsWith(prefix + "late-")) {
          assertEquals("member", transition.get("to").asText(), transition.toString());
          assertEquals(2, transition.get("audienceVersion").asInt(), transition.toString());
          perUser.merge(user, 1, Integer::sum);
        }
      }
      long next = page.get("next").asLong();
      if (next == after) {
        break;
      }
      after = next;
    }
    return perUser;
  }
}
