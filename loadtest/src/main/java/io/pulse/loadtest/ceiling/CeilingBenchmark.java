package io.pulse.loadtest.ceiling;

import io.pulse.loadtest.ceiling.CeilingResult.MethodResult;
import io.pulse.loadtest.ceiling.CeilingSettings.Method;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Measures how fast PostgreSQL itself can take journal rows, as the ceiling Pulse is compared with:
 * a scratch table shaped exactly like Pekko Persistence JDBC's {@code event_journal} is filled by
 * batched INSERTs and by binary COPY, each on a fresh table, and dropped afterwards.
 */
public final class CeilingBenchmark {

  /** Same columns, types, keys and index as Pekko Persistence JDBC 1.1's PostgreSQL schema. */
  private static final String CREATE_TABLE =
      """
      CREATE TABLE %1$s (
        ordering BIGSERIAL,
        persistence_id VARCHAR(255) NOT NULL,
        sequence_number BIGINT NOT NULL,
        deleted BOOLEAN DEFAULT FALSE NOT NULL,
        writer VARCHAR(255) NOT NULL,
        write_timestamp BIGINT,
        adapter_manifest VARCHAR(255),
        event_ser_id INTEGER NOT NULL,
        event_ser_manifest VARCHAR(255) NOT NULL,
        event_payload BYTEA NOT NULL,
        meta_ser_id INTEGER,
        meta_ser_manifest VARCHAR(255),
        meta_payload BYTEA,
        PRIMARY KEY(persistence_id, sequence_number)
      )""";

  private static final String CREATE_ORDERING_INDEX =
      "CREATE UNIQUE INDEX %1$s_ordering_idx ON %1$s(ordering)";

  private static final String COLUMNS =
      "persistence_id, sequence_number, deleted, writer, write_timestamp, adapter_manifest,"
          + " event_ser_id, event_ser_manifest, event_payload, meta_ser_id, meta_ser_manifest,"
          + " meta_payload";

