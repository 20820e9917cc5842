package io.pulse.persistence;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a database holds before Flyway looks at it: its schema history, and which tables of version
 * 1 it has. A database without history but with every table of version 1 was created by a release
 * before migrations, and is recorded as version 1 rather than migrated over.
 */
record ExistingSchema(boolean hasHistory, List<String> presentTables, List<String> missingTables) {

  /** The tables that version 1 creates on both kinds, and that releases before it created. */
  static final List<String> VERSION_ONE_TABLES =
      List.of(
          "event_journal",
          "event_tag",
          "snapshot",
          "pulse_wake_up",
          "pulse_read_offset",
          "pekko_projection_offset_store",
          "pekko_projection_management",
          "pulse_stats_total",
          "pulse_stats_segment",
          "pulse_stats_transition_hour",
          "pulse_stats_purchase_day");

  /** Reads the tables of the connection's current schema, where Flyway keeps its history too. */
  static ExistingSchema inspect(Connection connection, String historyTable) throws SQLException {
    Set<String> tables = new HashSet<>();
    DatabaseMetaData metaData = connection.getMetaData();
    String schema = connection.getSchema();
    try (ResultSet rows = metaData.getTables(connection.getCatalog(), schema, "%", null)) {
      while (rows.next()) {
        String type = String.valueOf(rows.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT);
        // The schema name is a LIKE pattern to the driver: compare it exactly here. Without a
        // current schema nothing matches, and Flyway reports that it has nowhere to go.
        if (type.contains("TABLE") && Objects.equals(schema, rows.getString("TABLE_SCHEM"))) {
          tables.add(rows.getString("TABLE_NAME"));
        }
      }
    }
    return new ExistingSchema(
        tables.contains(historyTable),
        VERSION_ONE_TABLES.stream().filter(tables::contains).toList(),
        VERSION_ONE_TABLES.stream().filter(table -> !tables.contains(table)).toList());
  }

  boolean hasNoPulseTables() {
    return presentTables.isEmpty();
  }

  /** Every table of version 1 and no history: a database of a release before migrations. */
  boolean isFromBeforeMigrations() {
    return !hasHistory && missingTables.isEmpty();
  }

  /** Some tables of version 1 but not all, and no history: nothing Pulse created. */
  boolean isPartial() {
    return !hasHistory && !presentTables.isEmpty() && !missingTables.isEmpty();
  }
}
