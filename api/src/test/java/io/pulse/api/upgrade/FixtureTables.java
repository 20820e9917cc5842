package io.pulse.api.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of database tables as JSON Lines: one file per table, one object per row with every
 * column under its lower-case name, binary columns in base64, in primary-key order. Written from
 * one database and read into another, H2 or PostgreSQL, whatever created its schema: tables and
 * columns are looked up by name in the target's own metadata.
 */
final class FixtureTables {

  /**
   * Every table of this release's schema ({@code db/h2/schema.sql}, {@code
   * db/postgres/schema.sql}), in an order in which they can be loaded: the tag table refers to the
   * journal.
   */
  static final List<String> TABLES =
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

  /** A column as the database describes it. */
  record Column(String name, int sqlType, String typeName) {

    String key() {
      return name.toLowerCase(Locale.ROOT);
    }
  }

  /** A table as the database describes it: its real (case-sensitive) name and columns. */
  record Table(String name, List<Column> columns, List<String> primaryKey) {

    Column column(String key) {
      for (Column column : columns) {
        if (column.key().equals(key)) {
          return column;
        }
      }
      return null;
    }
  }

  /** What a dump of one table wrote. */
  record Dumped(String table, List<Column> columns, List<String> primaryKey, int rows) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FixtureTables() {}

