package io.pulse.api;

import static io.pulse.api.PromotionContract.assertProblem;
import static io.pulse.api.PromotionContract.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.projection.PromotionProjection;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * Campaigns on audiences, events, the n-th occurrence of an event and yearly dates, over HTTP
 * against a real node on the real clock, a real journal and the real promotion projection; run once
 * per database by the subclasses. Each voucher is issued once: for users who are passivated, across
 * a restart of the node, and across a replay of the projection from the start of the journal. Every
 * test names its own event types, traits and audiences, so that its campaigns see only its users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CampaignTriggerContract {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** How late a voucher for a yearly date may be issued: the wake-up resolution and the feed. */
  private static final Duration PUNCTUAL = Duration.ofMillis(2500);

  private static final Map<String, Object> SETTINGS =
      Map.of(
          // Idle users leave memory at once, so that dates and windows reach passivated entities.
          "pekko.cluster.sharding.passivation.pulse-lru.idle-entity.timeout", "200ms",
          "jdbc-read-journal.refresh-interval", "50ms",
          "jdbc-read-journal.journal-sequence-retrieval.query-delay", "50ms");

  final String run = UUID.randomUUID().toString().substring(0, 6);
  TestDatabase database;
  TestServer server;
  HttpJson http;

  abstract DatabaseKind kind();

  @BeforeAll
  void startServer() {
    database = TestDatabase.create(kind());
    server = new TestServer(database, Clock.systemUTC(), SETTINGS);
    http = server.http();
    define("marker-" + run, Map.of("event", "marker-" + run), Map.of("perUserLimit", 1));
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

  // ---------------------------------------------------------------- helpers

  private static Map<String, Object> campaign(
      Map<String, Object> trigger, Map<String, Object> extra) {
    Map<String, Object> campaign = new LinkedHashMap<>();
    campaign.put("name", "Triggered");
    campaign.put("trigger", trigger);
    campaign.put("offer", Map.of("type", "fixed_amount", "value", 20));
    campaign.putAll(extra);
    return campaign;
  }

  private HttpJson.Answer put(String campaignId, Map<String, Object> campaign) {
    return http.put("/v1/campaigns/" + campaignId, HttpJson.json(campaign));
  }

  private void define(String campaignId, Map<String, Object> trigger, Map<String, Object> extra) {
    HttpJson.Answer answer = put(campaignId, campaign(trigger, extra));
    assertTrue(answer.status() == 201 || answer.status() == 200, answer.body());
  }

  private void audience(String audienceId, String condition) {
    HttpJson.Answer answer =
        http.put(
            "/v1/audiences/" + audienceId,
            "{\"name\": \"" + audienceId + "\", \"condition\": " + condition + "}");
    assertEquals(201, answer.status(), answer.body());
  }

  private void send(Map<String, Object> event) {
    send(List.of(event));
  }

  private void send(List<Map<String, Object>> events) {
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(events));
    assertEquals(202, answer.status(), answer.body());
  }

  private static Map<String, Object> event(
      String eventId, String user, String type, Map<String, Object> properties) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventId", eventId);
    event.put("userId", user);
    event.put("type", type);
    event.put("properties", properties);
    return event;
  }

  private void traits(String user, Map<String, Object> traits) {
    HttpJson.Answer answer =
        http.send("PATCH", "/v1/users/" + user + "/traits", HttpJson.json(traits));
    assertEquals(200, answer.status(), answer.body());
  }

  private List<JsonNode> vouchers(String user, String campaignId) {
    HttpJson.Answer answer = http.get("/v1/users/" + user + "/vouchers");
    assertEquals(200, answer.status(), answer.body());
    List<JsonNode> found = new ArrayList<>();
    answer
        .json()
        .get("vouchers")
        .forEach(
            voucher -> {
              if (voucher.get("campaignId").asText().equals(campaignId)) {
                found.add(voucher);
              }
            });
    return found;
  }

  private JsonNode onlyVoucher(String user, String campaignId) {
    eventually(() -> assertEquals(1, vouchers(user, campaignId).size(), user));
    return vouchers(user, campaignId).get(0);
  }

  private long issued(String campaignId) {
    return http.get("/v1/campaigns/" + campaignId + "/stats").json().get("issued").asLong();
  }

  /**
   * Reads the promotion feed again from the start of the journal, and returns once the projection
   * is past everything written before: a marker event sent after the reset has its voucher.
   */
  private void replayTheProjection() {
    ProjectionManagement.get(server.system())
        .clearOffset(PromotionProjection.ID)
        .toCompletableFuture()
        .join();
    String user = "marked-" + UUID.randomUUID();
    send(event("m-" + user, user, "marker-" + run, Map.of()));
    onlyVoucher(user, "marker-" + run);
  }

  private static void sleepUntil(Instant moment) throws InterruptedException {
    long millis = Duration.between(Instant.now(), moment).toMillis();
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private static void assertIssuedSoonAfter(Instant moment, JsonNode voucher) {
    Instant issued = Instant.parse(voucher.get("issuedAt").asText());
    Duration late = Duration.between(moment, issued);
    assertTrue(
        !late.isNegative() && late.compareTo(PUNCTUAL) <= 0,
        "issued " + issued + " for a moment at " + moment);
  }

  /** A birthday whose yearly moment in {@code zone} falls {@code ahead} from now. */
  private record Birthday(Instant moment, String birthday, String at) {
    static Birthday in(ZoneId zone, Duration ahead) {
      Instant moment = Instant.now().plus(ahead).truncatedTo(ChronoUnit.SECONDS);
      ZonedDateTime local = moment.atZone(zone);
      // 1992 is a leap year: any month and day is a date in it.
      LocalDate birthday = LocalDate.of(1992, local.getMonth(), local.getDayOfMonth());
      return new Birthday(moment, birthday.toString(), local.toLocalTime().toString());
    }
  }

  // ---------------------------------------------------------------- audiences

  @Test
  void anAbandonedCartEntersItsAudienceOnTimeAndIssuesTheCartVoucherOnceAndLeavingIssuesAnother() {
    String carts = "carts-" + run;
    audience(
        carts,
        "{\"event\": \"add_to_cart-"
            + run
            + "\", \"within\": \"PT2S\", \"notFollowedBy\": {\"event\": \"checkout-"
            + run
            + "\"}}");
    define(carts, Map.of("audience", carts, "entered", true), Map.of());
    define(
        carts + "-back",
        Map.of("audience", carts, "exited", true),
        Map.of("offer", Map.of("type", "free_shipping")));
    String ann = "ann-" + run;

    Instant added = Instant.now();
    send(event("c-1", ann, "add_to_cart-" + run, Map.of()));
    JsonNode voucher = onlyVoucher(ann, carts);

    assertIssuedSoonAfter(added.plusSeconds(2), voucher);
    assertEquals(List.of(), vouchers(ann, carts + "-back"));
    send(event("c-2", ann, "checkout-" + run, Map.of()));
    assertEquals(
        "free_shipping", onlyVoucher(ann, carts + "-back").get("offer").get("type").asText());

    replayTheProjection();
    assertEquals(1, vouchers(ann, carts).size());
    assertEquals(1, vouchers(ann, carts + "-back").size());
    assertEquals(1, issued(carts));
    JsonNode read = http.get("/v1/campaigns/" + carts).json();
    assertEquals(carts, read.get("trigger").get("audience").asText());
    assertTrue(read.get("trigger").get("entered").asBoolean());
  }

  @Test
  void aCampaignOnAnAudienceThatDoesNotExistIsRefusedNamingItAndNothingIsStored() {
    String id = "nowhere-" + run;

    HttpJson.Answer refused =
        put(id, campaign(Map.of("audience", "nope-" + run, "entered", true), Map.of()));
    HttpJson.Answer eligibility =
        put(id, campaign(Map.of("event", "x-" + run), Map.of("eligibleAudience", "nope-" + run)));

    assertProblem(refused, 400, "invalid-campaign");
    assertTrue(
        refused.body().contains("trigger.audience 'nope-" + run + "' is not an audience"),
        refused.body());
    assertProblem(eligibility, 400, "invalid-campaign");
    assertTrue(
        eligibility.body().contains("eligibleAudience 'nope-" + run + "' is not an audience"),
        eligibility.body());
    assertProblem(http.get("/v1/campaigns/" + id), 404, "campaign-not-found");
  }

  @Test
  void ofConcurrentDefinitionsOfACampaignTheAudienceOfTheOneStoredLastIsTheOneKept()
      throws Exception {
    String first = "first-" + run;
    String second = "second-" + run;
    audience(first, "{\"trait\": \"plan\", \"eq\": \"first\"}");
    audience(second, "{\"trait\": \"plan\", \"eq\": \"second\"}");
    String id = "contested-" + run;
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 4; round++) {
        List<Future<HttpJson.Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          String audience = i % 2 == 0 ? first : second;
          answers.add(
              clients.submit(
                  () ->
                      put(id, campaign(Map.of("audience", audience, "entered", true), Map.of()))));
        }
        for (Future<HttpJson.Answer> answer : answers) {
          HttpJson.Answer stored = answer.get(30, TimeUnit.SECONDS);
          assertTrue(stored.status() == 201 || stored.status() == 200, stored.body());
        }
        String kept =
            http.get("/v1/campaigns/" + id).json().path("trigger").path("audience").asText();
        // The audience the stored definition names is in use: it cannot be deleted.
        assertProblem(http.delete("/v1/audiences/" + kept), 409, "audience-in-use");
      }
      String kept =
          http.get("/v1/campaigns/" + id).json().path("trigger").path("audience").asText();
      String other = kept.equals(first) ? second : first;
      // And nothing holds the other one any more.
      assertEquals(204, http.delete("/v1/audiences/" + other).status());
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void aVoucherRestrictedToAnAudienceIsRefusedOutsideItWithA422ThatChangesNothing() {
    String vip = "vip-" + run;
    audience(vip, "{\"trait\": \"plan-" + run + "\", \"eq\": \"vip\"}");
    String id = "vip-only-" + run;
    define(id, Map.of("event", "visit-" + run), Map.of("eligibleAudience", vip));
    assertEquals(vip, http.get("/v1/campaigns/" + id).json().get("eligibleAudience").asText());
    String bob = "bob-" + run;
    send(event("v-1", bob, "visit-" + run, Map.of()));
    String code = onlyVoucher(bob, id).get("code").asText();
    String redeem = "/v1/vouchers/" + code + "/redeem";
    String order = "{\"userId\": \"" + bob + "\", \"orderAmount\": 100}";

    HttpJson.Answer outside = http.post(redeem, order);

    assertProblem(outside, 422, "not-eligible");
    assertEquals("active", onlyVoucher(bob, id).get("status").asText());
    assertEquals(0, http.get("/v1/campaigns/" + id + "/stats").json().get("redeemed").asLong());
    HttpJson.Answer inUse = http.delete("/v1/audiences/" + vip);
    assertProblem(inUse, 409, "audience-in-use");
    assertTrue(inUse.body().contains("campaign " + id), inUse.body());

    traits(bob, Map.of("plan-" + run, "vip"));
    HttpJson.Answer inside = http.post(redeem, order);
    assertEquals(200, inside.status(), inside.body());
    assertEquals(20.0, inside.json().get("discount").asDouble());
  }

  // ---------------------------------------------------------------- events

  @Test
  void anEventTriggerIssuesOnEveryMatchingEventAndARetryOrAReplayIssuesNothingMore() {
    String id = "sorry-" + run;
    String type = "support_contact-" + run;
    define(
        id,
        Map.of("event", type, "where", Map.of("properties.severity", Map.of("gte", 3))),
        Map.of("perUserLimit", 10));
    String cat = "cat-" + run;
    Map<String, Object> serious = event("s-3", cat, type, Map.of("severity", 3));

    send(
        List.of(
            event("s-1", cat, type, Map.of("severity", 1)),
            serious,
            event("s-2", cat, type, Map.of())));
    send(List.of(serious, event("s-5", cat, type, Map.of("severity", 5))));

    eventually(() -> assertEquals(2, vouchers(cat, id).size()));
    replayTheProjection();
    assertEquals(2, vouchers(cat, id).size());
    assertEquals(2, issued(id));
  }

  @Test
  void theThirdPurchaseEverIssuesOnceEvenInOneBatchWithRetriesAndAcrossAReplay() {
    String id = "third-" + run;
    Map<String, Object> shop = Map.of("properties.shop", Map.of("eq", run));
    String dan = "dan-" + run;
    String eve = "eve-" + run;
    String fay = "fay-" + run;
    Map<String, Object> dansSecond = purchase("d-2", dan, run);
    // Two of dan's purchases come before the campaign: they count, as they are his.
    send(List.of(purchase("d-1", dan, run), dansSecond, purchase("d-x", dan, "elsewhere")));

    define(id, Map.of("event", "purchase", "where", shop, "occurrence", 3), Map.of());
    JsonNode stored = http.get("/v1/campaigns/" + id).json().get("trigger");
    assertEquals(3, stored.get("occurrence").asInt());
    assertEquals(run, stored.get("where").get("properties.shop").get("eq").asText());

    send(List.of(dansSecond, purchase("d-3", dan, run), purchase("d-4", dan, run)));
    send(List.of(purchase("e-1", eve, run), purchase("e-2", eve, run), purchase("e-3", eve, run)));
    send(
        List.of(
            purchase("f-1", fay, run),
            purchase("f-2", fay, "elsewhere"),
            purchase("f-3", fay, run)));

    onlyVoucher(dan, id);
    onlyVoucher(eve, id);
    replayTheProjection();
    assertEquals(1, vouchers(dan, id).size());
    assertEquals(1, vouchers(eve, id).size());
    assertEquals(List.of(), vouchers(fay, id));
    assertEquals(2, issued(id));
  }

  private static Map<String, Object> purchase(String eventId, String user, String shop) {
    return event(eventId, user, "purchase", Map.of("amount", 30, "shop", shop));
  }

  // ---------------------------------------------------------------- dates

  @Test
  void aBirthdayIsReachedOnTimeByPassivatedUsersWhetherTheDateCameBeforeOrAfterTheCampaign()
      throws InterruptedException {
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    Birthday birthday = Birthday.in(tokyo, Duration.ofSeconds(10));
    String trait = "birthday-" + run;
    String zone = "tz-" + run;
    String id = "birthday-" + run;
    String gil = "gil-" + run;
    String hal = "hal-" + run;
    String ivy = "ivy-" + run;
    // gil's date is known before the campaign: only a visit of every user finds him.
    traits(gil, Map.of(trait, birthday.birthday(), zone, "Asia/Tokyo"));
    define(
        id,
        Map.of("date", Map.of("trait", trait, "at", birthday.at(), "timeZoneTrait", zone)),
        Map.of());
    traits(hal, Map.of(trait, birthday.birthday(), zone, "Asia/Tokyo"));
    // ivy's zone is not Tokyo's: her moment is another one.
    traits(ivy, Map.of(trait, birthday.birthday(), zone, "America/Los_Angeles"));

    sleepUntil(birthday.moment());
    assertIssuedSoonAfter(birthday.moment(), onlyVoucher(gil, id));
    assertIssuedSoonAfter(birthday.moment(), onlyVoucher(hal, id));
    assertEquals(List.of(), vouchers(ivy, id));

    replayTheProjection();
    assertEquals(1, vouchers(gil, id).size());
    assertEquals(1, vouchers(hal, id).size());
    JsonNode read = http.get("/v1/campaigns/" + id).json().get("trigger").get("date");
    assertEquals(trait, read.get("trait").asText());
    assertEquals(birthday.at(), read.get("at").asText());
    assertEquals(zone, read.get("timeZoneTrait").asText());
  }

  @Test
  void aBirthdayDueWhileTheNodeIsDownIsReachedOnceAfterItRestarts() throws InterruptedException {
    Birthday birthday = Birthday.in(ZoneId.of("UTC"), Duration.ofSeconds(10));
    String trait = "born-" + run;
    String id = "restart-" + run;
    String jon = "jon-" + run;
    define(id, Map.of("date", Map.of("trait", trait, "at", birthday.at())), Map.of());
    traits(jon, Map.of(trait, birthday.birthday()));
    // The wake-up request is journaled with the traits; the scheduler copies it shortly after.
    Thread.sleep(1500);

    server.stop();
    sleepUntil(birthday.moment().plusSeconds(1));
    server.start();
    http = server.http();

    onlyVoucher(jon, id);
    server.restart();
    http = server.http();
    replayTheProjection();
    assertEquals(1, vouchers(jon, id).size());
    assertEquals(1, issued(id));
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void everyBadTriggerIsA400NamingTheFieldAndChangesNothing() {
    String id = "kept-" + run;
    define(id, Map.of("event", "kept-" + run), Map.of());
    JsonNode before = http.get("/v1/campaigns/" + id).json();
    Map<Object, String> bad = new LinkedHashMap<>();
    bad.put(Map.of("audience", "a", "entered", true, "exited", true), "trigger needs exactly one");
    bad.put(Map.of("audience", "a"), "trigger needs exactly one of entered and exited");
    bad.put(Map.of("audience", "a", "entered", false), "trigger.entered must be true");
    bad.put(Map.of("audience", "not an id", "exited", true), "trigger.audience must be");
    bad.put(Map.of("event", "e", "occurrence", 0), "trigger.occurrence must be a whole number");
    bad.put(Map.of("event", "e", "occurrence", 2.5), "trigger.occurrence must be a whole number");
    bad.put(Map.of("event", "e", "occurrence", "3"), "trigger.occurrence must be a whole number");
    bad.put(Map.of("event", "e", "colour", "red"), "trigger: unknown key 'colour'");
    bad.put(
        Map.of("event", "e", "where", Map.of("properties.x", Map.of("near", 1))),
        "trigger.where.properties.x: unknown operator 'near'");
    bad.put(Map.of("event", "e", "where", Map.of("amount", Map.of("eq", 1))), "trigger.where:");
    bad.put(Map.of("date", Map.of("trait", "b", "at", "25:00")), "trigger.date.at '25:00'");
    bad.put(Map.of("date", Map.of("trait", "b", "at", "9am")), "trigger.date.at '9am'");
    bad.put(Map.of("date", Map.of("at", "09:00")), "trigger.date.trait is required");
    bad.put(Map.of("date", Map.of("trait", "b", "tz", "x")), "trigger.date: unknown key 'tz'");
    bad.put(Map.of("date", "1990-01-01"), "trigger.date must be an object");
    bad.put(Map.of("model", "engagement", "event", "e"), "trigger combines [event, model]");
    bad.put(Map.of("entered", "high"), "trigger names nothing to fire on");
    for (Map.Entry<Object, String> each : bad.entrySet()) {
      Map<String, Object> campaign = new LinkedHashMap<>(campaign(Map.of(), Map.of()));
      campaign.put("trigger", each.getKey());

      HttpJson.Answer refused = put(id, campaign);

      assertProblem(refused, 400, "invalid-campaign");
      assertTrue(refused.body().contains(each.getValue()), each.getKey() + ": " + refused.body());
    }
    Map<String, Object> tiered =
        campaign(
            Map.of("event", "e"), Map.of("tiers", Map.of("high", Map.of("type", "free_shipping"))));
    assertTrue(put(id, tiered).body().contains("tiers give an offer per band"));
    assertEquals(before, http.get("/v1/campaigns/" + id).json());
  }
}
