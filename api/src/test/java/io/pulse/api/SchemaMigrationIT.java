package io.pulse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.persistence.testing.PostgresTestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar migrates a database for real, as the README runs it: its Flyway finds the
 * migrations and its database plugins inside the fat jar.
 */
class SchemaMigrationIT {

  private static final Duration START = Duration.ofSeconds(120);
  private static final String README_MIGRATE = "java -jar api/target/pulse.jar migrate";

  /** Every migration of this release, applied in order to an empty database. */
  private static final List<String> ALL_VERSIONS = List.of("1", "2", "3", "4");

  private static final String APPLIED_ON_EMPTY =
      "schema version "
          + ALL_VERSIONS.get(ALL_VERSIONS.size() - 1)
          + ", "
          + ALL_VERSIONS.size()
          + " migrations applied";

  /** The key every node of a cluster shares (32 bytes, base64). */
  private static final String CLUSTER_SECRET_KEY =
      java.util.Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void aNewEmptyPostgresDatabaseIsMigratedByANodeStartedTheReadmeWay(@TempDir Path dataDir)
      throws SQLException {
    try (PostgresTestDatabase database = PostgresTestDatabase.createEmpty()) {
      int port = PulseJar.freePort();
      Map<String, String> environment = postgresEnvironment(database);
      environment.put("PULSE_HTTP_PORT", Integer.toString(port));
      environment.put("PULSE_DATA_DIR", dataDir.toString());

      try (PulseJar node = PulseJar.start(PulseJar.projectRoot(), List.of(), environment)) {
        node.awaitReady(port, START);

        assertEquals(ALL_VERSIONS, versions(database));
        assertTrue(node.log().contains(APPLIED_ON_EMPTY), node.log());
        assertFalse(node.log().contains("relation \""), "no query on a missing table");
      }
    }
  }

