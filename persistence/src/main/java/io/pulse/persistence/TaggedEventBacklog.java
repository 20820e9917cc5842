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

  private static final String READ_OFFSET =
      "SELECT read_offset FROM pulse_read_offset WHERE reader = ?";

  private static final String PROJECTION_OFFSET =
      "SELECT current_offset, manifest FROM pekko_projection_offset_store"
          + " WHERE projection_name = ? AND projection_key = ?";

  /** The h2-dialect of Pekko Projection JDBC quotes its lower-case names. */
  private static final String H2_PROJECTION_OFFSET =
      "SELECT \"current_offset\", \"manifest\" FROM \"pekko_projection_offset_store\""
          + " WHERE \"projection_name\" = ? AND \"projection_key\" = ?";

  /** The manifest of a journal-ordering offset in the projection offset store. */
  private static final String SEQUENCE_MANIFEST = "SEQ";

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

  /**
   * The journal offset {@code side} has stored, 0 when it has stored none yet (it has read
   * nothing); blocks on the database.
   */
  public synchronized long storedOffset(ReadSide side) throws SQLException {
    boolean projection = side.projectionKey().isPresent();
    String sql =
        !projection
            ? READ_OFFSET
            : settings.kind() == DatabaseKind.H2 ? H2_PROJECTION_OFFSET : PROJECTION_OFFSET;
    try (PreparedStatement statement = prepare(sql)) {
      statement.setString(1, side.reader());
      if (projection) {
        statement.setString(2, side.projectionKey().get());
      }
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return 0;
        }
        if (!projection) {
          return row.getLong(1);
        }
        if (!SEQUENCE_MANIFEST.equals(row.getString(2))) {
          throw new SQLException(
              side.reader() + " stores an offset of kind " + row.getString(2) + ", not SEQ");
        }
        return Long.parseLong(row.getString(1));
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
