package io.pulse.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Brings the journal database to this release's schema version with Flyway, from the migrations in
 * {@link DatabaseKind#migrationFolder()}, or checks that it is there. Flyway holds its lock (an
 * advisory lock on PostgreSQL) while it creates its history and applies migrations, so nodes that
 * start together apply each migration once; on PostgreSQL one of them applies all that are pending,
 * in one transaction.
 */
public final class SchemaMigrations {

  /** Flyway's history, named as Pulse's own tables are, apart from any other Flyway user's. */
  public static final String HISTORY_TABLE = "pulse_schema_history";

  private static final String BASELINE_DESCRIPTION = "schema of a release before migrations";

  private SchemaMigrations() {}

  /**
   * The version reached (or found), how many migrations this call applied, and whether it recorded
   * a database of a release before migrations as version 1.
   */
  public record Outcome(String version, int migrationsApplied, boolean baselined) {

    @Override
    public String toString() {
      return "schema version "
          + version
          + (baselined ? " (an existing schema recorded as version 1)" : "")
          + ", "
          + migrationsApplied
          + (migrationsApplied == 1 ? " migration" : " migrations")
          + " applied";
    }
  }

  /**
   * The schema step of a node's start, as {@link DatabaseSettings#migrationMode()} says: migrate,
   * or check without changing anything and fail with a message naming {@code migrateCommand}.
   */
  public static Outcome onStart(DatabaseSettings settings, String migrateCommand) {
    return switch (settings.migrationMode()) {
      case AUTO -> migrate(settings);
      case VALIDATE -> check(settings, true, migrateCommand);
      case OFF -> check(settings, false, migrateCommand);
    };
  }

  /**
   * Applies every pending migration, whatever the mode; a database of a release before migrations
   * (every table of version 1, no history) is recorded as version 1 first, and keeps its data.
   */
  public static Outcome migrate(DatabaseSettings settings) {
    return migrate(settings, MigrationVersion.LATEST);
  }

  /**
   * Applies the pending migrations up to {@code version} only: the schema an earlier release had,
   * to load its data into before a later release migrates the rest, as an upgrade does.
   */
  public static Outcome migrateTo(DatabaseSettings settings, String version) {
    return migrate(settings, MigrationVersion.fromVersion(version));
  }

