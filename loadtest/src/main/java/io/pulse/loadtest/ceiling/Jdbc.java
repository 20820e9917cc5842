package io.pulse.loadtest.ceiling;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** JDBC connection settings for a PostgreSQL database. */
public record Jdbc(String url, String user, String password) {

  public Jdbc {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("expected a jdbc:postgresql: URL, got " + url);
    }
  }

  public Connection connect() throws SQLException {
    return connect(new Properties());
  }

  public Connection connect(Properties extra) throws SQLException {
    Properties properties = new Properties();
    properties.putAll(extra);
    if (user != null && !user.isEmpty()) {
      properties.setProperty("user", user);
    }
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    properties.putIfAbsent("ApplicationName", "pulse-loadtest");
    return DriverManager.getConnection(url, properties);
  }

  /** The same server and credentials, another database. */
  public Jdbc withDatabase(String database) {
    int slash = url.indexOf('/', "jdbc:postgresql://".length());
    if (!url.startsWith("jdbc:postgresql://") || slash < 0) {
      throw new IllegalArgumentException("cannot find the database name in " + url);
    }
    int query = url.indexOf('?', slash);
    String rest = query < 0 ? "" : url.substring(query);
    return new Jdbc(url.substring(0, slash + 1) + database + rest, user, password);
  }

  @Override
  public String toString() {
    return "Jdbc[url=" + url + ", user=" + user + "]";
  }
}
