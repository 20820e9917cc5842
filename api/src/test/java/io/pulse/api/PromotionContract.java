package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.TestClock;
import io.pulse.engine.domain.promotion.ControlGroup;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.projection.PromotionProjection;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.projection.javadsl.ProjectionManagement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Campaigns, vouchers, redemptions and stats over HTTP against a real node, a real journal and the
 * real promotion projection; run once per database by the subclasses. Each test has a scoring model
 * of its own, whose event types no other test sends, so that its campaigns see only its users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PromotionContract {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> MODELS =
      List.of("issue", "budget", "control", "redeem", "restart", "stats", "tiers");

  final TestClock clock = new TestClock(T0);
  final String run = UUID.randomUUID().toString().substring(0, 6);
  TestDatabase database;
  TestServer server;
  HttpJson http;

  abstract DatabaseKind kind();

  @BeforeAll
  void startServer() throws Exception {
    database = TestDatabase.create(kind());
    // A quicker read side than the default 200 ms, so that the tests wait less for the projection
    // (the plugin's own keys: pulse.read-journal.* are substituted into them when config loads).
    server =
        new TestServer(
            database,
            clock,
            Map.of(
                "jdbc-read-journal.refresh-interval", "50ms",
                "jdbc-read-journal.journal-sequence-retrieval.query-delay", "50ms"));
    http = server.http();
    // Every model up front, while there are no users to re-score.
    for (String name : MODELS) {
      HttpJson.Answer created = http.put("/v1/models/" + model(name), modelJson(model(name)));
      assertEquals(201, created.status(), created.body());
      TimeCorrectnessEndToEndTest.awaitRescoringFinished(http, model(name));
    }
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

  String model(String name) {
    return name + "-" + run;
  }

  /** A tick (1 point) puts a user in low, a step (25) in medium, a jump (60) in high. */
  private static String modelJson(String model) {
    return "{\"rules\": ["
        + "{\"event\": \""
        + model
        + "-tick\", \"points\": 1},"
        + "{\"event\": \""
        + model
        + "-step\", \"points\": 25},"
        + "{\"event\": \""
        + model
        + "-jump\", \"points\": 60}],"
        + " \"bands\": [{\"name\": \"low\", \"from\": 1, \"to\": 4},"
        + " {\"name\": \"medium\", \"from\": 4, \"to\": 7},"
        + " {\"name\": \"high\", \"from\": 7, \"to\": 10}]}";
  }

  /** A campaign on {@code model}: 10% off, entering high, with {@code extra} fields on top. */
  static Map<String, Object> campaign(String model, Map<String, Object> extra) {
    Map<String, Object> campaign = new LinkedHashMap<>();
    campaign.put("name", "Test campaign");
    campaign.put("trigger", Map.of("model", model, "entered", "high"));
    campaign.put("offer", Map.of("type", "percent", "value", 10));
    campaign.putAll(extra);
    return campaign;
  }

  HttpJson.Answer put(String campaignId, Map<String, Object> campaign) {
    return http.put("/v1/campaigns/" + campaignId, HttpJson.json(campaign));
  }

  void define(String campaignId, Map<String, Object> campaign) {
    HttpJson.Answer answer = put(campaignId, campaign);
    assertTrue(answer.status() == 201 || answer.status() == 200, answer.body());
  }

  /** Sends one event of {@code type} ({@code tick}, {@code step} or {@code jump}) per user. */
  void send(String model, String type, String... users) {
    List<Object> events = new ArrayList<>();
    for (String user : users) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("eventId", UUID.randomUUID().toString());
      event.put("userId", user);
      event.put("type", model + "-" + type);
      events.add(event);
    }
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(events));
    assertEquals(202, answer.status(), answer.body());
  }

  void purchase(String user, double amount) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventId", UUID.randomUUID().toString());
    event.put("userId", user);
    event.put("type", "purchase");
    event.put("properties", Map.of("amount", amount));
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(event));
    assertEquals(202, answer.status(), answer.body());
  }

  JsonNode vouchers(String user) {
    HttpJson.Answer answer = http.get("/v1/users/" + user + "/vouchers");
    assertEquals(200, answer.status(), answer.body());
    return answer.json().get("vouchers");
  }

  List<JsonNode> vouchers(String user, String campaignId) {
    List<JsonNode> found = new ArrayList<>();
    vouchers(user)
        .forEach(
            voucher -> {
              if (voucher.get("campaignId").asText().equals(campaignId)) {
                found.add(voucher);
              }
            });
    return found;
  }

  JsonNode stats(String campaignId) {
    HttpJson.Answer answer = http.get("/v1/campaigns/" + campaignId + "/stats");
    assertEquals(200, answer.status(), answer.body());
    return answer.json();
  }

  long considered(String campaignId) {
    long total = 0;
    for (JsonNode count : stats(campaignId).get("outcomes")) {
      total += count.asLong();
    }
    return total;
  }

  HttpJson.Answer redeem(String code, String user, double orderAmount) {
    return http.post(
        "/v1/vouchers/" + code + "/redeem",
        HttpJson.json(Map.of("userId", user, "orderAmount", orderAmount)));
  }

  /** Retries {@code assertion} until it passes: the projection works behind the journal. */
  static void eventually(Runnable assertion) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** {@code read} for every item, eight at a time, in the order of the items. */
  static <T, R> List<R> inParallel(List<T> items, java.util.function.Function<T, R> read) {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<R>> results = new ArrayList<>();
      for (T item : items) {
        results.add(pool.submit(() -> read.apply(item)));
      }
      List<R> values = new ArrayList<>();
      for (Future<R> result : results) {
        values.add(result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      }
      return values;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      pool.shutdownNow();
    }
  }

  String id(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static void assertProblem(HttpJson.Answer answer, int status, String type) {
    assertEquals(status, answer.status(), answer.body());
    assertTrue(answer.isProblem(), answer.contentType());
    assertEquals("urn:pulse:problem:" + type, answer.json().get("type").asText(), answer.body());
  }

  @Test
  void campaignsAreCreatedReadListedAndReplacedUnderNewVersions() {
    String id = id("crud");
    Map<String, Object> definition =
        campaign(
            model("issue"),
            Map.of(
                "codePattern",
                "VIP-######",
                "budget",
                Map.of("maxVouchers", 50),
                "minimumOrderAmount",
                20,
                "controlGroupPercent",
                10));

    HttpJson.Answer created = put(id, definition);
    assertEquals(201, created.status(), created.body());
    JsonNode body = created.json();
    assertEquals(id, body.get("id").asText());
    assertEquals(1, body.get("version").asLong());
    assertEquals("high", body.get("trigger").get("entered").asText());
    assertEquals("percent", body.get("offer").get("type").asText());
    assertEquals(1, body.get("perUserLimit").asInt());
    assertEquals(30, body.get("validityDays").asInt());
    assertTrue(body.get("active").asBoolean());
    assertEquals(T0.toString(), body.get("createdAt").asText());

    assertEquals(1, put(id, definition).json().get("version").asLong(), "unchanged");
    Map<String, Object> switchedOff = new LinkedHashMap<>(definition);
    switchedOff.put("active", false);
    HttpJson.Answer replaced = put(id, switchedOff);
    assertEquals(200, replaced.status(), replaced.body());
    assertEquals(2, replaced.json().get("version").asLong());

    JsonNode read = http.get("/v1/campaigns/" + id).json();
    assertFalse(read.get("active").asBoolean());
    assertEquals("VIP-######", read.get("codePattern").asText());
    assertEquals(50, read.get("budget").get("maxVouchers").asInt());
    List<String> listed = new ArrayList<>();
    http.get("/v1/campaigns")
        .json()
        .get("campaigns")
        .forEach(c -> listed.add(c.get("id").asText()));
    assertTrue(listed.contains(id), listed.toString());

    // A user going quiet is a segment like a band: a win-back campaign can trigger on it.
    String winback = id("winback");
    Map<String, Object> quiet = new LinkedHashMap<>();
    quiet.put("trigger", Map.of("model", model("issue"), "entered", "inactive"));
    quiet.put("offer", Map.of("type", "free_shipping"));
    HttpJson.Answer inactive = put(winback, quiet);
    assertEquals(201, inactive.status(), inactive.body());
    assertEquals("inactive", inactive.json().get("trigger").get("entered").asText());
    assertEquals("free_shipping", inactive.json().get("offer").get("type").asText());

    assertProblem(http.get("/v1/campaigns/none-" + run), 404, "campaign-not-found");
    assertProblem(http.get("/v1/campaigns/none-" + run + "/stats"), 404, "campaign-not-found");
  }

  @Test
  void anInvalidCampaignIsA400NamingEveryField() {
    Map<String, Object> broken = new LinkedHashMap<>();
    broken.put("trigger", Map.of("model", model("issue"), "entered", "gold"));
    broken.put("offer", Map.of("type", "percent", "value", 150));
    broken.put("tiers", Map.of("silver", Map.of("type", "bogus", "value", 1)));
    broken.put("codePattern", "ab");
    broken.put("perUserLimit", 0);
    broken.put("budget", Map.of("maxVouchers", -1));
    broken.put("validityDays", 0);
    broken.put("startsAt", "yesterday");
    broken.put("controlGroupPercent", 120);

    HttpJson.Answer answer = put(id("bad"), broken);

    assertProblem(answer, 400, "invalid-campaign");
    List<String> errors = new ArrayList<>();
    answer.json().get("errors").forEach(error -> errors.add(error.asText()));
    for (String field : List.of("tiers.silver.type", "startsAt", "offer.value")) {
      assertTrue(errors.stream().anyMatch(e -> e.startsWith(field)), field + " in " + errors);
    }

    broken.put("startsAt", "2026-11-22T00:00:00Z");
    broken.put("tiers", Map.of("silver", Map.of("type", "fixed_amount", "value", 5)));
    broken.put("offer", Map.of("type", "percent", "value", 10));
    errors.clear();
    put(id("bad"), broken).json().get("errors").forEach(error -> errors.add(error.asText()));
    for (String field :
        List.of(
            "codePattern",
            "perUserLimit",
            "budget.maxVouchers",
            "validityDays",
            "controlGroupPercent")) {
      assertTrue(errors.stream().anyMatch(e -> e.startsWith(field)), field + " in " + errors);
    }

    broken.put("codePattern", "VIP-######");
    broken.put("perUserLimit", 1);
    broken.put("budget", Map.of("maxVouchers", 1));
    broken.put("validityDays", 3);
    broken.put("controlGroupPercent", 0);
    errors.clear();
    put(id("bad"), broken).json().get("errors").forEach(error -> errors.add(error.asText()));
    assertTrue(errors.stream().anyMatch(e -> e.startsWith("trigger.entered 'gold' is not a band")));
    assertTrue(errors.stream().anyMatch(e -> e.startsWith("tiers.silver can never apply")));

    Map<String, Object> unknownModel = campaign("no-such-model", Map.of());
    assertTrue(
        put(id("bad"), unknownModel).body().contains("trigger.model 'no-such-model' is not"));
    Map<String, Object> unknownField = campaign(model("issue"), Map.of("colour", "red"));
    HttpJson.Answer field = put(id("bad"), unknownField);
    assertProblem(field, 400, "invalid-campaign");
    assertTrue(field.body().contains("unknown field 'colour'"), field.body());
    assertProblem(http.put("/v1/campaigns/x", "{"), 400, "invalid-json");
    assertProblem(put("-bad", campaign(model("issue"), Map.of())), 400, "invalid-campaign");
  }

  @Test
  void aUserPushedIntoHighGetsExactlyOneVoucherAndAReplayFromOffsetZeroIssuesNothingNew() {
    String model = model("issue");
    String id = id("loyalty");
    define(id, campaign(model, Map.of("codePattern", "LOYAL-########")));
    String ann = "ann-" + run;

    send(model, "tick", ann);
    send(model, "jump", ann);
    eventually(() -> assertEquals(1, vouchers(ann, id).size()));
    JsonNode voucher = vouchers(ann, id).get(0);
    String code = voucher.get("code").asText();
    assertTrue(code.matches("LOYAL-[A-Z2-9]{8}"), code);
    assertEquals("active", voucher.get("status").asText());
    assertEquals("high", voucher.get("band").asText());
    assertEquals(T0.plus(Duration.ofDays(30)).toString(), voucher.get("expiresAt").asText());

    // More events keep her in high: no transition, no voucher.
    send(model, "jump", ann);
    // A campaign defined now but starting in the past can still issue to ann, but only if the
    // feed is really read again from the top: it shows that the replay below happened.
    String backdated = id("backdated");
    define(backdated, campaign(model, Map.of("startsAt", T0.minus(Duration.ofDays(1)).toString())));

    ProjectionManagement.get(server.system())
        .clearOffset(PromotionProjection.ID)
        .toCompletableFuture()
        .join();
    String bob = "bob-" + run;
    send(model, "jump", bob);

    eventually(
        () -> {
          assertEquals(1, vouchers(bob, id).size());
          assertEquals(1, vouchers(ann, backdated).size());
        });
    List<JsonNode> annsVouchers = vouchers(ann, id);
    assertEquals(1, annsVouchers.size());
    assertEquals(code, annsVouchers.get(0).get("code").asText());
    JsonNode stats = stats(id);
    assertEquals(2, stats.get("issued").asLong());
    assertEquals(2, considered(id), stats.toString());
  }

  @Test
  void aThousandUsersEnteringHighAtOnceAgainstABudgetOfAHundredGetExactlyAHundredVouchers() {
    String model = model("budget");
    String id = id("budget");
    define(id, campaign(model, Map.of("budget", Map.of("maxVouchers", 100))));
    String[] users = new String[1000];
    for (int i = 0; i < users.length; i++) {
      users[i] = "b" + i + "-" + run;
    }

    send(model, "jump", users);

    eventually(() -> assertEquals(1000, considered(id)));
    JsonNode stats = stats(id);
    assertEquals(100, stats.get("issued").asLong());
    assertEquals(900, stats.get("outcomes").get("budget-exhausted").asLong());
    assertEquals(0, stats.get("budget").get("vouchersLeft").asLong());
    Set<String> codes = new HashSet<>();
    int holders = 0;
    for (List<JsonNode> of : inParallel(List.of(users), user -> vouchers(user, id))) {
      holders += of.size();
      of.forEach(voucher -> codes.add(voucher.get("code").asText()));
    }
    assertEquals(100, holders);
    assertEquals(100, codes.size());
  }

  @Test
  void controlUsersAreAssignedByTheRealHashRecordedAndNeverGetACode() {
    String model = model("control");
    String id = id("control");
    define(id, campaign(model, Map.of("controlGroupPercent", 30)));
    List<String> users = new ArrayList<>();
    int expectedControl = 0;
    for (int i = 0; i < 60; i++) {
      String user = "c" + i + "-" + run;
      users.add(user);
      if (ControlGroup.contains(id, user, 30)) {
        expectedControl++;
      }
    }
    assertTrue(expectedControl > 5 && expectedControl < 40, "a mixed sample: " + expectedControl);

    send(model, "jump", users.toArray(String[]::new));

    eventually(() -> assertEquals(60, considered(id)));
    JsonNode stats = stats(id);
    assertEquals(expectedControl, stats.get("control").get("users").asLong());
    assertEquals(60 - expectedControl, stats.get("treatment").get("users").asLong());
    assertEquals(60 - expectedControl, stats.get("issued").asLong());
    for (String user : users) {
      int expected = ControlGroup.contains(id, user, 30) ? 0 : 1;
      assertEquals(expected, vouchers(user, id).size(), user);
    }
  }

  @Test
  void everyRedemptionRuleAnswersWithItsOwnStatus() {
    String model = model("redeem");
    String id = id("redeem");
    Map<String, Object> definition =
        campaign(
            model,
            Map.of(
                "offer", Map.of("type", "percent", "value", 10, "maxDiscount", 15),
                "minimumOrderAmount", 50,
                "validityDays", 7));
    define(id, definition);
    String ann = "rann-" + run;
    String bob = "rbob-" + run;
    send(model, "jump", ann, bob);
    eventually(
        () -> {
          assertEquals(1, vouchers(ann, id).size());
          assertEquals(1, vouchers(bob, id).size());
        });
    String annsCode = vouchers(ann, id).get(0).get("code").asText();
    String bobsCode = vouchers(bob, id).get(0).get("code").asText();

    assertProblem(redeem("NOSUCHCODE", ann, 100), 404, "voucher-not-found");
    assertProblem(redeem("lower-case", ann, 100), 404, "voucher-not-found");
    HttpJson.Answer invalid =
        http.post("/v1/vouchers/" + annsCode + "/redeem", "{\"orderAmount\": -5}");
    assertProblem(invalid, 400, "invalid-redemption");
    assertEquals(2, invalid.json().get("errors").size(), invalid.body());
    assertProblem(redeem(annsCode, bob, 100), 403, "voucher-not-yours");
    assertProblem(redeem(annsCode, ann, 49.99), 422, "below-minimum-order");

    HttpJson.Answer redeemed = redeem(annsCode, ann, 120);
    assertEquals(200, redeemed.status(), redeemed.body());
    assertEquals(12.0, redeemed.json().get("discount").asDouble());
    assertEquals(id, redeemed.json().get("campaignId").asText());
    assertProblem(redeem(annsCode, ann, 120), 409, "voucher-used");
    assertEquals("redeemed", vouchers(ann, id).get(0).get("status").asText());

    Map<String, Object> off = new LinkedHashMap<>(definition);
    off.put("active", false);
    define(id, off);
    assertProblem(redeem(bobsCode, bob, 100), 409, "campaign-inactive");
    define(id, definition);

    clock.advance(Duration.ofDays(7));
    try {
      assertProblem(redeem(bobsCode, bob, 100), 410, "voucher-expired");
      assertEquals("expired", vouchers(bob, id).get(0).get("status").asText());
    } finally {
      clock.set(T0);
    }
    HttpJson.Answer capped = redeem(bobsCode, bob, 500);
    assertEquals(200, capped.status(), capped.body());
    assertEquals(15.0, capped.json().get("discount").asDouble(), "10% of 500, capped at 15");
  }

  @Test
  void twoRedemptionsOfOneCodeAtTheSameMomentGiveExactlyOneSuccess() throws Exception {
    String model = model("redeem");
    String id = id("race");
    define(id, campaign(model, Map.of()));
    String cat = "rcat-" + run;
    send(model, "jump", cat);
    eventually(() -> assertEquals(1, vouchers(cat, id).size()));
    String code = vouchers(cat, id).get(0).get("code").asText();

    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> attempts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        attempts.add(() -> redeem(code, cat, 40).status());
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> status : pool.invokeAll(attempts)) {
        statuses.add(status.get());
      }
      assertEquals(
          1, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
      assertEquals(
          7, statuses.stream().filter(status -> status == 409).count(), statuses.toString());
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    assertEquals(1, stats(id).get("redeemed").asLong());
  }

  @Test
  void aRestartLosesNoVoucherAndIssuesNoDuplicate() {
    String model = model("restart");
    String id = id("durable");
    define(id, campaign(model, Map.of()));
    String first = "d1-" + run;
    String second = "d2-" + run;
    send(model, "jump", first, second);
    eventually(
        () -> {
          assertEquals(1, vouchers(first, id).size());
          assertEquals(1, vouchers(second, id).size());
        });
    String firstCode = vouchers(first, id).get(0).get("code").asText();
    String secondCode = vouchers(second, id).get(0).get("code").asText();
    assertEquals(200, redeem(firstCode, first, 60).status());

    server.restart();
    http = server.http();

    assertEquals(firstCode, vouchers(first, id).get(0).get("code").asText());
    assertEquals("redeemed", vouchers(first, id).get(0).get("status").asText());
    assertEquals(secondCode, vouchers(second, id).get(0).get("code").asText());
    assertProblem(redeem(firstCode, first, 60), 409, "voucher-used");
    String third = "d3-" + run;
    send(model, "jump", third);
    eventually(() -> assertEquals(1, vouchers(third, id).size()));
    assertEquals(1, vouchers(first, id).size());
    assertEquals(1, vouchers(second, id).size());
    JsonNode stats = stats(id);
    assertEquals(3, stats.get("issued").asLong());
    assertEquals(1, stats.get("redeemed").asLong());
    assertNotNull(http.get("/v1/campaigns/" + id).json().get("version"));
  }

  @Test
  void aTieredCampaignGivesTheOfferOfTheBandEntered() {
    String model = model("tiers");
    String id = id("tiers");
    Map<String, Object> tiers = new LinkedHashMap<>();
    tiers.put("medium", Map.of("type", "fixed_amount", "value", 5));
    tiers.put("high", Map.of("type", "free_shipping", "value", 4.95));
    Map<String, Object> definition = new LinkedHashMap<>();
    definition.put("trigger", Map.of("model", model, "exited", "low"));
    definition.put("tiers", tiers);
    define(id, definition);
    String climber = "t1-" + run;
    String jumper = "t2-" + run;
    send(model, "tick", climber, jumper);
    send(model, "step", climber);
    send(model, "jump", jumper);

    eventually(
        () -> {
          assertEquals(1, vouchers(climber, id).size());
          assertEquals(1, vouchers(jumper, id).size());
        });
    JsonNode medium = vouchers(climber, id).get(0).get("offer");
    assertEquals("fixed_amount", medium.get("type").asText());
    assertEquals(5.0, medium.get("value").asDouble());
    assertEquals("free_shipping", vouchers(jumper, id).get(0).get("offer").get("type").asText());
    assertEquals(
        "low", http.get("/v1/campaigns/" + id).json().get("trigger").get("exited").asText());
  }

  @Test
  void statsMatchAScriptedScenario() {
    String model = model("stats");
    String id = id("stats");
    define(
        id,
        campaign(
            model,
            Map.of(
                "offer", Map.of("type", "percent", "value", 10, "maxDiscount", 15),
                "budget", Map.of("maxVouchers", 2),
                "controlGroupPercent", 50,
                "validityDays", 7,
                "minimumOrderAmount", 20)));
    List<String> control = new ArrayList<>();
    List<String> treated = new ArrayList<>();
    for (int i = 0; control.size() < 2 || treated.size() < 3; i++) {
      String user = "s" + i + "-" + run;
      (ControlGroup.contains(id, user, 50) ? control : treated).add(user);
    }

    // Two control users and three treated users enter high, one after the other: the budget
    // gives vouchers to the first two treated users only, and then closes the campaign.
    for (String user :
        List.of(control.get(0), control.get(1), treated.get(0), treated.get(1), treated.get(2))) {
      send(model, "jump", user);
    }
    eventually(() -> assertEquals(5, considered(id)));
    String code = vouchers(treated.get(0), id).get(0).get("code").asText();
    assertEquals(200, redeem(code, treated.get(0), 200).status()); // 10% of 200, capped at 15

    purchase(treated.get(0), 80); // converts
    purchase(control.get(0), 30); // converts
    clock.advance(Duration.ofDays(8));
    try {
      purchase(control.get(1), 30); // after the 7-day window: does not convert
    } finally {
      clock.set(T0);
    }
    // The last user shows the projection has read everything before it.
    send(model, "jump", "s-last-" + run);
    eventually(() -> assertEquals(6, considered(id)));

    JsonNode stats = stats(id);
    assertEquals(2, stats.get("issued").asLong());
    assertEquals(1, stats.get("redeemed").asLong());
    assertEquals(0.5, stats.get("redemptionRate").asDouble());
    assertEquals(15.0, stats.get("discountGiven").asDouble());
    JsonNode budget = stats.get("budget");
    assertEquals(2, budget.get("maxVouchers").asInt());
    assertEquals(0, budget.get("vouchersLeft").asLong());
    assertEquals(30.0, budget.get("discountCommitted").asDouble());
    assertTrue(budget.get("discountLeft").isNull());
    assertEquals(2, stats.get("treatment").get("users").asLong());
    assertEquals(1, stats.get("treatment").get("conversions").asLong());
    assertEquals(0.5, stats.get("treatment").get("conversionRate").asDouble());
    assertEquals(2, stats.get("control").get("users").asLong());
    assertEquals(1, stats.get("control").get("conversions").asLong());
    assertEquals(0.5, stats.get("control").get("conversionRate").asDouble());
    JsonNode outcomes = stats.get("outcomes");
    assertEquals(2, outcomes.get("issued").asLong());
    assertEquals(2, outcomes.get("control").asLong());
    assertEquals(2, outcomes.get("budget-exhausted").asLong());
    assertEquals(0, outcomes.get("inactive").asLong());
    assertEquals(0, outcomes.get("user-limit").asLong());
  }
}
