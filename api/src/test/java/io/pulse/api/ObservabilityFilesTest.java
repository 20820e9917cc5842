package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.pulse.api.observability.PromQlSelectors;
import io.pulse.api.observability.PrometheusExposition;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana dashboard and the Prometheus alerting rules in {@code cluster-config/observability/}
 * read only what a running node exports: one node on H2 gets a little of every kind of traffic
 * (events, a model change, a webhook that fails into a dead letter, a 429), then every metric and
 * label that a panel, a variable or an alert reads must be in its {@code /metrics}. Both files are
 * checked for the structure Grafana and Prometheus need, every alert points at the section of
 * docs/operations.md that says what to do, and {@code promtool check rules} passes where promtool
 * is installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityFilesTest {

  private static final Path ROOT =
      Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..").normalize();
  private static final Path DASHBOARD =
      ROOT.resolve("cluster-config/observability/pulse-dashboard.json");
  private static final Path RULES = ROOT.resolve("cluster-config/observability/pulse-alerts.yml");
  private static final Path OPERATIONS = ROOT.resolve("docs/operations.md");
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int MAX_IN_FLIGHT_EVENTS = 5000;

  private TestDatabase database;
  private TestServer server;
  private PrometheusExposition exported;

  @BeforeAll
  void startANodeAndDriveTraffic() throws Exception {
    database = TestDatabase.create(DatabaseKind.H2);
    server =
        new TestServer(
            database,
            Clock.systemUTC(),
            Map.of(
                "pulse.ingest.max-in-flight-events", MAX_IN_FLIGHT_EVENTS,
                "pulse.webhooks.allowed-networks", "127.0.0.0/8",
                "pulse.webhooks.keep-alive-interval", "1s"));
    HttpJson http = server.http();
    try (WebhookReceiver refusing = new WebhookReceiver(WebhookReceiver.always(400))) {
      // A subscription whose receiver refuses every delivery: the first transition is a dead
      // letter at once.
      HttpJson.Answer subscribed =
          http.post(
              "/v1/subscriptions",
              HttpJson.json(
                  Map.of("url", refusing.url(), "secret", "observability-secret-0123456789")));
      assertEquals(201, subscribed.status(), subscribed.body());
      String subscription = subscribed.json().get("id").asText();

      List<Map<String, Object>> events = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("userId", "obs-" + (i % 5));
        event.put("type", "email_click");
        event.put("channel", "email");
        event.put("timestamp", Instant.now().toString());
        events.add(event);
      }
      HttpJson.Answer accepted = http.post("/v1/events", HttpJson.json(events));
      assertEquals(202, accepted.status(), accepted.body());

      HttpJson.Answer model =
          http.put(
              "/v1/models/observed",
              "{\"rules\": [{\"event\": \"page_view\", \"points\": 1}],"
                  + " \"bands\": [{\"name\": \"cold\", \"from\": 1, \"to\": 5},"
                  + " {\"name\": \"hot\", \"from\": 5, \"to\": 10}]}");
      assertEquals(201, model.status(), model.body());

      awaitTrue(
          "a dead letter",
          () ->
              http.get("/v1/subscriptions/" + subscription + "/dead-letters")
                      .json()
                      .get("deadLetters")
                      .size()
                  > 0);
    }

    HttpJson.Answer key =
        http.post(
            "/v1/keys",
            "{\"name\": \"limited\", \"scopes\": [\"models:read\"],"
                + " \"limits\": {\"requestsPerSecond\": 1}}");
    assertEquals(201, key.status(), key.body());
    HttpJson limited = http.withKey(key.json().get("key").asText());
    boolean refused = false;
    for (int i = 0; i < 10 && !refused; i++) {
      refused = limited.get("/v1/models").status() == 429;
    }
    assertTrue(refused, "a burst over one request a second is refused");

    // At least one collection, so that the GC series exist whatever the test JVM did before.
    System.gc();
    HttpJson.Answer scraped = http.get("/metrics");
    assertEquals(200, scraped.status(), scraped.body());
    // Kept for whoever reads a failure below: what the node exported.
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "observability-scrape.txt"), scraped.body());
    exported = PrometheusExposition.parse(scraped.body());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void theNodeExportsWhatItWasDrivenThrough() {
    assertAtLeast(1, "pulse_ready");
    assertAtLeast(1, "pulse_ready_check{check=\"journal\"}");
    assertAtLeast(1, "pulse_cluster_members{status=\"up\"}");
    assertEquals(0, value("pulse_cluster_unreachable_members"));
    assertAtLeast(1, "pulse_journal_circuit_breaker_state{state=\"closed\"}");
    assertEquals(0, value("pulse_journal_circuit_breaker_state{state=\"open\"}"));
    assertAtLeast(20, "pulse_events_ingested_total");
    assertAtLeast(1, "pulse_http_responses_total{status=\"429\"}");
    assertAtLeast(1, "pulse_webhook_attempts_total{outcome=\"refused\",tenant=\"default\"}");
    assertAtLeast(1, "pulse_webhook_dead_letters_total{reason=\"refused\",tenant=\"default\"}");
    assertEquals(MAX_IN_FLIGHT_EVENTS, value("pulse_ingest_in_flight_events_limit"));
    assertEquals(4096, value("pulse_http_connections_limit"));
    assertAtLeast(0, "pulse_rescoring_users_done{tenant=\"default\"}");
    assertAtLeast(0, "pulse_read_side_lag_seconds{reader=\"stats-transition\",tag=\"transition\"}");
    assertAtLeast(1, "pulse_ready_check{check=\"userShardsStarted\"}");
    // A node of its own holds every user shard once ready, though this test drove five users.
    assertEquals(1000, value("pulse_sharding_shards{entity=\"user\"}"));
    // The user of each of the 1,000 shards that the node read as it started, and the five here.
    assertAtLeast(1000 + 5, "pulse_user_entities_active");
  }

  @Test
  void everyMetricTheDashboardAndTheAlertsReadIsExported() throws IOException {
    Map<String, String> expressions = new LinkedHashMap<>();
    expressions.putAll(dashboardExpressions(dashboard()));
    for (Map<String, Object> rule : alertRules()) {
      expressions.put("alert " + rule.get("alert"), String.valueOf(rule.get("expr")));
    }
    assertTrue(expressions.size() > 20, "expressions found: " + expressions.size());
    Set<String> problems = new TreeSet<>();
    Set<String> families = new TreeSet<>();
    for (Map.Entry<String, String> expression : expressions.entrySet()) {
      List<PromQlSelectors.Selector> selectors;
      try {
        selectors = PromQlSelectors.of(expression.getValue());
      } catch (IllegalArgumentException e) {
        problems.add(expression.getKey() + ": " + e.getMessage());
        continue;
      }
      if (selectors.isEmpty()) {
        problems.add(expression.getKey() + " reads no metric: " + expression.getValue());
      }
      for (PromQlSelectors.Selector selector : selectors) {
        exported
            .problemWith(selector.metric(), selector.labels())
            .ifPresent(problem -> problems.add(expression.getKey() + ": " + problem));
        families.add(exported.familyOf(selector.metric()));
      }
    }
    assertTrue(
        problems.isEmpty(), "Not exported by a running node:\n" + String.join("\n", problems));
    // The brief's panels: each needs the family that shows it.
    for (String family :
        List.of(
            "pulse_events_ingested_total",
            "pulse_ingest_latency_seconds",
            "pulse_http_responses_total",
            "pulse_journal_write_seconds",
            "pulse_journal_circuit_breaker_state",
            "pulse_read_side_lag_seconds",
            "pulse_user_entities_active",
            "pulse_user_entities_passivated_total",
            "pulse_rescoring_users_done",
            "pulse_webhook_attempts_total",
            "pulse_webhook_dead_letters_total",
            "pulse_cluster_members",
            "pulse_http_connections_open",
            "pulse_http_connections_refused_total",
            "pulse_http_connections_timed_out_total",
            "jvm_memory_used_bytes",
            "jvm_gc_pause_seconds")) {
      assertTrue(families.contains(family), "nothing reads " + family + ": " + families);
    }
  }

  @Test
  void theDashboardIsAnImportableGrafanaDashboard() throws IOException {
    JsonNode dashboard = dashboard();
    assertTrue(dashboard.path("schemaVersion").isInt(), "schemaVersion");
    assertTrue(dashboard.path("title").asText().contains("Pulse"), "title");
    assertTrue(dashboard.path("uid").asText().matches("[a-z0-9-]{1,40}"), "uid");
    JsonNode inputs = dashboard.path("__inputs");
    assertTrue(inputs.isArray() && inputs.size() == 1, "one datasource input");
    assertEquals("DS_PROMETHEUS", inputs.get(0).path("name").asText());
    assertEquals("datasource", inputs.get(0).path("type").asText());
    assertEquals("prometheus", inputs.get(0).path("pluginId").asText());

    Map<String, JsonNode> variables = new LinkedHashMap<>();
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      variables.put(variable.path("name").asText(), variable);
    }
    for (String name : List.of("instance", "tenant")) {
      JsonNode variable = variables.get(name);
      assertTrue(variable != null, "a variable " + name + " in " + variables.keySet());
      assertEquals("query", variable.path("type").asText(), name);
      assertEquals("${DS_PROMETHEUS}", datasourceUid(variable), name);
      assertTrue(variable.path("includeAll").asBoolean(), name + " offers All");
      assertTrue(variable.path("multi").asBoolean(), name + " takes several values");
    }

    Set<Integer> ids = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      String title = panel.path("title").asText();
      if (!panel.path("id").isInt() || !ids.add(panel.path("id").asInt())) {
        problems.add("panel '" + title + "' has no id of its own");
      }
      if (title.isBlank()) {
        problems.add("panel " + panel.path("id") + " has no title");
      }
      JsonNode grid = panel.path("gridPos");
      if (grid.path("w").asInt() <= 0 || grid.path("h").asInt() <= 0) {
        problems.add("panel '" + title + "' has no size");
      }
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      if (!"${DS_PROMETHEUS}".equals(datasourceUid(panel))) {
        problems.add("panel '" + title + "' does not read the ${DS_PROMETHEUS} input");
      }
      JsonNode targets = panel.path("targets");
      if (!targets.isArray() || targets.isEmpty()) {
        problems.add("panel '" + title + "' has no target");
      }
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : targets) {
        if (target.path("expr").asText().isBlank()) {
          problems.add("panel '" + title + "' has a target without an expression");
        }
        if (!refIds.add(target.path("refId").asText())) {
          problems.add("panel '" + title + "' repeats the refId " + target.path("refId"));
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertTrue(ids.size() > 15, "panels: " + ids.size());
  }

  @Test
  void everyAlertHasWhatAlertmanagerAndTheOperatorNeed() throws Exception {
    Set<String> anchors = headingAnchors(Files.readString(OPERATIONS));
    Set<String> names = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> rule : alertRules()) {
      String name = String.valueOf(rule.get("alert"));
      if (!name.matches("Pulse[A-Za-z]+") || !names.add(name)) {
        problems.add("alert " + name + ": a name of its own, PulseSomething");
      }
      if (!(rule.get("expr") instanceof String expr) || expr.isBlank()) {
        problems.add(name + ": no expr");
      }
      if (!(rule.get("for") instanceof String duration)
          || !duration.matches("([0-9]+(ms|s|m|h|d|w|y))+")) {
        problems.add(name + ": no 'for' duration");
      }
      Map<?, ?> labels = rule.get("labels") instanceof Map<?, ?> map ? map : Map.of();
      if (!List.of("critical", "warning", "info").contains(labels.get("severity"))) {
        problems.add(name + ": severity critical, warning or info");
      }
      Map<?, ?> annotations = rule.get("annotations") instanceof Map<?, ?> map ? map : Map.of();
      for (String annotation : List.of("summary", "description", "runbook")) {
        if (!(annotations.get(annotation) instanceof String text) || text.isBlank()) {
          problems.add(name + ": no " + annotation);
        }
      }
      String runbook = String.valueOf(annotations.get("runbook"));
      Matcher link = Pattern.compile("^docs/operations\\.md#([a-z0-9-]+)$").matcher(runbook);
      if (!link.matches()) {
        problems.add(name + ": runbook is not docs/operations.md#<section>: " + runbook);
      } else if (!anchors.contains(link.group(1))) {
        problems.add(name + ": docs/operations.md has no section #" + link.group(1));
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    // Each failure mode of an operator's checklist has its alert.
    for (String alert :
        List.of(
            "PulseJournalCircuitBreakerOpen",
            "PulseNodeNotReady",
            "PulseUnavailableAnswersRising",
            "PulseRateLimitedAnswersRising",
            "PulseReadSideLagging",
            "PulseWebhookDeadLetters",
            "PulseWebhookDeliveriesFailing",
            "PulseClusterMemberUnreachable",
            "PulseClusterMemberMissing",
            "PulseHeapPressure",
            "PulseGcPressure",
            "PulseConnectionCapReached",
            "PulseInFlightEventsNearLimit")) {
      assertTrue(names.contains(alert), "no alert " + alert + " in " + new TreeSet<>(names));
    }
    promtoolAcceptsTheRules();
  }

  /**
   * Where promtool is installed, its own parser and checks on top of the ones above, which are
   * complete without it.
   */
  private static void promtoolAcceptsTheRules() throws IOException, InterruptedException {
    Path promtool = onPath("promtool");
    if (promtool == null) {
      return;
    }
    Process process =
        new ProcessBuilder(promtool.toString(), "check", "rules", RULES.toString())
            .redirectErrorStream(true)
            .start();
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool finished");
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("SUCCESS"), output);
  }

  // ---------------------------------------------------------------------------------------------

  private JsonNode dashboard() throws IOException {
    return HttpJson.MAPPER.readTree(Files.readString(DASHBOARD));
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> alertRules() throws IOException {
    Object loaded = new Yaml().load(Files.readString(RULES));
    if (!(loaded instanceof Map<?, ?> document) || !(document.get("groups") instanceof List<?>)) {
      throw new AssertionError(RULES + " has no 'groups:' list");
    }
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : (List<Object>) document.get("groups")) {
      Map<String, Object> byName = (Map<String, Object>) group;
      assertTrue(byName.get("name") instanceof String, "every group has a name");
      for (Map<String, Object> rule : (List<Map<String, Object>>) byName.get("rules")) {
        if (!rule.containsKey("alert")) {
          fail("a rule that is not an alert: " + rule);
        }
        rules.add(rule);
      }
    }
    assertTrue(rules.size() >= 13, "alerts: " + rules.size());
    return rules;
  }

  /** Every panel, those inside collapsed rows included. */
  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }

  /** The expression of every target and of every query variable, by where it is. */
  private static Map<String, String> dashboardExpressions(JsonNode dashboard) {
    Map<String, String> expressions = new LinkedHashMap<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        expressions.put(
            "panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
            target.path("expr").asText());
      }
    }
    Pattern labelValues = Pattern.compile("^label_values\\((.+),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)$");
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (!variable.path("type").asText().equals("query")) {
        continue;
      }
      JsonNode query = variable.path("query");
      String text = query.isObject() ? query.path("query").asText() : query.asText();
      Matcher matcher = labelValues.matcher(text.trim());
      if (!matcher.matches()) {
        throw new AssertionError("variable " + variable.path("name") + ": " + text);
      }
      // label_values(selector, label): the selector must carry the label.
      String selector = matcher.group(1).trim();
      String label = matcher.group(2);
      String withLabel =
          selector.contains("{")
              ? selector.replace("}", "," + label + "=~\".+\"}")
              : selector + "{" + label + "=~\".+\"}";
      expressions.put("variable " + variable.path("name").asText(), withLabel);
    }
    return expressions;
  }

  private static String datasourceUid(JsonNode node) {
    JsonNode datasource = node.path("datasource");
    return datasource.isObject() ? datasource.path("uid").asText() : datasource.asText();
  }

  /** The anchors GitHub gives the headings of a Markdown file. */
  static Set<String> headingAnchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    boolean fenced = false;
    for (String line : markdown.split("\n")) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      }
      if (!fenced && line.matches("^#{1,6} .*")) {
        String heading = line.replaceFirst("^#+ ", "").trim().toLowerCase(Locale.ROOT);
        anchors.add(heading.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }

  private static Path onPath(String command) {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(directory, command);
      if (!directory.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private double value(String series) {
    return exported
        .value(series)
        .orElseThrow(() -> new AssertionError("no series " + series + " in /metrics"));
  }

  private void assertAtLeast(double least, String series) {
    double actual = value(series);
    assertTrue(actual >= least, series + " = " + actual + ", expected at least " + least);
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
