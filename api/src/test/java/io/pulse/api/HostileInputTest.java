package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * What a hostile or broken client can send, against a real node on a real port: nothing it sends
 * loses or corrupts data, costs another event of its batch, or gets an answer that is not a problem
 * in this API's own words. Each test uses its own user and model ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  /** What an error may never show a client. */
  static final List<String> INTERNALS =
      List.of(
          "java.",
          "com.fasterxml",
          "org.apache",
          "Exception",
          "StreamReadConstraints",
          "JsonReadFeature",
          "scala.");

  final TestClock clock = new TestClock(T0);
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  TestDatabase database;
  TestServer server;
  HttpJson http;

  @BeforeAll
  void startServer() {
    database = TestDatabase.create(DatabaseKind.H2);
    // A short ask timeout, so that a body that never arrives is answered within the test.
    server = new TestServer(database, clock, Map.of("pulse.http.ask-timeout", "3s"));
    http = server.http();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
  }

  @AfterAll
  void stopServer() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
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

  static String event(String eventId, String userId, String type) {
    return "{\"eventId\": \""
        + eventId
        + "\", \"userId\": \""
        + userId
        + "\", \"type\": \""
        + type
        + "\", \"timestamp\": \""
        + T0
        + "\"}";
  }

  // ---------------------------------------------------------------------------------------------
  // Invalid Unicode

  @Test
  void aLoneSurrogateCostsOnlyItsOwnEventAndOneWarning() throws Exception {
    String userId = user();
    String other = user();
    String batch =
        "["
            + event("ok-" + userId, userId, "page_view")
            + ", {\"eventId\": \"bad-"
            + userId
            + "\", \"userId\": \""
            + userId
            + "\", \"type\": \"page_view\", \"properties\": {\"x\": \"\\ud800\"}}"
            + ", {\"userId\": \"u-\\ud800\", \"type\": \"page_view\"}"
            + ", "
            + event("ok-" + other, other, "page_view")
            + "]";
    logs.list.clear();

    long started = System.nanoTime();
    HttpJson.Answer answer = http.post("/v1/events", batch);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertEquals(202, answer.status(), answer.body());
    assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "answered in " + took);
    JsonNode ack = answer.json();
    assertEquals(2, ack.get("accepted").asInt());
    assertRejected(ack, 1, "properties.x is not valid Unicode text");
    assertRejected(ack, 2, "userId is not valid Unicode text");
    assertEquals(2, ack.get("rejected").size());
    // The valid sibling of the same user is stored, and so is the other user's event.
    assertEquals(1, metricsOf(userId).get("events").asInt());
    assertEquals(1, metricsOf(other).get("events").asInt());

    // A single such event is a 400 naming the field.
    HttpJson.Answer single =
        http.post("/v1/events", "{\"userId\": \"" + user() + "\", \"type\": \"t\\udfff\"}");
    assertProblem(400, "invalid-events", single);
    assertTrue(single.json().get("detail").asText().contains("type is not valid Unicode"));

    // One WARN line per request, no stack trace, no error.
    Thread.sleep(500);
    List<ILoggingEvent> warnings = atLeast(Level.WARN);
    assertEquals(2, warnings.size(), describe(warnings));
    for (ILoggingEvent warning : warnings) {
      assertEquals(Level.WARN, warning.getLevel());
      assertNull(warning.getThrowableProxy(), warning.getFormattedMessage());
      assertTrue(warning.getFormattedMessage().contains("not valid Unicode"));
    }
  }

  @Test
  void invalidUtf8CostsOnlyItsOwnEventAndNamesTheField() {
    String userId = user();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    write(body, "[" + event("ok-" + userId, userId, "page_view"));
    // A truncated sequence, an encoded surrogate (CESU-8), an overlong '/', and a code point
    // beyond U+10FFFF: none of them is UTF-8, and Jackson alone reads some as characters.
    write(body, ", {\"userId\": \"" + userId + "\", \"type\": \"a\", \"properties\": {\"n\": \"");
    body.write(0xC3);
    write(body, "(\"}}");
    write(body, ", {\"userId\": \"u-");
    body.writeBytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80});
    write(body, "\", \"type\": \"a\"}");
    write(body, ", {\"userId\": \"" + userId + "\", \"type\": \"a");
    body.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF});
    write(body, "\"}");
    write(body, ", {\"userId\": \"" + userId + "\", \"type\": \"page_view\", \"eventId\": \"e");
    body.writeBytes(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
    write(body, "\"}]");

    Raw answer = post("/v1/events", body.toByteArray());

    assertEquals(202, answer.status(), answer.body());
    JsonNode ack = answer.json();
    assertEquals(1, ack.get("accepted").asInt());
    assertRejected(ack, 1, "properties.n is not valid Unicode text");
    assertRejected(ack, 2, "userId is not valid Unicode text");
    assertRejected(ack, 3, "type is not valid Unicode text");
    assertRejected(ack, 4, "eventId is not valid Unicode text");
    assertEquals(1, metricsOf(userId).get("events").asInt());

    // Outside a string it is malformed JSON, and nothing is stored.
    Raw outside = post("/v1/events", new byte[] {'[', (byte) 0xFF, ']'});
    assertProblem(400, "invalid-json", outside.status(), outside.contentType(), outside.body());
    // UTF-16 is not read as JSON at all.
    Raw utf16 =
        post(
            "/v1/events",
            ("{\"userId\": \"" + user() + "\", \"type\": \"a\"}")
                .getBytes(StandardCharsets.UTF_16LE));
    assertProblem(400, "invalid-json", utf16.status(), utf16.contentType(), utf16.body());
  }

  @Test
  void invalidUnicodeInADocumentIsA400NamingTheField() {
    String modelId = "m-" + UUID.randomUUID().toString().substring(0, 8);
    HttpJson.Answer model =
        http.put(
            "/v1/models/" + modelId,
            modelJson("page_view", "3").replace("\"rules\"", "\"name\": \"a\\ud800\", \"rules\""));
    assertProblem(400, "invalid-model", model);
    assertTrue(
        model.json().get("detail").asText().contains("name is not valid Unicode"), model.body());
    assertEquals(404, http.get("/v1/models/" + modelId).status());

    ByteArrayOutputStream campaign = new ByteArrayOutputStream();
    write(campaign, "{\"name\": \"x\", \"trigger\": {\"model\": \"engagement\", \"entered\": \"h");
    campaign.write(0xFF);
    write(campaign, "\"}, \"offer\": {\"type\": \"percent\", \"value\": 10}}");
    Raw refused = put("/v1/campaigns/c-" + UUID.randomUUID(), campaign.toByteArray());
    assertProblem(400, "invalid-campaign", refused.status(), refused.contentType(), refused.body());
    assertTrue(refused.body().contains("trigger.entered is not valid Unicode"), refused.body());
  }

  // ---------------------------------------------------------------------------------------------
  // Duplicate keys

  @Test
  void duplicateKeysAreRefusedEverywhere() {
    String a = user();
    String b = user();
    HttpJson.Answer single =
        http.post(
            "/v1/events",
            "{\"userId\": \"" + a + "\", \"userId\": \"" + b + "\", \"type\": \"page_view\"}");
    assertProblem(400, "invalid-events", single);
    assertTrue(single.json().get("detail").asText().contains("userId appears more than once"));
    assertEquals(404, http.get("/v1/users/" + a).status());
    assertEquals(404, http.get("/v1/users/" + b).status());

    String sibling = user();
    HttpJson.Answer batch =
        http.post(
            "/v1/events",
            "["
                + event("s-" + sibling, sibling, "page_view")
                + ", {\"userId\": \""
                + sibling
                + "\", \"type\": \"purchase\", \"properties\": {\"amount\": 1, \"amount\": 1e6}}]");
    assertEquals(202, batch.status(), batch.body());
    assertRejected(batch.json(), 1, "properties.amount appears more than once");
    assertEquals(0, metricsOf(sibling).get("orders").asInt());

    String modelId = "m-" + UUID.randomUUID().toString().substring(0, 8);
    HttpJson.Answer model =
        http.put(
            "/v1/models/" + modelId,
            modelJson("page_view", "3").replace("\"points\": 3", "\"points\": 3, \"points\": 300"));
    assertProblem(400, "invalid-model", model);
    assertTrue(model.body().contains("rules[0].points appears more than once"), model.body());

    assertProblem(
        400,
        "invalid-campaign",
        http.put(
            "/v1/campaigns/c-" + UUID.randomUUID(),
            "{\"name\": \"a\", \"name\": \"b\", \"trigger\": {\"model\": \"engagement\","
                + " \"entered\": \"high\"}, \"offer\": {\"type\": \"percent\", \"value\": 10}}"));
    assertProblem(
        400,
        "invalid-subscription",
        http.post(
            "/v1/subscriptions",
            "{\"url\": \"https://a.example/h\", \"url\": \"https://b.example/h\"}"));
    assertProblem(
        400,
        "invalid-redemption",
        http.post(
            "/v1/vouchers/ABCDEFGH/redeem",
            "{\"userId\": \"" + a + "\", \"orderAmount\": 10, \"orderAmount\": 1000}"));
  }

  // ---------------------------------------------------------------------------------------------
  // Unknown fields and coercion

  @Test
  void unknownEventFieldsAreRefusedByName() {
    String userId = user();
    HttpJson.Answer single =
        http.post(
            "/v1/events",
            "{\"userId\": \"" + userId + "\", \"type\": \"page_view\", \"colour\": \"red\"}");
    assertProblem(400, "invalid-events", single);
    assertTrue(single.json().get("detail").asText().contains("unknown field 'colour'"));
    assertEquals(404, http.get("/v1/users/" + userId).status());

    HttpJson.Answer batch =
        http.post(
            "/v1/events",
            "["
                + event("k-" + userId, userId, "page_view")
                + ", {\"userId\": \""
                + userId
                + "\", \"type\": \"page_view\", \"timestmap\": \"2026-11-22T10:00:00Z\"}]");
    assertEquals(202, batch.status(), batch.body());
    assertEquals(1, batch.json().get("accepted").asInt());
    assertRejected(batch.json(), 1, "unknown field 'timestmap'");
  }

  @Test
  void noStringIsReadAsANumberAndNoNumberAsAString() {
    String userId = user();
    HttpJson.Answer amount =
        http.post(
            "/v1/events",
            "{\"userId\": \""
                + userId
                + "\", \"type\": \"purchase\", \"properties\": {\"amount\": \"120\"}}");
    assertProblem(400, "invalid-events", amount);
    assertTrue(amount.body().contains("must be a number, not a string"), amount.body());

    String modelId = "m-" + UUID.randomUUID().toString().substring(0, 8);
    for (String[] wrong :
        new String[][] {
          {"\"points\": 3", "\"points\": \"5\"", "rules[0].points must be a number, not a string"},
          {
            "\"points\": 3", "\"points\": 3, \"dailyCap\": 1.5", "rules[0].dailyCap must be a whole"
          },
          {"\"halfLifeDays\": 30", "\"halfLifeDays\": \"NaN\"", "halfLifeDays must be a number"},
          {"\"event\": \"page_view\"", "\"event\": 7", "rules[0].event must be a string"},
        }) {
      HttpJson.Answer model =
          http.put(
              "/v1/models/" + modelId, modelJson("page_view", "3").replace(wrong[0], wrong[1]));
      assertProblem(400, "invalid-model", model);
      assertTrue(model.body().contains(wrong[2]), model.body());
    }
    assertEquals(404, http.get("/v1/models/" + modelId).status());

    HttpJson.Answer campaign =
        http.put(
            "/v1/campaigns/c-" + UUID.randomUUID(),
            "{\"trigger\": {\"model\": \"engagement\", \"entered\": \"high\"},"
                + " \"offer\": {\"type\": \"percent\", \"value\": 10}, \"validityDays\": \"30\"}");
    assertProblem(400, "invalid-campaign", campaign);
    assertTrue(campaign.body().contains("validityDays must be a whole number, not a string"));

    HttpJson.Answer redemption =
        http.post(
            "/v1/vouchers/ABCDEFGH/redeem",
            "{\"userId\": \"" + userId + "\", \"orderAmount\": \"120\"}");
    assertProblem(400, "invalid-redemption", redemption);
    assertTrue(redemption.body().contains("orderAmount must be a number, not a string"));

    HttpJson.Answer subscription =
        http.post("/v1/subscriptions", "{\"url\": \"https://a.example/h\", \"after\": \"5\"}");
    assertProblem(400, "invalid-subscription", subscription);
    assertTrue(subscription.body().contains("after must be a whole number, not a string"));
    assertProblem(400, "invalid-subscription", http.post("/v1/subscriptions", "{\"url\": 5}"));
  }

  // ---------------------------------------------------------------------------------------------
  // Bounds

  @Test
  void amountsRulePointsAndRuleCountsBeyondTheBoundsAreRefused() {
    String userId = user();
    HttpJson.Answer huge =
        http.post(
            "/v1/events",
            "{\"userId\": \""
                + userId
                + "\", \"type\": \"purchase\", \"properties\": {\"amount\": 1e308}}");
    assertProblem(400, "invalid-events", huge);
    assertTrue(huge.body().contains("properties.amount of a purchase must be a number from 0 to"));
    assertEquals(404, http.get("/v1/users/" + userId).status());

    HttpJson.Answer largest =
        http.post(
            "/v1/events",
            "{\"userId\": \""
                + userId
                + "\", \"type\": \"purchase\", \"properties\": {\"amount\": 1000000000}}");
    assertEquals(202, largest.status(), largest.body());
    assertEquals(1e9, metricsOf(userId).get("revenue").asDouble());

    String modelId = "m-" + UUID.randomUUID().toString().substring(0, 8);
    HttpJson.Answer points = http.put("/v1/models/" + modelId, modelJson("page_view", "1e308"));
    assertProblem(400, "invalid-model", points);
    assertTrue(points.body().contains("rules[0].points must be a number from -1000000 to 1000000"));

    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      rules
          .append(i == 0 ? "" : ", ")
          .append("{\"event\": \"e")
          .append(i)
          .append("\", \"points\": 1}");
    }
    HttpJson.Answer many =
        http.put(
            "/v1/models/" + modelId,
            "{\"rules\": ["
                + rules
                + "], \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}");
    assertProblem(400, "invalid-model", many);
    assertTrue(many.body().contains("rules may contain at most 1000, had 10000"), many.body());
    assertEquals(404, http.get("/v1/models/" + modelId).status());

    HttpJson.Answer campaign =
        http.put(
            "/v1/campaigns/c-" + UUID.randomUUID(),
            "{\"trigger\": {\"model\": \"engagement\", \"entered\": \"high\"},"
                + " \"offer\": {\"type\": \"fixed_amount\", \"value\": 1e308}}");
    assertProblem(400, "invalid-campaign", campaign);
    assertTrue(campaign.body().contains("offer.value must be a number from 0 to"), campaign.body());

    HttpJson.Answer order =
        http.post(
            "/v1/vouchers/ABCDEFGH/redeem",
            "{\"userId\": \"" + userId + "\", \"orderAmount\": 1e308}");
    assertProblem(400, "invalid-redemption", order);
    assertTrue(order.body().contains("orderAmount must be a number from 0 to"), order.body());
  }

  @Test
  void timestampsOutsideTheBoundsAreRefusedAndFirstSeenStaysTrue() {
    String userId = user();
    List<String> events = new ArrayList<>();
    events.add(event("in-" + userId, userId, "page_view"));
    for (String timestamp :
        List.of(
            "1900-01-01T00:00:00Z",
            "-999999999-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
            "2020-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59Z")) {
      events.add(
          "{\"userId\": \""
              + userId
              + "\", \"type\": \"page_view\", \"timestamp\": \""
              + timestamp
              + "\"}");
    }
    HttpJson.Answer answer = http.post("/v1/events", "[" + String.join(", ", events) + "]");
    assertEquals(202, answer.status(), answer.body());
    assertEquals(1, answer.json().get("accepted").asInt());
    assertRejected(answer.json(), 1, "timestamp is before 1970-01-01");
    assertRejected(answer.json(), 2, "timestamp is before 1970-01-01");
    assertRejected(answer.json(), 3, "timestamp is before 1970-01-01");
    assertRejected(answer.json(), 4, "timestamp is more than 1825 days in the past");
    assertRejected(answer.json(), 5, "in the future");
    assertEquals(T0.toString(), metricsOf(userId).get("firstSeen").asText());
  }

  @Test
  void userIdsThatCouldNotBeReadBackAreRefused() {
    for (String[] refused :
        new String[][] {
          {"u\\u0000", "control characters"},
          {"u\\u0007", "control characters"},
          {"u\\u007f", "control characters"},
          {"u\\u0085", "control characters"},
          {".", "'.' or '..'"},
          {"..", "'.' or '..'"},
          {"x".repeat(257), "256 bytes"},
          {"\\u00e9".repeat(129), "256 bytes"},
        }) {
      HttpJson.Answer answer =
          http.post("/v1/events", "{\"userId\": \"" + refused[0] + "\", \"type\": \"page_view\"}");
      assertProblem(400, "invalid-events", answer);
      assertTrue(answer.body().contains(refused[1]), refused[0] + ": " + answer.body());
    }
  }

  @Test
  void everyAcceptedUserIdReadsBackAtItsUrl() {
    Random random = new Random(20261206L);
    String run = UUID.randomUUID().toString().substring(0, 4);
    List<String> candidates = new ArrayList<>();
    // Ids that no URL can name, or that hold control characters: they must be refused.
    List<String> unreadable = List.of(".", "..", "a\u0000", "\u0085", "\u007f" + run);
    candidates.addAll(unreadable);
    for (String tricky :
        List.of(
            "a/b",
            "/",
            "//",
            "a/",
            "%",
            "%2F",
            "%25",
            "?",
            "#",
            "a?b#c",
            " x ",
            "|",
            "a|b",
            "+",
            "a+b",
            ";",
            "a;b=c",
            "&",
            "...",
            ".a",
            "a.",
            "./a",
            "a/..",
            "../a",
            "~",
            "\\",
            "\"",
            "'",
            "<>",
            "{}",
            "[]",
            "^",
            "`",
            "@:",
            "\u00a0",
            "\ufeff",
            "\u2028",
            "\uffff",
            "\ud83d\ude00",
            "\udbff\udfff",
            "vouchers")) {
      candidates.add(tricky + run);
    }
    candidates.add(" ");
    candidates.add("\u00e9".repeat(127) + run.substring(0, 2));
    while (candidates.size() < 300) {
      candidates.add(randomId(random));
    }
    List<Map<String, Object>> events = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("eventId", "id-" + i + "-" + run);
      event.put("userId", candidates.get(i));
      event.put("type", "page_view");
      event.put("timestamp", T0.toString());
      events.add(event);
    }

    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(events));

    assertEquals(202, answer.status(), answer.body());
    List<String> rejected = new ArrayList<>();
    for (JsonNode rejection : answer.json().get("rejected")) {
      rejected.add(candidates.get(rejection.get("index").asInt()));
      assertTrue(rejection.get("error").asText().startsWith("userId"), rejection.toString());
    }
    List<String> refused = new ArrayList<>(unreadable);
    refused.add(" ");
    assertEquals(refused, rejected);
    for (String id : candidates) {
      if (rejected.contains(id)) {
        continue;
      }
      String encoded = percentEncoded(id);
      HttpJson.Answer read = http.get("/v1/users/" + encoded);
      assertEquals(200, read.status(), "GET /v1/users/" + encoded + ": " + read.body());
      assertEquals(id, read.json().get("userId").asText(), encoded);
      HttpJson.Answer vouchers = http.get("/v1/users/" + encoded + "/vouchers");
      assertEquals(200, vouchers.status(), "vouchers of " + encoded + ": " + vouchers.body());
      assertEquals(id, vouchers.json().get("userId").asText(), encoded);
    }
  }

  /** 1 to 24 code points from everywhere: ASCII punctuation, Latin, CJK, other planes. */
  private static String randomId(Random random) {
    StringBuilder id = new StringBuilder();
    int length = 1 + random.nextInt(24);
    while (id.codePointCount(0, id.length()) < length) {
      int codePoint =
          switch (random.nextInt(5)) {
            case 0 -> 0x20 + random.nextInt(0x5F);
            case 1 -> 0xA0 + random.nextInt(0x700);
            case 2 -> 0x3000 + random.nextInt(0xA000);
            case 3 -> 0x10000 + random.nextInt(0x100000);
            default -> "/%?#| +;.~".charAt(random.nextInt(10));
          };
      if (codePoint >= 0xD800 && codePoint <= 0xDFFF) {
        continue;
      }
      id.appendCodePoint(codePoint);
    }
    String text = id.toString();
    if (text.isBlank() || text.equals(".") || text.equals("..")) {
      return randomId(random);
    }
    return text;
  }

  /** Every byte of the id's UTF-8 percent-encoded, except RFC 3986's unreserved characters. */
  static String percentEncoded(String id) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return encoded.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Errors and headers

  @Test
  void jsonErrorsNameNoLibraryInternals() {
    String userId = user();
    List<HttpJson.Answer> answers =
        List.of(
            http.post(
                "/v1/events",
                "{\"userId\": \"" + userId + "\", \"type\": \"a\", \"properties\": {\"n\": NaN}}"),
            http.post(
                "/v1/events",
                "{\"userId\": \""
                    + userId
                    + "\", \"type\": \"a\", \"properties\": {\"n\": "
                    + "1".repeat(2000)
                    + "}}"),
            http.post("/v1/events", "{'userId': 'a'}"),
            http.post("/v1/events", "[{\"userId\": \"a\""),
            http.post("/v1/events", "[" + "[".repeat(2000) + "]".repeat(2000) + "]"),
            http.put("/v1/models/m-internals", "{\"rules\": [], \"halfLifeDays\": \"x\"}"),
            http.put("/v1/models/m-internals", "{\"rules\": 5}"),
            http.put("/v1/models/m-internals", "{\"rules\": [{\"event\": [1]}]}"),
            http.put("/v1/models/m-internals", "{\"rules\": [], \"halfLifeDays\": 1e400}"),
            http.put("/v1/models/m-internals", "{\"rules\": []} trailing"),
            http.post("/v1/subscriptions", "{\"url\": \"https://a.example\", \"after\": 1.5}"),
            http.post("/v1/subscriptions", "{\"url\": \"https://a.example\", \"after\": 1e30}"));
    for (HttpJson.Answer answer : answers) {
      assertEquals(400, answer.status(), answer.body());
      assertTrue(answer.isProblem(), answer.contentType());
      assertNamesNoInternals(answer.body());
    }
  }

  @Test
  void everyErrorIsAProblemWithTheStandardHeaders() throws Exception {
    // Routing errors
    assertRawProblem(404, "not-found", send("GET /nowhere HTTP/1.1\r\n"));
    assertRawProblem(405, "method-not-allowed", send("DELETE /v1/events HTTP/1.1\r\n"));
    // Bodies too large, for the events route and a document route
    String big = "[" + "1,".repeat(600_000) + "1]";
    assertRawProblem(
        413, "body-too-large", post("/v1/events", big.getBytes(StandardCharsets.UTF_8)));
    assertRawProblem(
        413, "body-too-large", put("/v1/models/m-big", big.getBytes(StandardCharsets.UTF_8)));
    // A declared body beyond what the server reads at all, whatever the route
    for (String target : List.of("POST /v1/events", "PUT /v1/models/m-huge")) {
      assertRawProblem(
          413,
          "body-too-large",
          raw(
              target
                  + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100000000\r\n\r\n[",
              Duration.ofSeconds(15)));
    }
    // Refused by the server before any route: a URI too long, a malformed one, broken headers
    Raw uriTooLong = send("GET /v1/users/" + "a".repeat(10_000) + " HTTP/1.1\r\n");
    assertRawProblem(414, "uri-too-long", uriTooLong);
    assertRawProblem(400, "malformed-request", send("GET /v1/users/%zz HTTP/1.1\r\n"));
    assertRawProblem(400, "malformed-request", send("GET /v1/users/a<b HTTP/1.1\r\n"));
    assertRawProblem(
        400, "malformed-request", send("GET /v1/models HTTP/1.1\r\nContent-Length: abc\r\n"));
    assertRawProblem(400, "malformed-request", send("GET /v1/models HTTP/1.1\r\nNo colon\r\n"));
    assertRawProblem(
        431,
        "headers-too-large",
        send("GET /v1/models HTTP/1.1\r\nX-Big: " + "b".repeat(20_000) + "\r\n"));
    // Percent-encoded bytes that are not UTF-8 (read as U+FFFD), or a NUL, in a path or a query:
    // an answer in JSON, never a server error
    for (String target :
        List.of(
            "/v1/users/%ED%A0%80",
            "/v1/users/%FF",
            "/v1/users/%00",
            "/v1/users/%FF/vouchers",
            "/v1/transitions?user=%FF",
            "/v1/transitions?after=%00")) {
      Raw answer = send("GET " + target + " HTTP/1.1\r\n");
      assertTrue(answer.status() < 500, target + ": " + answer);
      assertTrue(answer.contentType().startsWith("application/"), target + ": " + answer);
      parse(answer.body());
      assertNamesNoInternals(answer.body());
      assertEquals("nosniff", answer.header("x-content-type-options"), answer.toString());
    }
    // A body that never arrives: answered when the ask timeout (3 s here) runs out
    Raw slow =
        raw(
            "POST /v1/events HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n[{\"userId\": ",
            Duration.ofSeconds(15));
    assertRawProblem(408, "request-timeout", slow);
  }

  @Test
  void answersCarryNoSniffNoStoreForUserDataAndNoServerVersion() throws Exception {
    String userId = user();
    Raw accepted =
        post(
            "/v1/events",
            event("h-" + userId, userId, "page_view").getBytes(StandardCharsets.UTF_8));
    assertEquals(202, accepted.status(), accepted.body());
    for (Raw answer :
        List.of(
            accepted,
            send("GET /v1/users/" + userId + " HTTP/1.1\r\n"),
            send("GET /v1/users/nobody-" + userId + " HTTP/1.1\r\n"),
            send("GET /v1/models HTTP/1.1\r\n"),
            send("GET /v1/stats HTTP/1.1\r\n"))) {
      assertEquals("nosniff", answer.header("x-content-type-options"), answer.toString());
      assertEquals("no-store", answer.header("cache-control"), answer.toString());
      assertNull(answer.header("server"), answer.toString());
    }
    for (Raw answer :
        List.of(
            send("GET /health/alive HTTP/1.1\r\n"),
            send("GET /metrics HTTP/1.1\r\n"),
            send("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n"))) {
      assertEquals("nosniff", answer.header("x-content-type-options"), answer.toString());
      assertNull(answer.header("server"), answer.toString());
    }
    // The live stream is user data too.
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET /v1/transitions/stream HTTP/1.1\r\nHost: test\r\n\r\n"
                  .getBytes(StandardCharsets.ISO_8859_1));
      Map<String, String> headers = readHead(socket.getInputStream()).headers();
      assertEquals("nosniff", headers.get("x-content-type-options"), headers.toString());
      assertEquals("no-store", headers.get("cache-control"), headers.toString());
      assertNull(headers.get("server"), headers.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private JsonNode metricsOf(String userId) {
    HttpJson.Answer user = http.get("/v1/users/" + percentEncoded(userId));
    assertEquals(200, user.status(), user.body());
    return user.json().get("metrics");
  }

  static void assertRejected(JsonNode ack, int index, String fragment) {
    for (JsonNode rejection : ack.get("rejected")) {
      if (rejection.get("index").asInt() == index) {
        assertTrue(
            rejection.get("error").asText().contains(fragment),
            "[" + index + "] " + rejection.get("error").asText() + " lacks " + fragment);
        return;
      }
    }
    throw new AssertionError("event " + index + " was not rejected: " + ack);
  }

  static void assertProblem(int status, String slug, HttpJson.Answer answer) {
    assertProblem(status, slug, answer.status(), answer.contentType(), answer.body());
  }

  static void assertProblem(int status, String slug, int actual, String contentType, String body) {
    assertEquals(status, actual, body);
    assertTrue(contentType.startsWith("application/problem+json"), contentType + ": " + body);
    JsonNode problem = parse(body);
    assertEquals("urn:pulse:problem:" + slug, problem.get("type").asText(), body);
    assertEquals(status, problem.get("status").asInt(), body);
    assertFalse(problem.get("detail").asText().isBlank(), body);
    assertNamesNoInternals(body);
  }

  private static void assertRawProblem(int status, String slug, Raw answer) {
    assertProblem(status, slug, answer.status(), answer.contentType(), answer.body());
    assertEquals("nosniff", answer.header("x-content-type-options"), answer.toString());
    assertNull(answer.header("server"), answer.toString());
  }

  static JsonNode parse(String body) {
    try {
      return HttpJson.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }

  static void assertNamesNoInternals(String body) {
    for (String internal : INTERNALS) {
      assertFalse(body.contains(internal), "names " + internal + ": " + body);
    }
  }

  private List<ILoggingEvent> atLeast(Level level) {
    synchronized (logs) {
      return logs.list.stream()
          .filter(event -> event.getLevel().isGreaterOrEqual(level))
          .filter(event -> !event.getLoggerName().startsWith("org.apache.pekko.util.ManifestInfo"))
          .toList();
    }
  }

  private static String describe(List<ILoggingEvent> events) {
    return events.stream()
        .map(
            event ->
                event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage())
        .collect(Collectors.joining("\n"));
  }

  private static String modelJson(String event, String points) {
    return "{\"rules\": [{\"event\": \""
        + event
        + "\", \"points\": "
        + points
        + "}], \"halfLifeDays\": 30, \"bands\": [{\"name\": \"low\", \"from\": 1, \"to\": 5},"
        + " {\"name\": \"high\", \"from\": 5, \"to\": 10}]}";
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** An answer read off the wire. */
  record Raw(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    JsonNode json() {
      return parse(body);
    }
  }

  private record Head(int status, Map<String, String> headers) {}

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Raw post(String path, byte[] body) {
    return exchange(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private Raw put(String path, byte[] body) {
    return exchange(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private Raw exchange(HttpRequest.Builder request) {
    request.header("Authorization", "Bearer " + HttpJson.ADMIN_KEY);
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      Map<String, String> headers = new LinkedHashMap<>();
      response
          .headers()
          .map()
          .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
      return new Raw(response.statusCode(), headers, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request sent as the given request line and headers, closing the connection after it. */
  private Raw send(String head) {
    return raw(head + "Host: test\r\nConnection: close\r\n\r\n", Duration.ofSeconds(15));
  }

  /** Sends {@code request} with the test admin key after its request line. */
  private Raw raw(String request, Duration timeout) {
    int endOfRequestLine = request.indexOf("\r\n") + 2;
    return rawAsIs(
        request.substring(0, endOfRequestLine)
            + "Authorization: Bearer "
            + HttpJson.ADMIN_KEY
            + "\r\n"
            + request.substring(endOfRequestLine),
        timeout);
  }

  private Raw rawAsIs(String request, Duration timeout) {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return readResponse(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Raw readResponse(InputStream in) throws IOException {
    Head head = readHead(in);
    String length = head.headers().get("content-length");
    byte[] body =
        length != null ? in.readNBytes(Integer.parseInt(length.trim())) : in.readAllBytes();
    return new Raw(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
  }

  private static Head readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        String text = line.toString().replaceFirst("\r$", "");
        if (text.isEmpty()) {
          break;
        }
        lines.add(text);
        line.setLength(0);
      } else {
        line.append((char) b);
      }
    }
    assertFalse(lines.isEmpty(), "no answer");
    int status = Integer.parseInt(lines.get(0).split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header : lines.subList(1, lines.size())) {
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim());
    }
    assertNotNull(headers);
    return new Head(status, headers);
  }
}
