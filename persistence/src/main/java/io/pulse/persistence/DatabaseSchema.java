package io.pulse.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Applies the module's own journal DDL ({@code db/h2/schema.sql}, {@code db/postgres/schema.sql}),
 * the same files an operator runs by hand, over one short-lived JDBC connection.
 */
public final class DatabaseSchema {

  /**
   * Several nodes may start at once; concurrent {@code CREATE TABLE IF NOT EXISTS} on PostgreSQL
   * can still fail on its catalog's unique index, so the DDL runs under a transaction-scoped
   * advisory lock.
   */
  private static final long POSTGRES_SCHEMA_LOCK = 0x70756c73655f6464L;

  private DatabaseSchema() {}

  /**
   * Creates the embedded database's directory and applies the DDL when {@link
   * DatabaseSettings#createSchema()} is on; returns whether the DDL was applied.
   */
  public static boolean createIfEnabled(DatabaseSettings settings) {
    settings.localDirectory().ifPresent(DatabaseSchema::createDirectory);
    if (!settings.createSchema()) {
      return false;
    }
    create(settings);
    return true;
  }

  /** Applies the DDL whatever {@code createSchema()} says; harmless when the tables exist. */
  public static void create(DatabaseSettings settings) {
    settings.localDirectory().ifPresent(DatabaseSchema::createDirectory);
    String resource = settings.kind().schemaResource();
    List<String> statements = statements(script(resource));
    try (Connection connection = connect(settings)) {
      connection.setAutoCommit(false);
      if (settings.kind() == DatabaseKind.POSTGRES) {
        try (PreparedStatement lock =
            connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, POSTGRES_SCHEMA_LOCK);
          lock.execute();
        }
      }
      try (Statement statement = connection.createStatement()) {
        for (int i = 0; i < statements.size(); i++) {
          try {
            statement.execute(statements.get(i));
          } catch (SQLException e) {
            rollbackQuietly(connection, e);
            throw new IllegalStateException(
                "Statement "
                    + (i + 1)
                    + " of "
                    + resource
                    + " failed on "
                    + settings.redactedUrl()
                    + ": "
                    + e.getMessage(),
                e);
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not apply " + resource + " on " + settings.redactedUrl() + ": " + e.getMessage(),
          e);
    }
  }

  /** Splits a SQL script on semicolons outside quotes, dollar quotes and comments. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int length = script.length();
    int i = 0;
    while (i < length) {
      char c = script.charAt(i);
      char next = i + 1 < length ? script.charAt(i + 1) : '\0';
      if (c == '-' && next == '-') {
        int lineEnd = script.indexOf('\n', i);
        i = lineEnd < 0 ? length : lineEnd;
      } else if (c == '/' && next == '*') {
        int end = script.indexOf("*/", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("Unterminated /* comment at offset " + i);
        }
        current.append(' ');
        i = end + 2;
      } else if (c == '\'' || c == '"') {
        int end = closingQuote(script, i);
        current.append(script, i, end + 1);
        i = end + 1;
      } else if (c == '$' && dollarTag(script, i) != null) {
        String tag = dollarTag(script, i);
        int end = script.indexOf(tag, i + tag.length());
        if (end < 0) {
          throw new IllegalArgumentException("Unterminated " + tag + " quote at offset " + i);
        }
        current.append(script, i, end + tag.length());
        i = end + tag.length();
      } else if (c == ';') {
        addStatement(statements, current);
        i++;
      } else {
        current.append(c);
        i++;
      }
    }
    addStatement(statements, current);
    return statements;
  }

  static String script(String resource) {
    try (InputStream in = DatabaseSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Schema resource " + resource + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + resource, e);
    }
  }

  private static Connection connect(DatabaseSettings settings) {
    Properties properties = new Properties();
    if (!settings.user().isEmpty()) {
      properties.setProperty("user", settings.user());
    }
    if (!settings.password().isEmpty()) {
      properties.setProperty("password", settings.password());
    }
    try {
      // Registers the driver even when DriverManager's own lookup ran with a class loader that
      // could not see it.
      Class.forName(settings.kind().driverClassName(), true, DatabaseSchema.class.getClassLoader());
      return DriverManager.getConnection(settings.jdbcUrl(), properties);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "JDBC driver " + settings.kind().driverClassName() + " is not on the classpath", e);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot connect to the "
              + settings.kind()
              + " database at "
              + settings.redactedUrl()
              + (settings.user().isEmpty() ? "" : " as user '" + settings.user() + "'")
              + " to create the journal schema: "
              + e.getMessage()
              + ". Check that it is running and check pulse.db.url, pulse.db.user and"
              + " pulse.db.password (PULSE_DB_URL, PULSE_DB_USER, PULSE_DB_PASSWORD).",
          e);
    }
  }

  private static void rollbackQuietly(Connection connection, SQLException failure) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  private static void createDirectory(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the database directory "
              + directory
              + " (pulse.data-dir, PULSE_DATA_DIR): "
              + e.getMessage(),
          e);
    }
  }

  private static void addStatement(List<String> statements, StringBuilder current) {
    String statement = current.toString().strip();
    if (!statement.isEmpty()) {
      statements.add(statement);
    }
    current.setLength(0);
  }

  /** The index of the quote closing the one at {@code start}; a doubled quote is an escape. */
  private static int closingQuote(String script, int start) {
    char quote = script.charAt(start);
    int i = start + 1;
    while (i < script.length()) {
      if (script.charAt(i) == quote) {
        if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i;
      }
      i++;
    }
    throw new IllegalArgumentException("Unterminated " + quote + " quote at offset " + start);
  }

  /** The PostgreSQL dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code start}. */
  private static String dollarTag(String script, int start) {
    if (start > 0) {
      char previous = script.charAt(start - 1);
      if (Character.isLetterOrDigit(previous) || previous == '_' || previous == '$') {
        return null;
      }
    }
    int i = start + 1;
    while (i < script.length()) {
      char c = script.charAt(i);
      if (c == '$') {
        return script.substring(start, i + 1);
      }
      boolean identifierChar =
          Character.isLetter(c) || c == '_' || (i > start + 1 && Character.isDigit(c));
      if (!identifierChar) {
        return null;
      }
      i++;
    }
    return null;
  }
}
