package io.pulse.persistence.wakeup;

import com.zaxxer.hikari.HikariDataSource;
import io.pulse.persistence.DatabaseKind;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.Rollback;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * The table of pending wake-ups, one row per user (its latest request), and the offset up to which
 * the journal's wake-up requests have been copied into it. Plain JDBC on a small pool of its own;
 * callers run it on a blocking dispatcher.
 */
public final class WakeUpStore implements AutoCloseable {

  private final HikariDataSource dataSource;
  private final String upsertWakeUp;
  private final String upsertOffset;

  public WakeUpStore(DatabaseSettings database) {
    this.dataSource = new HikariDataSource(database.poolConfig("pulse-wake-ups", 2));
    if (database.kind() == DatabaseKind.POSTGRES) {
      upsertWakeUp =
          "INSERT INTO pulse_wake_up (entity_id, due_at) VALUES (?, ?)"
              + " ON CONFLICT (entity_id) DO UPDATE SET due_at = EXCLUDED.due_at";
      upsertOffset =
          "INSERT INTO pulse_read_offset (reader, read_offset) VALUES (?, ?)"
              + " ON CONFLICT (reader) DO UPDATE SET read_offset = EXCLUDED.read_offset";
    } else {
      upsertWakeUp = "MERGE INTO pulse_wake_up (entity_id, due_at) KEY (entity_id) VALUES (?, ?)";
      upsertOffset =
          "MERGE INTO pulse_read_offset (reader, read_offset) KEY (reader) VALUES (?, ?)";
    }
  }

  /** The journal offset this reader has copied up to, if it has copied anything. */
  public OptionalLong offset(String reader) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT read_offset FROM pulse_read_offset WHERE reader = ?")) {
      select.setString(1, reader);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /**
   * Records the latest request of each user in {@code wakeUps} and the offset read up to, in one
   * transaction, so that a restart neither loses a request nor reads one twice into the table.
   */
  public void record(Collection<DueWakeUp> wakeUps, String reader, long offset)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement upsert = connection.prepareStatement(upsertWakeUp);
          PreparedStatement progress = connection.prepareStatement(upsertOffset)) {
        for (DueWakeUp wakeUp : wakeUps) {
          upsert.setString(1, wakeUp.entityId());
          upsert.setLong(2, ceilingMillis(wakeUp.dueAt()));
          upsert.addBatch();
        }
        upsert.executeBatch();
        progress.setString(1, reader);
        progress.setLong(2, offset);
        progress.executeUpdate();
        connection.commit();
      } catch (SQLException e) {
        Rollback.keepingFailure(connection, e);
        throw e;
      }
    }
  }

  /** The earliest wake-ups due at {@code now}, at most {@code limit}. */
  public List<DueWakeUp> due(Instant now, int limit) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT entity_id, due_at FROM pulse_wake_up WHERE due_at <= ?"
                    + " ORDER BY due_at LIMIT ?")) {
      select.setLong(1, now.toEpochMilli());
      select.setInt(2, limit);
      List<DueWakeUp> due = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          due.add(new DueWakeUp(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2))));
        }
      }
      return due;
    }
  }

  /** Removes a delivered wake-up, unless the user has asked for another one since. */
  public void delivered(DueWakeUp wakeUp) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM pulse_wake_up WHERE entity_id = ? AND due_at = ?")) {
      delete.setString(1, wakeUp.entityId());
      delete.setLong(2, wakeUp.dueAt().toEpochMilli());
      delete.executeUpdate();
    }
  }

  /** Rounded up, so that a wake-up is never delivered before its moment. */
  static long ceilingMillis(Instant at) {
    long millis = at.toEpochMilli();
    return at.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
