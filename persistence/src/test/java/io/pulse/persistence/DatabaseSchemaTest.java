package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.persistence.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatabaseSchemaTest {

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void everyStatementOfTheShippedDdlIsGuardedSoReapplyingIsSafe(DatabaseKind kind) {
    List<String> statements =
        DatabaseSchema.statements(DatabaseSchema.script(kind.schemaResource()));

    for (String table :
        List.of(
            "event_journal",
            "event_tag",
            "snapshot",
            "pulse_wake_up",
            "pulse_read_offset",
            "pulse_stats_total",
            "pulse_stats_segment",
            "pulse_stats_transition_hour",
            "pulse_stats_purchase_day")) {
      assertTrue(
          statements.stream().anyMatch(s -> s.contains("CREATE TABLE") && s.contains(table)),
          table);
    }
    for (String statement : statements) {
      assertTrue(statement.contains("IF NOT EXISTS"), statement);
    }
  }

  @ParameterizedTest
  @EnumSource(DatabaseKind.class)
  void applyingTheSchemaAgainKeepsTablesAndRows(DatabaseKind kind) throws Exception {
    try (TestDatabase database = TestDatabase.create(kind)) {
      insertJournalRow(database);

      DatabaseSchema.create(database.settings());
      DatabaseSchema.create(database.settings());

      assertEquals(1, JournalTables.number(database, "SELECT count(*) FROM event_journal"));
      assertEquals(0, JournalTables.number(database, "SELECT count(*) FROM event_tag"));
      assertEquals(0, JournalTables.number(database, "SELECT count(*) FROM snapshot"));
    }
  }

  @Test
  void createIfEnabledMakesTheDataDirectoryAndTheEmbeddedDatabase(@TempDir Path temp) {
    Path dataDir = temp.resolve("not/yet/there");
    DatabaseSettings settings =
        DatabaseSettings.from(
            ModuleConfig.reference(Map.of("PULSE_DATA_DIR", dataDir.toString()), ""));

    assertTrue(DatabaseSchema.createIfEnabled(settings));

    assertTrue(Files.isDirectory(dataDir));
    assertTrue(Files.exists(dataDir.resolve("pulse.mv.db")));
  }

  @Test
  void createIfEnabledLeavesTheDatabaseAloneWhenSchemaCreationIsOff(@TempDir Path temp) {
    DatabaseSettings settings =
        DatabaseSettings.from(
            ModuleConfig.reference(
                Map.of("PULSE_DATA_DIR", temp.toString(), "PULSE_DB_CREATE_SCHEMA", "off"), ""));

    assertFalse(DatabaseSchema.createIfEnabled(settings));

    assertFalse(Files.exists(temp.resolve("pulse.mv.db")));
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

    IllegalStateException failure =
        assertThrows(IllegalStateException.class, () -> DatabaseSchema.create(settings));

    String message = failure.getMessage();
    assertTrue(message.contains("127.0.0.1:1/pulse"), message);
    assertTrue(message.contains("user 'pulse'"), message);
    assertTrue(message.contains("PULSE_DB_URL"), message);
    assertFalse(message.contains("hunter2"), message);
  }

  @Test
  void statementsSplitOnSemicolonsOutsideQuotesAndComments() {
    String script =
        """
        -- a comment; not a statement
        CREATE TABLE "odd;name" (x VARCHAR DEFAULT 'a;b', y VARCHAR DEFAULT 'it''s;');
        /* block; comment */
        SELECT $$dollar; quoted$$, $fn$ also; quoted $fn$ ;
        SELECT 3
        """;

    assertEquals(
        List.of(
            "CREATE TABLE \"odd;name\" (x VARCHAR DEFAULT 'a;b', y VARCHAR DEFAULT 'it''s;')",
            "SELECT $$dollar; quoted$$, $fn$ also; quoted $fn$",
            "SELECT 3"),
        DatabaseSchema.statements(script));
  }

  @Test
  void anUnterminatedQuoteIsAnErrorRatherThanAMangledStatement() {
    assertThrows(
        IllegalArgumentException.class, () -> DatabaseSchema.statements("SELECT 'open; SELECT 2"));
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
}
