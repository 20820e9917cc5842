package io.pulse.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * What a tagged read side has not delivered yet, read straight from the journal tables, to measure
 * how far behind it is. Holds one connection of its own, opened on first use and reopened after a
 * failure; meant for a metrics scrape, not for the request path.
 */
public final class TaggedEventBacklog implements AutoCloseable {

  /** Stored events after an offset: how many, and when the oldest of them was written. */
  public record Backlog(long events, long oldestWriteTimestampMillis) {}

  private static final String NEWEST = "SELECT max(event_id) FROM event_tag WHERE tag = ?";

  private static final String AFTER =
      "SELECT count(*), min(j.write_timestamp) FROM event_tag t"
          + " JOIN event_journal j ON j.ordering = t.event_id"
          + " WHERE t.tag = ? AND t.event_id > ?";

  private final DatabaseSettings settings;
  private Connection connection;

  public TaggedEventBacklog(DatabaseSettings settings) {
    this.settings = settings;
  }

  /** The journal offset of the newest event with {@code tag}, 0 when there is none; blocks. */
  public synchronized long newestOffset(String tag) throws SQLException {
    try (PreparedStatement statement = prepare(NEWEST)) {
      statement.setString(1, tag);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  /** The events with {@code tag} stored after {@code afterOffset}; blocks on the database. */
  public synchronized Backlog after(String tag, long afterOffset) throws SQLException {
    try (PreparedStatement statement = prepare(AFTER)) {
      statement.setString(1, tag);
      statement.setLong(2, afterOffset);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? new Backlog(row.getLong(1), row.getLong(2)) : new Backlog(0, 0);
      }
    } catch (SQLException e) {
      close();
      throw e;
    }
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    if (connection == null) {
      Properties properties = new Properties();
      if (!settings.user().isEmpty()) {
        properties.setProperty("user", settings.user());
      }
      if (!settings.password().isEmpty()) {
        properties.setProperty("password", settings.password());
      }
      connection = DriverManager.getConnection(settings.jdbcUrl(), properties);
      connection.setReadOnly(true);
    }
    PreparedStatement statement = connection.prepareStatement(sql);
    statement.setQueryTimeout(5);
    return statement;
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is gone either way
      }
      connection = null;
    }
  }
}