  private static final byte[] COPY_SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
  };
  private static final int COPY_CHUNK_BYTES = 1 << 20;
  private static final List<String> REPORTED_SETTINGS =
      List.of(
          "synchronous_commit",
          "fsync",
          "wal_level",
          "full_page_writes",
          "wal_compression",
          "shared_buffers",
          "max_wal_size",
          "checkpoint_timeout");

  private final CeilingSettings settings;
  private final PrintStream log;

  public CeilingBenchmark(CeilingSettings settings, PrintStream log) {
    this.settings = settings;
    this.log = log;
  }

  /** Runs the selected methods and returns their figures; scratch tables are always dropped. */
  public CeilingResult measure() throws SQLException {
    JournalRows rows = new JournalRows(settings.persistenceIds());
    String version;
    Map<String, String> serverSettings;
    try (Connection connection = settings.jdbc().connect()) {
      version = queryString(connection, "SELECT version()");
      serverSettings = serverSettings(connection);
    }
    MethodResult copy = null;
    MethodResult insert = null;
    if (settings.methods().contains(Method.COPY)) {
      copy = onScratchTable(table -> copy(table, rows));
    }
    if (settings.methods().contains(Method.INSERT)) {
      insert = onScratchTable(table -> insert(table, rows));
    }
    return new CeilingResult(
        Instant.now().toString(),
        settings.rows(),
        settings.persistenceIds(),
        averagePayloadBytes(rows),
        copy,
        insert,
        version,
        serverSettings);
  }

  private interface TableJob {
    MethodResult run(String table) throws SQLException;
  }

  private MethodResult onScratchTable(TableJob job) throws SQLException {
    String table =
        "pulse_ceiling_journal_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    try (Connection connection = settings.jdbc().connect();
        Statement statement = connection.createStatement()) {
      statement.execute(String.format(CREATE_TABLE, table));
      statement.execute(String.format(CREATE_ORDERING_INDEX, table));
      checkpoint(statement);
    }
    try {
      Double loadAverage = systemLoadAverage();
      MethodResult result = job.run(table);
      result =
          new MethodResult(
              result.method(),
              result.rows(),
              result.seconds(),
              result.rowsPerSecond(),
              result.connections(),
              result.batchSize(),
              result.verifiedRows(),
              loadAverage);
      log.printf(
          "ceiling %-15s %,d rows in %.2f s: %,.0f rows/s%n",
          result.method(), result.rows(), result.seconds(), result.rowsPerSecond());
      return result;
    } finally {
      try (Connection connection = settings.jdbc().connect();
          Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS " + table);
      }
    }
  }

  /**
   * Flushes dirty pages before each method, so one method does not pay for the other's writes;
   * needs superuser (or pg_checkpoint), and is skipped otherwise.
   */
  private void checkpoint(Statement statement) {
    try {
      statement.execute("CHECKPOINT");
    } catch (SQLException e) {
      log.println("ceiling: CHECKPOINT not permitted, measuring without it");
    }
  }

  private MethodResult copy(String table, JournalRows rows) throws SQLException {
    int connections = (int) Math.min(settings.copyConnections(), settings.rows());
    String sql = "COPY " + table + " (" + COLUMNS + ") FROM STDIN (FORMAT binary)";
    double seconds =
        inParallel(
            connections,
            new Properties(),
            (connection, from, to) -> copyRange(connection, sql, rows, from, to));
    return result("copy-binary", table, seconds, connections, null);
  }

  private static void copyRange(
      Connection connection, String sql, JournalRows rows, long from, long to) throws SQLException {
    byte[] writer = rows.writer().getBytes(StandardCharsets.UTF_8);
    byte[] manifest = JournalRows.EVENT_MANIFEST.getBytes(StandardCharsets.UTF_8);
    byte[] chunk = new byte[COPY_CHUNK_BYTES];
    ByteBuffer buffer = ByteBuffer.wrap(chunk);
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      buffer.put(COPY_SIGNATURE).putInt(0).putInt(0);
      for (long row = from; row < to; row++) {
        if (buffer.remaining() < 4096) {
          copy.writeToCopy(chunk, 0, buffer.position());
          buffer.clear();
        }
        // Binary COPY tuple: field count, then per field its length (-1 for NULL) and bytes.
        buffer.putShort((short) 12);
        int lengthAt = buffer.position();
        int length = rows.writePersistenceId(row, chunk, lengthAt + 4);
        buffer.putInt(length).position(lengthAt + 4 + length);
        buffer.putInt(8).putLong(rows.sequenceNumber(row));
        buffer.putInt(1).put((byte) 0);
        buffer.putInt(writer.length).put(writer);
        buffer.putInt(8).putLong(rows.writeTimestamp(row));
        buffer.putInt(0);
        buffer.putInt(4).putInt(JournalRows.EVENT_SERIALIZER_ID);
        buffer.putInt(manifest.length).put(manifest);
        lengthAt = buffer.position();
        length = rows.writePayload(row, chunk, lengthAt + 4);
        buffer.putInt(length).position(lengthAt + 4 + length);
        buffer.putInt(-1).putInt(-1).putInt(-1);
      }
      buffer.putShort((short) -1);
      copy.writeToCopy(chunk, 0, buffer.position());
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private MethodResult insert(String table, JournalRows rows) throws SQLException {
    int connections = (int) Math.min(settings.insertConnections(), settings.rows());
    int batchSize = settings.insertBatchSize();
    String sql =
        "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    Properties properties = new Properties();
    // Lets the driver send a batch as multi-row INSERTs instead of one statement per row.
    properties.setProperty("reWriteBatchedInserts", "true");
    double seconds =
        inParallel(
            connections,
            properties,
            (connection, from, to) -> insertRange(connection, sql, rows, from, to, batchSize));
    return result("batched-insert", table, seconds, connections, batchSize);
  }

  private static void insertRange(
      Connection connection, String sql, JournalRows rows, long from, long to, int batchSize)
      throws SQLException {
    connection.setAutoCommit(false);
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int inBatch = 0;
      for (long row = from; row < to; row++) {
        statement.setString(1, rows.persistenceId(row));
        statement.setLong(2, rows.sequenceNumber(row));
        statement.setBoolean(3, false);
        statement.setString(4, rows.writer());
        statement.setLong(5, rows.writeTimestamp(row));
        statement.setString(6, JournalRows.ADAPTER_MANIFEST);
        statement.setInt(7, JournalRows.EVENT_SERIALIZER_ID);
        statement.setString(8, JournalRows.EVENT_MANIFEST);
        statement.setBytes(9, rows.payload(row));
        statement.setNull(10, Types.INTEGER);
        statement.setNull(11, Types.VARCHAR);
        statement.setNull(12, Types.BINARY);
        statement.addBatch();
        if (++inBatch == batchSize) {
          statement.executeBatch();
          connection.commit();
          inBatch = 0;
        }
      }
      if (inBatch > 0) {
        statement.executeBatch();
        connection.commit();
      }
    }
  }

  private interface RangeWriter {
    void write(Connection connection, long from, long to) throws SQLException;
  }

  /**
   * Splits the rows into contiguous ranges, one per connection, and times only the writing:
   * connections are opened before the clock starts.
   */
  private double inParallel(int connections, Properties properties, RangeWriter writer)
      throws SQLException {
    List<Connection> opened = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    try {
      for (int i = 0; i < connections; i++) {
        opened.add(settings.jdbc().connect(properties));
      }
      long total = settings.rows();
      List<Future<?>> futures = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < connections; i++) {
        long from = total * i / connections;
        long to = total * (i + 1) / connections;
        Connection connection = opened.get(i);
        futures.add(
            pool.submit(
                () -> {
                  writer.write(connection, from, to);
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      return (System.nanoTime() - started) / 1e9;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while writing rows", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException sql) {
        throw sql;
      }
      throw new SQLException("writing rows failed: " + cause, cause);
    } finally {
      pool.shutdownNow();
      for (Connection connection : opened) {
        connection.close();
      }
    }
  }

  private MethodResult result(
      String method, String table, double seconds, int connections, Integer batchSize)
      throws SQLException {
    long verified;
    try (Connection connection = settings.jdbc().connect()) {
      verified = Long.parseLong(queryString(connection, "SELECT count(*) FROM " + table));
    }
    if (verified != settings.rows()) {
      throw new SQLException(
          method + " wrote " + verified + " rows, expected " + settings.rows() + " in " + table);
    }
    double rowsPerSecond = settings.rows() / seconds;
    return new MethodResult(
        method,
        settings.rows(),
        Math.round(seconds * 1000) / 1000.0,
        Math.round(rowsPerSecond * 10) / 10.0,
        connections,
        batchSize,
        verified,
        null);
  }

  /** The one-minute load average, or null where the platform has none. */
  public static Double systemLoadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? null : Math.round(load * 100) / 100.0;
  }

  private double averagePayloadBytes(JournalRows rows) {
    byte[] buffer = new byte[JournalRows.MAX_PAYLOAD_BYTES];
    long sample = Math.min(settings.rows(), 10_000);
    long total = 0;
    for (long row = 0; row < sample; row++) {
      total += rows.writePayload(row, buffer, 0);
    }
    return Math.round(total * 10.0 / sample) / 10.0;
  }

  private static Map<String, String> serverSettings(Connection connection) throws SQLException {
    Map<String, String> values = new LinkedHashMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT current_setting(?, true)")) {
      for (String name : REPORTED_SETTINGS) {
        statement.setString(1, name);
        try (ResultSet result = statement.executeQuery()) {
          if (result.next() && result.getString(1) != null) {
            values.put(name, result.getString(1));
          }
        }
      }
    }
    return values;
  }

  private static String queryString(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