  private static Outcome migrate(DatabaseSettings settings, MigrationVersion target) {
    settings.localDirectory().ifPresent(SchemaMigrations::createDirectory);
    DataSource dataSource = dataSource(settings);
    ExistingSchema existing = inspect(settings, dataSource);
    if (existing.isPartial()) {
      throw new SchemaMigrationException(
          "The database at "
              + settings.redactedUrl()
              + " has some of Pulse's tables ("
              + String.join(", ", existing.presentTables())
              + ") but not "
              + String.join(", ", existing.missingTables())
              + ", and no schema history ("
              + HISTORY_TABLE
              + "). It is neither empty nor a database that an earlier Pulse created, so Pulse"
              + " leaves it alone: restore the missing tables, or point PULSE_DB_URL at an empty"
              + " database.");
    }
    boolean baseline = existing.isFromBeforeMigrations();
    Flyway flyway =
        configure(settings, dataSource).baselineOnMigrate(baseline).target(target).load();
    try {
      MigrateResult result = flyway.migrate();
      MigrationInfoService info = flyway.info();
      String version = appliedVersion(info).map(MigrationVersion::getVersion).orElse("none");
      return new Outcome(version, result.migrationsExecuted, baseline);
    } catch (FlywayException e) {
      throw new SchemaMigrationException(
          "Could not migrate the schema of the "
              + settings.kind()
              + " database at "
              + settings.redactedUrl()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Changes nothing: fails unless the schema reaches this release's version (and validates). */
  private static Outcome check(DatabaseSettings settings, boolean validate, String command) {
    settings.localDirectory().ifPresent(SchemaMigrations::createDirectory);
    DataSource dataSource = dataSource(settings);
    ExistingSchema existing = inspect(settings, dataSource);
    Flyway flyway = configure(settings, dataSource).load();
    try {
      MigrationInfoService info = flyway.info();
      MigrationVersion needed = releaseVersion(info);
      Optional<MigrationVersion> applied = appliedVersion(info);
      if (applied.isEmpty() || applied.get().compareTo(needed) < 0) {
        throw new SchemaMigrationException(
            notReady(settings, existing, applied, needed, command, validate));
      }
      if (validate) {
        ValidateResult result = flyway.validateWithResult();
        if (!result.validationSuccessful) {
          throw new SchemaMigrationException(
              "The schema history of the database at "
                  + settings.redactedUrl()
                  + " does not match this release's migrations, and pulse.db.migrate"
                  + " (PULSE_DB_MIGRATE) is validate: "
                  + result.getAllErrorMessages()
                  + " An applied migration must never be edited (docs/operations.md, \"Schema"
                  + " migrations\").");
        }
      }
      return new Outcome(applied.get().getVersion(), 0, false);
    } catch (FlywayException e) {
      throw new SchemaMigrationException(
          "Could not read the schema history of the database at "
              + settings.redactedUrl()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static String notReady(
      DatabaseSettings settings,
      ExistingSchema existing,
      Optional<MigrationVersion> applied,
      MigrationVersion needed,
      String command,
      boolean validate) {
    String found;
    if (applied.isPresent()) {
      found = "is at schema version " + applied.get();
    } else if (existing.isFromBeforeMigrations()) {
      found = "has the tables of a release before schema migrations but no schema history";
    } else if (existing.hasNoPulseTables()) {
      found = "has no Pulse schema";
    } else {
      found = "has only some of Pulse's tables and no schema history";
    }
    return "The database at "
        + settings.redactedUrl()
        + " "
        + found
        + ", and this release needs schema version "
        + needed
        + ". pulse.db.migrate (PULSE_DB_MIGRATE) is "
        + (validate ? "validate" : "off")
        + ", so Pulse does not change the schema. Apply the migrations with the same PULSE_DB_*"
        + " settings first: "
        + command
        + " (or start with PULSE_DB_MIGRATE=auto).";
  }

  private static FluentConfiguration configure(DatabaseSettings settings, DataSource source) {
    return Flyway.configure(SchemaMigrations.class.getClassLoader())
        .dataSource(source)
        .locations("classpath:" + settings.kind().migrationFolder())
        // A jar without its migrations must not look like a database with nothing to do.
        .failOnMissingLocations(true)
        .validateMigrationNaming(true)
        .table(HISTORY_TABLE)
        .baselineVersion("1")
        .baselineDescription(BASELINE_DESCRIPTION)
        // On PostgreSQL, whose DDL is transactional, the pending versions are applied together,
        // in one transaction under one lock: nodes starting together never share the versions
        // between them, and a start killed while migrating leaves none of them half applied.
        .group(settings.kind() == DatabaseKind.POSTGRES)
        // The DDL has no placeholders; a literal ${...} in a later migration stays literal.
        .placeholderReplacement(false)
        .cleanDisabled(true);
  }

  /** The newest version among this release's migrations. */
  private static MigrationVersion releaseVersion(MigrationInfoService info) {
    return Arrays.stream(info.all())
        .filter(migration -> migration.isVersioned() && migration.getState().isResolved())
        .map(MigrationInfo::getVersion)
        .max(Comparator.naturalOrder())
        .orElseThrow(
            () ->
                new SchemaMigrationException(
                    "This build has no schema migrations on its classpath; it is incomplete."));
  }

  /** The newest version applied successfully (a baseline counts), newer releases' included. */
  private static Optional<MigrationVersion> appliedVersion(MigrationInfoService info) {
    return Arrays.stream(info.all())
        .filter(
            migration ->
                migration.isVersioned()
                    && migration.getState().isApplied()
                    && !migration.getState().isFailed()
                    && migration.getState() != MigrationState.DELETED
                    && migration.getState() != MigrationState.UNDONE)
        .map(MigrationInfo::getVersion)
        .max(Comparator.naturalOrder());
  }

  private static ExistingSchema inspect(DatabaseSettings settings, DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      return ExistingSchema.inspect(connection, HISTORY_TABLE);
    } catch (SQLException e) {
      throw new SchemaMigrationException(
          "Cannot connect to the "
              + settings.kind()
              + " database at "
              + settings.redactedUrl()
              + (settings.user().isEmpty() ? "" : " as user '" + settings.user() + "'")
              + " to check its schema: "
              + e.getMessage()
              + ". Check that it is running and check pulse.db.url, pulse.db.user and"
              + " pulse.db.password (PULSE_DB_URL, PULSE_DB_USER, PULSE_DB_PASSWORD).",
          e);
    }
  }

  private static DataSource dataSource(DatabaseSettings settings) {
    return switch (settings.kind()) {
      case H2 -> {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(settings.jdbcUrl());
        h2.setUser(settings.user());
        h2.setPassword(settings.password());
        yield h2;
      }
      case POSTGRES -> {
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(settings.jdbcUrl());
        // Left unset, the driver connects as the operating system user.
        if (!settings.user().isEmpty()) {
          postgres.setUser(settings.user());
        }
        if (!settings.password().isEmpty()) {
          postgres.setPassword(settings.password());
        }
        yield postgres;
      }
    };
  }

  private static void createDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the database directory "
              + directory
              + " (pulse.data-dir, PULSE_DATA_DIR): "
              + e.getMessage(),
          e);
    }
  }
}
