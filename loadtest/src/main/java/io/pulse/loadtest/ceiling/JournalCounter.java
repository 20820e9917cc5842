package io.pulse.loadtest.ceiling;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** Counts journal rows, to compare what the journal holds with what Pulse acknowledged. */
public final class JournalCounter {
  /** Counts every row instead of one manifest. */
  public static final String ALL_MANIFESTS = "all";

  private static final Pattern TABLE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  private JournalCounter() {}

  /** Rows of {@code table} whose {@code event_ser_manifest} is {@code manifest}, or all rows. */
  public static long count(Jdbc jdbc, String table, String manifest) throws SQLException {
    if (!TABLE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("not a plain table name: " + table);
    }
    boolean all = ALL_MANIFESTS.equalsIgnoreCase(manifest);
    String sql =
        all
            ? "SELECT count(*) FROM " + table
            : "SELECT count(*) FROM " + table + " WHERE event_ser_manifest = ?";
    try (Connection connection = jdbc.connect();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      if (!all) {
        statement.setString(1, manifest);
      }
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    }
  }
}