  /** The tables of the connection's current schema, by lower-case name. */
  static Map<String, Table> tables(Connection connection) throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    Map<String, Table> tables = new TreeMap<>();
    List<String> names = new ArrayList<>();
    try (ResultSet result =
        meta.getTables(connection.getCatalog(), connection.getSchema(), "%", null)) {
      while (result.next()) {
        String type = result.getString("TABLE_TYPE").toUpperCase(Locale.ROOT);
        if (type.equals("TABLE") || type.equals("BASE TABLE")) {
          names.add(result.getString("TABLE_NAME"));
        }
      }
    }
    for (String name : names) {
      List<Column> columns = new ArrayList<>();
      try (ResultSet result =
          meta.getColumns(connection.getCatalog(), connection.getSchema(), name, "%")) {
        Map<Integer, Column> byPosition = new TreeMap<>();
        while (result.next()) {
          byPosition.put(
              result.getInt("ORDINAL_POSITION"),
              new Column(
                  result.getString("COLUMN_NAME"),
                  result.getInt("DATA_TYPE"),
                  result.getString("TYPE_NAME")));
        }
        columns.addAll(byPosition.values());
      }
      Map<Integer, String> keyParts = new TreeMap<>();
      try (ResultSet result =
          meta.getPrimaryKeys(connection.getCatalog(), connection.getSchema(), name)) {
        while (result.next()) {
          keyParts.put(result.getInt("KEY_SEQ"), result.getString("COLUMN_NAME"));
        }
      }
      tables.put(
          name.toLowerCase(Locale.ROOT),
          new Table(name, List.copyOf(columns), List.copyOf(keyParts.values())));
    }
    return tables;
  }

  /** Writes every row of {@code table} to {@code file}, in primary-key order. */
  static Dumped dump(Connection connection, Table table, Path file)
      throws SQLException, IOException {
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < table.columns().size(); i++) {
      select.append(i == 0 ? "" : ", ").append(quoted(table.columns().get(i).name()));
    }
    select.append(" FROM ").append(quoted(table.name()));
    if (!table.primaryKey().isEmpty()) {
      select.append(" ORDER BY ");
      for (int i = 0; i < table.primaryKey().size(); i++) {
        select.append(i == 0 ? "" : ", ").append(quoted(table.primaryKey().get(i)));
      }
    }
    int rows = 0;
    Files.createDirectories(file.getParent());
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(select.toString());
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      while (result.next()) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < table.columns().size(); i++) {
          Column column = table.columns().get(i);
          row.set(column.key(), read(result, i + 1, column));
        }
        out.write(MAPPER.writeValueAsString(row));
        out.write('\n');
        rows++;
      }
    }
    return new Dumped(
        table.name().toLowerCase(Locale.ROOT),
        table.columns(),
        table.primaryKey().stream().map(key -> key.toLowerCase(Locale.ROOT)).toList(),
        rows);
  }

  /** The rows of a table file, in file order. */
  static List<ObjectNode> rows(Path file) {
    List<ObjectNode> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          rows.add((ObjectNode) MAPPER.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return rows;
  }

  /**
   * Inserts {@code rows} into {@code table} exactly as they are, explicit identity values included.
   * A column of the rows that the table lacks is an error: a later schema that drops or renames one
   * must say how its data moves.
   */
  static void insert(Connection connection, Table table, List<ObjectNode> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    List<Column> targets = new ArrayList<>();
    for (Iterator<String> names = rows.get(0).fieldNames(); names.hasNext(); ) {
      String key = names.next();
      Column column = table.column(key);
      if (column == null) {
        throw new IllegalStateException(
            "table " + table.name() + " has no column '" + key + "' for the fixture's rows");
      }
      targets.add(column);
    }
    StringBuilder insert =
        new StringBuilder("INSERT INTO ").append(quoted(table.name())).append(" (");
    for (int i = 0; i < targets.size(); i++) {
      insert.append(i == 0 ? "" : ", ").append(quoted(targets.get(i).name()));
    }
    insert.append(") VALUES (").append("?, ".repeat(targets.size() - 1)).append("?)");
    try (PreparedStatement statement = connection.prepareStatement(insert.toString())) {
      int batched = 0;
      for (ObjectNode row : rows) {
        for (int i = 0; i < targets.size(); i++) {
          Column column = targets.get(i);
          bind(statement, i + 1, column, row.get(column.key()));
        }
        statement.addBatch();
        if (++batched % 200 == 0) {
          statement.executeBatch();
        }
      }
      statement.executeBatch();
    }
  }

  /** Moves an identity column's sequence past {@code highest}, so new rows continue after it. */
  static void continueIdentityAfter(Connection connection, Table table, String key, long highest)
      throws SQLException {
    Column column = table.column(key);
    if (column == null) {
      throw new IllegalStateException("table " + table.name() + " has no column '" + key + "'");
    }
    String product = connection.getMetaData().getDatabaseProductName();
    if (product.equalsIgnoreCase("H2")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "ALTER TABLE "
                + quoted(table.name())
                + " ALTER COLUMN "
                + quoted(column.name())
                + " RESTART WITH "
                + (highest + 1));
      }
    } else if (product.equalsIgnoreCase("PostgreSQL")) {
      try (PreparedStatement statement =
          connection.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), ?)")) {
        statement.setString(1, quoted(table.name()));
        statement.setString(2, column.name());
        statement.setLong(3, highest);
        statement.execute();
      }
    } else {
      throw new IllegalStateException("no way to move an identity on " + product);
    }
  }

  private static JsonNode read(ResultSet result, int index, Column column) throws SQLException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (column.sqlType()) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> {
        long value = result.getLong(index);
        return result.wasNull() ? nodes.nullNode() : nodes.numberNode(value);
      }
      case Types.BOOLEAN, Types.BIT -> {
        boolean value = result.getBoolean(index);
        return result.wasNull() ? nodes.nullNode() : nodes.booleanNode(value);
      }
      case Types.DOUBLE, Types.FLOAT, Types.REAL -> {
        double value = result.getDouble(index);
        return result.wasNull() ? nodes.nullNode() : nodes.numberNode(value);
      }
      case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> {
        byte[] value = result.getBytes(index);
        return value == null
            ? nodes.nullNode()
            : nodes.textNode(Base64.getEncoder().encodeToString(value));
      }
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB, Types.NVARCHAR -> {
        String value = result.getString(index);
        return value == null ? nodes.nullNode() : nodes.textNode(value);
      }
      default ->
          throw new IllegalStateException(
              "column " + column.name() + " has a type the fixture cannot hold: " + column);
    }
  }

  private static void bind(PreparedStatement statement, int index, Column column, JsonNode value)
      throws SQLException {
    if (value == null || value.isNull()) {
      statement.setNull(index, column.sqlType());
      return;
    }
    switch (column.sqlType()) {
      case Types.BIGINT -> statement.setLong(index, value.longValue());
      case Types.INTEGER, Types.SMALLINT, Types.TINYINT ->
          statement.setInt(index, value.intValue());
      case Types.BOOLEAN, Types.BIT -> statement.setBoolean(index, value.booleanValue());
      case Types.DOUBLE, Types.FLOAT, Types.REAL -> statement.setDouble(index, value.doubleValue());
      case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY ->
          statement.setBytes(index, Base64.getDecoder().decode(value.textValue()));
      default -> statement.setString(index, value.asText());
    }
  }

  /** A table or column name exactly as the database spells it. */
  static String quoted(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** The dumped tables' column descriptions, as {@code fixture.json} records them. */
  static Map<String, Object> describe(Dumped dumped) {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("name", dumped.table());
    description.put("file", "tables/" + dumped.table() + ".jsonl");
    description.put("rows", dumped.rows());
    description.put("primaryKey", dumped.primaryKey());
    List<Map<String, Object>> columns = new ArrayList<>();
    for (Column column : dumped.columns()) {
      Map<String, Object> described = new LinkedHashMap<>();
      described.put("name", column.key());
      described.put("type", column.typeName());
      columns.add(described);
    }
    description.put("columns", columns);
    return description;
  }
}
