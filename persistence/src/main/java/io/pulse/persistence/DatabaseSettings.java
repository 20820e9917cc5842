package io.pulse.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.zaxxer.hikari.HikariConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The journal database read from {@code pulse.db.*}; it exists because HOCON cannot pick the Slick
 * profile and JDBC driver from a URL, so this class does and hands them to the JDBC plugin.
 */
public final class DatabaseSettings {

  private static final String SHARED_DATABASE = "pekko-persistence-jdbc.shared-databases.slick";
  private static final String H2_PREFIX = "jdbc:h2:";
  private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
  private static final String H2_FILE_NAME = "pulse";
  private static final String H2_DEFAULT_USER = "sa";

  /**
   * WRITE_DELAY=0: a commit is written to the file before it returns, so it survives a killed JVM;
   * with H2's default (500 ms) a SIGKILL loses recently acknowledged commits.
   * DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database while Pekko's
   * coordinated shutdown may still be writing. DATABASE_TO_UPPER=FALSE: unquoted identifiers keep
   * their case as on PostgreSQL, so the same plain SQL works against the journal tables on both
   * databases.
   */
  private static final List<String> H2_OPTIONS =
      List.of("WRITE_DELAY=0", "DB_CLOSE_ON_EXIT=FALSE", "DATABASE_TO_UPPER=FALSE");

  /** HikariCP's floor for its connection and validation timeouts. */
  private static final Duration SHORTEST_POOL_TIMEOUT = Duration.ofMillis(250);

  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("(password=)[^;&]*", Pattern.CASE_INSENSITIVE);

  private final DatabaseKind kind;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final SchemaMigrationMode migrationMode;
  private final Optional<String> deprecationWarning;
  private final int poolSize;
  private final Duration connectionTimeout;
  private final Optional<Path> localDirectory;

  private DatabaseSettings(
      DatabaseKind kind,
      String jdbcUrl,
      String user,
      String password,
      SchemaMigrationMode migrationMode,
      Optional<String> deprecationWarning,
      int poolSize,
      Duration connectionTimeout,
      Optional<Path> localDirectory) {
    this.kind = kind;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.migrationMode = migrationMode;
    this.deprecationWarning = deprecationWarning;
    this.poolSize = poolSize;
    this.connectionTimeout = connectionTimeout;
    this.localDirectory = localDirectory;
  }

  /** Reads {@code pulse.data-dir} and {@code pulse.db.*} from a resolved config. */
  public static DatabaseSettings from(Config config) {
    Config db = config.getConfig("pulse.db");
    String configuredUrl = db.getString("url").trim();
    DatabaseKind kind;
    String jdbcUrl;
    Optional<Path> localDirectory;
    if (configuredUrl.isEmpty()) {
      Path dataDir = Path.of(config.getString("pulse.data-dir")).toAbsolutePath().normalize();
      kind = DatabaseKind.H2;
      jdbcUrl = withH2Options(H2_PREFIX + "file:" + dataDir.resolve(H2_FILE_NAME));
      localDirectory = Optional.of(dataDir);
    } else if (hasPrefix(configuredUrl, H2_PREFIX)) {
      kind = DatabaseKind.H2;
      jdbcUrl = withH2Options(configuredUrl);
      localDirectory = h2FileDirectory(configuredUrl);
    } else if (hasPrefix(configuredUrl, POSTGRES_PREFIX)) {
      kind = DatabaseKind.POSTGRES;
      jdbcUrl = withBatchedInserts(configuredUrl);
      localDirectory = Optional.empty();
    } else {
      throw new IllegalArgumentException(
          "pulse.db.url (PULSE_DB_URL) must be empty for the embedded H2 database, or start with "
              + H2_PREFIX
              + " or "
              + POSTGRES_PREFIX
              + "; got "
              + redact(configuredUrl));
    }
    String user = db.getString("user").trim();
    if (user.isEmpty() && kind == DatabaseKind.H2) {
      user = H2_DEFAULT_USER;
    }
    int poolSize = db.getInt("pool-size");
    if (poolSize < 1) {
      throw new IllegalArgumentException(
          "pulse.db.pool-size (PULSE_DB_POOL_SIZE) must be at least 1; got " + poolSize);
    }
    Duration connectionTimeout = db.getDuration("connection-timeout");
    if (connectionTimeout.compareTo(SHORTEST_POOL_TIMEOUT.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "pulse.db.connection-timeout (PULSE_DB_CONNECTION_TIMEOUT) must be at least 500ms; got "
              + connectionTimeout);
    }
    SchemaMigrationMode migrationMode = SchemaMigrationMode.parse(db.getString("migrate"));
    Optional<String> deprecationWarning = Optional.empty();
    if (db.hasPath("create-schema")) {
      String legacy = db.getString("create-schema");
      SchemaMigrationMode legacyMode = legacyMigrationMode(legacy);
      if (isLeftAtItsDefault(db, "migrate")) {
        migrationMode = legacyMode;
        deprecationWarning =
            Optional.of(
                "pulse.db.create-schema (PULSE_DB_CREATE_SCHEMA) is deprecated: '"
                    + legacy.trim()
                    + "' is read as pulse.db.migrate = "
                    + legacyMode.configValue()
                    + ". Set PULSE_DB_MIGRATE instead.");
      } else {
        deprecationWarning =
            Optional.of(
                "pulse.db.create-schema (PULSE_DB_CREATE_SCHEMA) is deprecated and ignored, as"
                    + " pulse.db.migrate (PULSE_DB_MIGRATE) is set: remove it.");
      }
    }
    return new DatabaseSettings(
        kind,
        jdbcUrl,
        user,
        db.getString("password"),
        migrationMode,
        deprecationWarning,
        poolSize,
        connectionTimeout,
        localDirectory);
  }

