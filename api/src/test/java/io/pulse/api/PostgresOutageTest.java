package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.api.cluster.JournalAudit;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.persistence.testing.DatabaseProxy;
import io.pulse.persistence.testing.PostgresTestDatabase;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL outage under a light load over 1,000 users, with decay transitions falling due
 * during it: the test cuts the node's connections to the database for 10 s with a proxy of its own
 * and then restores them. While cut, writes get 503 with Retry-After at once, readiness answers at
 * once and says why the node is not ready, and the log says so once; within 2 s of the database
 * answering again every user reads and writes, and the transitions that fell due are journaled;
 * every acknowledged event is in the journal exactly once.
 */
class PostgresOutageTest {

  private static final int USERS = 1000;
  private static final int DECAYING_USERS = 20;
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  private static final Duration AT_ONCE = Duration.ofSeconds(1);
  private static final Duration RECOVERY = Duration.ofSeconds(2);

  /**
   * A 5-second half-life: 80 points (high) fall below 7 after 2.7 s and below 4 after 9.9 s, so
   * that both crossings of a user pushed just before the cut fall due during the outage.
   */
  private static final double HALF_LIFE_SECONDS = 5;

  private static final String FADING_MODEL =
      "{\"rules\": [{\"event\": \"email_click\", \"points\": 40}],"
          + " \"halfLifeDays\": "
          + (HALF_LIFE_SECONDS / 86_400)
          + ", \"bands\": [{\"name\": \"low\", \"from\": 1, \"to\": 4},"
          + " {\"name\": \"medium\", \"from\": 4, \"to\": 7},"
          + " {\"name\": \"high\", \"from\": 7, \"to\": 10}]}";

