package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.api.http.Endpoint;
import io.pulse.engine.TestClock;
import io.pulse.engine.domain.access.Scope;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every route of the route table, tried as an intruder would: without a key, with a revoked key,
 * with another tenant's key and with a key that lacks the route's scope. The routes come from the
 * running node's own table, so a route added later is tried too, and the test fails until it has a
 * sample request below.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteAccessTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * The only routes anyone may call: the health probes, which probes call without a key, and the
   * API's own description (the OpenAPI document and Swagger UI with its files), which a client
   * reads before it has a key and which holds no tenant's data.
   */
  private static final Set<String> OPEN_ROUTES =
      Set.of(
          "GET /health/alive",
          "GET /health/ready",
          "GET /v1/openapi.json",
          "GET /docs",
          "GET /docs/{asset}");

  private final TestClock clock = new TestClock(EndToEndContract.T0);
  private TestDatabase database;
  private TestServer server;
  private WebhookReceiver receiver;
  private HttpJson admin;

  /** Ids of the default tenant's resources that the routes' parameters name. */
  private final Map<String, String> parameters = new LinkedHashMap<>();

  private HttpJson revoked;
  private HttpJson otherTenant;
  private final Map<Scope, HttpJson> withoutScope = new EnumMap<>(Scope.class);

  @BeforeAll
  void startAndSeed() {
    database = TestDatabase.create(DatabaseKind.H2);
    server =
        new TestServer(
            database,
            clock,
            Map.of(
                "pulse.webhooks.allowed-networks", "127.0.0.0/8",
                "pulse.access.usage-report-interval", "200ms"));
    admin = server.http();
    receiver = new WebhookReceiver(WebhookReceiver.always(200));

    // The default tenant's resources: a user with a voucher, a model, a campaign, a subscription.
    assertEquals(
        201,
        admin
            .put(
                "/v1/campaigns/loyalty",
                "{\"trigger\": {\"model\": \"engagement\", \"entered\": \"low\"},"
                    + " \"offer\": {\"type\": \"percent\", \"value\": 10}}")
            .status());
    assertEquals(
        202,
        admin
            .post(
                "/v1/events",
                "{\"eventId\": \"seed-1\", \"userId\": \"ann\", \"type\": \"email_open\","
                    + " \"channel\": \"email\"}")
            .status());
    parameters.put("userId", "ann");
    // every tenant has its own model 'engagement'; this one only the default tenant has
    assertEquals(
        201,
        admin
            .put(
                "/v1/models/default-only",
                "{\"name\": \"Only here\", \"rules\": [{\"event\": \"email_open\", \"points\": 1}],"
                    + " \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}")
            .status());
    parameters.put("modelId", "default-only");
    assertEquals(
        201,
        admin
            .put(
                "/v1/audiences/default-only",
                "{\"name\": \"Only here\", \"condition\": {\"trait\": \"plan\", \"eq\": \"pro\"}}")
            .status());
    parameters.put("audienceId", "default-only");
    parameters.put("campaignId", "loyalty");
    parameters.put("code", awaitVoucherCode("ann"));
    HttpJson.Answer subscription =
        admin.post("/v1/subscriptions", "{\"url\": \"" + receiver.url() + "\"}");
    assertEquals(201, subscription.status(), subscription.body());
    parameters.put("subscriptionId", subscription.json().get("id").asText());
    parameters.put("keyId", createKey("default", "kept", List.of("users:read")).get("id").asText());

    JsonNode revokedKey = createKey("default", "revoked", wireNames(Set.of(Scope.values())));
    assertEquals(204, admin.delete("/v1/keys/" + revokedKey.get("id").asText()).status());
    revoked = admin.withKey(revokedKey.get("key").asText());

    assertEquals(201, admin.post("/v1/tenants", "{\"id\": \"intruder\"}").status());
    otherTenant =
        admin.withKey(createKey("intruder", "their admin", List.of("admin")).get("key").asText());

    for (Scope scope : Scope.values()) {
      Set<Scope> others = new TreeSet<>(Set.of(Scope.values()));
      others.remove(scope);
      others.remove(Scope.ADMIN);
      withoutScope.put(
          scope,
          admin.withKey(
              createKey("default", "all but " + scope.wireName(), wireNames(others))
                  .get("key")
                  .asText()));
    }
  }

  @AfterAll
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (server != null) {
      server.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void onlyTheProbesAndTheApiDescriptionAreOpen() {
    Set<String> open =
        server.endpoints().stream()
            .filter(endpoint -> endpoint.access() == Endpoint.Access.OPEN)
            .map(Endpoint::toString)
            .collect(Collectors.toSet());
    assertEquals(OPEN_ROUTES, open);
    for (Endpoint endpoint : server.endpoints()) {
      if (endpoint.template().startsWith("/v1/") && endpoint.access() != Endpoint.Access.OPEN) {
        assertNotNull(endpoint.scope(), endpoint + " names its scope");
      }
    }
  }

  @Test
  void everyRouteRefusesAnyoneWithoutTheRightKeyAndChangesNothing() {
    String before = snapshotOfTheDefaultTenant();
    List<String> failures = new ArrayList<>();
    for (Endpoint endpoint : server.endpoints()) {
      if (endpoint.access() == Endpoint.Access.OPEN) {
        continue;
      }
      Sample sample = sampleOf(endpoint);
      if (sample == null) {
        failures.add(endpoint + " has no sample request in this test: add one");
        continue;
      }
      check(failures, endpoint, "no key", admin.withoutKey(), sample, 401, "unauthenticated");
      check(failures, endpoint, "a revoked key", revoked, sample, 401, "unauthenticated");
      check(
          failures,
          endpoint,
          "a key without " + endpoint.scope().wireName(),
          withoutScope.get(endpoint.scope()),
          sample,
          403,
          "forbidden");
      checkOtherTenant(failures, endpoint, sample);
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
    assertEquals(before, snapshotOfTheDefaultTenant(), "the default tenant's data changed");
    // and the intruders got nothing: the kept key still works, the voucher is still unused
    assertEquals(
        200,
        admin.get("/v1/users/ann/vouchers").status(),
        "the admin key still works after every attempt");
  }

  private void check(
      List<String> failures,
      Endpoint endpoint,
      String who,
      HttpJson client,
      Sample sample,
      int status,
      String problem) {
    HttpJson.Answer answer = client.send(endpoint.method(), sample.path(), sample.body());
    if (answer.status() != status
        || !answer.isProblem()
        || !answer.json().get("type").asText().equals("urn:pulse:problem:" + problem)) {
      failures.add(endpoint + " with " + who + ": " + answer.status() + " " + answer.body());
      return;
    }
    if (status == 401 && answer.header("WWW-Authenticate") == null) {
      failures.add(endpoint + " with " + who + ": no WWW-Authenticate");
    }
    if (status == 403
        && !answer.json().get("detail").asText().contains(endpoint.scope().wireName())) {
      failures.add(endpoint + " with " + who + ": the 403 does not name the scope");
    }
  }

  /**
   * Another tenant's key, with every scope of its own tenant. An operator's route does not exist
   * for it (404). A route that names a resource answers exactly as for a resource that does not
   * exist: the same status, and the same body but for the id. A route that creates or replaces
   * (PUT), or one over a collection, works on the other tenant's own data, in which there is
   * nothing of the default tenant's.
   */
  private void checkOtherTenant(List<String> failures, Endpoint endpoint, Sample sample) {
    // A PUT creates or replaces in the caller's own tenant: under ids of its own, so that it
    // makes no namesake of the resources the other routes are tried on.
    Sample asked = endpoint.method().equals("PUT") ? sampleOf(endpoint, OWN) : sample;
    HttpJson.Answer answer =
        endpoint.template().equals("/v1/transitions/stream")
            ? otherTenant.openStream(asked.path(), Duration.ofSeconds(2))
            : otherTenant.send(endpoint.method(), asked.path(), asked.body());
    String who = endpoint + " with another tenant's key: ";
    if (endpoint.access() == Endpoint.Access.OPERATOR) {
      if (answer.status() != 404 || !answer.isProblem()) {
        failures.add(who + answer.status() + " " + answer.body());
      }
      return;
    }
    if (answer.status() == 401 || answer.status() == 403 || answer.status() >= 500) {
      failures.add(who + answer.status() + " " + answer.body());
      return;
    }
    if (endpoint.parameterNames().isEmpty() || endpoint.method().equals("PUT")) {
      for (String id :
          List.of(parameters.get("subscriptionId"), parameters.get("code"), "seed-1")) {
        if (answer.body().contains(id)) {
          failures.add(who + "shows '" + id + "': " + answer.body());
        }
      }
      return;
    }
    Sample missing = sampleOf(endpoint, MISSING);
    HttpJson.Answer asMissing = otherTenant.send(endpoint.method(), missing.path(), missing.body());
    String expected = asMissing.body();
    for (String name : endpoint.parameterNames()) {
      expected = expected.replace(MISSING + name, parameters.get(name));
    }
    if (answer.status() != asMissing.status() || !answer.body().equals(expected)) {
      failures.add(
          who
              + answer.status()
              + " "
              + answer.body()
              + ", but for a resource that does not exist: "
              + asMissing.status()
              + " "
              + asMissing.body());
    }
  }

  /** What stands for a parameter in a request for something that does not exist. */
  private static final String MISSING = "missing-";

  /** What stands for a parameter in another tenant's request for something of its own. */
  private static final String OWN = "own-";

  /** A request of an endpoint: its path with the default tenant's ids, and a valid body. */
  private record Sample(String path, String body) {}

  private Sample sampleOf(Endpoint endpoint) {
    return sampleOf(endpoint, null);
  }

  /**
   * The sample, or with a {@code prefix} the same request for other resources, whose ids are the
   * prefix and the parameter's name.
   */
  private Sample sampleOf(Endpoint endpoint, String prefix) {
    String path = endpoint.template();
    for (String name : endpoint.parameterNames()) {
      String value = prefix != null ? prefix + name : parameters.get(name);
      if (value == null) {
        return null;
      }
      path = path.replace("{" + name + "}", value);
    }
    String key = endpoint.method() + " " + endpoint.template();
    String body =
        switch (key) {
          case "POST /v1/events" ->
              "{\"eventId\": \"intrusion\", \"userId\": \"someone-else\", \"type\": \"purchase\","
                  + " \"properties\": {\"amount\": 99}}";
          case "PUT /v1/models/{modelId}" ->
              "{\"name\": \"Taken over\", \"rules\": [{\"event\": \"email_open\", \"points\": 1}],"
                  + " \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}";
          case "PUT /v1/campaigns/{campaignId}" ->
              "{\"trigger\": {\"model\": \"engagement\", \"entered\": \"high\"},"
                  + " \"offer\": {\"type\": \"percent\", \"value\": 90}}";
          case "PUT /v1/audiences/{audienceId}" ->
              "{\"name\": \"Taken over\", \"condition\": {\"trait\": \"plan\", \"exists\": true}}";
          case "PATCH /v1/users/{userId}/traits" -> "{\"plan\": \"stolen\"}";
          case "POST /v1/vouchers/{code}/redeem" -> "{\"userId\": \"ann\", \"orderAmount\": 100}";
          case "POST /v1/subscriptions" -> "{\"url\": \"" + receiver.url() + "\"}";
          case "POST /v1/keys" -> "{\"name\": \"sneaky\", \"scopes\": [\"admin\"]}";
          case "POST /v1/tenants" -> "{\"id\": \"sneaky\"}";
          default -> null;
        };
    boolean needsBody =
        endpoint.method().equals("POST")
            || endpoint.method().equals("PUT")
            || endpoint.method().equals("PATCH");
    boolean bodyless =
        key.equals("POST /v1/subscriptions/{subscriptionId}/dead-letters/redeliver")
            || key.equals("POST /v1/subscriptions/{subscriptionId}/replay");
    if (needsBody && !bodyless && body == null) {
      return null;
    }
    if (key.equals("POST /v1/subscriptions/{subscriptionId}/replay")) {
      path = path + "?from=0";
    }
    return new Sample(path, body);
  }

  /** What an intruder could have changed in the default tenant, as its admin reads it. */
  private String snapshotOfTheDefaultTenant() {
    StringBuilder snapshot = new StringBuilder();
    for (String path :
        List.of(
            "/v1/users/ann",
            "/v1/users/ann/vouchers",
            "/v1/models",
            "/v1/audiences",
            "/v1/campaigns",
            "/v1/subscriptions",
            "/v1/tenants")) {
      HttpJson.Answer answer = admin.get(path);
      snapshot.append(path).append(' ').append(answer.status()).append(' ');
      snapshot.append(withoutVolatileFields(answer.json())).append('\n');
    }
    JsonNode keys = admin.get("/v1/keys").json().get("keys");
    for (JsonNode key : keys) {
      ((ObjectNode) key).remove("lastUsedAt");
    }
    snapshot.append("keys ").append(keys).append('\n');
    return snapshot.toString();
  }

  /** Scores decay with time and subscriptions move on: keep what an intruder could change. */
  private static String withoutVolatileFields(JsonNode node) {
    JsonNode copy = node.deepCopy();
    removeAll(copy, Set.of("score", "points", "updatedAt", "deliveredOffset", "lastSeen"));
    return copy.toString();
  }

  private static void removeAll(JsonNode node, Set<String> names) {
    if (node instanceof ObjectNode object) {
      names.forEach(object::remove);
      object.elements().forEachRemaining(child -> removeAll(child, names));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> removeAll(child, names));
    }
  }

  private JsonNode createKey(String tenant, String name, List<String> scopes) {
    HttpJson.Answer answer =
        admin.post(
            "/v1/keys", HttpJson.json(Map.of("tenant", tenant, "name", name, "scopes", scopes)));
    assertEquals(201, answer.status(), answer.body());
    return answer.json();
  }

  private static List<String> wireNames(Set<Scope> scopes) {
    return scopes.stream().map(Scope::wireName).sorted().toList();
  }

  private String awaitVoucherCode(String userId) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode vouchers = admin.get("/v1/users/" + userId + "/vouchers").json().get("vouchers");
      if (vouchers != null && vouchers.size() > 0) {
        return vouchers.get(0).get("code").asText();
      }
      sleep(100);
    }
    fail("no voucher was issued to " + userId);
    return null;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void keysAreListedMaskedAndARevokedKeyStopsWorking() {
    JsonNode created = createKey("default", "reader", List.of("users:read"));
    String secret = created.get("key").asText();
    assertTrue(secret.startsWith("pulse_") && secret.length() >= 43, secret);
    HttpJson reader = admin.withKey(secret);
    assertEquals(200, reader.get("/v1/users/ann").status());
    assertEquals(403, reader.get("/v1/models").status(), "only its scope");

    String listing = admin.get("/v1/keys").body();
    assertFalse(listing.contains(secret), "the listing never shows a secret");
    assertTrue(listing.contains(created.get("id").asText()));
    assertTrue(listing.contains("…" + secret.substring(secret.length() - 4)), listing);

    // the last use reaches the listing once the node has reported it
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode listed = null;
    while (System.nanoTime() < deadline) {
      listed = keyListed(created.get("id").asText());
      if (listed.has("lastUsedAt")) {
        break;
      }
      sleep(100);
    }
    assertTrue(listed.has("lastUsedAt"), "last use is listed: " + listed);

    assertEquals(204, admin.delete("/v1/keys/" + created.get("id").asText()).status());
    assertEquals(401, reader.get("/v1/users/ann").status());
    assertTrue(keyListed(created.get("id").asText()).has("revokedAt"));
    assertEquals(404, admin.delete("/v1/keys/key_0000000000000000").status());
  }

  @Test
  void aTenantAdminManagesOnlyItsOwnTenantsKeys() {
    HttpJson.Answer theirs = otherTenant.get("/v1/keys");
    assertEquals(200, theirs.status());
    assertFalse(theirs.body().contains(parameters.get("keyId")), "no key of the default tenant");
    assertEquals(404, otherTenant.get("/v1/keys?tenant=default").status());
    HttpJson.Answer planted =
        otherTenant.post(
            "/v1/keys",
            "{\"tenant\": \"default\", \"name\": \"planted\", \"scopes\": [\"admin\"]}");
    assertEquals(400, planted.status());
    assertTrue(planted.body().contains("does not exist"), planted.body());
    HttpJson.Answer own =
        otherTenant.post("/v1/keys", "{\"name\": \"their app\", \"scopes\": [\"events:write\"]}");
    assertEquals(201, own.status(), own.body());
    assertEquals("intruder", own.json().get("tenant").asText());
    // the operator sees every tenant's keys
    assertTrue(
        admin.get("/v1/keys?tenant=intruder").body().contains(own.json().get("id").asText()));
  }

  @Test
  void badKeyAndTenantRequestsAreProblemsThatNameTheField() {
    HttpJson.Answer unknownScope =
        admin.post("/v1/keys", "{\"name\": \"x\", \"scopes\": [\"everything\"]}");
    assertEquals(400, unknownScope.status());
    assertTrue(unknownScope.body().contains("'everything' is not a scope"), unknownScope.body());
    assertEquals(400, admin.post("/v1/keys", "{\"scopes\": [\"admin\"]}").status());
    assertEquals(400, admin.post("/v1/keys", "{\"name\": \"x\", \"scopes\": []}").status());
    HttpJson.Answer badTenant = admin.post("/v1/tenants", "{\"id\": \"Not|Valid\"}");
    assertEquals(400, badTenant.status());
    assertEquals("urn:pulse:problem:invalid-tenant", badTenant.json().get("type").asText());
    assertEquals(409, admin.post("/v1/tenants", "{\"id\": \"intruder\"}").status());
  }

  private JsonNode keyListed(String id) {
    for (JsonNode key : admin.get("/v1/keys").json().get("keys")) {
      if (key.get("id").asText().equals(id)) {
        return key;
      }
    }
    fail("key " + id + " is not listed");
    return null;
  }
}