  /**
   * Puts the database chosen by {@code pulse.db.*} in front of {@code loaded} and resolves it; the
   * server calls this on its loaded config before creating the ActorSystem.
   */
  public static Config resolve(Config loaded) {
    Config resolved = loaded.resolve();
    return from(resolved).overlay().withFallback(resolved).resolve();
  }

  public DatabaseKind kind() {
    return kind;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user, empty when the PostgreSQL driver should use the operating system user. */
  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** What a node does with the schema on start ({@code pulse.db.migrate}). */
  public SchemaMigrationMode migrationMode() {
    return migrationMode;
  }

  /** The warning to log once at start when the deprecated {@code pulse.db.create-schema} is set. */
  public Optional<String> deprecationWarning() {
    return deprecationWarning;
  }

  public int poolSize() {
    return poolSize;
  }

  /**
   * How long a query waits for a pooled connection before it fails ({@code
   * pulse.db.connection-timeout}). It also caps a pool's pause between attempts to reconnect, and
   * so how long after an outage the pools take to have connections again.
   */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /**
   * A connection pool of its own on this database, named {@code name}, with at most {@code size}
   * connections and this database's timeouts.
   */
  public HikariConfig poolConfig(String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl);
    config.setDriverClassName(kind.driverClassName());
    if (!user.isEmpty()) {
      config.setUsername(user);
    }
    if (!password.isEmpty()) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(connectionTimeout.toMillis());
    config.setValidationTimeout(validationTimeout().toMillis());
    driverProperties().forEach((key, value) -> config.addDataSourceProperty(key, value));
    return config;
  }

  /**
   * The properties of a single connection opened with the driver itself: credentials, and on
   * PostgreSQL a bounded wait for the server, so that an unreachable database fails the attempt
   * instead of holding its thread.
   */
  public Properties connectionProperties() {
    Properties properties = new Properties();
    if (!user.isEmpty()) {
      properties.setProperty("user", user);
    }
    if (!password.isEmpty()) {
      properties.setProperty("password", password);
    }
    driverProperties().forEach(properties::setProperty);
    return properties;
  }

  /**
   * How long a pool checks that an idle connection still works before it hands it out: half the
   * connection timeout, so that a dead connection is replaced within it.
   */
  private Duration validationTimeout() {
    Duration half = connectionTimeout.dividedBy(2);
    return half.compareTo(SHORTEST_POOL_TIMEOUT) < 0 ? SHORTEST_POOL_TIMEOUT : half;
  }

  /**
   * PostgreSQL's driver waits 10 s for a TCP connection by default; every pool's reconnection
   * attempt would hold a thread that long while a database host does not answer.
   */
  private Map<String, String> driverProperties() {
    if (kind != DatabaseKind.POSTGRES) {
      return Map.of();
    }
    long seconds = Math.max(1, (connectionTimeout.toMillis() + 999) / 1000);
    return Map.of("connectTimeout", Long.toString(seconds));
  }

  /** The directory holding an embedded H2 database file; empty for PostgreSQL or in-memory H2. */
  Optional<Path> localDirectory() {
    return localDirectory;
  }

