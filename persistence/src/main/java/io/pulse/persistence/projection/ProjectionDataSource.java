package io.pulse.persistence.projection;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pulse.persistence.DatabaseSettings;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A small connection pool on the journal's database for projection offsets, closed when the actor
 * system has terminated. Slick's pool belongs to the journal; the projection's few short
 * transactions get their own so that neither waits for the other.
 */
public final class ProjectionDataSource implements AutoCloseable {

  private final HikariDataSource pool;

  private ProjectionDataSource(HikariDataSource pool) {
    this.pool = pool;
  }

  /** A pool of {@code pulse.promotions.projection.pool-size} connections on {@code database}. */
  public static ProjectionDataSource start(ActorSystem<?> system, DatabaseSettings database) {
    int size = system.settings().config().getInt("pulse.promotions.projection.pool-size");
    HikariConfig config = database.poolConfig("pulse-projection", size);
    config.setMinimumIdle(1);
    config.setAutoCommit(false);
    ProjectionDataSource dataSource = new ProjectionDataSource(new HikariDataSource(config));
    system.getWhenTerminated().thenRun(dataSource::close);
    return dataSource;
  }

  /** A session of its own connection, in a transaction, for one offset read or write. */
  public PooledJdbcSession newSession() {
    try {
      return new PooledJdbcSession(connection());
    } catch (SQLException e) {
      throw new IllegalStateException("no connection for the projection offset store", e);
    }
  }

  Connection connection() throws SQLException {
    Connection connection = pool.getConnection();
    connection.setAutoCommit(false);
    return connection;
  }

  @Override
  public void close() {
    pool.close();
  }
}
