package io.pulse.persistence.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.SchemaMigrations;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database ({@code pulse_test_<8 hex>}) with the journal schema, created on the
 * server named by {@code PULSE_TEST_PG_URL}, {@code PULSE_TEST_PG_USER} and {@code
 * PULSE_TEST_PG_PASSWORD}, and dropped with FORCE on {@link #close()}. When that server cannot be
 * used the calling test is skipped, or fails if the system property {@code pulse.pg.required} is
 * {@code true}, so that a build which must cover PostgreSQL cannot pass without it.
 */
public final class PostgresTestDatabase implements TestDatabase {

  public static final String DEFAULT_SERVER_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
  public static final String REQUIRED_PROPERTY = "pulse.pg.required";

  private static final String URL_PREFIX = "jdbc:postgresql:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String serverUrl;
  private final String user;
  private final String password;
  private final String databaseName;
  private final Config pulseSettings;
  private final DatabaseSettings settings;
  private boolean dropped;

  private PostgresTestDatabase(
      String serverUrl, String user, String password, String databaseName) {
    this.serverUrl = serverUrl;
    this.user = user;
    this.password = password;
    this.databaseName = databaseName;
    this.pulseSettings =
        ConfigFactory.parseMap(
            Map.of(
                "pulse.db.url",
                databaseUrl(serverUrl, databaseName),
                "pulse.db.user",
                user,
                "pulse.db.password",
                password),
            "PostgreSQL test database " + databaseName);
    this.settings = DatabaseSettings.from(ConfigFactory.load(pulseSettings));
  }

  /**
   * A database with the schema migrations applied, on the server from the environment: {@code
   * PULSE_TEST_PG_URL} (default {@value #DEFAULT_SERVER_URL}), {@code PULSE_TEST_PG_USER} (default:
   * {@code postgres}, then the operating system user), {@code PULSE_TEST_PG_PASSWORD} (default
   * empty).
   */
  public static PostgresTestDatabase create() {
    return migrated(createEmpty());
  }

  /** A new database with nothing in it, as an operator creates one for Pulse. */
  public static PostgresTestDatabase createEmpty() {
    String configuredUser = environment("PULSE_TEST_PG_USER", "");
    List<String> users = configuredUser.isEmpty() ? defaultUsers() : List.of(configuredUser);
    return createEmpty(
        environment("PULSE_TEST_PG_URL", DEFAULT_SERVER_URL),
        users,
        Objects.requireNonNullElse(System.getenv("PULSE_TEST_PG_PASSWORD"), ""));
  }

  /**
   * A migrated database on the server at {@code serverUrl} (any existing database, used to run
   * CREATE DATABASE), connecting as the first of {@code users} that the server accepts.
   */
  public static PostgresTestDatabase create(String serverUrl, List<String> users, String password) {
    return migrated(createEmpty(serverUrl, users, password));
  }

  private static PostgresTestDatabase createEmpty(
      String serverUrl, List<String> users, String password) {
    String user = firstAcceptedUser(serverUrl, users, password);
    String databaseName = "pulse_test_" + HexFormat.of().formatHex(randomBytes(4));
    try (Connection connection = connect(serverUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + databaseName);
    } catch (SQLException e) {
      return unavailable(
          "Cannot create test database "
              + databaseName
              + " on "
              + serverUrl
              + " as "
              + user
              + ": "
              + e.getMessage(),
          e);
    }
    return new PostgresTestDatabase(serverUrl, user, password, databaseName);
  }

  private static PostgresTestDatabase migrated(PostgresTestDatabase database) {
    try {
      SchemaMigrations.migrate(database.settings);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    return database;
  }

  public String databaseName() {
    return databaseName;
  }

  @Override
  public DatabaseKind kind() {
    return DatabaseKind.POSTGRES;
  }

  @Override
  public String jdbcUrl() {
    return settings.jdbcUrl();
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public String password() {
    return password;
  }

  @Override
  public Config pulseSettings() {
    return pulseSettings;
  }

  @Override
  public DatabaseSettings settings() {
    return settings;
  }

  /** Drops the database, disconnecting any session still using it. */
  public synchronized void drop() {
    if (dropped) {
      return;
    }
    try (Connection connection = connect(serverUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
      dropped = true;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot drop test database " + databaseName + " on " + serverUrl, e);
    }
  }

  @Override
  public void close() {
    drop();
  }

  @Override
  public String toString() {
    return "PostgresTestDatabase[" + databaseName + " on " + serverUrl + "]";
  }

  /** {@code serverUrl} with its database replaced by {@code databaseName}, parameters kept. */
  static String databaseUrl(String serverUrl, String databaseName) {
    if (!serverUrl.startsWith(URL_PREFIX)) {
      throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + serverUrl);
    }
    int query = serverUrl.indexOf('?');
    String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
    String parameters = query < 0 ? "" : serverUrl.substring(query);
    String hostPrefix = URL_PREFIX + "//";
    if (!base.startsWith(hostPrefix)) {
      return URL_PREFIX + databaseName + parameters;
    }
    int pathStart = base.indexOf('/', hostPrefix.length());
    String hosts = pathStart < 0 ? base : base.substring(0, pathStart);
    return hosts + "/" + databaseName + parameters;
  }

  private static String firstAcceptedUser(String serverUrl, List<String> users, String password) {
    List<String> failures = new ArrayList<>();
    SQLException lastFailure = null;
    for (String user : users) {
      try {
        connect(serverUrl, user, password).close();
        return user;
      } catch (SQLException e) {
        failures.add(user + ": " + e.getMessage());
        lastFailure = e;
      }
    }
    return unavailable(
        "PostgreSQL is not available for tests at "
            + serverUrl
            + " ("
            + String.join("; ", failures)
            + "). Start it, or point PULSE_TEST_PG_URL, PULSE_TEST_PG_USER and"
            + " PULSE_TEST_PG_PASSWORD at a server that accepts CREATE DATABASE.",
        lastFailure);
  }

  /** Fails the calling test when PostgreSQL is required, otherwise reports it skipped. */
  private static <T> T unavailable(String message, Throwable cause) {
    if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
      return Assertions.fail(message + " (" + REQUIRED_PROPERTY + "=true)", cause);
    }
    return Assumptions.abort(
        message + " Skipped; set -D" + REQUIRED_PROPERTY + "=true to fail instead.");
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (!password.isEmpty()) {
      properties.setProperty("password", password);
    }
    // An unreachable server should skip the test quickly, not after the driver's default wait.
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("loginTimeout", "10");
    return DriverManager.getConnection(url, properties);
  }

  private static List<String> defaultUsers() {
    Set<String> users = new LinkedHashSet<>();
    users.add("postgres");
    String osUser = System.getProperty("user.name", "");
    if (!osUser.isBlank()) {
      users.add(osUser);
    }
    return List.copyOf(users);
  }

  private static String environment(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