  /** The Slick profile, driver, URL, credentials and pool of the plugins' shared database. */
  public Config overlay() {
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put(SHARED_DATABASE + ".profile", kind.slickProfile());
    keys.put(SHARED_DATABASE + ".db.driver", kind.driverClassName());
    keys.put(SHARED_DATABASE + ".db.url", jdbcUrl);
    if (!user.isEmpty()) {
      keys.put(SHARED_DATABASE + ".db.user", user);
    }
    if (!password.isEmpty()) {
      keys.put(SHARED_DATABASE + ".db.password", password);
    }
    // Slick warns about (and can deadlock on) more connections than threads, so keep them equal;
    // a fixed-size pool avoids connection churn under bursty load.
    keys.put(SHARED_DATABASE + ".db.numThreads", poolSize);
    keys.put(SHARED_DATABASE + ".db.maxConnections", poolSize);
    keys.put(SHARED_DATABASE + ".db.minConnections", poolSize);
    // The plugin's default waits 3 minutes for a connection, and its pool then pauses up to 10 s
    // between attempts to reconnect: after an outage, users would wait that long for the journal.
    keys.put(SHARED_DATABASE + ".db.connectionTimeout", connectionTimeout.toMillis());
    keys.put(SHARED_DATABASE + ".db.validationTimeout", validationTimeout().toMillis());
    driverProperties()
        .forEach((key, value) -> keys.put(SHARED_DATABASE + ".db.properties." + key, value));
    // Projection offsets live in the same database, written in its dialect.
    keys.put(
        "pekko.projection.jdbc.dialect",
        kind == DatabaseKind.H2 ? "h2-dialect" : "postgres-dialect");
    return ConfigFactory.parseMap(keys, "pulse.db (" + kind + ")");
  }

  /** The JDBC URL with any password parameter masked, for messages and logs. */
  public String redactedUrl() {
    return redact(jdbcUrl);
  }

  @Override
  public String toString() {
    return "DatabaseSettings[kind="
        + kind
        + ", jdbcUrl="
        + redactedUrl()
        + ", user="
        + user
        + ", migrate="
        + migrationMode.configValue()
        + ", poolSize="
        + poolSize
        + ", connectionTimeout="
        + connectionTimeout
        + "]";
  }

  static String redact(String url) {
    return PASSWORD_IN_URL.matcher(url).replaceAll(Matcher.quoteReplacement("password=***"));
  }

  /**
   * The old setting's meaning: it applied the DDL (now: migrate) or left the schema to the operator
   * (now: check it); its {@code auto}, the old default, becomes the new default.
   */
  private static SchemaMigrationMode legacyMigrationMode(String setting) {
    return switch (setting.trim().toLowerCase(Locale.ROOT)) {
      case "auto", "on", "true", "yes" -> SchemaMigrationMode.AUTO;
      case "off", "false", "no" -> SchemaMigrationMode.VALIDATE;
      default ->
          throw new IllegalArgumentException(
              "pulse.db.create-schema (PULSE_DB_CREATE_SCHEMA), deprecated, must be auto, on or"
                  + " off; got '"
                  + setting
                  + "'. Set PULSE_DB_MIGRATE (auto, validate or off) instead.");
    };
  }

  /**
   * Whether {@code path} still has the value of the module's reference.conf, so that the deprecated
   * key may decide it; set anywhere else (environment, application.conf, system property), the new
   * key wins.
   */
  private static boolean isLeftAtItsDefault(Config db, String path) {
    return "reference.conf".equals(db.getValue(path).origin().resource());
  }

  private static String withH2Options(String url) {
    StringBuilder result = new StringBuilder(url);
    while (result.length() > 0 && result.charAt(result.length() - 1) == ';') {
      result.setLength(result.length() - 1);
    }
    String upperCaseUrl = url.toUpperCase(Locale.ROOT);
    for (String option : H2_OPTIONS) {
      String key = option.substring(0, option.indexOf('=') + 1);
      if (!upperCaseUrl.contains(";" + key)) {
        result.append(';').append(option);
      }
    }
    return result.toString();
  }

  private static String withBatchedInserts(String url) {
    if (url.toLowerCase(Locale.ROOT).contains("rewritebatchedinserts=")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  /** The parent directory of a local H2 file URL ({@code jdbc:h2:[file:]path[;...]}). */
  private static Optional<Path> h2FileDirectory(String url) {
    String location = url.substring(H2_PREFIX.length());
    int settings = location.indexOf(';');
    if (settings >= 0) {
      location = location.substring(0, settings);
    }
    if (hasPrefix(location, "file:")) {
      location = location.substring("file:".length());
    }
    // Any other prefix (mem:, tcp:, ssl:, zip:, ...) is not a directory this process owns.
    if (location.isEmpty() || location.contains(":")) {
      return Optional.empty();
    }
    if (location.startsWith("~")) {
      location = System.getProperty("user.home") + location.substring(1);
    }
    return Optional.ofNullable(Path.of(location).toAbsolutePath().normalize().getParent());
  }

  private static boolean hasPrefix(String text, String prefix) {
    return text.regionMatches(true, 0, prefix, 0, prefix.length());
  }
}
