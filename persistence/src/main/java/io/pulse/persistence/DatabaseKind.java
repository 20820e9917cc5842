package io.pulse.persistence;

/** The databases the journal supports: embedded H2 by default, PostgreSQL in production. */
public enum DatabaseKind {
  H2("org.h2.Driver", "slick.jdbc.H2Profile$", "db/migration/h2"),
  POSTGRES("org.postgresql.Driver", "slick.jdbc.PostgresProfile$", "db/migration/postgres");

  private final String driverClassName;
  private final String slickProfile;
  private final String migrationFolder;

  DatabaseKind(String driverClassName, String slickProfile, String migrationFolder) {
    this.driverClassName = driverClassName;
    this.slickProfile = slickProfile;
    this.migrationFolder = migrationFolder;
  }

  String driverClassName() {
    return driverClassName;
  }

  String slickProfile() {
    return slickProfile;
  }

  /**
   * The classpath folder of this kind's schema migrations ({@code V<n>__<description>.sql}); every
   * version exists for both kinds.
   */
  String migrationFolder() {
    return migrationFolder;
  }
}
