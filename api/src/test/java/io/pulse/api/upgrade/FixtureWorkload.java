package io.pulse.api.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.api.HttpJson;
import io.pulse.api.TestServer;
import io.pulse.engine.TestClock;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.ModelRegistry;
import io.pulse.engine.model.RescoringProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The scripted history the fixture is made of, driven over HTTP against a server whose clock it
 * holds: every kind of journaled change this release has, from a handful of users over 23 days.
 * Each step waits until everything it set off (read side, promotions, wake-ups, re-scoring, webhook
 * deliveries) has finished before the clock moves, so the same script always writes the same
 * history, up to random ids and voucher codes.
 */
final class FixtureWorkload {

  static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  static final Instant END = Instant.parse("2026-12-24T00:00:00Z");
  static final List<String> USERS =
      List.of("ada", "ben", "carl", "eve", "finn", "gus", "hana", "ivan", "jo");

  /** Entities with a fixed snapshot interval (registries, directory) snapshot every 100 changes. */
  private static final int FIXED_SNAPSHOT_INTERVAL = 100;

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String TENANT = "default";

  private final TestServer server;
  private final HttpJson http;
  private final TestClock clock;
  private final FixtureWebhookReceiver receiver;
  private final Connection database;
  private final Map<String, String> subscriptions = new LinkedHashMap<>();
  private final Set<String> eventTypes = new TreeSet<>();
  private final Set<String> channels = new TreeSet<>();
  private final List<String> timeline = new ArrayList<>();

  FixtureWorkload(
      TestServer server, TestClock clock, FixtureWebhookReceiver receiver, Connection database) {
    this.server = server;
    this.http = server.http();
    this.clock = clock;
    this.receiver = receiver;
    this.database = database;
  }

  /** Runs the whole script; returns with the clock at {@link #END} and everything settled. */
  void run() throws Exception {
    clock.set(START);
    churnModelRegistry();
    churnSubscriptionRegistry();
    defineModels();
    defineCampaigns();
    subscribe();
    settle();
    firstDay();
    decayAndAuditDeadLetters();
    redeliverReplayAndDeleteAModel();
    inactivityAndAReturn();
    campaignEnded();
    newModelVersion();
    at(END, "the final instant: every wake-up due by now has been delivered");
    settle();
  }

  /** The webhook subscriptions that remain, by name. */
  Map<String, String> subscriptions() {
    return subscriptions;
  }

  /** Event types of accepted events. */
  Set<String> eventTypes() {
    return eventTypes;
  }

  /** Channels of accepted events. */
  Set<String> channels() {
    return channels;
  }

  /** What the script did, step by step, with the clock of each step. */
  List<String> timeline() {
    return timeline;
  }

  // ---- the steps

  /**
   * A scratch model stored 50 times and deleted, before any user exists: with each version's
   * (empty) re-scoring report that is 100 registry changes, and the registry's first snapshot.
   */
  private void churnModelRegistry() throws Exception {
    note("model 'scratch' stored in 50 versions, then deleted (model registry snapshot)");
    for (int version = 1; version <= FIXED_SNAPSHOT_INTERVAL / 2; version++) {
      expect(
          version == 1 ? 201 : 200,
          http.put(
              "/v1/models/scratch",
              "{\"name\": \"Scratch\", \"rules\": [{\"event\": \"scratch_ping\", \"points\": "
                  + version
                  + "}], \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}"));
      awaitRescored("scratch", version);
    }
    expect(204, http.delete("/v1/models/scratch"));
    settle();
  }

  /** 50 subscriptions created and deleted: 100 registry changes, and its first snapshot. */
  private void churnSubscriptionRegistry() {
    note("50 webhook subscriptions created and deleted (subscription registry snapshot)");
    for (int i = 1; i <= FIXED_SNAPSHOT_INTERVAL / 2; i++) {
      HttpJson.Answer created =
          expect(
              201,
              http.post(
                  "/v1/subscriptions",
                  HttpJson.json(
                      Map.of(
                          "url",
                          receiver.url(),
                          "filter",
                          Map.of("user", "nobody"),
                          "secret",
                          String.format("churn-secret-%08d", i)))));
      expect(204, http.delete("/v1/subscriptions/" + created.json().get("id").asText()));
    }
  }

