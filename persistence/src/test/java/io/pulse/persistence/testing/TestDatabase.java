package io.pulse.persistence.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.DatabaseSettings;

/**
 * A throwaway journal database for tests, on H2 or PostgreSQL, with the schema applied by the
 * module's own migrations, as the server and its migrate command apply them. Close it after the
 * actor systems using it have terminated.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(DatabaseKind.class)
 * void recovers(DatabaseKind kind) {
 *   try (TestDatabase database = TestDatabase.create(kind)) {
 *     ActorTestKit testKit = ActorTestKit.create(database.config());
 *     ...
 *     testKit.shutdownTestKit();
 *   }
 * }
 * }</pre>
 */
public interface TestDatabase extends AutoCloseable {

  /**
   * A fresh database of {@code kind}. For PostgreSQL this skips the calling test, or fails it, when
   * the server is unreachable (see {@link PostgresTestDatabase}).
   */
  static TestDatabase create(DatabaseKind kind) {
    return switch (kind) {
      case H2 -> H2TestDatabase.create();
      case POSTGRES -> PostgresTestDatabase.create();
    };
  }

  /** The same without any schema: what a node finds the first time it starts on a new database. */
  static TestDatabase createEmpty(DatabaseKind kind) {
    return switch (kind) {
      case H2 -> H2TestDatabase.createEmpty();
      case POSTGRES -> PostgresTestDatabase.createEmpty();
    };
  }

  DatabaseKind kind();

  /** The URL the journal uses, as {@link DatabaseSettings#jdbcUrl()} derives it. */
  String jdbcUrl();

  String user();

  String password();

  /** The {@code pulse.*} keys that select this database, for a test that builds its own config. */
  Config pulseSettings();

  /** The database settings the journal derives from {@link #pulseSettings()}. */
  default DatabaseSettings settings() {
    return DatabaseSettings.from(ConfigFactory.load(pulseSettings()));
  }

  /**
   * A complete, resolved ActorSystem config journaling to this database: the module's
   * persistence.conf and serialization.conf, every reference.conf, and the Slick settings from
   * {@link DatabaseSettings#resolve}, exactly as the server assembles them.
   */
  default Config config() {
    return config(ConfigFactory.empty());
  }

  /**
   * The same with {@code overrides} in front, before resolution, so that they may also change
   * {@code pulse.*} keys (say {@code pulse.read-journal.refresh-interval}) used by
   * persistence.conf.
   */
  default Config config(Config overrides) {
    ConfigParseOptions required = ConfigParseOptions.defaults().setAllowMissing(false);
    Config application =
        overrides
            .withFallback(pulseSettings())
            .withFallback(ConfigFactory.parseResources("persistence.conf", required))
            .withFallback(ConfigFactory.parseResources("serialization.conf", required));
    return DatabaseSettings.resolve(ConfigFactory.load(application));
  }

  /** Drops the database; calling it again does nothing. */
  @Override
  void close();
}
