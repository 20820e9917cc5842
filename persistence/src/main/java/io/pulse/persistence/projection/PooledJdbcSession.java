package io.pulse.persistence.projection;

import java.sql.Connection;
import java.sql.SQLException;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.projection.jdbc.JdbcSession;

/** One pooled connection in a transaction, as Pekko Projection JDBC uses it for its offsets. */
public final class PooledJdbcSession implements JdbcSession {

  private final Connection connection;

  PooledJdbcSession(Connection connection) {
    this.connection = connection;
  }

  @Override
  public <R> R withConnection(Function<Connection, R> use) throws Exception {
    return use.apply(connection);
  }

  @Override
  public void commit() throws SQLException {
    connection.commit();
  }

  @Override
  public void rollback() throws SQLException {
    connection.rollback();
  }

  /** Returns the connection to the pool. */
  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