  /**
   * 'loyalty' uses every model feature: a rule condition with each operator (two on one path, one
   * on a nested property, one on the event's channel), a daily cap, negative points, a custom event
   * type, decay, a custom scale, saturation points, four custom bands and inactivity. 'sunset'
   * scores without decay, goes inactive after 3 days, and is deleted later.
   */
  private void defineModels() throws Exception {
    note("models 'loyalty' (every model feature) and 'sunset' (no decay, inactive after P3D)");
    expect(201, http.put("/v1/models/loyalty", loyalty(2, 60)));
    expect(
        201,
        http.put(
            "/v1/models/sunset",
            "{\"name\": \"Sunset\", \"rules\": ["
                + "{\"event\": \"email_open\", \"points\": 10},"
                + " {\"event\": \"push_click\", \"channel\": \"push\", \"points\": 10}],"
                + " \"inactiveAfter\": \"P3D\","
                + " \"bands\": [{\"name\": \"off\", \"from\": 1, \"to\": 5},"
                + " {\"name\": \"on\", \"from\": 5, \"to\": 10}]}"));
    awaitRescored("loyalty", 1);
    awaitRescored("sunset", 1);
  }

  private static String loyalty(int pageViewPoints, int goldFrom) {
    return "{\"name\": \"Loyalty\", \"rules\": ["
        + "{\"event\": \"purchase\", \"points\": 20,"
        + " \"where\": {\"properties.amount\": {\"gte\": 50, \"lt\": 500}}, \"dailyCap\": 2},"
        + " {\"event\": \"purchase\", \"points\": 5,"
        + " \"where\": {\"properties.amount\": {\"gt\": 0, \"lte\": 50}}},"
        + " {\"event\": \"page_view\", \"channel\": \"web\", \"points\": "
        + pageViewPoints
        + ", \"where\": {\"properties.page\": {\"in\": [\"pricing\", \"checkout\"]}}},"
        + " {\"event\": \"app_session\", \"points\": 3,"
        + " \"where\": {\"properties.platform\": {\"eq\": \"ios\"}}},"
        + " {\"event\": \"app_session\", \"points\": 1,"
        + " \"where\": {\"properties.platform\": {\"ne\": \"ios\"}}},"
        + " {\"event\": \"review\", \"points\": 8,"
        + " \"where\": {\"properties.rating\": {\"exists\": true}}},"
        + " {\"event\": \"add_to_cart\", \"points\": 4,"
        + " \"where\": {\"properties.cart.items\": {\"gte\": 3}}},"
        + " {\"event\": \"support_contact\", \"points\": -5,"
        + " \"where\": {\"channel\": {\"in\": [\"sms\", \"push\"]}}}],"
        + " \"halfLifeDays\": 14,"
        + " \"scale\": {\"min\": 0, \"max\": 100},"
        + " \"saturationPoints\": 40,"
        + " \"inactiveAfter\": \"P10D\","
        + " \"bands\": [{\"name\": \"bronze\", \"from\": 0, \"to\": 30},"
        + " {\"name\": \"silver\", \"from\": 30, \"to\": "
        + goldFrom
        + "},"
        + " {\"name\": \"gold\", \"from\": "
        + goldFrom
        + ", \"to\": 85},"
        + " {\"name\": \"platinum\", \"from\": 85, \"to\": 100}]}";
  }

