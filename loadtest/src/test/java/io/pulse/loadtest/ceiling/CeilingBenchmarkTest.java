package io.pulse.loadtest.ceiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pulse.loadtest.ceiling.CeilingSettings.Method;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs against the PostgreSQL at 127.0.0.1:5432 ({@code PULSE_TEST_PG_URL} overrides) in a scratch
 * database created and dropped here. Skipped when PostgreSQL is unreachable, unless the system
 * property {@code pulse.pg.required=true} makes that a failure.
 */
class CeilingBenchmarkTest {
  private static Jdbc admin;
  private static Jdbc scratch;
  private static String database;
  private static String unreachable;

  @BeforeAll
  static void createScratchDatabase() {
    String url = env("PULSE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    admin = new Jdbc(url, env("PULSE_TEST_PG_USER", "postgres"), env("PULSE_TEST_PG_PASSWORD", ""));
    Properties quick = new Properties();
    quick.setProperty("connectTimeout", "5");
    String name =
        "pulse_loadtest_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
    try (Connection connection = admin.connect(quick);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
      database = name;
      scratch = admin.withDatabase(name);
    } catch (SQLException e) {
      unreachable = "PostgreSQL unreachable at " + url + ": " + e.getMessage();
    }
  }

  /** Per test, so that each one is reported as skipped rather than silently not run. */
  @BeforeEach
  void requirePostgres() {
    if (unreachable != null && Boolean.getBoolean("pulse.pg.required")) {
      fail("PostgreSQL is required (pulse.pg.required=true). " + unreachable);
    }
    assumeTrue(unreachable == null, unreachable);
  }

  @AfterAll
  static void dropScratchDatabase() throws SQLException {
    if (database == null) {
      return;
    }
    try (Connection connection = admin.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
  }

  @Test
  void bothMethodsWriteEveryRowAndDropTheirTables() throws SQLException {
    CeilingSettings settings =
        new CeilingSettings(scratch, 20_000, 2_000, 500, 2, 2, EnumSet.allOf(Method.class));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    CeilingResult result = new CeilingBenchmark(settings, new PrintStream(log, true)).measure();

    assertNotNull(result.copy());
    assertNotNull(result.insert());
    for (CeilingResult.MethodResult method :
        new CeilingResult.MethodResult[] {result.copy(), result.insert()}) {
      assertEquals(20_000, method.rows());
      assertEquals(20_000, method.verifiedRows());
      assertEquals(2, method.connections());
      assertTrue(method.rowsPerSecond() > 0 && method.seconds() > 0, method.toString());
    }
    assertEquals("copy-binary", result.copy().method());
    assertEquals(500, result.insert().batchSize());
    assertTrue(result.serverVersion().startsWith("PostgreSQL"), result.serverVersion());
    assertTrue(result.serverSettings().containsKey("synchronous_commit"));
    assertTrue(
        result.payloadBytesAverage() >= 130 && result.payloadBytesAverage() <= 180,
        "payload like a CBOR event: " + result.payloadBytesAverage());
    assertEquals(0, scratchTables(), "scratch tables are dropped");
  }

  @Test
  void copyRowsHaveTheJournalShape() throws SQLException {
    JournalRows rows = new JournalRows(3);
    assertEquals("user|default|u-1", rows.persistenceId(4));
    assertEquals(2, rows.sequenceNumber(4));
    CeilingSettings onlyCopy =
        new CeilingSettings(scratch, 10, 3, 10, 1, 1, EnumSet.of(Method.COPY));
    CeilingResult result =
        new CeilingBenchmark(onlyCopy, new PrintStream(new ByteArrayOutputStream())).measure();
    assertEquals(10, result.copy().verifiedRows());
    assertEquals(null, result.insert());
  }

  @Test
  void countsJournalRowsByManifest() throws SQLException {
    try (Connection connection = scratch.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE event_journal (ordering BIGSERIAL, persistence_id VARCHAR(255) NOT NULL,"
              + " sequence_number BIGINT NOT NULL, deleted BOOLEAN DEFAULT FALSE NOT NULL,"
              + " writer VARCHAR(255) NOT NULL, write_timestamp BIGINT,"
              + " adapter_manifest VARCHAR(255), event_ser_id INTEGER NOT NULL,"
              + " event_ser_manifest VARCHAR(255) NOT NULL, event_payload BYTEA NOT NULL,"
              + " meta_ser_id INTEGER, meta_ser_manifest VARCHAR(255), meta_payload BYTEA,"
              + " PRIMARY KEY(persistence_id, sequence_number))");
      statement.execute(
          "INSERT INTO event_journal (persistence_id, sequence_number, writer, event_ser_id,"
              + " event_ser_manifest, event_payload) SELECT 'user|default|u-1', n, 'w', 33,"
              + " CASE WHEN n <= 3 THEN 'event-recorded' ELSE 'wake-up-scheduled' END, '\\x00'"
              + " FROM generate_series(1, 5) AS n");
    }
    assertEquals(3, JournalCounter.count(scratch, "event_journal", "event-recorded"));
    assertEquals(5, JournalCounter.count(scratch, "event_journal", JournalCounter.ALL_MANIFESTS));
    assertEquals(0, JournalCounter.count(scratch, "public.event_journal", "nothing-like-this"));
  }

  private static long scratchTables() throws SQLException {
    try (Connection connection = scratch.connect();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*) FROM information_schema.tables"
                    + " WHERE table_name LIKE 'pulse_ceiling_journal_%'")) {
      result.next();
      return result.getLong(1);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
