package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pulse.persistence.testing.PostgresTestDatabase;
import io.pulse.persistence.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaMigrationsTest {

  private static final String COMMAND = "java -jar /opt/pulse/pulse.jar migrate";

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void anEmptyDatabaseIsMigratedToTheReleaseVersion(DatabaseKind kind) throws SQLException {
    try (TestDatabase database = TestDatabase.createEmpty(kind)) {
      SchemaMigrations.Outcome outcome = SchemaMigrations.onStart(database.settings(), COMMAND);

      assertEquals(
          new SchemaMigrations.Outcome(
              MigrationFiles.releaseVersion(kind), MigrationFiles.names(kind).size(), false),
          outcome);
      assertEquals(ExistingSchema.VERSION_ONE_TABLES, existing(database).presentTables());
      assertEquals(appliedVersionsOfTheFiles(kind), history(database));
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void migratingAMigratedDatabaseAppliesNothingAndKeepsItsRows(DatabaseKind kind)
      throws SQLException {
    try (TestDatabase database = TestDatabase.create(kind)) {
      insertJournalRow(database);

      SchemaMigrations.Outcome again = SchemaMigrations.migrate(database.settings());

      assertEquals(0, again.migrationsApplied());
      assertEquals(MigrationFiles.releaseVersion(kind), again.version());
      assertEquals(1, JournalTables.number(database, "SELECT count(*) FROM event_journal"));
      assertEquals(appliedVersionsOfTheFiles(kind), history(database));
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aDatabaseOfAReleaseBeforeMigrationsIsRecordedAsVersionOneAndKeepsItsData(DatabaseKind kind)
      throws SQLException {
    try (TestDatabase database = TestDatabase.createEmpty(kind)) {
      createAsAReleaseBeforeMigrations(database);
      insertJournalRow(database);
      execute(database, "INSERT INTO pulse_wake_up (entity_id, due_at) VALUES ('u-1', 42)");

      SchemaMigrations.Outcome outcome = SchemaMigrations.onStart(database.settings(), COMMAND);

      assertTrue(outcome.baselined(), outcome.toString());
      assertEquals(MigrationFiles.releaseVersion(kind), outcome.version());
      List<String> expected = new ArrayList<>(List.of("1 BASELINE"));
      appliedVersionsOfTheFiles(kind).stream().skip(1).forEach(expected::add);
      assertEquals(expected, history(database));
      assertEquals(1, JournalTables.number(database, "SELECT count(*) FROM event_journal"));
      assertEquals(
          42,
          JournalTables.number(
              database, "SELECT due_at FROM pulse_wake_up WHERE entity_id = ?", "u-1"));
      // Recorded, it validates like any migrated database.
      SchemaMigrations.onStart(withMode(database, "validate"), COMMAND);
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aDatabaseWithOnlySomeOfTheTablesIsRefusedAndLeftAlone(DatabaseKind kind)
      throws SQLException {
    try (TestDatabase database = TestDatabase.createEmpty(kind)) {
      createAsAReleaseBeforeMigrations(database);
      execute(database, "DROP TABLE pulse_stats_purchase_day");
      execute(database, "DROP TABLE pulse_wake_up");

      SchemaMigrationException refused =
          assertThrows(
              SchemaMigrationException.class,
              () -> SchemaMigrations.onStart(database.settings(), COMMAND));

      String message = refused.getMessage();
      assertTrue(message.contains("but not pulse_wake_up, pulse_stats_purchase_day"), message);
      assertTrue(message.contains("no schema history"), message);
      assertTrue(message.contains("PULSE_DB_URL"), message);
      ExistingSchema after = existing(database);
      assertFalse(after.hasHistory(), "no history was created");
      assertEquals(List.of("pulse_wake_up", "pulse_stats_purchase_day"), after.missingTables());
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void validateOnAnEmptyDatabaseStopsAtOnceNamingTheMigrateCommandAndChangesNothing(
      DatabaseKind kind) throws SQLException {
    assertStopsOnAnEmptyDatabase(kind, "validate");
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void offOnAnEmptyDatabaseStopsAtOnceNamingTheMigrateCommandAndChangesNothing(DatabaseKind kind)
      throws SQLException {
    assertStopsOnAnEmptyDatabase(kind, "off");
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void validateAndOffNameWhatTheyFoundInADatabaseOfAReleaseBeforeMigrations(DatabaseKind kind)
      throws SQLException {
    try (TestDatabase database = TestDatabase.createEmpty(kind)) {
      createAsAReleaseBeforeMigrations(database);

      for (String mode : List.of("validate", "off")) {
        SchemaMigrationException stopped =
            assertThrows(
                SchemaMigrationException.class,
                () -> SchemaMigrations.onStart(withMode(database, mode), COMMAND));
        String message = stopped.getMessage();
        assertTrue(message.contains("tables of a release before schema migrations"), message);
        assertTrue(message.contains(COMMAND), message);
      }
      assertFalse(existing(database).hasHistory());
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void validateAndOffPassOnAMigratedDatabaseAndChangeNothing(DatabaseKind kind)
      throws SQLException {
    try (TestDatabase database = TestDatabase.create(kind)) {
      List<String> before = history(database);

      for (String mode : List.of("validate", "off")) {
        SchemaMigrations.Outcome outcome =
            SchemaMigrations.onStart(withMode(database, mode), COMMAND);
        assertEquals(
            new SchemaMigrations.Outcome(MigrationFiles.releaseVersion(kind), 0, false), outcome);
      }
      assertEquals(before, history(database));
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void validateAndAutoRejectAnEditedMigrationWhileOffOnlyChecksTheVersion(DatabaseKind kind)
      throws SQLException {
    try (TestDatabase database = TestDatabase.create(kind)) {
      execute(
          database, "UPDATE pulse_schema_history SET checksum = checksum + 1 WHERE version = '1'");

      SchemaMigrationException rejected =
          assertThrows(
              SchemaMigrationException.class,
              () -> SchemaMigrations.onStart(withMode(database, "validate"), COMMAND));
      String message = rejected.getMessage();
      assertTrue(message.contains("does not match this release's migrations"), message);
      assertTrue(message.toLowerCase(Locale.ROOT).contains("checksum"), message);
      assertTrue(message.contains("must never be edited"), message);
      // Flyway validates before it migrates, so auto stops on it too.
      SchemaMigrationException notMigrated =
          assertThrows(
              SchemaMigrationException.class,
              () -> SchemaMigrations.onStart(withMode(database, "auto"), COMMAND));
      assertTrue(
          notMigrated.getMessage().toLowerCase(Locale.ROOT).contains("checksum"),
          notMigrated.getMessage());

      assertEquals(
          MigrationFiles.releaseVersion(kind),
          SchemaMigrations.onStart(withMode(database, "off"), COMMAND).version());
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void aSchemaAlreadyMigratedByALaterReleaseIsAcceptedInEveryMode(DatabaseKind kind)
      throws SQLException {
    try (TestDatabase database = TestDatabase.create(kind)) {
      execute(
          database,
          "INSERT INTO pulse_schema_history (installed_rank, version, description, type, script,"
              + " checksum, installed_by, execution_time, success) VALUES (100, '999', 'later"
              + " release', 'SQL', 'V999__later_release.sql', 7, 'pulse', 0, TRUE)");

      for (String mode : List.of("auto", "validate", "off")) {
        SchemaMigrations.Outcome outcome =
            SchemaMigrations.onStart(withMode(database, mode), COMMAND);
        assertEquals("999", outcome.version(), mode);
        assertEquals(0, outcome.migrationsApplied(), mode);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void fromVersionFourATagRowIsWrittenWithoutLookingUpItsEventAndStaysUniquePerEventAndTag(
      DatabaseKind kind) throws SQLException {
    try (TestDatabase database = TestDatabase.createEmpty(kind)) {
      SchemaMigrations.migrateTo(database.settings(), "3");
      insertJournalRow(database);
      execute(
          database,
          "INSERT INTO event_tag (event_id, tag) SELECT ordering, 'transition' FROM event_journal");
      SQLException withoutItsEvent =
          assertThrows(SQLException.class, () -> insertTag(database, 424242, "transition"));
      assertEquals(
          kind == DatabaseKind.H2 ? "23506" : "23503",
          withoutItsEvent.getSQLState(),
          "a foreign key violation");

      SchemaMigrations.Outcome outcome = SchemaMigrations.migrateTo(database.settings(), "4");

      assertEquals("4", outcome.version());
      insertTag(database, 424242, "transition");
      SQLException twice =
          assertThrows(SQLException.class, () -> insertTag(database, 424242, "transition"));
      assertEquals("23505", twice.getSQLState(), "a unique key violation");
      assertEquals(1, JournalTables.number(database, "SELECT count(*) FROM event_journal"));
      assertEquals(2, JournalTables.number(database, "SELECT count(*) FROM event_tag"));
    }
  }

  @Test
  void pendingVersionsAreAppliedTogetherAndVersionFourGivesUpBehindALongTransaction()
      throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.createEmpty()) {
      SchemaMigrations.migrateTo(database.settings(), "2");
      insertJournalRow(database);
      try (Connection report = JournalTables.connect(database)) {
        report.setAutoCommit(false);
        try (Statement read = report.createStatement()) {
          read.executeQuery("SELECT count(*) FROM event_journal").close();
        }

        long started = System.nanoTime();
        // Without the lock timeout the migration would wait as long as the transaction lasts.
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                assertThrows(
                    SchemaMigrationException.class,
                    () -> SchemaMigrations.migrateTo(database.settings(), "4")));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(waited.compareTo(Duration.ofSeconds(4)) > 0, "gave up after " + waited);
        assertTrue(waited.compareTo(Duration.ofSeconds(30)) < 0, "gave up after " + waited);
        // Version 3 was applied in the same transaction as version 4, and went with it.
        assertEquals(List.of("1 SQL", "2 SQL"), history(database));
        assertThrows(SQLException.class, () -> insertTag(database, 424242, "transition"));
        report.rollback();
      }

      assertEquals("4", SchemaMigrations.migrateTo(database.settings(), "4").version());
      assertEquals(List.of("1 SQL", "2 SQL", "3 SQL", "4 SQL"), history(database));
      insertTag(database, 424242, "transition");
    }
  }

  @Test
  void nodesMigratingAnEmptyPostgresDatabaseTogetherApplyEachMigrationOnce() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.createEmpty()) {
      List<SchemaMigrations.Outcome> outcomes = migrateTogether(database, 3);

      List<Integer> applied =
          outcomes.stream().map(SchemaMigrations.Outcome::migrationsApplied).sorted().toList();
      assertEquals(
          List.of(0, 0, MigrationFiles.names(DatabaseKind.POSTGRES).size()),
          applied,
          "one node applies every version: " + outcomes);
      for (SchemaMigrations.Outcome outcome : outcomes) {
        assertEquals(MigrationFiles.releaseVersion(DatabaseKind.POSTGRES), outcome.version());
      }
      assertEquals(appliedVersionsOfTheFiles(DatabaseKind.POSTGRES), history(database));
    }
  }

  @Test
  void nodesStartingTogetherOnAPostgresDatabaseOfAnEarlierReleaseRecordItOnce() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.createEmpty()) {
      createAsAReleaseBeforeMigrations(database);
      insertJournalRow(database);

      List<SchemaMigrations.Outcome> outcomes = migrateTogether(database, 3);

      assertEquals(3, outcomes.size());
      assertEquals("1 BASELINE", history(database).get(0));
      assertEquals(MigrationFiles.names(DatabaseKind.POSTGRES).size(), history(database).size());
      assertEquals(1, JournalTables.number(database, "SELECT count(*) FROM event_journal"));
    }
  }

  @Test
  void theEmbeddedDatabaseAndItsDirectoryAreCreatedOnFirstStart(@TempDir Path temp) {
    Path dataDir = temp.resolve("not/yet/there");
    DatabaseSettings settings =
        DatabaseSettings.from(
            ModuleConfig.reference(Map.of("PULSE_DATA_DIR", dataDir.toString()), ""));

    SchemaMigrations.onStart(settings, COMMAND);

    assertTrue(Files.isDirectory(dataDir));
    assertTrue(Files.exists(dataDir.resolve("pulse.mv.db")));
  }

  @Test
  void anUnreachableDatabaseIsReportedWithItsUrlAndTheSettingsToCheck() {
    DatabaseSettings settings =
        DatabaseSettings.from(
            ModuleConfig.reference(
                Map.of(
                    "PULSE_DB_URL", "jdbc:postgresql://127.0.0.1:1/pulse?password=hunter2",
                    "PULSE_DB_USER", "pulse"),
                ""));

    SchemaMigrationException failure =
        assertThrows(SchemaMigrationException.class, () -> SchemaMigrations.migrate(settings));

    String message = failure.getMessage();
    assertTrue(message.contains("127.0.0.1:1/pulse"), message);
    assertTrue(message.contains("user 'pulse'"), message);
    assertTrue(message.contains("PULSE_DB_URL"), message);
    assertFalse(message.contains("hunter2"), message);
  }

  private static void assertStopsOnAnEmptyDatabase(DatabaseKind kind, String mode)
      throws SQLException {
    try (TestDatabase database = TestDatabase.createEmpty(kind)) {
      long started = System.nanoTime();
      SchemaMigrationException stopped =
          assertThrows(
              SchemaMigrationException.class,
              () -> SchemaMigrations.onStart(withMode(database, mode), COMMAND));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      String message = stopped.getMessage();
      assertTrue(message.contains("has no Pulse schema"), message);
      assertTrue(
          message.contains("needs schema version " + MigrationFiles.releaseVersion(kind)), message);
      assertTrue(message.contains("PULSE_DB_MIGRATE) is " + mode), message);
      assertTrue(message.contains(": " + COMMAND + " "), message);
      assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
      ExistingSchema after = existing(database);
      assertFalse(after.hasHistory());
      assertTrue(after.hasNoPulseTables());
    }
  }

  private static List<SchemaMigrations.Outcome> migrateTogether(TestDatabase database, int nodes)
      throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(nodes);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<SchemaMigrations.Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        // Each node reads its own settings and builds its own Flyway, as separate JVMs would.
        futures.add(
            executor.submit(
                () -> {
                  DatabaseSettings settings = database.settings();
                  start.await();
                  return SchemaMigrations.onStart(settings, COMMAND);
                }));
      }
      start.countDown();
      List<SchemaMigrations.Outcome> outcomes = new ArrayList<>();
      for (Future<SchemaMigrations.Outcome> future : futures) {
        outcomes.add(future.get(120, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      executor.shutdownNow();
    }
  }

  private static DatabaseSettings withMode(TestDatabase database, String mode) {
    return DatabaseSettings.from(
        ConfigFactory.load(
            ConfigFactory.parseMap(Map.of("pulse.db.migrate", mode))
                .withFallback(database.pulseSettings())));
  }

  /** What the history holds after this release's migrations ran on an empty database. */
  private static List<String> appliedVersionsOfTheFiles(DatabaseKind kind) {
    return MigrationFiles.versions(kind).stream().map(version -> version + " SQL").toList();
  }

  /**
   * Each versioned row of the schema history as "version type", in the order applied (Flyway's H2
   * history also has an unversioned row marking its own creation).
   */
  private static List<String> history(TestDatabase database) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = JournalTables.connect(database);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT version, type, success FROM pulse_schema_history WHERE version IS NOT NULL"
                    + " ORDER BY installed_rank");
        ResultSet result = query.executeQuery()) {
      while (result.next()) {
        assertTrue(result.getBoolean("success"), "failed migration " + result.getString(1));
        rows.add(result.getString("version") + " " + result.getString("type"));
      }
    }
    return rows;
  }

  private static ExistingSchema existing(TestDatabase database) throws SQLException {
    try (Connection connection = JournalTables.connect(database)) {
      return ExistingSchema.inspect(connection, SchemaMigrations.HISTORY_TABLE);
    }
  }

  private static void createAsAReleaseBeforeMigrations(TestDatabase database) throws SQLException {
    execute(database, MigrationFiles.beforeMigrationsSchema(database.kind()));
  }

  private static void insertJournalRow(TestDatabase database) throws SQLException {
    try (Connection connection = JournalTables.connect(database);
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO event_journal (persistence_id, sequence_number, deleted, writer,"
                    + " write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest,"
                    + " event_payload) VALUES ('Tally|kept', 1, FALSE, 'test', 0, '', 1, '', ?)")) {
      insert.setBytes(1, new byte[] {1});
      insert.executeUpdate();
    }
  }

  private static void insertTag(TestDatabase database, long eventId, String tag)
      throws SQLException {
    try (Connection connection = JournalTables.connect(database);
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO event_tag (event_id, tag) VALUES (?, ?)")) {
      insert.setLong(1, eventId);
      insert.setString(2, tag);
      insert.executeUpdate();
    }
  }

  private static void execute(TestDatabase database, String sql) throws SQLException {
    try (Connection connection = JournalTables.connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