  /**
   * 'vip': tiers, a budget of 3 vouchers, a control group of 25% (jo is in it), a code pattern.
   * 'tiered': tiers only (silver gets no offer), dates that end on 12-21. 'paused': switched off,
   * on exits, redefined 100 times (the directory's first snapshot, and campaign snapshots).
   */
  private void defineCampaigns() {
    note("campaigns 'vip', 'tiered', and 'paused' (defined 100 times: directory snapshot)");
    Map<String, Object> vip = new LinkedHashMap<>();
    vip.put("name", "VIP reward");
    vip.put("trigger", Map.of("model", "engagement", "entered", List.of("medium", "high")));
    vip.put("offer", Map.of("type", "percent", "value", 10, "maxDiscount", 25));
    vip.put("tiers", Map.of("high", Map.of("type", "fixed_amount", "value", 15)));
    vip.put("codePattern", "VIP-####-####");
    vip.put("perUserLimit", 2);
    vip.put("budget", Map.of("maxVouchers", 3, "maxDiscount", 80));
    vip.put("validityDays", 14);
    vip.put("startsAt", "2026-12-01T00:00:00Z");
    vip.put("endsAt", "2027-06-01T00:00:00Z");
    vip.put("minimumOrderAmount", 20);
    vip.put("controlGroupPercent", 25);
    vip.put("active", true);
    expect(201, http.put("/v1/campaigns/vip", HttpJson.json(vip)));

    Map<String, Object> tiered = new LinkedHashMap<>();
    tiered.put("name", "Loyalty tiers");
    tiered.put(
        "trigger", Map.of("model", "loyalty", "entered", List.of("silver", "gold", "platinum")));
    tiered.put(
        "tiers",
        Map.of(
            "gold", Map.of("type", "percent", "value", 15, "maxDiscount", 30),
            "platinum", Map.of("type", "fixed_amount", "value", 20)));
    tiered.put("codePattern", "GOLD-######");
    tiered.put("perUserLimit", 2);
    tiered.put("startsAt", "2026-12-01T01:00:00Z");
    tiered.put("endsAt", "2026-12-21T00:00:00Z");
    expect(201, http.put("/v1/campaigns/tiered", HttpJson.json(tiered)));

    for (int i = 1; i <= FIXED_SNAPSHOT_INTERVAL; i++) {
      Map<String, Object> paused = new LinkedHashMap<>();
      paused.put("name", "Paused win-back");
      paused.put(
          "trigger", Map.of("model", "engagement", "exited", i % 2 == 0 ? "high" : "medium"));
      paused.put("offer", Map.of("type", "free_shipping", "value", 4.9));
      paused.put("active", false);
      expect(i == 1 ? 201 : 200, http.put("/v1/campaigns/paused", HttpJson.json(paused)));
    }
  }

  /**
   * 'crm' takes loyalty transitions, with a secret of its own; 'audit' takes decay transitions,
   * with a generated secret, and its receiver refuses ada's and hana's: dead letters.
   */
  private void subscribe() {
    note("subscriptions 'crm' (model loyalty) and 'audit' (cause decay; ada and hana refused)");
    subscriptions.put(
        "crm",
        expect(
                201,
                http.post(
                    "/v1/subscriptions",
                    HttpJson.json(
                        Map.of(
                            "url",
                            receiver.url(),
                            "filter",
                            Map.of("model", "loyalty"),
                            "secret",
                            "crm-signing-secret-0001"))))
            .json()
            .get("id")
            .asText());
    subscriptions.put(
        "audit",
        expect(
                201,
                http.post(
                    "/v1/subscriptions",
                    HttpJson.json(
                        Map.of("url", receiver.url(), "filter", Map.of("cause", "decay")))))
            .json()
            .get("id")
            .asText());
    receiver.refuse(subscriptions.get("audit"), Set.of("ada", "hana"));
  }

