package io.pulse.loadtest.cli;

import io.pulse.loadtest.ceiling.Jdbc;
import picocli.CommandLine.Option;

/** PostgreSQL connection options shared by the database subcommands. */
public final class JdbcOptions {
  @Option(
      names = "--jdbc-url",
      required = true,
      paramLabel = "URL",
      description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/pulse")
  String url;

  @Option(
      names = "--jdbc-user",
      paramLabel = "USER",
      defaultValue = "${env:PGUSER:-postgres}",
      description = "database user; $PGUSER when set")
  String user;

  @Option(
      names = "--jdbc-password",
      paramLabel = "PASSWORD",
      defaultValue = "${env:PGPASSWORD:-}",
      description = "database password; $PGPASSWORD when set")
  String password;

  Jdbc jdbc() {
    return new Jdbc(url, user, password);
  }
}
