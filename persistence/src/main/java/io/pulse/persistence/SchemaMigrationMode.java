package io.pulse.persistence;

import java.util.Locale;

/**
 * What a node does with the database schema when it starts ({@code pulse.db.migrate}); the {@code
 * migrate} command always migrates, whatever this says.
 */
public enum SchemaMigrationMode {
  /** Applies pending migrations (baselining a database of a release before migrations) first. */
  AUTO,
  /**
   * Changes nothing; fails unless the schema has this release's version and Flyway validates it:
   * every applied migration matches this release's file (name, type, checksum), none has failed,
   * none is pending. A newer schema (a later release's migrations) passes.
   */
  VALIDATE,
  /**
   * Changes nothing; fails only when the schema history does not reach this release's version.
   * Checksums are not compared.
   */
  OFF;

  /** The setting's spelling in {@code pulse.db.migrate}. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static SchemaMigrationMode parse(String setting) {
    return switch (setting.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "validate" -> VALIDATE;
      case "off" -> OFF;
      default ->
          throw new IllegalArgumentException(
              "pulse.db.migrate (PULSE_DB_MIGRATE) must be auto, validate or off; got '"
                  + setting
                  + "'");
    };
  }
}