  /**
   * Day one: every event type and channel of the default model, purchases, a daily cap reached,
   * late events, duplicates, an event without id or time; vouchers issued, a redemption and two
   * conversions.
   */
  private void firstDay() throws Exception {
    at(Instant.parse("2026-12-01T08:00:00Z"), "day one: events of nine users");
    // ada: every default event type; medium (vip voucher, percent) then high (vip voucher, tier);
    // loyalty silver (no offer) then gold (tiered voucher).
    send(
        event("ada-1", "ada", "email_open", "email", "07:00"),
        event("ada-2", "ada", "email_click", "email", "07:01"),
        event("ada-3", "ada", "push_click", "push", "07:02"),
        event("ada-4", "ada", "page_view", "web", "07:03", "page", "pricing"),
        event("ada-5", "ada", "app_session", "app", "07:04", "platform", "ios"),
        event("ada-6", "ada", "support_contact", "sms", "07:05"),
        event("ada-7", "ada", "purchase", "in_app", "07:06", "amount", 120, "currency", "EUR"),
        event("ada-8", "ada", "purchase", "web", "07:07", "amount", 80),
        event("ada-9", "ada", "purchase", "other", "07:08", "amount", 45.5),
        event("ada-10", "ada", "purchase", "in_app", "07:09", "amount", 200),
        event("ada-11", "ada", "email_click", "email", "07:10"),
        event("ada-12", "ada", "email_click", "email", "07:11"),
        event("ada-13", "ada", "add_to_cart", "web", "07:12", "cart", Map.of("items", 3)));
    // jo: in vip's control group when entering medium.
    send(
        event("jo-1", "jo", "push_click", "push", "07:15"),
        event("jo-2", "jo", "push_click", "push", "07:16"),
        event("jo-3", "jo", "push_click", "push", "07:17"),
        event("jo-4", "jo", "app_session", "app", "07:18", "platform", "android"),
        event("jo-5", "jo", "app_session", "app", "07:19", "platform", "android"),
        event("jo-6", "jo", "app_session", "app", "07:20", "platform", "android"),
        event("jo-7", "jo", "app_session", "app", "07:21", "platform", "android"),
        event("jo-8", "jo", "page_view", "other", "07:22"));
    // ben: vip's third and last voucher.
    send(
        event("ben-1", "ben", "email_open", "email", "07:30"),
        event("ben-2", "ben", "email_open", "email", "07:31"),
        event("ben-3", "ben", "email_open", "email", "07:32"),
        event("ben-4", "ben", "email_open", "email", "07:33"),
        event("ben-5", "ben", "email_click", "email", "07:34"),
        event("ben-6", "ben", "email_click", "email", "07:35"));
    // carl: medium once vip's budget is spent; a purchase without an amount; a review.
    send(
        event("carl-1", "carl", "page_view", "web", "07:40", "page", "checkout"),
        event("carl-2", "carl", "page_view", "web", "07:41", "page", "checkout"),
        event("carl-3", "carl", "page_view", "web", "07:42", "page", "checkout"),
        event("carl-4", "carl", "app_session", "app", "07:43"),
        event("carl-5", "carl", "app_session", "app", "07:44"),
        event("carl-6", "carl", "support_contact", "push", "07:45"),
        event("carl-7", "carl", "support_contact", "other", "07:46"),
        event("carl-8", "carl", "purchase", "web", "07:47", "amount", 30),
        event("carl-9", "carl", "purchase", "web", "07:48"),
        event("carl-10", "carl", "review", "app", "07:49", "rating", 4));
    // eve: a first event 11 days late (loyalty: silver before tiered starts, decay and inactivity
    // caught up when the next event arrives), duplicates, a late purchase, no id and no time.
    send(
        timed("eve-1", "eve", "purchase", "web", "2026-11-20T10:00:00Z", "amount", 60),
        event("eve-2", "eve", "page_view", "web", "07:55", "page", "pricing"));
    expectCounts(
        0,
        2,
        send(
            timed("eve-1", "eve", "purchase", "web", "2026-11-20T10:00:00Z", "amount", 60),
            event("eve-2", "eve", "page_view", "web", "07:55", "page", "pricing")));
    expectCounts(
        1,
        1,
        send(
            timed("eve-3", "eve", "purchase", "web", "2026-11-18T09:00:00Z", "amount", 25),
            event("eve-2", "eve", "page_view", "web", "07:55", "page", "pricing")));
    Map<String, Object> anonymous = new LinkedHashMap<>();
    anonymous.put("userId", "eve");
    anonymous.put("type", "email_open");
    anonymous.put("channel", "email");
    expectCounts(1, 0, send(anonymous));
    // finn: sunset 'on', inactive there after three days, then the model is deleted.
    send(
        event("finn-1", "finn", "email_open", "email", "07:50"),
        event("finn-2", "finn", "email_open", "email", "07:51"),
        event("finn-3", "finn", "email_open", "email", "07:52"));
    // gus: loyalty up to platinum (two tiered vouchers), vip over budget.
    send(
        event("gus-1", "gus", "purchase", "web", "07:30", "amount", 100),
        event("gus-2", "gus", "purchase", "app", "07:31", "amount", 150),
        event("gus-3", "gus", "review", "web", "07:32", "rating", 5),
        event("gus-4", "gus", "review", "web", "07:33", "rating", 5),
        event("gus-5", "gus", "app_session", "app", "07:34", "platform", "ios"),
        event("gus-6", "gus", "app_session", "app", "07:35", "platform", "ios"),
        event("gus-7", "gus", "app_session", "app", "07:36", "platform", "ios"),
        event("gus-8", "gus", "page_view", "web", "07:37", "page", "checkout"),
        event("gus-9", "gus", "page_view", "web", "07:38", "page", "pricing"),
        event("gus-10", "gus", "review", "web", "07:39", "rating", 3));
    // hana: just above high, so decay takes her out of it within days.
    List<Map<String, Object>> clicks = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      clicks.add(
          event("hana-" + i, "hana", "email_click", "email", String.format("07:%02d", 39 + i)));
    }
    send(clicks.toArray());
    settle();

