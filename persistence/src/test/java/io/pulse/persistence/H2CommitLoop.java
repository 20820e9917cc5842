package io.pulse.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * Runs in a child JVM for {@link H2CrashDurabilityTest}: commits rows one by one, prints each
 * committed count, then waits to be killed without closing the database.
 */
final class H2CommitLoop {

  private H2CommitLoop() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    int rows = Integer.parseInt(args[2]);
    Connection connection = DriverManager.getConnection(url, user, "");
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS commit_probe (id BIGINT PRIMARY KEY)");
    }
    connection.setAutoCommit(false);
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO commit_probe (id) VALUES (?)")) {
      for (int id = 1; id <= rows; id++) {
        insert.setLong(1, id);
        insert.executeUpdate();
        connection.commit();
        System.out.println(id);
      }
    }
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
