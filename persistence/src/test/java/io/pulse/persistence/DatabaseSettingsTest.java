package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

  private static final String H2_OPTIONS =
      ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;DATABASE_TO_UPPER=FALSE";
  private static final String SLICK = "pekko-persistence-jdbc.shared-databases.slick.";

  private static DatabaseSettings settings(Map<String, String> environment) {
    return DatabaseSettings.from(ModuleConfig.reference(environment, ""));
  }

  @Test
  void withNoConfigurationTheJournalIsAnEmbeddedH2FileUnderTheDataDirectory() {
    DatabaseSettings settings = settings(Map.of());

    Path dataDir = Path.of("./data").toAbsolutePath().normalize();
    assertEquals(DatabaseKind.H2, settings.kind());
    assertEquals("jdbc:h2:file:" + dataDir.resolve("pulse") + H2_OPTIONS, settings.jdbcUrl());
    assertEquals("sa", settings.user());
    assertEquals("", settings.password());
    assertEquals(SchemaMigrationMode.AUTO, settings.migrationMode());
    assertEquals(Optional.empty(), settings.deprecationWarning());
    assertEquals(8, settings.poolSize());
    assertEquals(Optional.of(dataDir), settings.localDirectory());
  }

  @Test
  void pulseDataDirMovesTheEmbeddedDatabase() {
    DatabaseSettings settings = settings(Map.of("PULSE_DATA_DIR", "/srv/pulse"));

    assertEquals("jdbc:h2:file:/srv/pulse/pulse" + H2_OPTIONS, settings.jdbcUrl());
    assertEquals(Optional.of(Path.of("/srv/pulse")), settings.localDirectory());
  }

  @Test
  void applicationConfigCanSetTheDataDirectoryToo() {
    Config config = ModuleConfig.reference(Map.of(), "pulse.data-dir = \"/var/lib/pulse\"");

    assertEquals(
        "jdbc:h2:file:/var/lib/pulse/pulse" + H2_OPTIONS, DatabaseSettings.from(config).jdbcUrl());
  }

  @Test
  void aPostgresUrlSelectsPostgresWithBatchedInsertsAndMigratesByDefault() {
    DatabaseSettings settings =
        settings(
            Map.of(
                "PULSE_DB_URL", "jdbc:postgresql://db.internal:5432/pulse",
                "PULSE_DB_USER", "pulse",
                "PULSE_DB_PASSWORD", "s3cret"));

    assertEquals(DatabaseKind.POSTGRES, settings.kind());
    assertEquals(
        "jdbc:postgresql://db.internal:5432/pulse?reWriteBatchedInserts=true", settings.jdbcUrl());
    assertEquals("pulse", settings.user());
    assertEquals("s3cret", settings.password());
    assertEquals(SchemaMigrationMode.AUTO, settings.migrationMode());
    assertEquals(Optional.empty(), settings.localDirectory());
  }

  @Test
  void batchedInsertsAreAppendedToExistingParametersButAnExplicitChoiceIsKept() {
    assertEquals(
        "jdbc:postgresql://h/db?ssl=true&reWriteBatchedInserts=true",
        settings(Map.of("PULSE_DB_URL", "jdbc:postgresql://h/db?ssl=true")).jdbcUrl());
    assertEquals(
        "jdbc:postgresql://h/db?rewritebatchedinserts=false",
        settings(Map.of("PULSE_DB_URL", "jdbc:postgresql://h/db?rewritebatchedinserts=false"))
            .jdbcUrl());
  }

  @Test
  void anExplicitH2UrlGetsTheMissingDurabilityOptionsButKeepsItsOwn() {
    DatabaseSettings settings =
        settings(Map.of("PULSE_DB_URL", "jdbc:h2:file:/tmp/pulse-x/db;WRITE_DELAY=100;"));

    assertEquals(DatabaseKind.H2, settings.kind());
    assertEquals(
        "jdbc:h2:file:/tmp/pulse-x/db;WRITE_DELAY=100;DB_CLOSE_ON_EXIT=FALSE;DATABASE_TO_UPPER=FALSE",
        settings.jdbcUrl());
    assertEquals(Optional.of(Path.of("/tmp/pulse-x")), settings.localDirectory());
    assertEquals(
        Optional.empty(), settings(Map.of("PULSE_DB_URL", "jdbc:h2:mem:x")).localDirectory());
  }

  @Test
  void migrateSaysWhatANodeDoesWithTheSchemaOnStart() {
    String postgres = "jdbc:postgresql://h/db";
    assertEquals(
        SchemaMigrationMode.VALIDATE,
        settings(Map.of("PULSE_DB_URL", postgres, "PULSE_DB_MIGRATE", "validate")).migrationMode());
    assertEquals(
        SchemaMigrationMode.OFF, settings(Map.of("PULSE_DB_MIGRATE", " Off ")).migrationMode());
    assertEquals(
        SchemaMigrationMode.AUTO, settings(Map.of("PULSE_DB_MIGRATE", "auto")).migrationMode());
    assertEquals(
        SchemaMigrationMode.VALIDATE,
        DatabaseSettings.from(ModuleConfig.reference(Map.of(), "pulse.db.migrate = validate"))
            .migrationMode());

    IllegalArgumentException invalid =
        assertThrows(
            IllegalArgumentException.class, () -> settings(Map.of("PULSE_DB_MIGRATE", "on")));
    assertTrue(invalid.getMessage().contains("auto, validate or off"), invalid.getMessage());
    assertTrue(invalid.getMessage().contains("PULSE_DB_MIGRATE"), invalid.getMessage());
  }

  @Test
  void theDeprecatedCreateSchemaIsReadAsMigrateWithAWarning() {
    Map<String, SchemaMigrationMode> meanings =
        Map.of(
            "on", SchemaMigrationMode.AUTO,
            "true", SchemaMigrationMode.AUTO,
            "auto", SchemaMigrationMode.AUTO,
            "off", SchemaMigrationMode.VALIDATE,
            "false", SchemaMigrationMode.VALIDATE);
    meanings.forEach(
        (legacy, mode) -> {
          DatabaseSettings settings =
              settings(
                  Map.of(
                      "PULSE_DB_URL", "jdbc:postgresql://h/db", "PULSE_DB_CREATE_SCHEMA", legacy));
          assertEquals(mode, settings.migrationMode(), legacy);
          String warning = settings.deprecationWarning().orElseThrow();
          assertTrue(warning.contains("PULSE_DB_CREATE_SCHEMA"), warning);
          assertTrue(warning.contains("deprecated"), warning);
          assertTrue(warning.contains("migrate = " + mode.configValue()), warning);
          assertTrue(warning.contains("Set PULSE_DB_MIGRATE instead"), warning);
        });

    IllegalArgumentException invalid =
        assertThrows(
            IllegalArgumentException.class,
            () -> settings(Map.of("PULSE_DB_CREATE_SCHEMA", "sometimes")));
    assertTrue(invalid.getMessage().contains("auto, on or off"), invalid.getMessage());
    assertTrue(invalid.getMessage().contains("PULSE_DB_MIGRATE"), invalid.getMessage());
  }

  @Test
  void migrateSetAnywhereWinsOverTheDeprecatedCreateSchema() {
    DatabaseSettings fromEnvironment =
        settings(Map.of("PULSE_DB_MIGRATE", "off", "PULSE_DB_CREATE_SCHEMA", "on"));
    assertEquals(SchemaMigrationMode.OFF, fromEnvironment.migrationMode());
    String warning = fromEnvironment.deprecationWarning().orElseThrow();
    assertTrue(warning.contains("ignored"), warning);

    // Set to the default value, but set: still the new key's word.
    DatabaseSettings fromApplicationConfig =
        DatabaseSettings.from(
            ModuleConfig.reference(
                Map.of("PULSE_DB_CREATE_SCHEMA", "off"), "pulse.db.migrate = auto"));
    assertEquals(SchemaMigrationMode.AUTO, fromApplicationConfig.migrationMode());
    assertTrue(fromApplicationConfig.deprecationWarning().isPresent());
  }

  @Test
  void anUnsupportedUrlIsRejectedWithoutRevealingItsPassword() {
    IllegalArgumentException rejected =
        assertThrows(
            IllegalArgumentException.class,
            () -> settings(Map.of("PULSE_DB_URL", "jdbc:mysql://h/db?user=u&password=hunter2")));

    assertTrue(rejected.getMessage().contains("jdbc:mysql://h/db?user=u&password=***"));
    assertFalse(rejected.getMessage().contains("hunter2"));
  }

  @Test
  void overlayConfiguresTheSharedSlickDatabase() {
    Config overlay =
        settings(
                Map.of(
                    "PULSE_DB_URL", "jdbc:postgresql://h/db",
                    "PULSE_DB_USER", "pulse",
                    "PULSE_DB_PASSWORD", "pw",
                    "PULSE_DB_POOL_SIZE", "12"))
            .overlay();

    assertEquals("slick.jdbc.PostgresProfile$", overlay.getString(SLICK + "profile"));
    assertEquals("org.postgresql.Driver", overlay.getString(SLICK + "db.driver"));
    assertEquals(
        "jdbc:postgresql://h/db?reWriteBatchedInserts=true", overlay.getString(SLICK + "db.url"));
    assertEquals("pulse", overlay.getString(SLICK + "db.user"));
    assertEquals("pw", overlay.getString(SLICK + "db.password"));
    assertEquals(12, overlay.getInt(SLICK + "db.maxConnections"));
    assertEquals(12, overlay.getInt(SLICK + "db.numThreads"));
    // 1 s for a connection, not the plugin's 3 minutes: it also caps the pool's pause between
    // attempts to reconnect after an outage. A host that does not answer fails an attempt soon.
    assertEquals(1000, overlay.getInt(SLICK + "db.connectionTimeout"));
    assertEquals(500, overlay.getInt(SLICK + "db.validationTimeout"));
    assertEquals("1", overlay.getString(SLICK + "db.properties.connectTimeout"));

    Config h2 = settings(Map.of()).overlay();
    assertEquals("slick.jdbc.H2Profile$", h2.getString(SLICK + "profile"));
    assertEquals("org.h2.Driver", h2.getString(SLICK + "db.driver"));
    assertFalse(h2.hasPath(SLICK + "db.password"), "an empty password is left to the driver");
    assertEquals(1000, h2.getInt(SLICK + "db.connectionTimeout"));
    assertFalse(h2.hasPath(SLICK + "db.properties"), "H2 needs no connection timeout");
  }

  @Test
  void theConnectionTimeoutIsSetForEveryPoolAndMayNotBeShorterThanHalfASecond() {
    DatabaseSettings settings =
        settings(
            Map.of(
                "PULSE_DB_URL", "jdbc:postgresql://h/db",
                "PULSE_DB_CONNECTION_TIMEOUT", "2500ms"));

    assertEquals(java.time.Duration.ofMillis(2500), settings.connectionTimeout());
    com.zaxxer.hikari.HikariConfig pool = settings.poolConfig("pulse-test", 3);
    assertEquals(2500, pool.getConnectionTimeout());
    assertEquals(1250, pool.getValidationTimeout());
    assertEquals(3, pool.getMaximumPoolSize());
    assertEquals("3", pool.getDataSourceProperties().getProperty("connectTimeout"));
    assertEquals("3", settings.connectionProperties().getProperty("connectTimeout"));
    IllegalArgumentException tooShort =
        assertThrows(
            IllegalArgumentException.class,
            () -> settings(Map.of("PULSE_DB_CONNECTION_TIMEOUT", "100ms")));
    assertTrue(tooShort.getMessage().contains("PULSE_DB_CONNECTION_TIMEOUT"));
  }

  @Test
  void resolvePutsTheOverlayInFrontOfTheLoadedConfig() {
    Config loaded =
        ModuleConfig.server(
            Map.of("PULSE_DB_URL", "jdbc:postgresql://h/db"),
            SLICK + "profile = \"slick.jdbc.H2Profile$\"");

    Config resolved = DatabaseSettings.resolve(loaded);

    assertEquals("slick.jdbc.PostgresProfile$", resolved.getString(SLICK + "profile"));
    assertEquals("jdbc-journal", resolved.getString("pekko.persistence.journal.plugin"));
    assertEquals(10000, resolved.getInt(SLICK + "db.queueSize"), "plugin defaults remain");
  }

  @Test
  void toStringDoesNotRevealThePassword() {
    DatabaseSettings settings =
        settings(Map.of("PULSE_DB_URL", "jdbc:postgresql://h/db", "PULSE_DB_PASSWORD", "hunter2"));

    assertFalse(settings.toString().contains("hunter2"), settings.toString());
  }

  @Test
  void aPoolWithoutConnectionsIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> settings(Map.of("PULSE_DB_POOL_SIZE", "0")));
  }
}
