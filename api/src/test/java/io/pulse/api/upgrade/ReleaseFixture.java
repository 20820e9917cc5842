package io.pulse.api.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.persistence.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A database written by an earlier release, kept under {@code fixtures/<name>/} in the test
 * resources ({@code fixture.json}, {@code tables/*.jsonl}, {@code expected/*.json}; see its
 * README), and the answers that release gave about it at the fixture's clock instant.
 *
 * <p>It loads the rows into a database whose schema already exists, however that schema was made
 * (this release's DDL, or later a migration tool), so a later release proves that it reads what
 * this one wrote.
 */
public final class ReleaseFixture {

  /** The fixture written by release 0.1.0. */
  public static final String RELEASE_0_1_0 = "release-0.1.0";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path directory;
  private final JsonNode description;

  private ReleaseFixture(Path directory, JsonNode description) {
    this.directory = directory;
    this.description = description;
  }

  /** The fixture {@code fixtures/<name>} on the test class path. */
  public static ReleaseFixture named(String name) {
    URL found = ReleaseFixture.class.getResource("/fixtures/" + name + "/fixture.json");
    if (found == null) {
      throw new IllegalArgumentException("no fixture '" + name + "' on the class path");
    }
    try {
      return at(Path.of(found.toURI()).getParent());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fixture in {@code directory}. */
  public static ReleaseFixture at(Path directory) {
    return new ReleaseFixture(directory, read(directory.resolve("fixture.json")));
  }

  /** The instant of the server's clock at which the expected answers were recorded. */
  public Instant clock() {
    return Instant.parse(description.get("clock").asText());
  }

  /**
   * The schema version the release wrote with: its tables are created at that version before its
   * rows are loaded. A release from before schema migrations had version 1's tables.
   */
  public String schemaVersion() {
    return description.path("schemaVersion").asText("1");
  }

  /** The users the expected answers describe. */
  public List<String> users() {
    List<String> users = new ArrayList<>();
    description.get("users").forEach(user -> users.add(user.asText()));
    return users;
  }

  /** The highest journal {@code ordering} in the fixture: every new write comes after it. */
  public long highestOrdering() {
    return description.get("identity").get(0).get("highest").asLong();
  }

  /** Every recorded answer, by request path, in the order they were recorded. */
  public Map<String, JsonNode> expectedAnswers() {
    Map<String, JsonNode> answers = new LinkedHashMap<>();
    for (JsonNode entry : read(directory.resolve("expected/index.json"))) {
      answers.put(
          entry.get("path").asText(),
          read(directory.resolve("expected").resolve(entry.get("file").asText())));
    }
    return answers;
  }

  /** The recorded answer to {@code path}. */
  public JsonNode expected(String path) {
    JsonNode answer = expectedAnswers().get(path);
    if (answer == null) {
      throw new IllegalArgumentException("the fixture recorded no answer to " + path);
    }
    return answer;
  }

  /** Loads every row into the database of {@code settings}, over a connection of its own. */
  public void loadInto(DatabaseSettings settings) {
    Properties properties = new Properties();
    properties.setProperty("user", settings.user());
    if (!settings.password().isEmpty()) {
      properties.setProperty("password", settings.password());
    }
    try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties)) {
      loadInto(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot load the fixture: " + e.getMessage(), e);
    }
  }

  /**
   * Loads every row, in one transaction, into the tables of the connection's current schema, which
   * must exist and be empty; then moves each identity column past its highest value.
   */
  public void loadInto(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      Map<String, FixtureTables.Table> tables = FixtureTables.tables(connection);
      for (JsonNode described : description.get("tables")) {
        String name = described.get("name").asText();
        FixtureTables.Table table = tables.get(name);
        if (table == null) {
          throw new IllegalStateException("the database has no table '" + name + "'");
        }
        List<ObjectNode> rows =
            FixtureTables.rows(directory.resolve(described.get("file").asText()));
        FixtureTables.insert(connection, table, rows);
      }
      for (JsonNode identity : description.get("identity")) {
        FixtureTables.continueIdentityAfter(
            connection,
            tables.get(identity.get("table").asText()),
            identity.get("column").asText(),
            identity.get("highest").asLong());
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
