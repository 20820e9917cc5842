package io.pulse.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rolls back a transaction that failed without hiding why. A connection lost mid-transaction fails
 * the rollback too, with "connection is closed"; thrown in place of the first failure, that would
 * hide that the database went away, which is what the node's outage handling and the log need.
 */
public final class Rollback {

  private Rollback() {}

  /**
   * Rolls {@code connection} back after {@code failure}, which keeps the rollback's own failure.
   */
  public static void keepingFailure(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException | RuntimeException notRolledBack) {
      failure.addSuppressed(notRolledBack);
    }
  }
}
