package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Transition subscriptions against a real node and journal, run once per database by the
 * subclasses: the SSE stream (resume, heartbeats, slow clients) and webhooks (signatures, retries
 * with backoff, per-user order, dead letters and redelivery, restart). Tests run one after the
 * other on one server; each reads only the transitions after the journal's head at its start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TransitionSubscriptionsContract {

  static final String SECRET = "test-secret-0123456789abcdef";
  static final Duration WAIT = Duration.ofSeconds(30);

  /** Retries: 9 attempts, 100 ms doubling to 1.5 s, half of each wait fixed. */
  static final int MAX_ATTEMPTS = 9;

  static final long MIN_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 1500;

  static final Map<String, Object> SETTINGS =
      Map.ofEntries(
          Map.entry("pulse.transitions.stream.heartbeat-interval", "1s"),
          // Small enough that a client reading nothing falls behind within the 1,500 transitions
          // of the slow-client test, large enough that one reading all the time keeps up while
          // the server's burst of them takes the machine's cores.
          Map.entry("pulse.transitions.stream.client-buffer", 700),
          Map.entry("pulse.webhooks.max-attempts", MAX_ATTEMPTS),
          Map.entry("pulse.webhooks.min-backoff", MIN_BACKOFF_MILLIS + "ms"),
          Map.entry("pulse.webhooks.max-backoff", MAX_BACKOFF_MILLIS + "ms"),
          Map.entry("pulse.webhooks.request-timeout", "2s"),
          Map.entry("pulse.webhooks.connect-timeout", "1s"),
          Map.entry("pulse.webhooks.commit-interval", "200ms"),
          Map.entry("pulse.webhooks.keep-alive-interval", "1s"),
          Map.entry("pulse.webhooks.restart.min-backoff", "200ms"),
          // The test receivers listen on loopback, which webhooks may reach only when allowed.
          Map.entry("pulse.webhooks.allowed-networks", "127.0.0.0/8"),
          // A slow SSE client must back up into the server quickly, not into megabytes of
          // socket buffers.
          Map.entry("pekko.http.server.socket-options.so-send-buffer-size", 16384));

  final TestClock clock = new TestClock(EndToEndContract.T0);
  TestDatabase database;
  TestServer server;
  HttpJson http;
  final List<String> subscriptions = new ArrayList<>();

  abstract DatabaseKind kind();

  @BeforeAll
  void startServer() {
    database = TestDatabase.create(kind());
    server = new TestServer(database, clock, SETTINGS);
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

  @AfterEach
  void deleteSubscriptions() {
    for (String id : subscriptions) {
      http.delete("/v1/subscriptions/" + id);
    }
    subscriptions.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // SSE

  @Test
  void anSseClientGetsTransitionsInOffsetOrderAndResumesWithExactlyTheMissedOnes()
      throws Exception {
    long head = head();
    List<String> users = users("sse", 5);
    List<SseClient.Event> seen;
    try (SseClient first =
        SseClient.connect(server.port(), "/v1/transitions/stream?after=" + head)) {
      // idle: the connection stays open with comment lines
      awaitTrue("heartbeats", () -> first.comments() >= 2, Duration.ofSeconds(5));
      assertTrue(first.statusLine().contains(" 200 "), first.statusLine());
      assertTrue(first.headers().toLowerCase().contains("content-type: text/event-stream"));

      clicks(users, 1, "r1");
      first.awaitTransitions(5, WAIT);
      seen = first.transitions();
    }
    assertStrictlyAscending(seen);
    assertTrue(seen.get(0).offset() > head);
    assertEquals(idsOf(users, 1), Set.copyOf(ids(seen)));
    JsonNode firstData = HttpJson.MAPPER.readTree(seen.get(0).data());
    assertEquals(seen.get(0).offset(), firstData.get("offset").asLong());
    long last = seen.get(seen.size() - 1).offset();

    // missed while disconnected: everyone to medium, two to high
    clicks(users, 4, "r2");
    clicks(users.subList(0, 2), 7, "r3");
    List<String> missed = new ArrayList<>(ids(transitionsAfter(last)));
    assertEquals(7, missed.size(), missed.toString());

    // ?after=0 is ignored: Last-Event-ID wins, as when EventSource reconnects
    try (SseClient resumed =
        new SseClient(
            server.port(), "/v1/transitions/stream?after=0", Long.toString(last), 0, false)) {
      resumed.awaitTransitions(7, WAIT);
      Thread.sleep(500);
      List<SseClient.Event> again = resumed.transitions();
      assertEquals(missed, ids(again));
      assertStrictlyAscending(again);
      assertTrue(again.get(0).offset() > last);
    }

    // filters as GET /v1/transitions has them
    String user = users.get(0);
    try (SseClient filtered =
        SseClient.connect(
            server.port(),
            "/v1/transitions/stream?after=" + head + "&user=" + user + "&band=medium")) {
      filtered.awaitTransitions(1, WAIT);
      Thread.sleep(500);
      assertEquals(List.of(user + ":engagement:2"), ids(filtered.transitions()));
    }

    HttpJson.Answer bad = http.get("/v1/transitions/stream?after=-5");
    assertEquals(400, bad.status(), bad.body());
    assertTrue(bad.isProblem());
  }

  @Test
  void aSlowSseClientIsToldToResumeAndNeverHoldsBackAFastOne() throws Exception {
    long head = head();
    String path = "/v1/transitions/stream?after=" + head;
    try (SseClient fast = SseClient.connect(server.port(), path);
        SseClient slow = new SseClient(server.port(), path, null, 4096, true)) {
      awaitTrue("the fast client to connect", () -> fast.comments() >= 1, WAIT);
      Thread.sleep(300);

      // 1500 transitions while the slow client reads nothing at all
      List<String> users = new ArrayList<>();
      for (int batch = 0; batch < 15; batch++) {
        List<String> batchUsers = users("slow" + batch, 100);
        clicks(batchUsers, 1, "r1");
        users.addAll(batchUsers);
        Thread.sleep(50);
      }
      fast.awaitTransitions(1500, WAIT);
      Thread.sleep(300);
      List<SseClient.Event> all = fast.transitions();
      assertEquals(1500, all.size());
      assertStrictlyAscending(all);
      assertEquals(idsOf(users, 1), Set.copyOf(ids(all)));
      assertFalse(fast.ended());

      // the slow client: what fitted, then a resume event naming the last offset it got
      slow.resume();
      slow.awaitEnd(WAIT);
      List<SseClient.Event> events = slow.events();
      SseClient.Event resume = events.get(events.size() - 1);
      assertEquals(
          "resume", resume.type(), events.subList(events.size() - 2, events.size()).toString());
      List<SseClient.Event> got = slow.transitions();
      assertTrue(got.size() < 1500, "the slow client got " + got.size());
      assertStrictlyAscending(got);
      long after = HttpJson.MAPPER.readTree(resume.data()).get("after").asLong();
      assertEquals(resume.offset(), after);
      assertEquals(
          got.isEmpty() ? head : got.get(got.size() - 1).offset(),
          after,
          "the last events: " + events.subList(Math.max(0, events.size() - 4), events.size()));

      // resuming from there gives exactly the rest
      try (SseClient rest = new SseClient(server.port(), path, Long.toString(after), 0, false)) {
        rest.awaitTransitions(1500 - got.size(), WAIT);
        Thread.sleep(300);
        List<String> together = new ArrayList<>(ids(got));
        together.addAll(ids(rest.transitions()));
        assertEquals(ids(all), together);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Webhooks

  @Test
  void webhooksArriveSignedInOrderPerUserAndBackedOffThroughErrorsDowntimeAndSlowAnswers()
      throws Exception {
    try (WebhookReceiver receiver =
        new WebhookReceiver(index -> new WebhookReceiver.Answer(index < 3 ? 500 : 200, 0))) {
      JsonNode created = subscribe(receiver.url(), null);
      String id = created.get("id").asText();
      assertEquals("****" + SECRET.substring(SECRET.length() - 4), created.get("secret").asText());
      JsonNode read = http.get("/v1/subscriptions/" + id).json();
      assertFalse(read.toString().contains(SECRET), read.toString());
      assertTrue(
          http.get("/v1/subscriptions").json().toString().contains(id), "listed subscriptions");

      List<String> users = users("wh", 4);
      clicks(users, 1, "r1");
      // three 500s, then down for two seconds
      awaitTrue("three failed deliveries", () -> receiver.requests().size() >= 3, WAIT);
      receiver.stop();
      clicks(users, 4, "r2");
      clicks(users, 7, "r3");
      Thread.sleep(2000);
      // then slow
      receiver.behave(index -> new WebhookReceiver.Answer(200, 300));
      receiver.start();

      Set<String> expected = new LinkedHashSet<>();
      for (int n = 1; n <= 3; n++) {
        expected.addAll(idsOf(users, n));
      }
      awaitTrue(
          "every transition delivered", () -> deliveredIds(receiver).containsAll(expected), WAIT);

      List<WebhookReceiver.Request> requests = receiver.requests();
      assertEquals(3, requests.stream().filter(request -> request.status() == 500).count());
      assertEquals(expected, deliveredIds(receiver));
      for (WebhookReceiver.Request request : requests) {
        assertValidCloudEvent(request, id);
      }
      assertOrderedPerUser(users, requests);
      assertBackedOff(requests);
      assertTrue(
          requests.stream().anyMatch(request -> request.attempt() >= 3),
          "some deliveries needed several attempts");

      long lastOffset =
          requests.stream()
              .mapToLong(r -> r.json().get("data").get("offset").asLong())
              .max()
              .orElseThrow();
      awaitTrue(
          "the delivered position recorded",
          () ->
              http.get("/v1/subscriptions/" + id).json().get("deliveredOffset").asLong()
                  >= lastOffset,
          WAIT);

      assertEquals(204, http.delete("/v1/subscriptions/" + id).status());
      subscriptions.remove(id);
      assertEquals(404, http.get("/v1/subscriptions/" + id).status());
      assertFalse(http.get("/v1/subscriptions").json().toString().contains(id));
    }
  }

  @Test
  void aFailingReceiverFillsTheDeadLettersWithoutSlowingOthersAndRedeliveryEmptiesThem()
      throws Exception {
    try (WebhookReceiver failing = new WebhookReceiver(WebhookReceiver.always(500));
        WebhookReceiver healthy = new WebhookReceiver(WebhookReceiver.always(200))) {
      String failingId = subscribe(failing.url(), null).get("id").asText();
      subscribe(healthy.url(), null);
      List<String> users = users("dead", 3);
      Set<String> expected = idsOf(users, 1);

      clicks(users, 1, "r1");
      long sent = System.nanoTime();
      awaitTrue("the healthy receiver", () -> deliveredIds(healthy).equals(expected), WAIT);
      Duration healthyTook = Duration.ofNanos(System.nanoTime() - sent);
      // Its deliveries did not wait for the failing receiver's retries to run out.
      assertTrue(
          deadLetters(failingId).size() < 3,
          "the failing subscription was still retrying when the healthy one was done");
      assertTrue(healthyTook.compareTo(Duration.ofSeconds(3)) < 0, "took " + healthyTook);

      awaitTrue("three dead letters", () -> deadLetters(failingId).size() == 3, WAIT);
      JsonNode letters = deadLetters(failingId);
      Set<String> lettered = new LinkedHashSet<>();
      for (JsonNode letter : letters) {
        lettered.add(letter.get("id").asText());
        assertEquals(MAX_ATTEMPTS, letter.get("attempts").asInt(), letter.toString());
        assertEquals("receiver did not accept the delivery", letter.get("lastError").asText());
        assertFalse(letter.get("redelivering").asBoolean());
        assertEquals(
            letter.get("offset").asLong(), letter.get("transition").get("offset").asLong());
      }
      assertEquals(expected, lettered);
      awaitTrue(
          "every attempt recorded", () -> failing.requests().size() >= 3 * MAX_ATTEMPTS, WAIT);
      assertEquals(3 * MAX_ATTEMPTS, failing.requests().size());
      assertEquals(3, http.get("/v1/subscriptions/" + failingId).json().get("deadLetters").asInt());

      // the receiver is fixed; redeliver
      failing.behave(WebhookReceiver.always(200));
      HttpJson.Answer redeliver =
          http.post("/v1/subscriptions/" + failingId + "/dead-letters/redeliver", "");
      assertEquals(202, redeliver.status(), redeliver.body());
      assertEquals(3, redeliver.json().get("redelivering").asInt());
      awaitTrue("the dead letters to empty", () -> deadLetters(failingId).isEmpty(), WAIT);
      assertEquals(expected, deliveredIds(failing));
      for (WebhookReceiver.Request request : failing.requests()) {
        assertValidCloudEvent(request, failingId);
      }
      assertEquals(
          404, http.post("/v1/subscriptions/sub-nope/dead-letters/redeliver", "").status());
    }
  }

  @Test
  void aRestartInTheMiddleOfDeliveriesLosesNothing() throws Exception {
    try (WebhookReceiver receiver =
        new WebhookReceiver(index -> new WebhookReceiver.Answer(200, 400))) {
      subscribe(receiver.url(), null);
      List<String> users = users("restart", 32);
      clicks(users, 1, "r1");
      clicks(users, 4, "r2");
      Set<String> expected = new LinkedHashSet<>(idsOf(users, 1));
      expected.addAll(idsOf(users, 2));

      awaitTrue("the first deliveries", () -> deliveredIds(receiver).size() >= 8, WAIT);
      server.stop();
      int deliveredBeforeRestart = deliveredIds(receiver).size();
      assertTrue(
          deliveredBeforeRestart < expected.size(),
          "the restart came in the middle: " + deliveredBeforeRestart + " delivered");
      server.start();
      http = server.http();

      awaitTrue(
          "every transition after the restart",
          () -> deliveredIds(receiver).containsAll(expected),
          WAIT);
      assertEquals(expected, deliveredIds(receiver));
      assertOrderedPerUser(users, receiver.requests());
    }
  }

  @Test
  void subscriptionsAreValidatedAndReplayedFromAnOffset() throws Exception {
    assertProblem(400, http.post("/v1/subscriptions", "{\"url\": \"ftp://example/x\"}"));
    assertProblem(
        400,
        http.post(
            "/v1/subscriptions", "{\"url\": \"http://127.0.0.1:9/\", \"secret\": \"short\"}"));
    assertProblem(
        400,
        http.post(
            "/v1/subscriptions",
            "{\"url\": \"http://127.0.0.1:9/\", \"filter\": {\"cause\": \"magic\"}}"));
    assertProblem(
        400, http.post("/v1/subscriptions", "{\"url\": \"http://127.0.0.1:9/\", \"colour\": 1}"));
    assertProblem(400, http.post("/v1/subscriptions", "{\"url\": "));
    assertProblem(404, http.get("/v1/subscriptions/sub-nope"));
    assertProblem(404, http.delete("/v1/subscriptions/sub-nope"));

    // a generated secret is shown once, in the answer that created the subscription
    HttpJson.Answer generated =
        http.post(
            "/v1/subscriptions",
            "{\"url\": \"http://127.0.0.1:9/\", \"filter\": {\"user\": \"nobody\"}}");
    assertEquals(201, generated.status(), generated.body());
    String generatedId = generated.json().get("id").asText();
    subscriptions.add(generatedId);
    assertTrue(generated.json().get("secret").asText().startsWith("whsec_"));
    assertTrue(
        http.get("/v1/subscriptions/" + generatedId)
            .json()
            .get("secret")
            .asText()
            .startsWith("****"));

    try (WebhookReceiver receiver = new WebhookReceiver(WebhookReceiver.always(200))) {
      List<String> users = users("replay", 2);
      String user = users.get(0);
      JsonNode created = subscribe(receiver.url(), Map.of("user", user));
      String id = created.get("id").asText();
      clicks(users, 1, "r1");
      clicks(users, 4, "r2");
      Set<String> expected = Set.of(user + ":engagement:1", user + ":engagement:2");
      awaitTrue("the filtered deliveries", () -> deliveredIds(receiver).equals(expected), WAIT);

      long firstOffset =
          receiver.delivered().stream()
              .mapToLong(r -> r.json().get("data").get("offset").asLong())
              .min()
              .orElseThrow();
      HttpJson.Answer replay =
          http.post("/v1/subscriptions/" + id + "/replay?from=" + firstOffset, "");
      assertEquals(202, replay.status(), replay.body());
      awaitTrue("the replay", () -> receiver.delivered().size() >= 4, WAIT);
      Thread.sleep(300);
      List<String> deliveredInOrder =
          receiver.delivered().stream().map(WebhookReceiver.Request::eventId).toList();
      assertEquals(
          List.of(
              user + ":engagement:1",
              user + ":engagement:2",
              user + ":engagement:1",
              user + ":engagement:2"),
          deliveredInOrder);
      assertProblem(400, http.post("/v1/subscriptions/" + id + "/replay", ""));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** The offset of a transition persisted now: everything after it comes from this test. */
  long head() {
    String marker = "head-" + UUID.randomUUID();
    http.post(
        "/v1/events",
        HttpJson.json(EndToEndContract.event("m-" + marker, marker, "page_view", "web")));
    long after = 0;
    while (true) {
      JsonNode page =
          http.get("/v1/transitions?after=" + after + "&limit=1000&user=" + marker).json();
      if (page.get("transitions").size() > 0) {
        return page.get("transitions").get(0).get("offset").asLong();
      }
      long next = page.get("next").asLong();
      if (next == after) {
        throw new AssertionError("the marker transition is missing");
      }
      after = next;
    }
  }

  static List<String> users(String prefix, int count) {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      users.add(prefix + "-" + run + "-" + i);
    }
    return users;
  }

  /**
   * {@code count} email clicks for each user in one request. From nothing, one click is low; four
   * more (25 points) medium; seven more (60 points) high.
   */
  void clicks(List<String> users, int count, String round) {
    List<Object> events = new ArrayList<>();
    for (String user : users) {
      for (int i = 0; i < count; i++) {
        events.add(
            EndToEndContract.event(round + "-" + i + "-" + user, user, "email_click", "email"));
      }
    }
    for (int from = 0; from < events.size(); from += 1000) {
      HttpJson.Answer answer =
          http.post(
              "/v1/events",
              HttpJson.json(events.subList(from, Math.min(events.size(), from + 1000))));
      assertEquals(202, answer.status(), answer.body());
    }
  }

  static Set<String> idsOf(List<String> users, int n) {
    Set<String> ids = new LinkedHashSet<>();
    for (String user : users) {
      ids.add(user + ":engagement:" + n);
    }
    return ids;
  }

  static List<String> ids(List<SseClient.Event> events) {
    List<String> ids = new ArrayList<>();
    for (SseClient.Event event : events) {
      try {
        ids.add(HttpJson.MAPPER.readTree(event.data()).get("id").asText());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + event.data(), e);
      }
    }
    return ids;
  }

  List<SseClient.Event> transitionsAfter(long offset) {
    List<SseClient.Event> events = new ArrayList<>();
    for (JsonNode transition :
        http.get("/v1/transitions?after=" + offset + "&limit=1000").json().get("transitions")) {
      events.add(
          new SseClient.Event(
              transition.get("offset").asText(), "transition", transition.toString()));
    }
    return events;
  }

  JsonNode subscribe(String url, Map<String, String> filter) {
    Map<String, Object> body = new HashMap<>();
    body.put("url", url);
    body.put("secret", SECRET);
    if (filter != null) {
      body.put("filter", filter);
    }
    HttpJson.Answer answer = http.post("/v1/subscriptions", HttpJson.json(body));
    assertEquals(201, answer.status(), answer.body());
    JsonNode created = answer.json();
    subscriptions.add(created.get("id").asText());
    return created;
  }

  JsonNode deadLetters(String id) {
    HttpJson.Answer answer = http.get("/v1/subscriptions/" + id + "/dead-letters");
    assertEquals(200, answer.status(), answer.body());
    return answer.json().get("deadLetters");
  }

  static Set<String> deliveredIds(WebhookReceiver receiver) {
    return receiver.delivered().stream()
        .map(WebhookReceiver.Request::eventId)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  static void assertStrictlyAscending(List<SseClient.Event> events) {
    for (int i = 1; i < events.size(); i++) {
      assertTrue(
          events.get(i - 1).offset() < events.get(i).offset(),
          "offsets ascend at " + i + ": " + events.get(i - 1).id() + ", " + events.get(i).id());
    }
  }

  static void assertValidCloudEvent(WebhookReceiver.Request request, String subscriptionId) {
    assertTrue(
        request.contentType().startsWith("application/cloudevents+json"), request.contentType());
    assertEquals(subscriptionId, request.subscription());
    assertTrue(signatureValid(request.signature(), request.body()), request.signature());
    JsonNode event = request.json();
    assertEquals("1.0", event.get("specversion").asText());
    assertEquals("pulse.segment.transition", event.get("type").asText());
    assertEquals("/pulse/transitions", event.get("source").asText());
    assertEquals("application/json", event.get("datacontenttype").asText());
    JsonNode data = event.get("data");
    assertEquals(data.get("id").asText(), event.get("id").asText());
    assertEquals(data.get("userId").asText(), event.get("subject").asText());
    assertEquals(data.get("at").asText(), event.get("time").asText());
    assertTrue(data.get("offset").asLong() > 0);
  }

  /** Verifies {@code t=...,v1=...} the way a receiver would, with its own HMAC code. */
  static boolean signatureValid(String header, byte[] body) {
    Map<String, String> parts = new HashMap<>();
    for (String part : header.split(",")) {
      String[] pair = part.split("=", 2);
      parts.put(pair[0], pair[1]);
    }
    long t = Long.parseLong(parts.get("t"));
    if (Math.abs(Instant.now().getEpochSecond() - t) > 300) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body)).equals(parts.get("v1"));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * No attempt at a user's transition n + 1 starts before the receiver has acknowledged the user's
   * transition n.
   */
  static void assertOrderedPerUser(List<String> users, List<WebhookReceiver.Request> requests) {
    for (String user : users) {
      List<WebhookReceiver.Request> mine =
          requests.stream()
              .filter(request -> request.json().get("subject").asText().equals(user))
              .sorted(Comparator.comparingLong(WebhookReceiver.Request::receivedNanos))
              .toList();
      long acknowledgedThrough = 0;
      long acknowledgedAt = Long.MIN_VALUE;
      for (WebhookReceiver.Request request : mine) {
        long n = sequenceOf(request.eventId());
        assertTrue(
            n <= acknowledgedThrough + 1,
            user + ": transition " + n + " sent before " + (acknowledgedThrough + 1) + " arrived");
        if (n == acknowledgedThrough + 1) {
          assertTrue(request.receivedNanos() > acknowledgedAt, user + ": " + n + " overtook");
        }
        if (request.succeeded() && n == acknowledgedThrough + 1) {
          acknowledgedThrough = n;
          acknowledgedAt = request.answeredNanos();
        }
      }
    }
  }

  private static long sequenceOf(String transitionId) {
    return Long.parseLong(transitionId.substring(transitionId.lastIndexOf(':') + 1));
  }

  /**
   * Consecutive recorded attempts at one transition are at least as far apart as the jitter-free
   * half of the backoffs between them (attempts that never reached the receiver count too).
   */
  static void assertBackedOff(List<WebhookReceiver.Request> requests) {
    Map<String, List<WebhookReceiver.Request>> byId =
        requests.stream().collect(Collectors.groupingBy(WebhookReceiver.Request::eventId));
    int checked = 0;
    for (List<WebhookReceiver.Request> attempts : byId.values()) {
      List<WebhookReceiver.Request> sorted =
          attempts.stream()
              .sorted(Comparator.comparingInt(WebhookReceiver.Request::attempt))
              .toList();
      for (int i = 1; i < sorted.size(); i++) {
        WebhookReceiver.Request before = sorted.get(i - 1);
        WebhookReceiver.Request after = sorted.get(i);
        long least = 0;
        for (int attempt = before.attempt(); attempt < after.attempt(); attempt++) {
          least += leastDelayMillis(attempt);
        }
        long gap = (after.receivedNanos() - before.answeredNanos()) / 1_000_000;
        assertTrue(
            gap >= least - 15,
            before.eventId()
                + ": attempts "
                + before.attempt()
                + " and "
                + after.attempt()
                + " only "
                + gap
                + " ms apart, expected at least "
                + least);
        checked++;
      }
    }
    assertTrue(checked > 0, "no retried transition reached the receiver twice");
  }

  static long leastDelayMillis(int failedAttempt) {
    long nominal =
        Math.min(MAX_BACKOFF_MILLIS, MIN_BACKOFF_MILLIS << Math.min(20, failedAttempt - 1));
    return nominal - nominal / 2;
  }

  static void awaitTrue(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static void assertProblem(int status, HttpJson.Answer answer) {
    EndToEndContract.assertProblem(status, answer);
  }
}
