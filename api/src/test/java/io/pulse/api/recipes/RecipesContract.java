package io.pulse.api.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.api.HttpJson;
import io.pulse.api.TestServer;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every recipe of {@code docs/recipes.md}, end to end: the page's requests as written (durations
 * shortened where the story cannot wait an hour or a day, each shortening checked to apply), then
 * the customers' story, and what each of them gets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RecipesContract {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** How late a voucher for a moment may be issued: the wake-up resolution and the feed. */
  private static final Duration PUNCTUAL = Duration.ofMillis(2500);

  private static final Map<String, Object> SETTINGS =
      Map.of(
          // Idle users leave memory at once, so that moments reach users who are not in memory.
          "pekko.cluster.sharding.passivation.pulse-lru.idle-entity.timeout", "200ms",
          "jdbc-read-journal.refresh-interval", "50ms",
          "jdbc-read-journal.journal-sequence-retrieval.query-delay", "50ms");

  private final Recipes recipes = Recipes.load();
  private final String run = UUID.randomUUID().toString().substring(0, 6);
  private TestDatabase database;
  private TestServer server;
  private HttpJson http;

  abstract DatabaseKind kind();

  @BeforeAll
  void startServer() {
    database = TestDatabase.create(kind());
    server = new TestServer(database, Clock.systemUTC(), SETTINGS);
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

  // ---------------------------------------------------------------- the recipes

  @Test
  void thePageHoldsEveryRecipe() {
    assertEquals(8, recipes.count());
  }

  @Test
  void customersInactiveForThreeMonthsGetTwentyPercentOffOrdersOverAHundred() {
    apply("1", Map.of());
    // a customer whose last order falls 90 days back in a few seconds
    String ann = user("lapsed");
    Instant lapses = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
    send(purchase("p-" + ann, ann, 60, lapses.minus(Duration.ofDays(90))));
    // someone seen long ago who never ordered is not a lapsed customer
    String bob = user("browser");
    send(event("v-" + bob, bob, "page_view", Map.of(), Instant.now().minus(Duration.ofDays(120))));
    assertEquals(List.of(), vouchers(ann, "win-back"), "not before the 90 days are up");

    JsonNode voucher = onlyVoucher(ann, "win-back");
    assertIssuedSoonAfter(lapses, voucher);
    assertTrue(voucher.get("code").asText().startsWith("BACK-"), voucher.toString());
    String code = voucher.get("code").asText();
    assertEquals("below-minimum-order", problemType(redeem(code, ann, 99)));
    assertEquals(30.0, redeem(code, ann, 150).json().get("discount").asDouble());
    assertEquals(List.of(), vouchers(bob, "win-back"));

    // coming back is an event, which takes the customer out of the audience
    send(event("v-" + ann, ann, "page_view", Map.of(), Instant.now()));
    eventually(() -> assertFalse(audiencesOf(ann).contains("lapsed-customers")));
  }

  @Test
  void premiumCustomersWithACartOverTwoHundredAndFiftyGetTwentyFiveOff() {
    apply("2", Map.of());
    String ann = user("premium");
    String bob = user("basic");
    traits(ann, Map.of("plan", "premium"));
    traits(bob, Map.of("plan", "basic"));
    send(event("c-" + bob, bob, "add_to_cart", Map.of("cartTotal", 300), Instant.now()));
    send(event("s-" + ann, ann, "add_to_cart", Map.of("cartTotal", 120), Instant.now()));
    send(event("c-" + ann, ann, "add_to_cart", Map.of("cartTotal", 300), Instant.now()));

    String code = onlyVoucher(ann, "big-cart").get("code").asText();
    assertEquals(List.of(), vouchers(bob, "big-cart"), "not premium");
    assertEquals(1, vouchers(ann, "big-cart").size(), "the small cart earned nothing");
    assertEquals("below-minimum-order", problemType(redeem(code, ann, 200)));
    // no longer premium at the checkout: not eligible, and nothing changes
    traits(ann, Map.of("plan", "basic"));
    assertEquals("not-eligible", problemType(redeem(code, ann, 300)));
    traits(ann, Map.of("plan", "premium"));
    assertEquals(25.0, redeem(code, ann, 300).json().get("discount").asDouble());
  }

  @Test
  void aComplaintToSupportEarnsASorryVoucherOnceAnEventAndUpToThreeTimes() {
    apply("3", Map.of());
    String ann = user("unhappy");
    String bob = user("curious");
    Map<String, Object> complaint = Map.of("reason", "complaint", "channel", "chat");
    send(event("t-1-" + ann, ann, "support_contact", complaint, Instant.now()));
    send(event("t-1-" + ann, ann, "support_contact", complaint, Instant.now()));
    send(event("t-1-" + bob, bob, "support_contact", Map.of("reason", "question"), Instant.now()));
    assertEquals(10.0, onlyVoucher(ann, "sorry").get("offer").get("value").asDouble());

    send(event("t-2-" + ann, ann, "support_contact", complaint, Instant.now()));
    eventually(() -> assertEquals(2, vouchers(ann, "sorry").size()));
    assertEquals(List.of(), vouchers(bob, "sorry"), "a question is no complaint");
  }

  @Test
  void anAbandonedCartEntersOnTimeAcrossARestartIssuesOnceAndAPurchaseTakesTheShopperOut()
      throws InterruptedException {
    // An hour becomes 30 seconds: long enough for the node to restart within it.
    apply("4", Map.of("\"within\": \"PT1H\"", "\"within\": \"PT30S\""));
    String ann = user("cart");
    String cat = user("again");
    String dan = user("buyer");
    Instant added = Instant.now();
    send(event("a-" + ann, ann, "add_to_cart", Map.of(), added));
    send(event("a-" + cat, cat, "add_to_cart", Map.of(), added));
    send(event("a-" + dan, dan, "add_to_cart", Map.of(), added));
    send(event("b-" + dan, dan, "purchase", Map.of("amount", 40), Instant.now()));
    Thread.sleep(3_000);
    Instant addedAgain = Instant.now();
    send(event("a2-" + cat, cat, "add_to_cart", Map.of(), addedAgain));

    // the whole node restarts while the carts wait; nobody is in memory afterwards
    server.restart();
    http = server.http();
    assertTrue(Instant.now().isBefore(added.plusSeconds(30)), "restarted within the wait");

    JsonNode annsVoucher = onlyVoucher(ann, "cart-reminder");
    assertIssuedSoonAfter(added.plusSeconds(30), annsVoucher);
    assertTrue(annsVoucher.get("code").asText().startsWith("CART-"));
    JsonNode catsVoucher = onlyVoucher(cat, "cart-reminder");
    assertIssuedSoonAfter(addedAgain.plusSeconds(30), catsVoucher);
    assertEquals(List.of(), vouchers(dan, "cart-reminder"), "bought within the hour");
    assertTrue(audiencesOf(ann).contains("cart-abandoners"));

    send(event("b-" + ann, ann, "purchase", Map.of("amount", 80), Instant.now()));
    eventually(() -> assertFalse(audiencesOf(ann).contains("cart-abandoners")));
    eventually(() -> assertEquals(2, audienceTransitions(ann, "cart-abandoners").size()));
    JsonNode left = audienceTransitions(ann, "cart-abandoners");
    assertEquals("event", left.get(1).get("cause").asText());
    assertEquals("time", left.get(0).get("cause").asText());
    server.restart();
    http = server.http();
    assertEquals(1, vouchers(ann, "cart-reminder").size(), "issued once");
  }

  @Test
  void onTheirBirthdayAtNineInTheirOwnTimeZoneCustomersGetTwentyOffAndFreeShipping() {
    ZoneId tokyo = ZoneId.of("Asia/Tokyo");
    Instant moment = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
    ZonedDateTime there = moment.atZone(tokyo);
    LocalTime at = there.toLocalTime();
    apply("5", Map.of("\"at\": \"09:00\"", "\"at\": \"" + at + "\""));
    String ann = user("birthday");
    String bob = user("tomorrow");
    traits(ann, Map.of("birthday", "1990-" + monthDay(there), "timeZone", "Asia/Tokyo"));
    traits(
        bob, Map.of("birthday", "1990-" + monthDay(there.plusDays(1)), "timeZone", "Asia/Tokyo"));

    JsonNode voucher = onlyVoucher(ann, "birthday");
    assertIssuedSoonAfter(moment, voucher);
    JsonNode offer = voucher.get("offer");
    assertEquals(20.0, offer.get("value").asDouble());
    assertTrue(offer.get("freeShipping").asBoolean(), offer.toString());
    assertEquals(
        24.9, redeem(voucher.get("code").asText(), ann, 100).json().get("discount").asDouble());
    assertEquals(List.of(), vouchers(bob, "birthday"), "not today");
  }

  @Test
  void theThirdPurchaseEverEarnsOneReferralCode() {
    apply("6", Map.of());
    String ann = user("loyal");
    send(
        List.of(
            purchase("o-1-" + ann, ann, 30, Instant.now()),
            purchase("o-2-" + ann, ann, 30, Instant.now())));
    String bob = user("once");
    send(purchase("o-1-" + bob, bob, 30, Instant.now()));
    send(purchase("o-2-" + ann, ann, 30, Instant.now()));
    send(purchase("o-3-" + ann, ann, 30, Instant.now()));
    JsonNode voucher = onlyVoucher(ann, "refer-a-friend");
    assertTrue(voucher.get("code").asText().startsWith("FRIEND-"));
    send(purchase("o-3-" + ann, ann, 30, Instant.now()));
    send(purchase("o-4-" + ann, ann, 30, Instant.now()));
    send(purchase("o-2-" + bob, bob, 30, Instant.now()));
    assertEquals(List.of(), vouchers(bob, "refer-a-friend"), "two purchases");
    assertEquals(1, vouchers(ann, "refer-a-friend").size());
  }

  @Test
  void irishCustomersGetTheStPatricksOfferOnTheDayWithNoEventAndLeaveAtItsEnd() {
    String ann = user("irish");
    String bob = user("french");
    String cat = user("moved");
    // customers known before the audience exists, by their traits alone
    traits(ann, Map.of("country", "IE"));
    traits(bob, Map.of("country", "FR"));
    // far enough ahead for the audience's pass over every user and the campaign to be stored
    Instant from = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
    Instant until = from.plusSeconds(8);
    apply(
        "7",
        Map.of(
            "2027-03-17T00:00:00Z", from.toString(),
            "2027-03-18T00:00:00Z", until.toString()));

    JsonNode voucher = onlyVoucher(ann, "st-patricks-2027");
    assertIssuedSoonAfter(from, voucher);
    assertTrue(voucher.get("code").asText().startsWith("PADDY-"));
    traits(cat, Map.of("country", "IE"));
    onlyVoucher(cat, "st-patricks-2027");
    assertEquals(List.of(), vouchers(bob, "st-patricks-2027"));

    eventually(() -> assertFalse(audiencesOf(ann).contains("st-patricks-2027")));
    // the feed shows a transition once every offset before it is visible too
    eventually(() -> assertEquals(2, audienceTransitions(ann, "st-patricks-2027").size()));
    JsonNode ended = audienceTransitions(ann, "st-patricks-2027");
    assertEquals(until.toString(), ended.get(1).get("at").asText());
    assertEquals("time", ended.get(1).get("cause").asText());
  }

  @Test
  void timeSpentInTheAppScoresHalfAPointAMinuteAtMostThirtyASession() {
    apply("8", Map.of());
    String ann = user("app");
    send(
        List.of(
            event("s-1-" + ann, ann, "app_session", Map.of("minutes", 24), Instant.now()),
            event("s-2-" + ann, ann, "app_session", Map.of("minutes", 90), Instant.now()),
            event("s-3-" + ann, ann, "app_session", Map.of("minutes", "n/a"), Instant.now())));
    JsonNode score = http.get("/v1/users/" + ann).json().get("scores").get("app-time");
    assertEquals(42.0, score.get("points").asDouble(), 0.01, score.toString());
  }

  // ---------------------------------------------------------------- helpers

  /** Sends the recipe's requests in order, each substitution applied (and each one used). */
  private void apply(String recipe, Map<String, String> substitutions) {
    Set<String> used = new HashSet<>();
    for (Recipes.Request request : recipes.of(recipe)) {
      for (String key : substitutions.keySet()) {
        if (request.body().contains(key)) {
          used.add(key);
        }
      }
      Recipes.Request sent = request.with(substitutions);
      HttpJson.Answer answer = http.send(sent.method(), sent.path(), sent.body());
      assertTrue(
          answer.status() == 200 || answer.status() == 201,
          sent.method() + " " + sent.path() + " -> " + answer.status() + " " + answer.body());
      if (sent.path().startsWith("/v1/audiences/")) {
        awaitReevaluated(sent.path());
      }
    }
    assertEquals(substitutions.keySet(), used, "every shortening applies to the page");
  }

  private void awaitReevaluated(String path) {
    eventually(
        () -> {
          JsonNode progress = http.get(path).json().get("reevaluation");
          assertTrue(progress == null || progress.get("finished").asBoolean(), "" + progress);
        });
  }

  private String user(String name) {
    return name + "-" + run;
  }

  private static String monthDay(ZonedDateTime day) {
    return String.format("%02d-%02d", day.getMonthValue(), day.getDayOfMonth());
  }

  private static Map<String, Object> event(
      String eventId, String user, String type, Map<String, Object> properties, Instant at) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventId", eventId);
    event.put("userId", user);
    event.put("type", type);
    event.put("timestamp", at.toString());
    event.put("properties", properties);
    return event;
  }

  private static Map<String, Object> purchase(
      String eventId, String user, double amount, Instant at) {
    return event(eventId, user, "purchase", Map.of("amount", amount), at);
  }

  private void send(Map<String, Object> event) {
    send(List.of(event));
  }

  private void send(List<Map<String, Object>> events) {
    HttpJson.Answer answer = http.post("/v1/events", HttpJson.json(events));
    assertEquals(202, answer.status(), answer.body());
    assertEquals(List.of(), toList(answer.json().get("rejected")), answer.body());
  }

  private static List<JsonNode> toList(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }

  private void traits(String user, Map<String, Object> traits) {
    HttpJson.Answer answer =
        http.send("PATCH", "/v1/users/" + user + "/traits", HttpJson.json(traits));
    assertEquals(200, answer.status(), answer.body());
  }

  private List<String> audiencesOf(String user) {
    List<String> audiences = new ArrayList<>();
    http.get("/v1/users/" + user).json().get("audiences").forEach(id -> audiences.add(id.asText()));
    return audiences;
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

  private JsonNode audienceTransitions(String user, String audience) {
    return http.get("/v1/transitions?audience=" + audience + "&user=" + user)
        .json()
        .get("transitions");
  }

  private JsonNode onlyVoucher(String user, String campaignId) {
    eventually(() -> assertEquals(1, vouchers(user, campaignId).size(), user));
    return vouchers(user, campaignId).get(0);
  }

  private HttpJson.Answer redeem(String code, String user, double orderAmount) {
    return http.post(
        "/v1/vouchers/" + code + "/redeem",
        HttpJson.json(Map.of("userId", user, "orderAmount", orderAmount)));
  }

  private static String problemType(HttpJson.Answer answer) {
    assertTrue(answer.isProblem(), answer.body());
    return answer.json().get("type").asText().replace("urn:pulse:problem:", "");
  }

  private static void assertIssuedSoonAfter(Instant moment, JsonNode voucher) {
    Instant issued = Instant.parse(voucher.get("issuedAt").asText());
    Duration late = Duration.between(moment, issued);
    assertTrue(
        !late.isNegative() && late.compareTo(PUNCTUAL) <= 0,
        "issued " + issued + " for a moment at " + moment);
  }

  private static void eventually(Runnable assertion) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
      }
    }
  }
}
