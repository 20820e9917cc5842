package io.pulse.persistence;

import io.pulse.persistence.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/** Reads the journal tables directly, to prove what the plugin really stored. */
final class JournalTables {

  private JournalTables() {}

  static Connection connect(TestDatabase database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", database.user());
    if (!database.password().isEmpty()) {
      properties.setProperty("password", database.password());
    }
    return DriverManager.getConnection(database.jdbcUrl(), properties);
  }

  /** The single number a query returns, e.g. a count. */
  static long number(TestDatabase database, String sql, Object... parameters) throws SQLException {
    try (Connection connection = connect(database);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        if (!result.next()) {
          throw new IllegalStateException("No row from " + sql);
        }
        return result.getLong(1);
      }
    }
  }
}