  @Test
  void anOutageIsCalmAndTheNodeServesEveryoneWithinTwoSecondsOfTheDatabaseAnsweringAgain()
      throws Exception {
    try (CapturedLog log = CapturedLog.underTheServersConfiguration();
        PostgresTestDatabase database = PostgresTestDatabase.create();
        DatabaseProxy proxy = DatabaseProxy.inFrontOf(database);
        TestServer server =
            new TestServer(
                database,
                Clock.systemUTC(),
                Map.of(
                    "pulse.db.url",
                    proxy.jdbcUrl(),
                    // The reads after the outage come all at once; this is not a rate limit test.
                    "pulse.access.default-limits.requests-per-second",
                    100_000))) {
      HttpJson http = server.http();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();

      // given a model whose points fade within seconds, and 1,000 users who each sent an event
      assertEquals(201, http.put("/v1/models/fading", FADING_MODEL).status());
      TimeCorrectnessEndToEndTest.awaitRescoringFinished(http, "fading");
      List<String> users = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        users.add("user-" + i);
      }
      for (int from = 0; from < USERS; from += 100) {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (String user : users.subList(from, from + 100)) {
          batch.add(session(user, "first-" + user));
        }
        accept(http, batch, acknowledged);
      }
      // (each read and written once more, as after the outage, so that both run warm)
      serveEveryone(http, users, "before-", acknowledged);
      // and a light load over them, a client that retries what is refused, and a readiness probe
      LightLoad load = new LightLoad(http, users, acknowledged);
      ReadinessProbe readiness = new ReadinessProbe(http);
      Thread.sleep(1_000);

      // and users pushed to high, whose decay crossings fall due during the outage
      Instant pushed = Instant.now();
      List<Map<String, Object>> clicks = new ArrayList<>();
      for (int i = 0; i < DECAYING_USERS; i++) {
        String user = "fading-" + i;
        clicks.add(click(user, "a-" + user, pushed));
        clicks.add(click(user, "b-" + user, pushed));
      }
      accept(http, clicks, acknowledged);
      awaitWakeUpsRecorded(database, DECAYING_USERS);

      // when the database is cut off for 10 s
      Instant cut = Instant.now();
      proxy.cut();
      Thread.sleep(2_000);
      Timed modelWrite = Timed.of(() -> http.put("/v1/models/during", FADING_MODEL));
      Timed feedRead = Timed.of(() -> http.get("/v1/transitions?after=0&limit=10"));
      Thread.sleep(OUTAGE.minusMillis(Duration.between(cut, Instant.now()).toMillis()).toMillis());
      proxy.restore();
      Instant restored = Instant.now();

      // then within 2 s every user reads and writes, and the decay transitions are there
      DecayWatch decay = new DecayWatch(http, pushed, cut, restored);
      List<Attempt> attempts = serveEveryone(http, users, "after-", acknowledged);
      decay.awaitAll();
      Thread.sleep(1_000);
      Instant settled = Instant.now();
      load.stop();
      readiness.stop();

      List<String> failures = new ArrayList<>();
      checkWritesDuringTheOutage(load.writes(), cut, restored, failures);
      // Any write, not only events, is refused at once; a read that needs the database waits for a
      // pooled connection at most (1 s), and then says why too.
      if (!modelWrite.refusedFor("journal-unavailable", AT_ONCE)) {
        failures.add("a model written during the outage was not refused at once: " + modelWrite);
      }
      if (!feedRead.refusedFor("journal-unavailable", AT_ONCE.multipliedBy(2))) {
        failures.add("the transition feed read during the outage: " + feedRead);
      }
      checkReadiness(readiness.answers(), cut, restored, failures);
      checkEveryoneServed(attempts, restored, failures);
      decay.check(JournalAudit.transitions(database, "fading-"), failures);
      checkTheLog(log.between(cut, settled), failures);
      checkMetrics(http, failures);
      assertTrue(failures.isEmpty(), String.join("\n", failures));

      // and every acknowledged event is in the journal exactly once
      server.stop();
      Map<String, Integer> journaled = new HashMap<>();
      for (JournalAudit.UserJournal user : JournalAudit.read(database).values()) {
        for (BehaviouralEvent event : user.events()) {
          journaled.merge(event.eventId(), 1, Integer::sum);
        }
      }
      List<String> missing =
          acknowledged.stream().filter(id -> !journaled.containsKey(id)).sorted().toList();
      List<String> doubled =
          journaled.entrySet().stream()
              .filter(entry -> entry.getValue() > 1)
              .map(Map.Entry::getKey)
              .sorted()
              .toList();
      assertEquals(List.of(), missing, "acknowledged, not journaled");
      assertEquals(List.of(), doubled, "journaled more than once");
      assertTrue(load.acknowledgedAfter(restored) > 0, "the load went on after the outage");
    }
  }

  private static void checkWritesDuringTheOutage(
      List<Write> writes, Instant cut, Instant restored, List<String> failures) {
    List<Write> during =
        writes.stream()
            .filter(write -> !write.sent().isBefore(cut) && write.sent().isBefore(restored))
            .toList();
    if (during.size() < 20) {
      failures.add("only " + during.size() + " writes were sent during the outage");
    }
    for (Write write : during) {
      if (write.status() != 503 || !write.retryAfter() || write.took().compareTo(AT_ONCE) >= 0) {
        failures.add("a write during the outage was not refused at once: " + write);
      }
    }
  }

  private static void checkReadiness(
      List<Readiness> answers, Instant cut, Instant restored, List<String> failures) {
    int notReady = 0;
    for (Readiness answer : answers) {
      if (answer.took().compareTo(AT_ONCE) >= 0) {
        failures.add("readiness took " + answer.took().toMillis() + " ms: " + answer);
      }
      if (answer.sent().isBefore(cut)) {
        if (answer.status() != 200) {
          failures.add("not ready before the outage: " + answer);
        }
      } else if (!answer.sent().isBefore(cut.plus(AT_ONCE)) && answer.sent().isBefore(restored)) {
        notReady++;
        JsonNode journal = answer.body() == null ? null : answer.body().get("journal");
        if (answer.status() != 503
            || journal == null
            || journal.get("available").asBoolean()
            || journal.path("reason").asText().isBlank()) {
          failures.add("readiness during the outage does not say why: " + answer);
        }
      }
    }
    if (notReady < 20) {
      failures.add("only " + notReady + " readiness answers during the outage");
    }
    Readiness last = answers.get(answers.size() - 1);
    if (last.status() != 200) {
      failures.add("not ready again after the outage: " + last);
    }
  }

  /** At most a handful of lines for the whole outage, none with a stack trace. */
  private static void checkTheLog(List<CapturedLog.Line> lines, List<String> failures) {
    long warnings =
        lines.stream()
            .filter(line -> line.level().toString().equals("WARN"))
            .filter(line -> line.message().contains("journal database is unavailable"))
            .count();
    long recoveries =
        lines.stream().filter(line -> line.message().contains("journal database answers")).count();
    boolean traces = lines.stream().anyMatch(CapturedLog.Line::withStackTrace);
    if (lines.size() > 5 || warnings != 1 || recoveries != 1 || traces) {
      failures.add(
          "the outage logged "
              + lines.size()
              + " lines, expected one warning, one line on recovery and at most 3 others,"
              + " without stack traces:\n  "
              + lines.stream()
                  .limit(60)
                  .map(CapturedLog.Line::toString)
                  .collect(Collectors.joining("\n  ")));
    }
  }

  private static void checkMetrics(HttpJson http, List<String> failures) {
    String metrics = http.get("/metrics").body();
    Map<String, Double> expected =
        Map.of("pulse_journal_available", 1.0, "pulse_journal_outages_total", 1.0);
    expected.forEach(
        (name, value) -> {
          Double actual = sample(metrics, name);
          if (actual == null || actual.doubleValue() != value.doubleValue()) {
            failures.add("metric " + name + " is " + actual + ", expected " + value);
          }
        });
    Double refused = sample(metrics, "pulse_journal_writes_refused_total");
    if (refused == null || refused < 20) {
      failures.add("pulse_journal_writes_refused_total is " + refused);
    }
    Double unavailable = sample(metrics, "pulse_journal_unavailable_seconds_total");
    if (unavailable == null || unavailable < 9 || unavailable > 11) {
      failures.add("pulse_journal_unavailable_seconds_total is " + unavailable);
    }
  }

  private static Double sample(String metrics, String name) {
    Matcher line =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
    return line.find() ? Double.valueOf(line.group(1)) : null;
  }

  /**
   * Within 2 s of the database answering again, every user is served: whatever the test asks of a
   * user from then on, a read or a write, succeeds at once. Until then an answer may still be a 503
   * (the node may not have found the database back yet), which the test retries; asking 1,000 users
   * twice takes the test itself about as long on a busy 2-core machine, so an answer is judged by
   * when it came, not whether the test had reached every user by then.
   */
  private static void checkEveryoneServed(
      List<Attempt> attempts, Instant restored, List<String> failures) {
    Instant deadline = restored.plus(RECOVERY);
    Set<String> read = new HashSet<>();
    Set<String> written = new HashSet<>();
    List<Attempt> late = new ArrayList<>();
    for (Attempt attempt : attempts) {
      if (attempt.succeeded()) {
        (attempt.write() ? written : read).addAll(attempt.users());
      }
      boolean answeredLate = attempt.sent().plus(attempt.took()).isAfter(deadline);
      if (answeredLate && (!attempt.succeeded() || attempt.took().compareTo(AT_ONCE) >= 0)) {
        late.add(attempt);
      }
    }
    if (read.size() < USERS || written.size() < USERS) {
      failures.add(
          "after the outage "
              + read.size()
              + " users were read and "
              + written.size()
              + " written, of "
              + USERS);
    }
    if (!late.isEmpty()) {
      failures.add(
          late.size()
              + " reads or writes answered more than 2 s after the database was back failed or"
              + " waited, the first: "
              + late.stream().limit(5).map(attempt -> attempt.describe(restored)).toList());
    }
  }

  /** A read ({@code GET /v1/users/{id}}) or a write (a batch of one event per user) of the test. */
  record Attempt(List<String> users, boolean write, Instant sent, Duration took, int status) {

    boolean succeeded() {
      return status == (write ? 202 : 200);
    }

    String describe(Instant restored) {
      return (write ? "a write of " + users.size() + " users" : "a read of " + users.get(0))
          + " sent "
          + Duration.between(restored, sent).toMillis()
          + " ms after the database was back answered "
          + status
          + " after "
          + took.toMillis()
          + " ms";
    }
  }

  /**
   * Writes one event for and reads each user, from 8 threads, each retried every 50 ms until it
   * succeeds; every attempt.
   */
  private static List<Attempt> serveEveryone(
      HttpJson http, List<String> users, String eventIdPrefix, Set<String> acknowledged)
      throws Exception {
    List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int from = 0; from < users.size(); from += 50) {
        List<String> group = users.subList(from, from + 50);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (String user : group) {
          batch.add(session(user, eventIdPrefix + user));
        }
        work.add(
            threads.submit(
                () ->
                    retryUntilServed(
                        attempts,
                        group,
                        true,
                        () -> status(() -> send(http, batch, acknowledged)))));
      }
      for (String user : users) {
        work.add(
            threads.submit(
                () ->
                    retryUntilServed(
                        attempts,
                        List.of(user),
                        false,
                        () -> status(() -> http.get("/v1/users/" + user)))));
      }
      for (Future<?> each : work) {
        each.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }

  private static void retryUntilServed(
      List<Attempt> attempts,
      List<String> users,
      boolean write,
      java.util.function.IntSupplier call) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Instant sent = Instant.now();
      long started = System.nanoTime();
      int status = call.getAsInt();
      Attempt attempt =
          new Attempt(users, write, sent, Duration.ofNanos(System.nanoTime() - started), status);
      attempts.add(attempt);
      if (attempt.succeeded()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not served within 30 s: " + attempt);
      }
      sleep(50);
    }
  }

  private static void accept(
      HttpJson http, List<Map<String, Object>> batch, Set<String> acknowledged) {
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(batch));
    assertEquals(202, answer.status(), answer.body());
    batch.forEach(event -> acknowledged.add((String) event.get("eventId")));
  }

  /** Posts {@code batch}; its events are acknowledged on a 202. */
  private static HttpJson.Answer send(
      HttpJson http, List<Map<String, Object>> batch, Set<String> acknowledged) {
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(batch));
    if (answer.status() == 202) {
      batch.forEach(event -> acknowledged.add((String) event.get("eventId")));
    }
    return answer;
  }

  private static int status(java.util.function.Supplier<HttpJson.Answer> call) {
    try {
      return call.get().status();
    } catch (UncheckedIOException connectionFailed) {
      return -1;
    }
  }

  private static Map<String, Object> session(String user, String eventId) {
    return Map.of("eventId", eventId, "userId", user, "type", "app_session", "channel", "app");
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

  /** Waits until the scheduler's table holds the wake-ups of the decaying users. */
  private static void awaitWakeUpsRecorded(PostgresTestDatabase database, int count)
      throws Exception {
    Properties credentials = new Properties();
    credentials.setProperty("user", database.user());
    if (!database.password().isEmpty()) {
      credentials.setProperty("password", database.password());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), credentials);
        Statement statement = connection.createStatement()) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM pulse_wake_up WHERE entity_id LIKE 'default|fading-%'")) {
          rows.next();
          if (rows.getInt(1) >= count) {
            return;
          }
        }
        sleep(20);
      }
    }
    throw new AssertionError("the wake-ups of the decaying users were not recorded");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One request and how long its answer took. */
  record Timed(HttpJson.Answer answer, Duration took) {

    static Timed of(java.util.function.Supplier<HttpJson.Answer> request) {
      long started = System.nanoTime();
      HttpJson.Answer answer = request.get();
      return new Timed(answer, Duration.ofNanos(System.nanoTime() - started));
    }

    /** A 503 of the given problem, with Retry-After, within {@code within}. */
    boolean refusedFor(String problem, Duration within) {
      return answer.status() == 503
          && answer.header("Retry-After") != null
          && answer.json().path("type").asText().equals("urn:pulse:problem:" + problem)
          && took.compareTo(within) < 0;
    }

    @Override
    public String toString() {
      return answer.status() + " after " + took.toMillis() + " ms: " + answer.body();
    }
  }

  /** One request of the load: when it was sent, how long its answer took, and what it was. */
  record Write(Instant sent, Duration took, int status, boolean retryAfter, String problem) {}

  /**
   * Ten events every 100 ms for random users among the 1,000, from one client that sends a refused
   * batch again, unchanged, until it is accepted.
   */
  private static final class LightLoad {

    private final HttpJson http;
    private final List<String> users;
    private final Set<String> acknowledged;
    private final List<Write> writes = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    LightLoad(HttpJson http, List<String> users, Set<String> acknowledged) {
      this.http = http;
      this.users = users;
      this.acknowledged = acknowledged;
      this.thread = new Thread(this::run, "light-load");
      thread.start();
    }

    private void run() {
      Random random = new Random(42);
      List<Map<String, Object>> batch = null;
      int next = 0;
      while (running) {
        if (batch == null) {
          batch = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            String user = users.get(random.nextInt(users.size()));
            batch.add(session(user, "load-" + next++));
          }
        }
        Instant sent = Instant.now();
        long started = System.nanoTime();
        Write write;
        try {
          HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(batch));
          write =
              new Write(
                  sent,
                  Duration.ofNanos(System.nanoTime() - started),
                  answer.status(),
                  answer.header("Retry-After") != null,
                  answer.isProblem() ? answer.json().path("type").asText() : "");
        } catch (UncheckedIOException e) {
          write = new Write(sent, Duration.ofNanos(System.nanoTime() - started), -1, false, "" + e);
        }
        writes.add(write);
        if (write.status() == 202) {
          batch.forEach(event -> acknowledged.add((String) event.get("eventId")));
          batch = null;
        }
        sleep(100);
      }
    }

    List<Write> writes() {
      synchronized (writes) {
        return List.copyOf(writes);
      }
    }

    long acknowledgedAfter(Instant moment) {
      return writes().stream()
          .filter(write -> write.status() == 202 && write.sent().isAfter(moment))
          .count();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(30_000);
    }
  }

  /** One answer of {@code /health/ready}. */
  record Readiness(Instant sent, Duration took, int status, JsonNode body) {}

  /** Asks {@code /health/ready} every 100 ms, as an orchestrator's probe does. */
  private static final class ReadinessProbe {

    private final HttpJson http;
    private final List<Readiness> answers = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;

    ReadinessProbe(HttpJson http) {
      this.http = http;
      this.thread = new Thread(this::run, "readiness-probe");
      thread.start();
    }

    private void run() {
      while (running) {
        Instant sent = Instant.now();
        long started = System.nanoTime();
        Readiness answer;
        try {
          HttpJson.Answer ready = http.get("/health/ready");
          answer =
              new Readiness(
                  sent,
                  Duration.ofNanos(System.nanoTime() - started),
                  ready.status(),
                  ready.json());
        } catch (UncheckedIOException e) {
          answer = new Readiness(sent, Duration.ofNanos(System.nanoTime() - started), -1, null);
        }
        answers.add(answer);
        sleep(100);
      }
    }

    List<Readiness> answers() {
      synchronized (answers) {
        return List.copyOf(answers);
      }
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(30_000);
    }
  }

  /**
   * Follows the decay transitions of the fading model after the outage: when each was first seen in
   * the transition feed.
   */
  private static final class DecayWatch {

    private final HttpJson http;
    private final Instant pushed;
    private final Instant cut;
    private final Instant restored;
    private final Map<String, Instant> seen = new HashMap<>();
    private final Thread watcher;

    /** Starts watching at once, until every transition is seen or 10 s have passed. */
    DecayWatch(HttpJson http, Instant pushed, Instant cut, Instant restored) {
      this.http = http;
      this.pushed = pushed;
      this.cut = cut;
      this.restored = restored;
      Instant deadline = restored.plusSeconds(10);
      this.watcher =
          new Thread(
              () -> {
                while (seenCount() < 2 * DECAYING_USERS && Instant.now().isBefore(deadline)) {
                  poll();
                  sleep(50);
                }
              },
              "decay-watch");
      watcher.start();
    }

    private synchronized int seenCount() {
      return seen.size();
    }

    /** When decay takes 80 points, held since the push, down to a score of {@code score}. */
    Instant crossing(double score) {
      double floor = -50 * Math.log(1 - (score - 1) / 9);
      double seconds = HALF_LIFE_SECONDS * Math.log(80 / floor) / Math.log(2);
      return pushed.plusNanos((long) (seconds * 1e9));
    }

    void awaitAll() throws InterruptedException {
      watcher.join(30_000);
    }

    private void poll() {
      JsonNode page;
      try {
        page =
            http.get("/v1/transitions?after=0&limit=1000&model=fading&cause=decay")
                .json()
                .get("transitions");
      } catch (UncheckedIOException e) {
        return;
      }
      if (page == null) {
        return;
      }
      Instant now = Instant.now();
      synchronized (this) {
        for (JsonNode transition : page) {
          seen.putIfAbsent(
              transition.get("userId").asText() + ":" + transition.get("to").asText(), now);
        }
      }
    }

    /**
     * Every decay transition is in the feed, and those due during the outage were handed to the
     * journal within 2 s of the database answering again (by the journal's write timestamp, so that
     * the test's own polling does not count).
     */
    synchronized void check(
        List<JournalAudit.JournaledTransition> journaled, List<String> failures) {
      Map<String, Instant> written = new HashMap<>();
      for (JournalAudit.JournaledTransition each : journaled) {
        if (each.transition().cause() == TransitionCause.DECAY) {
          written.putIfAbsent(
              each.transition().userId() + ":" + each.transition().to(), each.writtenAt());
        }
      }
      Map<String, Instant> due = new HashMap<>();
      for (int i = 0; i < DECAYING_USERS; i++) {
        due.put("fading-" + i + ":medium", crossing(7));
        due.put("fading-" + i + ":low", crossing(4));
      }
      Set<String> duringTheOutage = new HashSet<>();
      due.forEach(
          (transition, at) -> {
            if (!at.isBefore(cut) && at.isBefore(restored)) {
              duringTheOutage.add(transition);
            }
          });
      if (duringTheOutage.size() < DECAYING_USERS) {
        failures.add(
            "only "
                + duringTheOutage.size()
                + " decay transitions fell due during the outage; the cut came late");
      }
      for (String transition : due.keySet()) {
        Instant at = written.get(transition);
        if (at == null || !seen.containsKey(transition)) {
          failures.add("decay transition " + transition + " never came");
        } else if (duringTheOutage.contains(transition)
            && Duration.between(restored, at).compareTo(RECOVERY) > 0) {
          failures.add(
              "decay transition "
                  + transition
                  + ", due during the outage, came "
                  + Duration.between(restored, at).toMillis()
                  + " ms after the database answered again, and was in the feed after "
                  + Duration.between(restored, seen.get(transition)).toMillis()
                  + " ms");
        }
      }
    }
  }
}
