package io.pulse.persistence;

/** The databases the journal supports: embedded H2 by default, PostgreSQL in production. */
public enum DatabaseKind {
  H2("org.h2.Driver", "slick.jdbc.H2Profile$", "db/h2/schema.sql"),
  POSTGRES("org.postgresql.Driver", "slick.jdbc.PostgresProfile$", "db/postgres/schema.sql");

  private final String driverClassName;
  private final String slickProfile;
  private final String schemaResource;

  DatabaseKind(String driverClassName, String slickProfile, String schemaResource) {
    this.driverClassName = driverClassName;
    this.slickProfile = slickProfile;
    this.schemaResource = schemaResource;
  }

  String driverClassName() {
    return driverClassName;
  }

  String slickProfile() {
    return slickProfile;
  }

  String schemaResource() {
    return schemaResource;
  }
}