  @Test
  void threeNodesStartedTogetherOnAnEmptyDatabaseMigrateItOnce(@TempDir Path dataDir)
      throws SQLException {
    try (PostgresTestDatabase database = PostgresTestDatabase.createEmpty()) {
      int[] httpPorts = {PulseJar.freePort(), PulseJar.freePort(), PulseJar.freePort()};
      int[] remotePorts = {PulseJar.freePort(), PulseJar.freePort(), PulseJar.freePort()};
      List<PulseJar> nodes = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Map<String, String> environment = postgresEnvironment(database);
          environment.put("PULSE_HTTP_PORT", Integer.toString(httpPorts[i]));
          environment.put("PULSE_DATA_DIR", dataDir.resolve("node-" + i).toString());
          environment.put("PULSE_REMOTE_HOST", "127.0.0.1");
          environment.put("PULSE_REMOTE_PORT", Integer.toString(remotePorts[i]));
          environment.put("PULSE_MANAGEMENT_PORT", Integer.toString(PulseJar.freePort()));
          environment.put("PULSE_SEED_NODE_1", "pekko://pulse@127.0.0.1:" + remotePorts[0]);
          environment.put("PULSE_SEED_NODE_2", "pekko://pulse@127.0.0.1:" + remotePorts[1]);
          environment.put("PULSE_SECRET_KEY", CLUSTER_SECRET_KEY);
          environment.put("PULSE_DB_POOL_SIZE", "4");
          environment.put("PULSE_JOURNAL_PARALLELISM", "4");
          nodes.add(
              PulseJar.start(
                  PulseJar.projectRoot(),
                  List.of("-Dconfig.resource=local-cluster.conf", "-XX:TieredStopAtLevel=1"),
                  environment));
        }
        for (int i = 0; i < 3; i++) {
          nodes.get(i).awaitReady(httpPorts[i], Duration.ofSeconds(180));
        }

        assertEquals(ALL_VERSIONS, versions(database), "each version once in the history");
        assertEquals(
            1,
            number(
                database,
                "SELECT count(*) FROM pg_class WHERE relname = 'event_journal' AND relkind = 'r'"));
        List<Integer> applied = new ArrayList<>();
        for (PulseJar node : nodes) {
          assertTrue(node.isAlive(), node.log());
          applied.add(migrationsApplied(node.log()));
        }
        applied.sort(null);
        assertEquals(
            List.of(0, 0, ALL_VERSIONS.size()), applied, "exactly one node applied the migrations");
      } finally {
        nodes.forEach(PulseJar::close);
      }
    }
  }

  @Test
  void validateAndOffStopOnAnEmptyDatabaseNamingTheCommandThatThenPreparesIt(@TempDir Path dataDir)
      throws SQLException {
    try (PostgresTestDatabase database = PostgresTestDatabase.createEmpty()) {
      int port = PulseJar.freePort();
      Map<String, String> environment = postgresEnvironment(database);
      environment.put("PULSE_HTTP_PORT", Integer.toString(port));
      environment.put("PULSE_DATA_DIR", dataDir.toString());

      for (String mode : List.of("validate", "off")) {
        environment.put("PULSE_DB_MIGRATE", mode);
        long started = System.nanoTime();
        try (PulseJar node = PulseJar.start(PulseJar.projectRoot(), List.of(), environment)) {
          int status = node.awaitExit(Duration.ofSeconds(60));
          Duration took = Duration.ofNanos(System.nanoTime() - started);

          String log = node.log();
          assertEquals(1, status, log);
          assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took + "\n" + log);
          assertEquals(1, occurrences(log, "Apply the migrations"), log);
          assertTrue(log.contains(": " + README_MIGRATE + " "), log);
          assertTrue(log.contains("PULSE_DB_MIGRATE) is " + mode), log);
          assertFalse(log.contains("relation \""), "no query on a missing table\n" + log);
        }
      }
      assertEquals(List.of(), versions(database), "nothing was created");

      environment.remove("PULSE_DB_MIGRATE");
      try (PulseJar migrate =
          PulseJar.start(PulseJar.projectRoot(), List.of(), environment, "migrate")) {
        assertEquals(0, migrate.awaitExit(Duration.ofSeconds(60)), migrate.log());
        assertTrue(migrate.log().contains(": " + APPLIED_ON_EMPTY), migrate.log());
      }
      assertEquals(ALL_VERSIONS, versions(database));

      // The deprecated setting still works, read as validate, with one warning.
      environment.put("PULSE_DB_CREATE_SCHEMA", "off");
      try (PulseJar node = PulseJar.start(PulseJar.projectRoot(), List.of(), environment)) {
        node.awaitReady(port, START);
        List<String> mentions =
            node.log().lines().filter(line -> line.contains("PULSE_DB_CREATE_SCHEMA")).toList();
        assertEquals(1, mentions.size(), node.log());
        assertTrue(mentions.get(0).contains(" WARN "), mentions.get(0));
        assertTrue(node.log().contains("migrate=validate"), node.log());
      }
    }
  }

  @Test
  void theEmbeddedDefaultStartsOnAFreshDataDirectoryAndMigratesIt(@TempDir Path workingDirectory)
      throws SQLException {
    int port = PulseJar.freePort();
    Map<String, String> environment = new HashMap<>();
    environment.put("PULSE_HTTP_PORT", Integer.toString(port));

    try (PulseJar node = PulseJar.start(workingDirectory, List.of(), environment)) {
      node.awaitReady(port, START);
      assertTrue(node.log().contains(APPLIED_ON_EMPTY), node.log());
      node.terminate();
    }

    Path database = workingDirectory.resolve("data").resolve("pulse");
    assertTrue(Files.exists(Path.of(database + ".mv.db")));
    Properties properties = new Properties();
    properties.setProperty("user", "sa");
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:h2:file:" + database + ";DATABASE_TO_UPPER=FALSE", properties);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT version FROM pulse_schema_history WHERE version IS NOT NULL AND success"
                    + " ORDER BY installed_rank");
        ResultSet result = query.executeQuery()) {
      List<String> versions = new ArrayList<>();
      while (result.next()) {
        versions.add(result.getString(1));
      }
      assertEquals(ALL_VERSIONS, versions);
    }
  }

  /** Only what the README's PostgreSQL section sets: the URL as an operator writes it, the user. */
  private static Map<String, String> postgresEnvironment(PostgresTestDatabase database) {
    Map<String, String> environment = new HashMap<>();
    environment.put("PULSE_DB_URL", database.pulseSettings().getString("pulse.db.url"));
    environment.put("PULSE_DB_USER", database.user());
    environment.put("PULSE_DB_PASSWORD", database.password());
    return environment;
  }

  /** The successful versions in the schema history, in order; empty when it does not exist. */
  private static List<String> versions(PostgresTestDatabase database) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection connection = connect(database);
        PreparedStatement exists =
            connection.prepareStatement("SELECT to_regclass('pulse_schema_history') IS NOT NULL");
        ResultSet found = exists.executeQuery()) {
      found.next();
      if (!found.getBoolean(1)) {
        return versions;
      }
      try (PreparedStatement query =
              connection.prepareStatement(
                  "SELECT version FROM pulse_schema_history WHERE success ORDER BY installed_rank");
          ResultSet result = query.executeQuery()) {
        while (result.next()) {
          versions.add(result.getString(1));
        }
      }
    }
    return versions;
  }

  private static long number(PostgresTestDatabase database, String sql) throws SQLException {
    try (Connection connection = connect(database);
        PreparedStatement query = connection.prepareStatement(sql);
        ResultSet result = query.executeQuery()) {
      result.next();
      return result.getLong(1);
    }
  }

  private static Connection connect(PostgresTestDatabase database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", database.user());
    if (!database.password().isEmpty()) {
      properties.setProperty("password", database.password());
    }
    return DriverManager.getConnection(database.jdbcUrl(), properties);
  }

  /** The count a node logged at start: "schema version N, K migration(s) applied". */
  private static int migrationsApplied(String log) {
    Matcher matcher =
        Pattern.compile("schema version \\S+, (\\d+) migrations? applied").matcher(log);
    if (!matcher.find()) {
      throw new AssertionError("no schema line in\n" + log);
    }
    return Integer.parseInt(matcher.group(1));
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
