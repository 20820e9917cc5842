package io.pulse.persistence.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.SchemaMigrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A fresh embedded H2 file database in its own temporary data directory, laid out exactly as the
 * server's default (empty {@code pulse.db.url}) creates it.
 */
public final class H2TestDatabase implements TestDatabase {

  private final Path dataDirectory;
  private final Config pulseSettings;
  private final DatabaseSettings settings;

  private H2TestDatabase(Path dataDirectory, Config pulseSettings, DatabaseSettings settings) {
    this.dataDirectory = dataDirectory;
    this.pulseSettings = pulseSettings;
    this.settings = settings;
  }

  /** Creates the directory and applies the schema migrations, as the migrate command does. */
  public static H2TestDatabase create() {
    H2TestDatabase database = createEmpty();
    SchemaMigrations.migrate(database.settings);
    return database;
  }

  /** A data directory with no database in it yet: what a node finds on its first start. */
  public static H2TestDatabase createEmpty() {
    Path dataDirectory;
    try {
      dataDirectory = Files.createTempDirectory("pulse-h2-test-");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary H2 data directory", e);
    }
    Config pulseSettings =
        ConfigFactory.parseMap(
            Map.of(
                "pulse.data-dir", dataDirectory.toString(),
                "pulse.db.url", "",
                "pulse.db.user", "",
                "pulse.db.password", ""),
            "H2 test database");
    DatabaseSettings settings = DatabaseSettings.from(ConfigFactory.load(pulseSettings));
    return new H2TestDatabase(dataDirectory, pulseSettings, settings);
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public DatabaseKind kind() {
    return DatabaseKind.H2;
  }

  @Override
  public String jdbcUrl() {
    return settings.jdbcUrl();
  }

  @Override
  public String user() {
    return settings.user();
  }

  @Override
  public String password() {
    return settings.password();
  }

  @Override
  public Config pulseSettings() {
    return pulseSettings;
  }

  @Override
  public DatabaseSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (!Files.exists(dataDirectory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dataDirectory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete H2 test database " + dataDirectory, e);
    }
  }

  @Override
  public String toString() {
    return "H2TestDatabase[" + dataDirectory + "]";
  }
}
