package io.pulse.persistence.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PostgresTestDatabaseTest {

  @Test
  void theDatabaseNameReplacesTheServerUrlsDatabaseAndKeepsItsParameters() {
    assertEquals(
        "jdbc:postgresql://127.0.0.1:5432/pulse_test_x",
        PostgresTestDatabase.databaseUrl(
            "jdbc:postgresql://127.0.0.1:5432/postgres", "pulse_test_x"));
    assertEquals(
        "jdbc:postgresql://h1:5432,h2:5433/pulse_test_x?ssl=true",
        PostgresTestDatabase.databaseUrl(
            "jdbc:postgresql://h1:5432,h2:5433/test?ssl=true", "pulse_test_x"));
    assertEquals(
        "jdbc:postgresql://h/pulse_test_x",
        PostgresTestDatabase.databaseUrl("jdbc:postgresql://h", "pulse_test_x"));
    assertEquals(
        "jdbc:postgresql:pulse_test_x",
        PostgresTestDatabase.databaseUrl("jdbc:postgresql:postgres", "pulse_test_x"));
  }

  @Test
  void anUnreachableServerSkipsTheTestUnlessPostgresIsRequired() {
    Throwable outcome =
        assertThrows(
            Throwable.class,
            () ->
                PostgresTestDatabase.create(
                    "jdbc:postgresql://127.0.0.1:1/postgres", List.of("postgres"), ""));

    if (Boolean.getBoolean(PostgresTestDatabase.REQUIRED_PROPERTY)) {
      assertInstanceOf(AssertionFailedError.class, outcome);
    } else {
      assertInstanceOf(TestAbortedException.class, outcome);
    }
    assertTrue(outcome.getMessage().contains("127.0.0.1:1"), outcome.getMessage());
    assertTrue(outcome.getMessage().contains("PULSE_TEST_PG_URL"), outcome.getMessage());
  }

  @Test
  void eachDatabaseIsNewWithTheSchemaAndIsGoneAfterClose() throws SQLException {
    PostgresTestDatabase first = PostgresTestDatabase.create();
    String name = first.databaseName();
    try (PostgresTestDatabase second = PostgresTestDatabase.create()) {
      assertTrue(name.matches("pulse_test_[0-9a-f]{8}"), name);
      assertNotEquals(name, second.databaseName());
      assertTrue(databaseExists(first, name));
      assertEquals(0, countJournalRows(first));
    } finally {
      first.close();
    }

    try (PostgresTestDatabase observer = PostgresTestDatabase.create()) {
      assertFalse(databaseExists(observer, name), name + " was dropped");
    }
    first.close(); // dropping twice is harmless
  }

  private static boolean databaseExists(PostgresTestDatabase database, String name)
      throws SQLException {
    try (Connection connection = connect(database);
        PreparedStatement query =
            connection.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
      query.setString(1, name);
      try (ResultSet result = query.executeQuery()) {
        result.next();
        return result.getLong(1) == 1;
      }
    }
  }

  private static long countJournalRows(PostgresTestDatabase database) throws SQLException {
    try (Connection connection = connect(database);
        PreparedStatement query =
            connection.prepareStatement("SELECT count(*) FROM event_journal");
        ResultSet result = query.executeQuery()) {
      result.next();
      return result.getLong(1);
    }
  }

  private static Connection connect(PostgresTestDatabase database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", database.user());
    return DriverManager.getConnection(database.jdbcUrl(), properties);
  }
}