    at(Instant.parse("2026-12-01T09:00:00Z"), "ada redeems her percent voucher");
    String code = null;
    for (JsonNode voucher : ApiAnswers.get(http, "/v1/users/ada/vouchers").get("vouchers")) {
      if (voucher.get("campaignId").asText().equals("vip")
          && voucher.get("band").asText().equals("medium")) {
        code = voucher.get("code").asText();
      }
    }
    if (code == null) {
      throw new IllegalStateException("ada has no vip voucher for medium");
    }
    expect(
        200,
        http.post(
            "/v1/vouchers/" + code + "/redeem",
            HttpJson.json(Map.of("userId", "ada", "orderAmount", 120))));

    at(Instant.parse("2026-12-01T10:00:00Z"), "purchases: conversions of ada and jo");
    send(event("ada-14", "ada", "purchase", "web", "09:45", "amount", 60));
    send(event("jo-9", "jo", "purchase", "app", "09:50", "amount", 35));
    settle();
  }

  /** ada decays out of high (vip: user limit; paused: switched off); audit refuses her. */
  private void decayAndAuditDeadLetters() throws Exception {
    at(Instant.parse("2026-12-03T00:00:00Z"), "decay: ada leaves high; loyalty decays");
    settle();
    at(
        Instant.parse("2026-12-05T12:00:00Z"),
        "decay: hana leaves high, ben leaves medium; sunset inactivity after P3D");
    settle();
  }

  /**
   * audit's dead letters redelivered (hana's accepted now, ada's refused again); crm replayed from
   * its first transition; 'sunset' deleted.
   */
  private void redeliverReplayAndDeleteAModel() throws Exception {
    note("audit dead letters redelivered: hana's accepted, ada's refused again");
    String audit = subscriptions.get("audit");
    receiver.refuse(audit, Set.of("ada"));
    expect(202, http.post("/v1/subscriptions/" + audit + "/dead-letters/redeliver", ""));
    awaitCondition(
        "audit's redelivery",
        () -> {
          JsonNode letters = ApiAnswers.get(http, "/v1/subscriptions/" + audit + "/dead-letters");
          for (JsonNode letter : letters.get("deadLetters")) {
            if (letter.get("redelivering").asBoolean()
                || letter.get("userId").asText().equals("hana")) {
              return false;
            }
          }
          return true;
        });

    note("crm replayed from its first transition");
    String crm = subscriptions.get("crm");
    JsonNode loyaltyTransitions =
        ApiAnswers.get(http, "/v1/transitions?model=loyalty&limit=1000").get("transitions");
    long from = loyaltyTransitions.get(0).get("offset").asLong();
    int before = receiver.received(crm);
    expect(202, http.post("/v1/subscriptions/" + crm + "/replay?from=" + from, ""));
    awaitCondition(
        "crm's replay", () -> receiver.received(crm) >= before + loyaltyTransitions.size());
    settle();

    note("model 'sunset' deleted: its users leave its bands and inactive segment");
    expect(204, http.delete("/v1/models/sunset"));
    settle();
  }

  /** Loyalty's P10D runs out for the first day's users; carl comes back with a review. */
  private void inactivityAndAReturn() throws Exception {
    at(Instant.parse("2026-12-12T00:00:00Z"), "loyalty inactivity after P10D; carl returns");
    settle();
    send(timed("carl-11", "carl", "review", "app", "2026-12-12T00:00:00Z", "rating", 2));
    settle();
  }

  /** ivan climbs loyalty right after 'tiered' ended. */
  private void campaignEnded() throws Exception {
    at(Instant.parse("2026-12-22T00:00:00Z"), "ivan's first events, after tiered has ended");
    settle();
    send(
        timed("ivan-1", "ivan", "purchase", "web", "2026-12-21T23:00:00Z", "amount", 300),
        timed("ivan-2", "ivan", "purchase", "web", "2026-12-21T23:10:00Z", "amount", 90),
        timed("ivan-3", "ivan", "review", "web", "2026-12-21T23:20:00Z", "rating", 5));
    settle();
  }

  /** loyalty version 2 (page views count more, gold starts at 50): every user re-scored. */
  private void newModelVersion() throws Exception {
    at(Instant.parse("2026-12-23T06:00:00Z"), "loyalty version 2: every user re-scored");
    send(timed("ben-7", "ben", "app_session", "app", "2026-12-23T05:00:00Z", "platform", "ios"));
    settle();
    expect(200, http.put("/v1/models/loyalty", loyalty(6, 50)));
    awaitRescored("loyalty", 2);
    settle();
  }

  // ---- events

  private static Map<String, Object> event(
      String id, String user, String type, String channel, String timeOnDayOne, Object... props) {
    return timed(id, user, type, channel, "2026-12-01T" + timeOnDayOne + ":00Z", props);
  }

  private static Map<String, Object> timed(
      String id, String user, String type, String channel, String timestamp, Object... props) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("eventId", id);
    event.put("userId", user);
    event.put("type", type);
    event.put("channel", channel);
    event.put("timestamp", timestamp);
    if (props.length > 0) {
      Map<String, Object> properties = new LinkedHashMap<>();
      for (int i = 0; i < props.length; i += 2) {
        properties.put((String) props[i], props[i + 1]);
      }
      event.put("properties", properties);
    }
    return event;
  }

  private JsonNode send(Object... events) {
    HttpJson.Answer answer = expect(202, http.post("/v1/events", HttpJson.json(List.of(events))));
    JsonNode counts = answer.json();
    if (!counts.get("rejected").isEmpty()) {
      throw new IllegalStateException("events rejected: " + counts);
    }
    for (Object sent : events) {
      Map<?, ?> event = (Map<?, ?>) sent;
      eventTypes.add((String) event.get("type"));
      channels.add((String) event.get("channel"));
    }
    return counts;
  }

  private static void expectCounts(int accepted, int duplicates, JsonNode counts) {
    if (counts.get("accepted").asInt() != accepted
        || counts.get("duplicates").asInt() != duplicates) {
      throw new IllegalStateException(
          "expected " + accepted + " accepted and " + duplicates + " duplicates: " + counts);
    }
  }

  // ---- waiting

  private void at(Instant instant, String what) {
    clock.set(instant);
    note(what);
  }

  private void note(String what) {
    timeline.add(clock.instant() + ": " + what);
  }

  /**
   * Waits until the node has finished everything the script set off, and the journal has stayed
   * unchanged for longer than the re-scoring coordinator's poll interval.
   */
  void settle() throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long stableAt = -1;
    while (true) {
      long highest = number("SELECT MAX(\"ordering\") FROM \"event_journal\"");
      if (stableAt == highest && settled()) {
        return;
      }
      stableAt = settled() ? highest : -1;
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the node did not settle at " + clock.instant());
      }
      Thread.sleep(1500);
    }
  }

  private boolean settled() throws Exception {
    JsonNode stats = ApiAnswers.get(http, "/v1/stats");
    if (!stats.get("caughtUp").asBoolean()) {
      return false;
    }
    if (!rescoringFinished()) {
      return false;
    }
    long promotions = newest("promotion");
    String stored =
        text(
            "SELECT \"current_offset\" FROM \"pekko_projection_offset_store\""
                + " WHERE \"projection_name\" = 'promotions'");
    if (promotions > 0 && (stored == null || Long.parseLong(stored) < promotions)) {
      return false;
    }
    if (number("SELECT read_offset FROM pulse_read_offset WHERE reader = 'wake-ups'")
        < newest("wake-up")) {
      return false;
    }
    if (number("SELECT COUNT(*) FROM pulse_wake_up WHERE due_at <= ?", clock.millis()) > 0) {
      return false;
    }
    long transitions = newest("transition");
    for (JsonNode subscription : ApiAnswers.get(http, "/v1/subscriptions").get("subscriptions")) {
      if (subscription.get("deliveredOffset").asLong() < transitions) {
        return false;
      }
      JsonNode letters =
          ApiAnswers.get(
              http, "/v1/subscriptions/" + subscription.get("id").asText() + "/dead-letters");
      for (JsonNode letter : letters.get("deadLetters")) {
        if (letter.get("redelivering").asBoolean()) {
          return false;
        }
      }
    }
    return true;
  }

  private boolean rescoringFinished() throws Exception {
    ModelCatalogRevision catalog =
        ModelRegistry.refFor(server.system(), TENANT)
            .<ModelCatalogRevision>ask(ModelRegistry.GetCatalog::new, Duration.ofSeconds(10))
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    return catalog.rescorings().values().stream().allMatch(RescoringProgress::finished);
  }

  private void awaitRescored(String model, long version) throws Exception {
    awaitCondition(
        model + " version " + version + " re-scored",
        () -> {
          JsonNode stored = ApiAnswers.get(http, "/v1/models/" + model);
          JsonNode rescoring = stored.get("rescoring");
          return stored.get("version").asLong() == version
              && rescoring != null
              && rescoring.get("finished").asBoolean();
        });
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void awaitCondition(String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("waited in vain for " + what);
      }
      Thread.sleep(100);
    }
  }

  private long newest(String tag) throws SQLException {
    return number("SELECT MAX(\"event_id\") FROM \"event_tag\" WHERE \"tag\" = ?", tag);
  }

  private long number(String sql, Object... parameters) throws SQLException {
    String value = text(sql, parameters);
    return value == null ? 0 : Long.parseLong(value);
  }

  private String text(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = database.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? result.getString(1) : null;
      }
    }
  }

  private static HttpJson.Answer expect(int status, HttpJson.Answer answer) {
    if (answer.status() != status) {
      throw new IllegalStateException(
          "expected " + status + " but got " + answer.status() + ": " + answer.body());
    }
    return answer;
  }
}
