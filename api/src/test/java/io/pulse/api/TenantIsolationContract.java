package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two tenants with the same user ids, model ids and campaign ids: their events, scores, transitions
 * (polling, SSE and webhooks), vouchers, redemptions and statistics never mix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenantIsolationContract {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final TestClock clock = new TestClock(EndToEndContract.T0);
  private TestDatabase database;
  private TestServer server;
  private final List<AutoCloseable> closing = new ArrayList<>();

  private Tenant acme;
  private Tenant globex;

  abstract DatabaseKind kind();

  /** One tenant as its own admin sees it, with its own stream and webhook receiver. */
  private record Tenant(
      String id, HttpJson http, SseClient stream, WebhookReceiver receiver, String band) {}

  @BeforeAll
  void startTwoTenants() throws Exception {
    database = TestDatabase.create(kind());
    server =
        new TestServer(
            database,
            clock,
            Map.of(
                "pulse.webhooks.allowed-networks", "127.0.0.0/8",
                "pulse.webhooks.commit-interval", "200ms"));
    HttpJson operator = server.http();
    acme = tenant(operator, "acme", "warm", "{\"type\": \"percent\", \"value\": 10}");
    globex = tenant(operator, "globex", "bronze", "{\"type\": \"fixed_amount\", \"value\": 5}");

    // the same user ids in both tenants, different behaviour; one user of each tenant alone
    send(acme, "u1", "email_open", null, 1);
    send(acme, "u2", "email_click", null, 2);
    send(acme, "acme-only", "email_open", null, 1);
    send(globex, "u1", "purchase", 100.0, 3);
    send(globex, "u2", "purchase", 40.0, 1);
    send(globex, "globex-only", "page_view", null, 1);
  }

  private Tenant tenant(HttpJson operator, String id, String firstBand, String offer)
      throws Exception {
    assertEquals(201, operator.post("/v1/tenants", "{\"id\": \"" + id + "\"}").status());
    HttpJson.Answer key =
        operator.post(
            "/v1/keys",
            "{\"tenant\": \"" + id + "\", \"name\": \"admin\", \"scopes\": [\"admin\"]}");
    assertEquals(201, key.status(), key.body());
    HttpJson http = operator.withKey(key.json().get("key").asText());
    // a model of the same id with bands of the tenant's own names
    assertEquals(
        201,
        http.put(
                "/v1/models/buyers",
                "{\"name\": \"Buyers of "
                    + id
                    + "\","
                    + " \"rules\": [{\"event\": \"purchase\", \"points\": 10},"
                    + " {\"event\": \"email_open\", \"points\": 1},"
                    + " {\"event\": \"email_click\", \"points\": 1},"
                    + " {\"event\": \"page_view\", \"points\": 1}],"
                    + " \"bands\": [{\"name\": \""
                    + firstBand
                    + "\", \"from\": 1, \"to\": 5}, {\"name\": \"top\", \"from\": 5, \"to\": 10}]}")
            .status());
    awaitTrue(
        () -> http.get("/v1/models/buyers").json().path("rescoring").path("finished").asBoolean(),
        id + "'s new model is in force");
    // a campaign of the same id, with the tenant's own offer
    HttpJson.Answer campaign =
        http.put(
            "/v1/campaigns/loyalty",
            "{\"trigger\": {\"model\": \"buyers\", \"entered\": \""
                + firstBand
                + "\"},"
                + " \"offer\": "
                + offer
                + ", \"perUserLimit\": 1}");
    assertEquals(201, campaign.status(), campaign.body());
    WebhookReceiver receiver = new WebhookReceiver(WebhookReceiver.always(200));
    closing.add(receiver);
    assertEquals(
        201, http.post("/v1/subscriptions", "{\"url\": \"" + receiver.url() + "\"}").status());
    SseClient stream =
        SseClient.connect(server.port(), "/v1/transitions/stream", key.json().get("key").asText());
    closing.add(stream);
    return new Tenant(id, http, stream, receiver, firstBand);
  }

  private void send(Tenant tenant, String user, String type, Double amount, int count) {
    for (int i = 0; i < count; i++) {
      String properties = amount == null ? "" : ", \"properties\": {\"amount\": " + amount + "}";
      HttpJson.Answer answer =
          tenant
              .http()
              .post(
                  "/v1/events",
                  "{\"eventId\": \""
                      + user
                      + "-"
                      + type
                      + "-"
                      + i
                      + "\", \"userId\": \""
                      + user
                      + "\", \"type\": \""
                      + type
                      + "\""
                      + properties
                      + "}");
      assertEquals(202, answer.status(), answer.body());
    }
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable resource : closing) {
      resource.close();
    }
    if (server != null) {
      server.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void usersAndScoresAreTheTenantsOwn() {
    JsonNode acmeU1 = acme.http().get("/v1/users/u1").json();
    JsonNode globexU1 = globex.http().get("/v1/users/u1").json();
    assertEquals(1, acmeU1.get("metrics").get("events").asInt());
    assertEquals(0, acmeU1.get("metrics").get("orders").asInt());
    assertEquals(3, globexU1.get("metrics").get("orders").asInt());
    assertEquals(300.0, globexU1.get("metrics").get("revenue").asDouble(), 1e-9);
    assertNotEquals(
        acmeU1.get("scores").get("buyers").get("points"),
        globexU1.get("scores").get("buyers").get("points"));
    assertEquals(404, acme.http().get("/v1/users/globex-only").status());
    assertEquals(404, globex.http().get("/v1/users/acme-only").status());
    assertEquals(
        "Buyers of acme", acme.http().get("/v1/models/buyers").json().get("name").asText());
    assertEquals(
        "Buyers of globex", globex.http().get("/v1/models/buyers").json().get("name").asText());
  }

  @Test
  void transitionsArePolledStreamedAndDeliveredToTheirOwnTenantOnly() {
    for (Tenant tenant : List.of(acme, globex)) {
      Tenant other = tenant == acme ? globex : acme;
      String own = tenant.id() + "-only";
      String foreign = other.id() + "-only";
      String polled = pollAll(tenant);
      assertTrue(polled.contains(own), tenant.id() + " polls its own: " + polled);
      assertFalse(polled.contains(foreign), tenant.id() + " polls another's: " + polled);
      assertFalse(polled.contains("\"" + other.band() + "\""), polled);

      tenant.stream()
          .await(
              own + " on the stream",
              events -> events.stream().anyMatch(event -> event.data().contains(own)),
              WAIT);
      awaitTrue(
          () ->
              tenant.receiver().requests().stream()
                  .anyMatch(request -> request.json().toString().contains(own)),
          own + " delivered to " + tenant.id() + "'s webhook");
      // what the other tenant produced by now has been read past by both feeds
      String other_ = other.id();
      awaitTrue(
          () ->
              other.receiver().requests().stream()
                  .anyMatch(r -> r.json().toString().contains(foreign)),
          foreign + " delivered to " + other_);
      assertTrue(
          tenant.stream().events().stream().noneMatch(event -> event.data().contains(foreign)),
          tenant.id() + "'s stream shows another tenant's transition");
      assertTrue(
          tenant.receiver().requests().stream()
              .noneMatch(request -> request.json().toString().contains(foreign)),
          tenant.id() + "'s webhook got another tenant's transition");
    }
  }

  @Test
  void vouchersAreIssuedByTheTenantsOwnCampaignAndRedeemedOnlyThere() {
    String acmeCode = awaitVoucher(acme, "u1");
    String globexCode = awaitVoucher(globex, "u1");
    JsonNode acmeVoucher = acme.http().get("/v1/users/u1/vouchers").json().get("vouchers").get(0);
    JsonNode globexVoucher =
        globex.http().get("/v1/users/u1/vouchers").json().get("vouchers").get(0);
    assertEquals("percent", acmeVoucher.get("offer").get("type").asText());
    assertEquals("fixed_amount", globexVoucher.get("offer").get("type").asText());
    assertNotEquals(acmeCode, globexCode);

    HttpJson.Answer stolen =
        globex
            .http()
            .post(
                "/v1/vouchers/" + acmeCode + "/redeem",
                "{\"userId\": \"u1\", \"orderAmount\": 50}");
    assertEquals(404, stolen.status(), stolen.body());
    assertEquals(
        "urn:pulse:problem:voucher-not-found", stolen.json().get("type").asText(), stolen.body());
    HttpJson.Answer redeemed =
        acme.http()
            .post(
                "/v1/vouchers/" + acmeCode + "/redeem",
                "{\"userId\": \"u1\", \"orderAmount\": 50}");
    assertEquals(200, redeemed.status(), redeemed.body());
    assertEquals(5.0, redeemed.json().get("discount").asDouble(), 1e-9);
    assertEquals(1, acme.http().get("/v1/campaigns/loyalty/stats").json().get("redeemed").asInt());
    assertEquals(
        0, globex.http().get("/v1/campaigns/loyalty/stats").json().get("redeemed").asInt());
  }

  @Test
  void statisticsCountEachTenantsOwnUsersAndOrders() {
    awaitTrue(
        () -> acme.http().get("/v1/stats").json().path("users").asInt() == 3,
        "acme counts its 3 users");
    awaitTrue(
        () -> globex.http().get("/v1/stats").json().path("orders").asInt() == 4,
        "globex counts its 4 orders");
    JsonNode acmeStats = acme.http().get("/v1/stats").json();
    JsonNode globexStats = globex.http().get("/v1/stats").json();
    assertEquals(0, acmeStats.get("orders").asInt());
    assertEquals(3, globexStats.get("users").asInt());
    assertEquals(340.0, globexStats.get("revenue").asDouble(), 1e-9);
    assertFalse(acmeStats.get("segments").path("buyers").has(globex.band()), acmeStats.toString());
    assertFalse(
        globexStats.get("segments").path("buyers").has(acme.band()), globexStats.toString());
  }

  @Test
  void subscriptionsAreListedAndFoundOnlyByTheirTenant() {
    JsonNode acmeSubscriptions = acme.http().get("/v1/subscriptions").json().get("subscriptions");
    JsonNode globexSubscriptions =
        globex.http().get("/v1/subscriptions").json().get("subscriptions");
    assertEquals(1, acmeSubscriptions.size());
    assertEquals(1, globexSubscriptions.size());
    String acmeId = acmeSubscriptions.get(0).get("id").asText();
    assertEquals(404, globex.http().get("/v1/subscriptions/" + acmeId).status());
    assertEquals(404, globex.http().delete("/v1/subscriptions/" + acmeId).status());
    assertEquals(200, acme.http().get("/v1/subscriptions/" + acmeId).status());
  }

  @Test
  void anotherTenantsTrafficCostsASubscriptionNoPositionWrites() throws Exception {
    HttpJson operator = server.http();
    Tenant quiet = tenant(operator, "quiet", "low", "{\"type\": \"percent\", \"value\": 1}");
    Tenant busy = tenant(operator, "busy", "low", "{\"type\": \"percent\", \"value\": 1}");
    String quietSubscription = onlySubscriptionId(quiet);
    String busySubscription = onlySubscriptionId(busy);
    // both delivery runs are up and have read the feed as far as it goes
    Thread.sleep(1_000);
    long quietBefore = deliveredOffset(quiet, quietSubscription);
    long busyBefore = deliveredOffset(busy, busySubscription);

    for (int user = 0; user < 6; user++) {
      send(busy, "busy-" + user, "email_open", null, 1);
    }
    awaitTrue(() -> busy.receiver().requests().size() >= 6, "busy's transitions delivered to busy");
    awaitTrue(
        () -> deliveredOffset(busy, busySubscription) > busyBefore, "busy's position recorded");
    // five more commit intervals for the quiet subscription to write what it need not
    Thread.sleep(1_000);

    assertEquals(
        quietBefore,
        deliveredOffset(quiet, quietSubscription),
        "the quiet tenant's subscription recorded a position for another tenant's traffic");
    assertEquals(List.of(), quiet.receiver().requests());
  }

  private static String onlySubscriptionId(Tenant tenant) {
    JsonNode subscriptions = tenant.http().get("/v1/subscriptions").json().get("subscriptions");
    assertEquals(1, subscriptions.size(), subscriptions.toString());
    return subscriptions.get(0).get("id").asText();
  }

  private static long deliveredOffset(Tenant tenant, String subscription) {
    return tenant
        .http()
        .get("/v1/subscriptions/" + subscription)
        .json()
        .get("deliveredOffset")
        .asLong();
  }

  private String pollAll(Tenant tenant) {
    StringBuilder all = new StringBuilder();
    long after = 0;
    while (true) {
      JsonNode page = tenant.http().get("/v1/transitions?after=" + after + "&limit=1000").json();
      all.append(page.get("transitions"));
      long next = page.get("next").asLong();
      if (next == after || page.get("transitions").isEmpty()) {
        return all.toString();
      }
      after = next;
    }
  }

  private String awaitVoucher(Tenant tenant, String user) {
    awaitTrue(
        () ->
            tenant.http().get("/v1/users/" + user + "/vouchers").json().get("vouchers").size() > 0,
        tenant.id() + "'s " + user + " gets a voucher");
    return tenant
        .http()
        .get("/v1/users/" + user + "/vouchers")
        .json()
        .get("vouchers")
        .get(0)
        .get("code")
        .asText();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("not within " + WAIT + ": " + what);
  }
}
