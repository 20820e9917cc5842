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
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenAPI document ({@code /v1/openapi.json}) against the node it describes: every route of the
 * route table is documented with its access and scope, and nothing else is; and a scripted scenario
 * that calls every route, with successes and the usual refusals, records each request and answer
 * and checks them against the document: status, content type, required headers, problem types, and
 * the bodies against the document's JSON Schemas.
 *
 * <p>A route added without its documentation, a documented route that does not exist, or an answer
 * whose shape changed without its schema makes this test fail; so does a route that the scenario
 * does not call successfully, so that a new route gets a step below.
 *
 * <p>Adding a route: add its operation to {@code openapi.json} (the shared {@code
 * components/responses} answer 401, 403, 429, 500 and 503, {@code components/parameters} and {@code
 * components/headers} the rest of what routes share), and a successful call and its usual refusals
 * to the {@link Scenario}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Small, so that a body over it is cheap to send, and large enough for 1001 tiny events. */
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final TestClock clock = new TestClock(EndToEndContract.T0);
  private final OpenApiDocument document = OpenApiDocument.load();
  private TestDatabase database;
  private TestServer server;
  private WebhookReceiver refusingReceiver;
  private HttpJson admin;
  private HttpJson anonymous;

  /** What the server said to a request body that it read. */
  private enum RequestBody {
    /** A request the schema must accept when the server accepted it. */
    CONFORMING,
    /** A request the schema must refuse, as the server did. */
    BREAKS_SCHEMA,
    /** A batch in which the server accepted some events and listed the others as rejected. */
    PARTLY_VALID
  }

  /** One request and its answer, with the route template it was matched to (null for none). */
  private record Exchange(
      String method,
      String path,
      String template,
      String body,
      RequestBody kind,
      HttpJson.Answer answer) {
    @Override
    public String toString() {
      return method + " " + path + " -> " + answer.status();
    }
  }

  private final List<Exchange> exchanges = new ArrayList<>();

  @BeforeAll
  void startAndRunTheScenario() {
    database = TestDatabase.create(DatabaseKind.H2);
    server =
        new TestServer(
            database,
            clock,
            Map.of(
                "pulse.webhooks.allowed-networks",
                "127.0.0.0/8",
                "pulse.http.max-body-size",
                MAX_BODY_BYTES));
    admin = server.http();
    anonymous = admin.withoutKey();
    refusingReceiver = new WebhookReceiver(WebhookReceiver.always(400));
    new Scenario().run();
  }

  @AfterAll
  void stop() {
    if (refusingReceiver != null) {
      refusingReceiver.close();
    }
    if (server != null) {
      server.close();
    }
    if (database != null) {
      database.close();
    }
  }

  // ---------------------------------------------------------------- the document and the table

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
    Set<String> routes =
        server.endpoints().stream()
            .map(Endpoint::toString)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> documented =
        document.operations().stream()
            .map(OpenApiDocument.Operation::toString)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> undocumented = new TreeSet<>(routes);
    undocumented.removeAll(documented);
    Set<String> notRoutes = new TreeSet<>(documented);
    notRoutes.removeAll(routes);
    assertTrue(
        undocumented.isEmpty() && notRoutes.isEmpty(),
        "routes without documentation: "
            + undocumented
            + "; documented operations that are not routes: "
            + notRoutes);
  }

  @Test
  void eachOperationNamesTheAccessAndTheScopeOfItsRoute() {
    List<String> failures = new ArrayList<>();
    for (Endpoint endpoint : server.endpoints()) {
      Optional<OpenApiDocument.Operation> found =
          document.operation(endpoint.method(), endpoint.template());
      if (found.isEmpty()) {
        continue; // reported by the test above
      }
      JsonNode operation = found.get().node();
      String access = endpoint.access().name().toLowerCase(Locale.ROOT);
      if (!access.equals(operation.path("x-pulse-access").asText())) {
        failures.add(endpoint + ": x-pulse-access should be " + access);
      }
      JsonNode security = operation.get("security");
      if (security == null || !security.isArray()) {
        failures.add(endpoint + ": no security of its own");
        continue;
      }
      if (endpoint.access() == Endpoint.Access.OPEN) {
        if (!security.isEmpty()) {
          failures.add(endpoint + " is open: security should be []");
        }
        if (operation.has("x-pulse-scope")) {
          failures.add(endpoint + " is open: it needs no scope");
        }
        continue;
      }
      if (security.size() != 1
          || !security.get(0).has("bearerAuth")
          || security.get(0).size() != 1) {
        failures.add(endpoint + ": security should be [{bearerAuth: []}], is " + security);
      }
      String scope = endpoint.scope().wireName();
      if (!scope.equals(operation.path("x-pulse-scope").asText())) {
        failures.add(endpoint + ": x-pulse-scope should be " + scope);
      }
      if (!operation.path("description").asText().contains("`" + scope + "`")) {
        failures.add(endpoint + ": the description should name the scope " + scope);
      }
      for (String status : List.of("401", "403", "429")) {
        if (!operation.path("responses").has(status)) {
          failures.add(endpoint + " needs a key: it should document " + status);
        }
      }
      if (endpoint.access() == Endpoint.Access.OPERATOR
          && !operation.path("responses").has("404")) {
        failures.add(endpoint + " is the operator's: it should document 404");
      }
    }
    JsonNode scheme = document.root().at("/components/securitySchemes/bearerAuth");
    assertEquals("http", scheme.path("type").asText());
    assertEquals("bearer", scheme.path("scheme").asText());
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void theDocumentIsValidOpenApi31() {
    assertTrue(document.root().path("openapi").asText().startsWith("3.1."));
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setValidateInternalRefs(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.text(), null, options);
    assertNotNull(parsed.getOpenAPI(), "parsed");
    assertEquals(List.of(), parsed.getMessages(), "what the OpenAPI parser finds wrong");
    assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
  }

  // ---------------------------------------------------------------- recorded exchanges

  @Test
  void theScenarioCallsEveryRouteSuccessfully() {
    Set<String> missing = new TreeSet<>();
    for (Endpoint endpoint : server.endpoints()) {
      boolean succeeded =
          exchanges.stream()
              .anyMatch(
                  exchange ->
                      endpoint.template().equals(exchange.template())
                          && endpoint.method().equals(exchange.method())
                          && exchange.answer().status() / 100 == 2);
      if (!succeeded) {
        missing.add(endpoint.toString());
      }
    }
    assertTrue(missing.isEmpty(), "add a successful call of each to the scenario: " + missing);
  }

  @Test
  void everyRecordedAnswerIsAsTheDocumentSays() {
    List<String> failures = new ArrayList<>();
    for (Exchange exchange : exchanges) {
      checkAnswer(exchange, failures);
    }
    assertTrue(
        failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", failures));
  }

  @Test
  void everyRecordedRequestBodyIsJudgedByItsSchemaAsTheServerJudgedIt() {
    List<String> failures = new ArrayList<>();
    int judged = 0;
    for (Exchange exchange : exchanges) {
      if (exchange.body() == null || exchange.template() == null) {
        continue;
      }
      Optional<OpenApiDocument.Operation> operation =
          document.operation(exchange.method(), exchange.template());
      if (operation.isEmpty()) {
        continue; // reported elsewhere
      }
      OpenApiDocument.Located requestBody =
          document.follow(
              new OpenApiDocument.Located(
                  operation.get().pointer() + "/requestBody",
                  operation.get().node().get("requestBody")));
      if (requestBody.node() == null) {
        failures.add(exchange + ": sends a body that the document does not describe");
        continue;
      }
      String schemaPointer =
          requestBody.pointer() + "/content/" + OpenApiDocument.escape("application/json");
      JsonNode body;
      try {
        body = HttpJson.MAPPER.readTree(exchange.body());
      } catch (IOException e) {
        continue; // not JSON: no schema to judge it by
      }
      List<String> errors = document.validate(schemaPointer + "/schema", body);
      boolean accepted = exchange.answer().status() / 100 == 2;
      switch (exchange.kind()) {
        case CONFORMING -> {
          if (accepted && !errors.isEmpty()) {
            failures.add(exchange + ": the server took a body its schema refuses: " + errors);
          }
          judged += accepted ? 1 : 0;
        }
        case BREAKS_SCHEMA -> {
          if (accepted) {
            failures.add(exchange + ": the server took a body meant to be refused");
          }
          if (errors.isEmpty()) {
            failures.add(exchange + ": the schema takes a body the server refuses: " + body);
          }
          judged++;
        }
        case PARTLY_VALID -> {
          // The server took some of it; the schema describes the events it takes.
        }
      }
    }
    assertTrue(judged > 20, "bodies judged: " + judged);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void everyQueryParameterOfATakenRequestIsDocumentedAndValid() {
    List<String> failures = new ArrayList<>();
    int judged = 0;
    for (Exchange exchange : exchanges) {
      int query = exchange.path().indexOf('?');
      if (query < 0 || exchange.template() == null || exchange.answer().status() / 100 != 2) {
        continue;
      }
      Optional<OpenApiDocument.Operation> operation =
          document.operation(exchange.method(), exchange.template());
      if (operation.isEmpty()) {
        continue; // reported elsewhere
      }
      Map<String, String> documented = new LinkedHashMap<>();
      JsonNode parameters = operation.get().node().path("parameters");
      for (int i = 0; i < parameters.size(); i++) {
        OpenApiDocument.Located parameter =
            document.follow(
                new OpenApiDocument.Located(
                    operation.get().pointer() + "/parameters/" + i, parameters.get(i)));
        if (parameter.node().path("in").asText().equals("query")) {
          documented.put(parameter.node().path("name").asText(), parameter.pointer() + "/schema");
        }
      }
      for (String pair : exchange.path().substring(query + 1).split("&")) {
        String name = pair.substring(0, pair.indexOf('='));
        String value = pair.substring(pair.indexOf('=') + 1);
        String schema = documented.get(name);
        if (schema == null) {
          failures.add(exchange + ": the query parameter '" + name + "' is not documented");
          continue;
        }
        JsonNode typed =
            value.matches("-?\\d{1,18}")
                    && document.resolve(schema).node().path("type").asText().equals("integer")
                ? HttpJson.MAPPER.getNodeFactory().numberNode(Long.parseLong(value))
                : HttpJson.MAPPER.getNodeFactory().textNode(value);
        List<String> errors = document.validate(schema, typed);
        if (!errors.isEmpty()) {
          failures.add(exchange + ": '" + name + "' " + errors);
        }
        judged++;
      }
    }
    assertTrue(judged > 5, "parameters judged: " + judged);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * The schemas describe the answers exactly: a field the server does not send is refused, so that
   * an answer that grows a field fails the check above until its schema names it.
   */
  @Test
  void theAnswerSchemasRefuseAFieldTheyDoNotName() {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Exchange exchange : exchanges) {
      Optional<String> schema = answerSchemaOf(exchange);
      if (schema.isEmpty() || exchange.template().equals("/v1/openapi.json")) {
        continue;
      }
      JsonNode body = exchange.answer().json();
      if (!body.isObject()) {
        continue;
      }
      ObjectNode grown = ((ObjectNode) body.deepCopy()).put("fieldNobodyDocumented", 1);
      if (document.validate(schema.get(), grown).isEmpty()) {
        failures.add(exchange + ": its schema " + schema.get() + " takes an unknown field");
      }
      checked++;
    }
    assertTrue(checked > 50, "answers checked: " + checked);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  // ---------------------------------------------------------------- Swagger UI

  @Test
  void swaggerUiLoadsWithEveryFileItNeedsAndNothingElse() {
    HttpJson.Answer page = anonymous.get("/docs");
    assertEquals(200, page.status());
    assertTrue(page.contentType().startsWith("text/html"), page.contentType());
    assertEquals("nosniff", page.header("X-Content-Type-Options"));
    String policy = page.header("Content-Security-Policy");
    assertNotNull(policy, "a Content-Security-Policy");
    assertTrue(policy.contains("script-src 'self'"), policy);
    assertFalse(policy.contains("unsafe-eval") || policy.contains("*"), policy);
    assertFalse(
        Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page.body()).find(),
        "no inline script, which the policy would block");

    Matcher references = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
    Map<String, String> expected =
        Map.of(".js", "application/javascript", ".css", "text/css", ".png", "image/png");
    Set<String> loaded = new LinkedHashSet<>();
    while (references.find()) {
      String path = references.group(1);
      assertTrue(path.startsWith("/docs/"), "the page loads from this node only: " + path);
      HttpJson.Answer asset = anonymous.get(path);
      assertEquals(200, asset.status(), path);
      String type = expected.get(path.substring(path.lastIndexOf('.')));
      assertTrue(asset.contentType().startsWith(type), path + ": " + asset.contentType());
      assertEquals("nosniff", asset.header("X-Content-Type-Options"), path);
      assertFalse(asset.body().isEmpty(), path);
      loaded.add(path);
    }
    assertTrue(loaded.contains("/docs/swagger-ui-bundle.js"), "the bundle: " + loaded);
    assertTrue(loaded.contains("/docs/swagger-initializer.js"), "the initializer: " + loaded);
    assertTrue(loaded.contains("/docs/swagger-ui.css"), "the styles: " + loaded);
    String initializer = anonymous.get("/docs/swagger-initializer.js").body();
    assertTrue(initializer.contains("url: \"/v1/openapi.json\""), initializer);
    assertFalse(initializer.contains("petstore"), "the WebJar's own initializer is not served");

    for (String outside :
        List.of(
            "/docs/index.html",
            "/docs/swagger-ui.js",
            "/docs/..%2F..%2FMETA-INF%2Fmaven%2Forg.webjars%2Fswagger-ui%2Fpom.properties",
            "/docs/%2e%2e",
            "/docs/META-INF%2Fresources%2Fwebjars%2Fswagger-ui%2F5.35.0%2Fswagger-ui.css",
            "/docs/io%2Fpulse%2Fapi%2Fhttp%2Fopenapi.json",
            "/docs/swagger-ui.css/x")) {
      HttpJson.Answer refused = anonymous.get(outside);
      assertEquals(404, refused.status(), outside + ": " + refused.body());
      assertTrue(refused.isProblem(), outside);
    }
  }

  @Test
  void theServedDocumentIsTheDocumentOfThisBuild() throws IOException {
    HttpJson.Answer served = anonymous.get("/v1/openapi.json");
    assertEquals(200, served.status());
    assertTrue(served.contentType().startsWith("application/json"), served.contentType());
    assertEquals(document.root(), HttpJson.MAPPER.readTree(served.body()));
  }

  // ---------------------------------------------------------------- checking one answer

  private void checkAnswer(Exchange exchange, List<String> failures) {
    HttpJson.Answer answer = exchange.answer();
    if (exchange.template() == null) {
      // Not a route (an unknown path, another method, a path that does not decode): a problem all
      // the same, as the document's description says.
      checkJson(exchange, "/components/schemas/Problem", failures);
      return;
    }
    Optional<OpenApiDocument.Operation> operation =
        document.operation(exchange.method(), exchange.template());
    if (operation.isEmpty()) {
      failures.add(exchange + ": no such operation in the document");
      return;
    }
    String status = Integer.toString(answer.status());
    OpenApiDocument.Located responses =
        new OpenApiDocument.Located(
            operation.get().pointer() + "/responses", operation.get().node().get("responses"));
    OpenApiDocument.Located response = responses.child(status);
    if (response == null) {
      failures.add(exchange + ": status " + status + " is not documented: " + answer.body());
      return;
    }
    response = document.follow(response);
    checkHeaders(exchange, response, failures);
    OpenApiDocument.Located content = response.child("content");
    if (content == null) {
      if (!answer.body().isEmpty()) {
        failures.add(exchange + ": documented without a body, but has one: " + answer.body());
      }
      return;
    }
    OpenApiDocument.Located media = content.child(mediaType(answer));
    if (media == null) {
      failures.add(
          exchange
              + ": content type "
              + answer.contentType()
              + " is not documented (only "
              + fieldNames(content.node())
              + ")");
      return;
    }
    if (mediaType(answer).equals("application/problem+json")) {
      String type = answer.json().path("type").asText();
      Set<String> listed = new LinkedHashSet<>();
      response.node().path("x-pulse-problem-types").forEach(node -> listed.add(node.asText()));
      if (!listed.contains(type)) {
        failures.add(exchange + ": problem type " + type + " is not listed in " + listed);
      }
    }
    if (mediaType(answer).endsWith("json")) {
      checkJson(exchange, media.pointer() + "/schema", failures);
    } else if (mediaType(answer).equals("text/event-stream")) {
      checkEvents(exchange, media, failures);
    }
  }

  private void checkJson(Exchange exchange, String schemaPointer, List<String> failures) {
    List<String> errors = document.validate(schemaPointer, exchange.answer().json());
    if (!errors.isEmpty()) {
      failures.add(exchange + ": " + errors + " in " + exchange.answer().body());
    }
  }

  private void checkHeaders(
      Exchange exchange, OpenApiDocument.Located response, List<String> failures) {
    JsonNode headers = response.node().get("headers");
    if (headers == null) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> each = headers.properties().iterator();
    while (each.hasNext()) {
      Map.Entry<String, JsonNode> header = each.next();
      JsonNode definition =
          document
              .follow(new OpenApiDocument.Located("header " + header.getKey(), header.getValue()))
              .node();
      boolean present = exchange.answer().headers().firstValue(header.getKey()).isPresent();
      if (definition.path("required").asBoolean(false) && !present) {
        failures.add(exchange + ": the required header " + header.getKey() + " is missing");
      }
      if (present
          && definition.path("schema").path("type").asText().equals("integer")
          && !exchange.answer().headers().firstValue(header.getKey()).get().matches("\\d+")) {
        failures.add(exchange + ": header " + header.getKey() + " is not a whole number");
      }
    }
  }

  /** The {@code data:} of each event, against the schema the document gives its kind of event. */
  private void checkEvents(
      Exchange exchange, OpenApiDocument.Located media, List<String> failures) {
    OpenApiDocument.Located kinds = media.child("x-pulse-event-data");
    if (kinds == null) {
      failures.add(exchange + ": the stream's events have no schemas (x-pulse-event-data)");
      return;
    }
    int events = 0;
    for (String block : exchange.answer().body().split("\n\n")) {
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          event = line.substring("event:".length()).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring("data:".length()).trim());
        }
      }
      if (event == null) {
        continue; // a comment
      }
      OpenApiDocument.Located schema = kinds.child(event);
      if (schema == null) {
        failures.add(exchange + ": event '" + event + "' is not documented");
        continue;
      }
      try {
        List<String> errors =
            document.validate(schema.pointer(), HttpJson.MAPPER.readTree(data.toString()));
        if (!errors.isEmpty()) {
          failures.add(exchange + ": event " + event + ": " + errors + " in " + data);
        }
      } catch (IOException e) {
        failures.add(exchange + ": event " + event + " has no JSON data: " + data);
      }
      events++;
    }
    if (events == 0) {
      failures.add(exchange + ": the stream sent no event to check");
    }
  }

  /** The schema pointer of a recorded JSON answer that the document describes. */
  private Optional<String> answerSchemaOf(Exchange exchange) {
    if (exchange.template() == null || !mediaType(exchange.answer()).endsWith("json")) {
      return Optional.empty();
    }
    return document
        .operation(exchange.method(), exchange.template())
        .map(
            operation ->
                new OpenApiDocument.Located(
                        operation.pointer() + "/responses", operation.node().get("responses"))
                    .child(Integer.toString(exchange.answer().status())))
        .map(document::follow)
        .map(response -> response.child("content"))
        .map(content -> content.child(mediaType(exchange.answer())))
        .map(media -> media.pointer() + "/schema");
  }

  /** The media type of an answer, without its parameters. */
  private static String mediaType(HttpJson.Answer answer) {
    return answer.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  private static String fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }

  // ---------------------------------------------------------------- the scenario

  /** Calls every route, successes first and then the ways each is usually refused. */
  private final class Scenario {

    void run() {
      openRoutes();
      access();
      HttpJson acme = tenantWithItsAdmin();
      campaigns();
      events();
      users();
      models();
      audiences();
      transitions();
      subscriptions();
      vouchers();
      stats();
      refusals(acme);
      notRoutes();
    }

    private void openRoutes() {
      expect(200, call(anonymous, "GET", "/health/alive"));
      expect(200, call(anonymous, "GET", "/health/ready"));
      expect(200, call(anonymous, "GET", "/v1/openapi.json"));
      expect(200, call(anonymous, "GET", "/docs"));
      expect(200, call(anonymous, "GET", "/docs/swagger-ui.css"));
      expect(200, call(anonymous, "GET", "/docs/swagger-initializer.js"));
      expect(200, call(anonymous, "GET", "/docs/favicon-32x32.png"));
      expect(404, call(anonymous, "GET", "/docs/petstore.json"));
      expect(200, call(admin, "GET", "/metrics"));
    }

    private void access() {
      expect(201, call(admin, "POST", "/v1/tenants", "{\"id\": \"acme\"}"));
      expect(409, call(admin, "POST", "/v1/tenants", "{\"id\": \"acme\"}"));
      expect(400, breaking(admin, "POST", "/v1/tenants", "{\"id\": \"Not|Valid\"}"));
      expect(400, breaking(admin, "POST", "/v1/tenants", "{\"id\": \"x\", \"colour\": 1}"));
      expect(400, call(admin, "POST", "/v1/tenants", ""));
      expect(200, call(admin, "GET", "/v1/tenants"));

      HttpJson.Answer reader =
          call(admin, "POST", "/v1/keys", "{\"name\": \"reader\", \"scopes\": [\"users:read\"]}");
      expect(201, reader);
      expect(
          201,
          call(
              admin,
              "POST",
              "/v1/keys",
              "{\"name\": \"limited\", \"scopes\": [\"events:write\", \"models:read\"],"
                  + " \"limits\": {\"requestsPerSecond\": 50, \"eventsPerSecond\": null}}"));
      expect(
          400,
          breaking(admin, "POST", "/v1/keys", "{\"name\": \"x\", \"scopes\": [\"everything\"]}"));
      expect(400, breaking(admin, "POST", "/v1/keys", "{\"name\": \"x\", \"scopes\": []}"));
      expect(200, call(admin, "GET", "/v1/keys"));
      expect(200, call(admin, "GET", "/v1/keys?tenant=acme"));
      expect(404, call(admin, "GET", "/v1/keys?tenant=nobody"));
      expect(400, call(admin, "GET", "/v1/keys?tenant=Not%7CValid"));

      HttpJson readerKey = admin.withKey(reader.json().get("key").asText());
      expect(403, call(readerKey, "GET", "/v1/models"));
      String readerId = reader.json().get("id").asText();
      expect(204, call(admin, "DELETE", "/v1/keys/" + readerId));
      expect(401, call(readerKey, "GET", "/v1/users/ann"));
      expect(404, call(admin, "DELETE", "/v1/keys/key_0000000000000000"));
      expect(401, call(anonymous, "GET", "/v1/models"));
      expect(401, call(anonymous, "GET", "/metrics"));

      HttpJson.Answer slow =
          call(
              admin,
              "POST",
              "/v1/keys",
              "{\"name\": \"slow\", \"scopes\": [\"models:read\"],"
                  + " \"limits\": {\"requestsPerSecond\": 1}}");
      expect(201, slow);
      HttpJson slowKey = admin.withKey(slow.json().get("key").asText());
      boolean limited = false;
      for (int i = 0; i < 5 && !limited; i++) {
        limited = call(slowKey, "GET", "/v1/models").status() == 429;
      }
      assertTrue(limited, "a key over its limit gets 429");
    }

    private HttpJson tenantWithItsAdmin() {
      HttpJson.Answer key =
          call(
              admin,
              "POST",
              "/v1/keys",
              "{\"tenant\": \"acme\", \"name\": \"acme admin\", \"scopes\": [\"admin\"]}");
      expect(201, key);
      return admin.withKey(key.json().get("key").asText());
    }

    private void campaigns() {
      expect(201, call(admin, "PUT", "/v1/campaigns/welcome", welcome(true)));
      expect(200, call(admin, "PUT", "/v1/campaigns/welcome", welcome(true)));
      expect(
          201,
          call(
              admin,
              "PUT",
              "/v1/campaigns/tiered",
              "{\"name\": \"Tiered\", \"trigger\": {\"model\": \"engagement\","
                  + " \"entered\": [\"medium\", \"high\"]},"
                  + " \"tiers\": {\"medium\": {\"type\": \"fixed_amount\", \"value\": 5},"
                  + " \"high\": {\"type\": \"free_shipping\"}},"
                  + " \"codePattern\": \"T-######\", \"perUserLimit\": 2,"
                  + " \"startsAt\": \"2026-11-22T00:00:00Z\", \"endsAt\": \"2027-01-01T00:00:00Z\","
                  + " \"controlGroupPercent\": 10}"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/campaigns/broken",
              "{\"trigger\": {\"model\": \"engagement\", \"entered\": \"high\"}, \"colour\": 1}"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/campaigns/broken",
              "{\"trigger\": {\"model\": \"engagement\", \"entered\": \"high\", \"exited\":"
                  + " \"low\"}, \"offer\": {\"type\": \"percent\", \"value\": 10}}"));
      expect(
          400,
          call(
              admin,
              "PUT",
              "/v1/campaigns/broken",
              "{\"trigger\": {\"model\": \"engagement\", \"entered\": \"gold\"},"
                  + " \"offer\": {\"type\": \"percent\", \"value\": 10}}"));
      triggers();
      expect(200, call(admin, "GET", "/v1/campaigns"));
      expect(200, call(admin, "GET", "/v1/campaigns/welcome"));
      expect(404, call(admin, "GET", "/v1/campaigns/nothing-here"));
      expect(404, call(admin, "GET", "/v1/campaigns/nothing-here/stats"));
    }

    /** A campaign of each kind of trigger but audiences, which come once there are audiences. */
    private void triggers() {
      String offer = ", \"offer\": {\"type\": \"fixed_amount\", \"value\": 5}}";
      Map<String, String> triggers = new LinkedHashMap<>();
      triggers.put(
          "sorry",
          "{\"event\": \"support_contact\","
              + " \"where\": {\"properties.severity\": {\"gte\": 3}}}");
      triggers.put("third-purchase", "{\"event\": \"purchase\", \"occurrence\": 3}");
      triggers.put(
          "birthday",
          "{\"date\": {\"trait\": \"birthday\", \"at\": \"09:00\","
              + " \"timeZoneTrait\": \"timezone\"}}");
      triggers.put("midnight", "{\"date\": {\"trait\": \"signup\"}}");
      triggers.forEach(
          (id, trigger) ->
              expect(
                  201,
                  call(admin, "PUT", "/v1/campaigns/" + id, "{\"trigger\": " + trigger + offer)));
      for (String broken :
          List.of(
              "{\"event\": \"purchase\", \"occurrence\": 0}",
              "{\"event\": \"purchase\", \"occurrence\": 2.5}",
              "{\"event\": \"purchase\", \"colour\": 1}",
              "{\"model\": \"engagement\", \"entered\": \"high\", \"event\": \"purchase\"}",
              "{\"date\": {\"trait\": \"birthday\", \"at\": \"25:00\"}}",
              "{\"date\": {\"at\": \"09:00\"}}",
              "{\"audience\": \"irish-pro\", \"entered\": false}",
              "{\"audience\": \"irish-pro\", \"entered\": true, \"exited\": true}")) {
        expect(
            400, breaking(admin, "PUT", "/v1/campaigns/broken", "{\"trigger\": " + broken + offer));
      }
      expect(
          400,
          call(
              admin,
              "PUT",
              "/v1/campaigns/broken",
              "{\"trigger\": {\"audience\": \"nothing-here\", \"entered\": true}" + offer));
    }

    /** Campaigns on an audience, and restricted to one, once the audiences exist. */
    private void audienceTriggers() {
      String offer = ", \"offer\": {\"type\": \"percent\", \"value\": 15}}";
      Map<String, String> campaigns = new LinkedHashMap<>();
      campaigns.put(
          "irish-welcome", "\"trigger\": {\"audience\": \"irish-pro\", \"entered\": true}");
      campaigns.put(
          "irish-farewell",
          "\"trigger\": {\"audience\": \"irish-pro\", \"exited\": true},"
              + " \"eligibleAudience\": \"irish-pro\"");
      campaigns.put(
          "irish-only",
          "\"trigger\": {\"event\": \"support_contact\"}, \"eligibleAudience\": \"irish-pro\"");
      campaigns.forEach(
          (id, definition) ->
              expect(201, call(admin, "PUT", "/v1/campaigns/" + id, "{" + definition + offer)));
      expect(200, call(admin, "GET", "/v1/campaigns/irish-only"));
      expect(
          202,
          call(
              admin,
              "POST",
              "/v1/events",
              "{\"eventId\": \"sc-1\", \"userId\": \"dan\", \"type\": \"support_contact\","
                  + " \"properties\": {\"severity\": 4}}"));
    }

    private String welcome(boolean active) {
      return "{\"name\": \"Welcome\", \"trigger\": {\"model\": \"engagement\", \"entered\":"
          + " \"low\"}, \"offer\": {\"type\": \"percent\", \"value\": 10, \"maxDiscount\": 25},"
          + " \"codePattern\": \"WELCOME-######\", \"budget\": {\"maxVouchers\": 100,"
          + " \"maxDiscount\": 1000}, \"validityDays\": 7, \"minimumOrderAmount\": 50,"
          + " \"active\": "
          + active
          + "}";
    }

    private void events() {
      expect(
          202,
          call(
              admin,
              "POST",
              "/v1/events",
              "{\"eventId\": \"e-1\", \"userId\": \"ann\", \"type\": \"email_open\","
                  + " \"channel\": \"email\", \"timestamp\": \"2026-11-22T10:00:00Z\","
                  + " \"properties\": {\"campaign\": \"black-friday\"}}"));
      expect(
          202,
          call(
              admin,
              "POST",
              "/v1/events",
              "[{\"eventId\": \"e-2\", \"userId\": \"bob\", \"type\": \"email_click\","
                  + " \"channel\": \"email\"},"
                  + " {\"eventId\": \"e-3\", \"userId\": \"bob\", \"type\": \"purchase\","
                  + " \"properties\": {\"amount\": 80}}]"));
      expect(
          202,
          partly(
              admin,
              "POST",
              "/v1/events",
              "[{\"eventId\": \"e-1\", \"userId\": \"ann\", \"type\": \"email_open\"},"
                  + " {\"userId\": \"cat\", \"type\": 7}]"));
      expect(400, breaking(admin, "POST", "/v1/events", "{\"userId\": \"x\", \"type\": 7}"));
      expect(400, breaking(admin, "POST", "/v1/events", "[]"));
      expect(400, breaking(admin, "POST", "/v1/events", "{\"type\": \"email_open\"}"));
      expect(400, call(admin, "POST", "/v1/events", "{not json"));
      expect(400, call(admin, "POST", "/v1/events", ""));
      StringBuilder many = new StringBuilder("[");
      for (int i = 0; i <= 1000; i++) {
        many.append(i == 0 ? "" : ",").append("{\"userId\":\"u\",\"type\":\"t\"}");
      }
      expect(413, breaking(admin, "POST", "/v1/events", many.append("]").toString()));
      expect(413, call(admin, "POST", "/v1/events", oversized()));
    }

    private void users() {
      expect(200, call(admin, "GET", "/v1/users/ann"));
      expect(200, call(admin, "GET", "/v1/users/bob"));
      expect(404, call(admin, "GET", "/v1/users/nobody"));
      expect(200, call(admin, "GET", "/v1/users/nobody/vouchers"));
      expect(
          200,
          call(
              admin,
              "PATCH",
              "/v1/users/ann/traits",
              "{\"country\": \"IE\", \"plan\": \"pro\", \"birthday\": \"1990-03-17\","
                  + " \"tags\": [\"vip\"], \"age\": 36, \"optIn\": true}"));
      expect(200, call(admin, "PATCH", "/v1/users/ann/traits", "{\"optIn\": null}"));
      expect(200, call(admin, "PATCH", "/v1/users/newcomer/traits", "{\"plan\": \"free\"}"));
      expect(200, call(admin, "GET", "/v1/users/newcomer"));
      expect(400, breaking(admin, "PATCH", "/v1/users/ann/traits", "{\"nested\": {\"a\": 1}}"));
      expect(400, breaking(admin, "PATCH", "/v1/users/ann/traits", "[1]"));
      expect(400, call(admin, "PATCH", "/v1/users/ann/traits", ""));
      expect(
          202,
          call(
              admin,
              "POST",
              "/v1/events",
              "{\"eventId\": \"id-1\", \"userId\": \"bob\", \"type\": \"identify\","
                  + " \"traits\": {\"country\": \"FR\", \"timezone\": \"Europe/Paris\"}}"));
      expect(
          400,
          breaking(
              admin,
              "POST",
              "/v1/events",
              "{\"userId\": \"bob\", \"type\": \"identify\", \"traits\": 3}"));
      expect(200, call(admin, "GET", "/v1/users/ann"));
    }

    private void models() {
      expect(200, call(admin, "GET", "/v1/models"));
      expect(200, call(admin, "GET", "/v1/models/engagement"));
      expect(404, call(admin, "GET", "/v1/models/nothing-here"));
      String buyers =
          "{\"name\": \"Buyers\", \"rules\": [{\"event\": \"purchase\", \"points\": 10,"
              + " \"where\": {\"properties.amount\": {\"gte\": 50}}, \"dailyCap\": 3},"
              + " {\"event\": \"app_session\", \"pointsPer\": {\"property\":"
              + " \"properties.minutes\", \"points\": 0.5}, \"maxPoints\": 30, \"dailyCap\": 5},"
              + " {\"event\": \"email_click\", \"channel\": \"email\", \"points\": 2,"
              + " \"where\": {\"properties.tag\": {\"in\": [\"a\", \"b\"]},"
              + " \"properties.test\": {\"exists\": false}}}],"
              + " \"halfLifeDays\": 14, \"scale\": {\"min\": 1, \"max\": 10},"
              + " \"saturationPoints\": 40, \"inactiveAfter\": \"P90D\","
              + " \"bands\": [{\"name\": \"cold\", \"from\": 1, \"to\": 5},"
              + " {\"name\": \"hot\", \"from\": 5, \"to\": 10}]}";
      expect(201, call(admin, "PUT", "/v1/models/buyers", buyers));
      expect(200, call(admin, "PUT", "/v1/models/buyers", buyers));
      expect(200, call(admin, "GET", "/v1/models/buyers"));
      expect(
          201,
          call(
              admin,
              "PUT",
              "/v1/models/doomed",
              "{\"rules\": [{\"event\": \"page_view\", \"points\": 1}],"
                  + " \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}"));
      expect(204, call(admin, "DELETE", "/v1/models/doomed"));
      expect(404, call(admin, "DELETE", "/v1/models/doomed"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/models/broken",
              "{\"rules\": [{\"event\": \"x\", \"points\": 1, \"colour\": \"red\"}],"
                  + " \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/models/broken",
              "{\"rules\": [], \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/models/broken",
              "{\"rules\": [{\"event\": \"x\", \"points\": 1}], \"halfLifeDays\": -1,"
                  + " \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}"));
      expect(
          400,
          call(
              admin,
              "PUT",
              "/v1/models/broken",
              "{\"rules\": [{\"event\": \"x\", \"points\": 1}],"
                  + " \"bands\": [{\"name\": \"a\", \"from\": 1, \"to\": 4},"
                  + " {\"name\": \"b\", \"from\": 5, \"to\": 10}]}"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/models/broken",
              "{\"rules\": [{\"event\": \"x\", \"points\": 1, \"pointsPer\": {\"property\":"
                  + " \"properties.n\", \"points\": 1}}],"
                  + " \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/models/broken",
              "{\"rules\": [{\"event\": \"x\", \"pointsPer\": {\"property\": \"minutes\","
                  + " \"points\": 1}}], \"bands\": [{\"name\": \"all\", \"from\": 1, \"to\": 10}]}"));
      expect(413, call(admin, "PUT", "/v1/models/huge", oversized()));
    }

    private void audiences() {
      String irish =
          "{\"name\": \"Irish pro users\", \"condition\": {\"all\": ["
              + " {\"trait\": \"country\", \"eq\": \"IE\"},"
              + " {\"trait\": \"plan\", \"in\": [\"pro\", \"team\"]},"
              + " {\"trait\": \"birthday\", \"before\": \"-P18Y\"},"
              + " {\"not\": {\"score\": {\"model\": \"engagement\", \"band\": \"high\"}}},"
              + " {\"any\": [{\"metric\": \"orders\", \"gte\": 0},"
              + " {\"score\": {\"model\": \"engagement\", \"gt\": 2}}]}]}}";
      expect(201, call(admin, "PUT", "/v1/audiences/irish-pro", irish));
      expect(200, call(admin, "PUT", "/v1/audiences/irish-pro", irish));
      expect(
          201,
          call(
              admin,
              "PUT",
              "/v1/audiences/cart-abandoners",
              "{\"name\": \"Abandoned a cart\", \"condition\": {\"all\": ["
                  + " {\"event\": \"add_to_cart\", \"within\": \"PT1H\","
                  + " \"notFollowedBy\": {\"event\": \"purchase\"}},"
                  + " {\"audience\": \"irish-pro\"},"
                  + " {\"event\": \"page_view\", \"where\": {\"properties.path\":"
                  + " {\"eq\": \"/cart\"}}, \"within\": \"P7D\", \"count\": {\"gte\": 1}}]}}"));
      expect(
          201,
          call(
              admin,
              "PUT",
              "/v1/audiences/st-patricks",
              "{\"name\": \"St Patrick's Day\", \"condition\": {\"all\": ["
                  + " {\"audience\": \"irish-pro\"}, {\"during\": {\"from\":"
                  + " \"2027-03-17T00:00:00Z\", \"until\": \"2027-03-18T00:00:00Z\"}}]}}"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/audiences/broken",
              "{\"name\": \"x\", \"condition\": {\"during\": {}}}"));
      expect(204, call(admin, "DELETE", "/v1/audiences/st-patricks"));
      expect(409, call(admin, "DELETE", "/v1/audiences/irish-pro"));
      expect(200, call(admin, "GET", "/v1/audiences"));
      expect(200, call(admin, "GET", "/v1/audiences/irish-pro"));
      expect(404, call(admin, "GET", "/v1/audiences/nothing-here"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/audiences/broken",
              "{\"name\": \"x\", \"condition\": {\"trait\": \"a\", \"eq\": 1, \"ne\": 2}}"));
      expect(
          400,
          breaking(
              admin,
              "PUT",
              "/v1/audiences/broken",
              "{\"name\": \"x\", \"condition\": {\"trait\": \"a\", \"eq\": 1}, \"colour\": 1}"));
      expect(
          400,
          call(
              admin,
              "PUT",
              "/v1/audiences/broken",
              "{\"name\": \"x\", \"condition\": {\"audience\": \"nothing-here\"}}"));
      expect(
          400,
          call(
              admin,
              "PUT",
              "/v1/audiences/broken",
              "{\"name\": \"x\", \"condition\": {\"score\": {\"model\": \"engagement\","
                  + " \"band\": \"gold\"}}}"));
      audienceTriggers();
      expect(204, call(admin, "DELETE", "/v1/audiences/cart-abandoners"));
      expect(404, call(admin, "DELETE", "/v1/audiences/cart-abandoners"));
      eventually(
          () -> {
            HttpJson.Answer page = admin.get("/v1/transitions?audience=irish-pro");
            assertTrue(page.json().path("transitions").size() > 0, page.body());
          });
      expect(200, call(admin, "GET", "/v1/transitions?audience=irish-pro&cause=definition-change"));
    }

    private void transitions() {
      expect(200, call(admin, "GET", "/v1/transitions?after=0&limit=100"));
      expect(200, call(admin, "GET", "/v1/transitions?model=engagement&cause=event&user=ann"));
      expect(400, call(admin, "GET", "/v1/transitions?limit=0"));
      expect(400, call(admin, "GET", "/v1/transitions?after=soon"));
      record(
          admin,
          "GET",
          "/v1/transitions/stream?after=0",
          null,
          RequestBody.CONFORMING,
          () -> {
            HttpJson.Answer stream =
                admin.openStream("/v1/transitions/stream?after=0", WAIT_STREAM);
            assertTrue(stream.body().contains("event: transition"), stream.body());
            return stream;
          });
      expect(400, call(admin, "GET", "/v1/transitions/stream?after=-1"));
    }

    private static final Duration WAIT_STREAM = Duration.ofMillis(1500);

    private void subscriptions() {
      HttpJson.Answer created =
          call(
              admin,
              "POST",
              "/v1/subscriptions",
              "{\"url\": \""
                  + refusingReceiver.url()
                  + "\", \"filter\": {\"model\": \"engagement\", \"cause\": \"event\"},"
                  + " \"after\": 0}");
      expect(201, created);
      String id = created.json().get("id").asText();
      expect(
          201,
          call(
              admin,
              "POST",
              "/v1/subscriptions",
              "{\"url\": \""
                  + refusingReceiver.url()
                  + "\", \"secret\": \"a-secret-of-sixteen-or-more\"}"));
      expect(
          400, breaking(admin, "POST", "/v1/subscriptions", "{\"url\": \"ftp://example.com/\"}"));
      expect(
          400,
          breaking(
              admin,
              "POST",
              "/v1/subscriptions",
              "{\"url\": \"https://example.com/\", \"secret\": \"short\"}"));
      expect(
          400,
          breaking(
              admin,
              "POST",
              "/v1/subscriptions",
              "{\"url\": \"https://example.com/\", \"filter\": {\"cause\": \"boredom\"}}"));
      expect(
          400,
          call(admin, "POST", "/v1/subscriptions", "{\"url\": \"https://user:pw@example.com/\"}"));
      expect(200, call(admin, "GET", "/v1/subscriptions"));
      expect(200, call(admin, "GET", "/v1/subscriptions/" + id));
      expect(404, call(admin, "GET", "/v1/subscriptions/sub-nothing-here"));
      eventually(
          () -> {
            HttpJson.Answer letters = admin.get("/v1/subscriptions/" + id + "/dead-letters");
            assertTrue(letters.json().path("deadLetters").size() > 0, letters.body());
          });
      expect(200, call(admin, "GET", "/v1/subscriptions/" + id + "/dead-letters"));
      expect(404, call(admin, "GET", "/v1/subscriptions/sub-nothing-here/dead-letters"));
      expect(202, call(admin, "POST", "/v1/subscriptions/" + id + "/dead-letters/redeliver"));
      expect(404, call(admin, "POST", "/v1/subscriptions/sub-nothing-here/dead-letters/redeliver"));
      expect(202, call(admin, "POST", "/v1/subscriptions/" + id + "/replay?from=0"));
      expect(400, call(admin, "POST", "/v1/subscriptions/" + id + "/replay"));
      expect(400, call(admin, "POST", "/v1/subscriptions/" + id + "/replay?from=-1"));
      expect(404, call(admin, "POST", "/v1/subscriptions/sub-nothing-here/replay?from=0"));
      expect(204, call(admin, "DELETE", "/v1/subscriptions/" + id));
      expect(404, call(admin, "DELETE", "/v1/subscriptions/" + id));
    }

    private void vouchers() {
      String annsCode = voucherOf("ann");
      String bobsCode = voucherOf("bob");
      expect(200, call(admin, "GET", "/v1/users/ann/vouchers"));
      String redeem = "/v1/vouchers/" + annsCode + "/redeem";
      expect(404, call(admin, "POST", "/v1/vouchers/NOSUCHCODE/redeem", redemption("ann", 100)));
      expect(400, breaking(admin, "POST", redeem, "{\"orderAmount\": -5}"));
      expect(400, breaking(admin, "POST", redeem, "{\"userId\": \"ann\"}"));
      expect(403, call(admin, "POST", redeem, redemption("bob", 100)));
      expect(422, call(admin, "POST", redeem, redemption("ann", 49.99)));
      expect(200, call(admin, "POST", redeem, redemption("ann", 120)));
      expect(409, call(admin, "POST", redeem, redemption("ann", 120)));
      expect(200, call(admin, "GET", "/v1/users/ann/vouchers"));

      String bobsRedeem = "/v1/vouchers/" + bobsCode + "/redeem";
      expect(200, call(admin, "PUT", "/v1/campaigns/welcome", welcome(false)));
      expect(409, call(admin, "POST", bobsRedeem, redemption("bob", 100)));
      expect(200, call(admin, "PUT", "/v1/campaigns/welcome", welcome(true)));
      clock.advance(Duration.ofDays(8));
      try {
        expect(410, call(admin, "POST", bobsRedeem, redemption("bob", 100)));
        expect(200, call(admin, "GET", "/v1/users/bob/vouchers"));
      } finally {
        clock.set(EndToEndContract.T0);
      }
      expect(200, call(admin, "GET", "/v1/campaigns/welcome/stats"));
      expect(200, call(admin, "GET", "/v1/campaigns/tiered/stats"));

      String dansCode = voucherOf("dan", "irish-only");
      expect(
          422, call(admin, "POST", "/v1/vouchers/" + dansCode + "/redeem", redemption("dan", 100)));
      expect(200, call(admin, "GET", "/v1/users/dan/vouchers"));
    }

    private String redemption(String userId, double amount) {
      return "{\"userId\": \"" + userId + "\", \"orderAmount\": " + amount + "}";
    }

    private String voucherOf(String userId) {
      return voucherOf(userId, "welcome");
    }

    private String voucherOf(String userId, String campaignId) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode vouchers = admin.get("/v1/users/" + userId + "/vouchers").json().get("vouchers");
        for (JsonNode voucher : vouchers) {
          if (voucher.get("campaignId").asText().equals(campaignId)) {
            return voucher.get("code").asText();
          }
        }
        sleep(100);
      }
      fail("no voucher of '" + campaignId + "' was issued to " + userId);
      return null;
    }

    private void stats() {
      expect(200, call(admin, "GET", "/v1/stats"));
    }

    /** What a key of another tenant meets on the operator's routes and on the default's data. */
    private void refusals(HttpJson acme) {
      expect(404, call(acme, "GET", "/v1/tenants"));
      expect(404, call(acme, "POST", "/v1/tenants", "{\"id\": \"sneaky\"}"));
      expect(404, call(acme, "GET", "/metrics"));
      expect(404, call(acme, "GET", "/v1/users/ann"));
      expect(200, call(acme, "GET", "/v1/models"));
      expect(404, call(acme, "GET", "/v1/keys?tenant=default"));
    }

    /** Requests that match no route answer problems too. */
    private void notRoutes() {
      expect(404, call(admin, "GET", "/v1/nothing-here"));
      expect(405, call(admin, "PATCH", "/v1/models/engagement"));
    }

    private String oversized() {
      return "{\"name\": \"" + "x".repeat(MAX_BODY_BYTES + 1) + "\"}";
    }

    private HttpJson.Answer call(HttpJson client, String method, String path) {
      return call(client, method, path, null);
    }

    private HttpJson.Answer call(HttpJson client, String method, String path, String body) {
      return record(client, method, path, body, RequestBody.CONFORMING, null);
    }

    private HttpJson.Answer breaking(HttpJson client, String method, String path, String body) {
      return record(client, method, path, body, RequestBody.BREAKS_SCHEMA, null);
    }

    private HttpJson.Answer partly(HttpJson client, String method, String path, String body) {
      return record(client, method, path, body, RequestBody.PARTLY_VALID, null);
    }

    private HttpJson.Answer record(
        HttpJson client,
        String method,
        String path,
        String body,
        RequestBody kind,
        Supplier<HttpJson.Answer> send) {
      HttpJson.Answer answer = send != null ? send.get() : client.send(method, path, body);
      exchanges.add(new Exchange(method, path, templateOf(method, path), body, kind, answer));
      return answer;
    }

    private void expect(int status, HttpJson.Answer answer) {
      assertEquals(
          status, answer.status(), () -> exchanges.get(exchanges.size() - 1) + " " + answer.body());
    }
  }

  /**
   * The template of the route that answers {@code method} at {@code path}, matched as the route
   * table matches (the most literal segments win), or null when no route does.
   */
  private String templateOf(String method, String path) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    List<String> segments = List.of(bare.substring(1).split("/", -1));
    String best = null;
    int bestLiterals = -1;
    for (Endpoint endpoint : server.endpoints()) {
      List<String> template = endpoint.segments();
      if (!endpoint.method().equals(method) || template.size() != segments.size()) {
        continue;
      }
      int literals = 0;
      boolean matches = true;
      for (int i = 0; i < template.size() && matches; i++) {
        String expected = template.get(i);
        if (expected.startsWith("{")) {
          matches = !segments.get(i).isEmpty();
        } else if (expected.equals(segments.get(i))) {
          literals++;
        } else {
          matches = false;
        }
      }
      if (matches && literals > bestLiterals) {
        best = endpoint.template();
        bestLiterals = literals;
      }
    }
    return best;
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
        sleep(100);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
