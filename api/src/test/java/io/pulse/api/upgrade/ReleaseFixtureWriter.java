package io.pulse.api.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.api.TestServer;
import io.pulse.engine.TestClock;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.SchemaMigrations;
import io.pulse.persistence.testing.H2TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Writes the upgrade fixture of this release: runs {@link FixtureWorkload} against a node in this
 * JVM on a fresh embedded H2 database, records the read API's answers at the final clock instant,
 * stops the node and dumps every table. Not a test: run it by hand when a release is cut (the
 * command is in the fixture's README), and commit what it writes.
 *
 * <p>It fails, writing nothing, when the history lacks a kind of change it is meant to contain.
 */
public final class ReleaseFixtureWriter {

  static final String RELEASE = "0.1.0";

  /**
   * Settings of the generating node. Low snapshot intervals, so that users, campaigns and
   * subscriptions have snapshots; quicker read side, wake-ups and commits, so that it waits less.
   */
  static final Map<String, Object> SETTINGS =
      Map.of(
          "pulse.user.snapshot-every", 8,
          "pulse.promotions.snapshot-every", 4,
          "pulse.webhooks.snapshot-every", 3,
          "pulse.wake-ups.resolution", "200ms",
          "pulse.webhooks.commit-interval", "200ms",
          // The receiver the subscriptions point at listens on loopback, which webhooks may not
          // reach unless allowed.
          "pulse.webhooks.allowed-networks", "127.0.0.1/32",
          "jdbc-read-journal.refresh-interval", "50ms",
          "jdbc-read-journal.journal-sequence-retrieval.query-delay", "50ms");

  /**
   * Journal types this release writes (the stable names of {@code JournalSerializer}, {@code
   * PromotionJournalTypes} and {@code SubscriptionJournalSerializer}) and the records they hold;
   * the fixture must contain each.
   */
  static final Map<String, String> EVENT_TYPES =
      Map.ofEntries(
          Map.entry("event-recorded", "ScoredEvent (EngagementChange)"),
          Map.entry("segment-transition", "SegmentTransition (EngagementChange)"),
          Map.entry("wake-up-scheduled", "WakeUpScheduled (EngagementChange)"),
          Map.entry("model-rescored", "ModelRescored (EngagementChange)"),
          Map.entry("model-forgotten", "ModelForgotten (EngagementChange)"),
          Map.entry("model-stored", "ModelRegistry.ModelStored"),
          Map.entry("model-removed", "ModelRegistry.ModelRemoved"),
          Map.entry("rescoring-reported", "ModelRegistry.RescoringReported"),
          Map.entry("campaign-defined", "CampaignDefined (CampaignEvent)"),
          Map.entry("campaign-transition-considered", "TransitionConsidered (CampaignEvent)"),
          Map.entry("campaign-voucher-code-confirmed", "VoucherCodeConfirmed (CampaignEvent)"),
          Map.entry("campaign-voucher-redeemed", "VoucherRedeemed (CampaignEvent)"),
          Map.entry("campaign-conversion-recorded", "ConversionRecorded (CampaignEvent)"),
          Map.entry("voucher-code-claimed", "CodeClaimed (voucher code entity)"),
          Map.entry("campaign-listed", "CampaignListed (campaign directory)"),
          Map.entry("webhook-subscription-created", "SubscriptionChange.Created"),
          Map.entry("webhook-subscription-deleted", "SubscriptionChange.Deleted"),
          Map.entry("webhook-delivered-up-to", "SubscriptionChange.DeliveredUpTo"),
          Map.entry("webhook-dead-lettered", "SubscriptionChange.DeadLettered"),
          Map.entry("webhook-dead-letter-delivered", "SubscriptionChange.DeadLetterDelivered"),
          Map.entry("webhook-redelivery-requested", "SubscriptionChange.RedeliveryRequested"),
          Map.entry("webhook-replay-requested", "SubscriptionChange.ReplayRequested"),
          Map.entry("webhook-registered", "SubscriptionRegistry.Registered"),
          Map.entry("webhook-unregistered", "SubscriptionRegistry.Unregistered"));

  /** Snapshot types this release writes and the states they hold; the fixture must contain each. */
  static final Map<String, String> SNAPSHOT_TYPES =
      Map.of(
          "user-state", "UserEngagement",
          "model-registry-state", "ModelRegistry.State",
          "campaign-state", "CampaignState",
          "campaign-directory-state", "CampaignDirectoryState",
          "webhook-subscription-state", "SubscriptionState",
          "webhook-registry-state", "SubscriptionRegistry.State");

  /** Types this release can store but the fixture cannot contain, and why. */
  static final Map<String, String> ABSENT_TYPES =
      new TreeMap<>(
          Map.of(
              "campaign-voucher-code-replaced",
              "journaled only when a code drawn from SecureRandom is already claimed by another"
                  + " voucher; no request can make that happen",
              "voucher-code-state",
              "a snapshot type, but the voucher code entity has no snapshot policy in this release"));

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReleaseFixtureWriter() {}

  public static void main(String[] args) throws Exception {
    Path output =
        Path.of(args.length > 0 ? args[0] : "api/src/test/resources/fixtures/release-" + RELEASE);
    String commit = git("rev-parse", "HEAD").trim();
    boolean clean = cleanApartFrom(output);

    Map<String, JsonNode> answers;
    Map<String, Object> description = new LinkedHashMap<>();
    List<FixtureTables.Dumped> dumped = new ArrayList<>();
    Path staging = Files.createTempDirectory("pulse-fixture-");
    FixtureWorkload workload;
    String schemaVersion;
    try (H2TestDatabase database = H2TestDatabase.create();
        FixtureWebhookReceiver receiver = new FixtureWebhookReceiver();
        Connection connection = connect(database.settings())) {
      // Migrated as it was created: nothing is pending, and the answer names the version reached.
      schemaVersion = SchemaMigrations.migrate(database.settings()).version();
      TestClock clock = new TestClock(FixtureWorkload.START);
      TestServer server = new TestServer(database, clock, SETTINGS);
      try {
        workload = new FixtureWorkload(server, clock, receiver, connection);
        workload.run();
        answers = ApiAnswers.collect(server.http(), FixtureWorkload.USERS);
      } finally {
        server.stop();
      }
      Map<String, FixtureTables.Table> tables = FixtureTables.tables(connection);
      // The history is the database's record of its own migrations: a database the fixture is
      // loaded into gets its own, by migrating to the version recorded here.
      tables.remove(SchemaMigrations.HISTORY_TABLE);
      if (!tables.keySet().containsAll(FixtureTables.TABLES)) {
        throw new IllegalStateException(
            "the schema has tables "
                + tables.keySet()
                + ", without all of those of version 1: "
                + FixtureTables.TABLES);
      }
      for (String name : inLoadingOrder(tables.keySet())) {
        dumped.add(
            FixtureTables.dump(
                connection, tables.get(name), staging.resolve("tables/" + name + ".jsonl")));
      }
    }

    Coverage coverage = Coverage.of(staging, answers, workload);
    List<String> missing = coverage.missing();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("the fixture lacks " + missing);
    }

    List<Map<String, Object>> index = new ArrayList<>();
    for (Map.Entry<String, JsonNode> answer : answers.entrySet()) {
      String file = ApiAnswers.fileOf(answer.getKey());
      write(staging.resolve("expected").resolve(file), answer.getValue());
      index.add(Map.of("path", answer.getKey(), "file", file));
    }
    write(staging.resolve("expected/index.json"), JSON.valueToTree(index));

    long highest =
        FixtureTables.rows(staging.resolve("tables/event_journal.jsonl")).stream()
            .mapToLong(row -> row.get("ordering").asLong())
            .max()
            .orElse(0);
    description.put("release", RELEASE);
    description.put("commit", commit);
    description.put("workingTreeClean", clean);
    description.put("generator", ReleaseFixtureWriter.class.getName());
    description.put("database", "embedded H2, created by this commit's schema migrations");
    description.put("schemaVersion", schemaVersion);
    description.put("clock", FixtureWorkload.END.toString());
    description.put("clockStart", FixtureWorkload.START.toString());
    description.put("tenant", "default");
    description.put("settings", new TreeMap<>(SETTINGS));
    description.put("users", FixtureWorkload.USERS);
    description.put(
        "identity",
        List.of(Map.of("table", "event_journal", "column", "ordering", "highest", highest)));
    description.put("subscriptions", subscriptions(answers, workload));
    description.put("tables", dumped.stream().map(FixtureTables::describe).toList());
    write(staging.resolve("fixture.json"), JSON.valueToTree(description));
    Files.writeString(
        staging.resolve("README.md"),
        FixtureReadme.text(description, coverage, workload.timeline()),
        StandardCharsets.UTF_8);

    replace(output, staging);
    System.out.println("Wrote " + output.toAbsolutePath() + " from " + commit);
  }

  private static List<Map<String, Object>> subscriptions(
      Map<String, JsonNode> answers, FixtureWorkload workload) {
    long newest = answers.get("/v1/stats").get("readSide").get("transition").get("newest").asLong();
    List<Map<String, Object>> subscriptions = new ArrayList<>();
    for (JsonNode subscription : answers.get("/v1/subscriptions").get("subscriptions")) {
      String id = subscription.get("id").asText();
      String name =
          workload.subscriptions().entrySet().stream()
              .filter(entry -> entry.getValue().equals(id))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse("?");
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("name", name);
      described.put("id", id);
      described.put("url", subscription.get("url").asText());
      described.put("deliveredOffset", subscription.get("deliveredOffset").asLong());
      described.put("newestTransitionOffset", newest);
      subscriptions.add(described);
    }
    return subscriptions;
  }

  /**
   * Version 1's tables in their order (a journal row before its tags), then the tables later
   * versions added, by name.
   */
  private static List<String> inLoadingOrder(Set<String> tables) {
    List<String> ordered = new ArrayList<>(FixtureTables.TABLES);
    tables.stream().filter(name -> !ordered.contains(name)).sorted().forEach(ordered::add);
    return ordered;
  }

  private static Connection connect(DatabaseSettings settings) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("user", settings.user());
    if (!settings.password().isEmpty()) {
      properties.setProperty("password", settings.password());
    }
    return DriverManager.getConnection(settings.jdbcUrl(), properties);
  }

  private static void write(Path file, JsonNode json) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, JSON.writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
  }

  /** Swaps the new fixture in, so no file of an earlier run stays behind. */
  private static void replace(Path output, Path staging) throws IOException {
    if (Files.exists(output)) {
      try (Stream<Path> paths = Files.walk(output)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    Files.createDirectories(output);
    try (Stream<Path> paths = Files.walk(staging)) {
      for (Path path : paths.sorted().toList()) {
        Path target = output.resolve(staging.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
    try (Stream<Path> paths = Files.walk(staging)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static boolean cleanApartFrom(Path output) throws Exception {
    String relative = Path.of("").toAbsolutePath().relativize(output.toAbsolutePath()).toString();
    for (String line : git("status", "--porcelain").split("\n")) {
      if (!line.isBlank() && !line.substring(3).startsWith(relative)) {
        return false;
      }
    }
    return true;
  }

  private static String git(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("git " + String.join(" ", arguments) + " failed: " + out);
    }
    return out;
  }

  /** What the fixture contains, counted from its rows and its recorded answers. */
  record Coverage(
      Map<String, List<ObjectNode>> events,
      Map<String, List<ObjectNode>> snapshots,
      Map<String, Integer> transitionCauses,
      Map<String, Long> outcomes,
      Map<String, Integer> voucherStatuses,
      Set<String> eventTypes,
      Set<String> channels,
      int intoInactive,
      int outOfInactive) {

    static Coverage of(Path staging, Map<String, JsonNode> answers, FixtureWorkload workload) {
      Map<String, List<ObjectNode>> events = new TreeMap<>();
      for (ObjectNode row : FixtureTables.rows(staging.resolve("tables/event_journal.jsonl"))) {
        events
            .computeIfAbsent(row.get("event_ser_manifest").asText(), type -> new ArrayList<>())
            .add(row);
      }
      events
          .values()
          .forEach(rows -> rows.sort(Comparator.comparingLong(r -> r.get("ordering").asLong())));
      Map<String, List<ObjectNode>> snapshots = new TreeMap<>();
      for (ObjectNode row : FixtureTables.rows(staging.resolve("tables/snapshot.jsonl"))) {
        snapshots
            .computeIfAbsent(row.get("snapshot_ser_manifest").asText(), type -> new ArrayList<>())
            .add(row);
      }
      Map<String, Integer> causes = new TreeMap<>();
      int intoInactive = 0;
      int outOfInactive = 0;
      Map<String, Long> outcomes = new TreeMap<>();
      Map<String, Integer> statuses = new TreeMap<>();
      for (Map.Entry<String, JsonNode> answer : answers.entrySet()) {
        String path = answer.getKey();
        if (path.startsWith("/v1/transitions?")) {
          for (JsonNode transition : answer.getValue().get("transitions")) {
            causes.merge(transition.get("cause").asText(), 1, Integer::sum);
            if ("inactive".equals(transition.get("to").asText(null))) {
              intoInactive++;
            }
            if ("inactive".equals(transition.get("from").asText(null))) {
              outOfInactive++;
            }
          }
        } else if (path.startsWith("/v1/campaigns/") && path.endsWith("/stats")) {
          answer
              .getValue()
              .get("outcomes")
              .properties()
              .forEach(
                  entry -> outcomes.merge(entry.getKey(), entry.getValue().asLong(), Long::sum));
        } else if (path.endsWith("/vouchers")) {
          for (JsonNode voucher : answer.getValue().get("vouchers")) {
            statuses.merge(voucher.get("status").asText(), 1, Integer::sum);
          }
        }
      }
      return new Coverage(
          events,
          snapshots,
          causes,
          outcomes,
          statuses,
          workload.eventTypes(),
          workload.channels(),
          intoInactive,
          outOfInactive);
    }

    List<String> missing() {
      List<String> missing = new ArrayList<>();
      for (String type : new TreeSet<>(EVENT_TYPES.keySet())) {
        if (!events.containsKey(type)) {
          missing.add("journal type " + type);
        }
      }
      for (String type : new TreeSet<>(SNAPSHOT_TYPES.keySet())) {
        if (!snapshots.containsKey(type)) {
          missing.add("snapshot type " + type);
        }
      }
      for (String cause : List.of("event", "decay", "inactivity", "model-change")) {
        if (!transitionCauses.containsKey(cause)) {
          missing.add("transitions caused by " + cause);
        }
      }
      if (intoInactive == 0 || outOfInactive == 0) {
        missing.add("transitions into and out of inactive");
      }
      for (String outcome :
          List.of(
              "issued",
              "control",
              "inactive",
              "not-started",
              "ended",
              "user-limit",
              "no-offer",
              "budget-exhausted")) {
        if (outcomes.getOrDefault(outcome, 0L) == 0) {
          missing.add("campaign outcome " + outcome);
        }
      }
      for (String status : List.of("active", "redeemed", "expired")) {
        if (!voucherStatuses.containsKey(status)) {
          missing.add("a voucher " + status + " at the final instant");
        }
      }
      for (String type :
          List.of(
              "email_open",
              "email_click",
              "push_click",
              "page_view",
              "app_session",
              "purchase",
              "support_contact")) {
        if (!eventTypes.contains(type)) {
          missing.add("events of type " + type);
        }
      }
      for (String channel : List.of("email", "push", "sms", "web", "app", "in_app", "other")) {
        if (!channels.contains(channel)) {
          missing.add("events on channel " + channel);
        }
      }
      return missing;
    }
  }
}
