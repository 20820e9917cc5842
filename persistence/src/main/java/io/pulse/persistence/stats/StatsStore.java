package io.pulse.persistence.stats;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pulse.engine.domain.Saturating;
import io.pulse.engine.user.JournalTags;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.Rollback;
import io.pulse.persistence.stats.EngagementStats.HourlyCount;
import io.pulse.persistence.stats.EngagementStats.ReadPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The aggregate tables of {@code GET /v1/stats} and the offsets they were read up to. Plain JDBC on
 * a small pool of its own; callers run it on a blocking dispatcher.
 */
public final class StatsStore implements AutoCloseable {

  /** A journal tag the aggregates follow, and the name its offset is stored under. */
  record Feed(String tag, String reader) {}

  static final Feed CUSTOMERS = new Feed(JournalTags.CUSTOMER, "stats-customer");
  static final Feed TRANSITIONS = new Feed(JournalTags.TRANSITION, "stats-transition");
  static final List<Feed> FEEDS = List.of(CUSTOMERS, TRANSITIONS);

  private static final String TOTALS =
      "SELECT counter_name, total, amount FROM pulse_stats_total WHERE tenant = ?";
  private static final String SEGMENTS =
      "SELECT model, segment, members FROM pulse_stats_segment WHERE tenant = ? AND members <> 0";
  private static final String AUDIENCES =
      "SELECT audience, members FROM pulse_stats_audience WHERE tenant = ? AND members <> 0";
  private static final String HOURS =
      "SELECT utc_hour, transitions FROM pulse_stats_transition_hour"
          + " WHERE tenant = ? AND utc_hour >= ? AND utc_hour <= ?";
  private static final String YEAR =
      "SELECT COALESCE(SUM(orders), 0), COALESCE(SUM(latest_purchases), 0)"
          + " FROM pulse_stats_purchase_day WHERE tenant = ? AND utc_day >= ? AND utc_day <= ?";
  private static final String OFFSET = "SELECT read_offset FROM pulse_read_offset WHERE reader = ?";
  private static final String NEWEST = "SELECT MAX(event_id) FROM event_tag WHERE tag = ?";

  /** A row of {@code pulse_stats_total}. */
  private record Total(long total, double amount) {
    static final Total NONE = new Total(0, 0);
  }

  private final HikariDataSource dataSource;

  /** Opens a pool of {@code connections} to the journal database, named {@code name}. */
  public StatsStore(DatabaseSettings database, String name, int connections) {
    HikariConfig config = database.poolConfig(name, connections);
    config.setMinimumIdle(1);
    // A request waits this long at most for a connection before it answers 503.
    config.setConnectionTimeout(Math.max(5_000, database.connectionTimeout().toMillis()));
    this.dataSource = new HikariDataSource(config);
  }

  /** The journal offset {@code reader} has counted up to, if it has counted anything. */
  public OptionalLong offset(String reader) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return offset(connection, reader);
    }
  }

  /**
   * Adds {@code delta} to the tables and moves {@code reader}'s offset from {@code expected} to
   * {@code offset}, in one transaction. The offset moves only from where this reader last left it,
   * so a second reader under the same name (a singleton's overlapping hand-over) fails instead of
   * counting the same events twice.
   */
  void record(Map<String, StatsDelta> byTenant, String reader, OptionalLong expected, long offset)
      throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        moveOffset(connection, reader, expected, offset);
        for (Map.Entry<String, StatsDelta> tenant : byTenant.entrySet()) {
          record(connection, tenant.getKey(), tenant.getValue());
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        Rollback.keepingFailure(connection, e);
        throw e;
      }
    }
  }

  /** Adds one tenant's part of a batch to its rows. */
  private static void record(Connection connection, String tenant, StatsDelta delta)
      throws SQLException {
    addTotal(connection, tenant, StatsDelta.USERS, delta.users, 0);
    addTotal(connection, tenant, StatsDelta.ORDERS, delta.orders, delta.revenue);
    addTotal(connection, tenant, StatsDelta.CUSTOMERS, delta.customers, 0);
    addTotal(connection, tenant, StatsDelta.REPEAT_CUSTOMERS, delta.repeatCustomers, 0);
    addTotal(connection, tenant, StatsDelta.TRANSITIONS, delta.transitions, 0);
    for (Map.Entry<StatsDelta.Segment, Long> segment : delta.segments.entrySet()) {
      if (segment.getValue() != 0) {
        add(
            connection,
            "UPDATE pulse_stats_segment SET members = members + ?"
                + " WHERE tenant = ? AND model = ? AND segment = ?",
            "INSERT INTO pulse_stats_segment (members, tenant, model, segment)"
                + " VALUES (?, ?, ?, ?)",
            segment.getValue(),
            tenant,
            segment.getKey().model(),
            segment.getKey().segment());
      }
    }
    for (Map.Entry<String, Long> audience : delta.audiences.entrySet()) {
      if (audience.getValue() != 0) {
        add(
            connection,
            "UPDATE pulse_stats_audience SET members = members + ?"
                + " WHERE tenant = ? AND audience = ?",
            "INSERT INTO pulse_stats_audience (members, tenant, audience) VALUES (?, ?, ?)",
            audience.getValue(),
            tenant,
            audience.getKey());
      }
    }
    for (Map.Entry<Long, Long> hour : delta.transitionsByHour.entrySet()) {
      add(
          connection,
          "UPDATE pulse_stats_transition_hour SET transitions = transitions + ?"
              + " WHERE tenant = ? AND utc_hour = ?",
          "INSERT INTO pulse_stats_transition_hour (transitions, tenant, utc_hour)"
              + " VALUES (?, ?, ?)",
          hour.getValue(),
          tenant,
          hour.getKey());
    }
    Map<Long, long[]> days = new TreeMap<>();
    delta.ordersByDay.forEach(
        (day, orders) -> days.computeIfAbsent(day, d -> new long[2])[0] = orders);
    delta.latestPurchasesByDay.forEach(
        (day, latest) -> days.computeIfAbsent(day, d -> new long[2])[1] = latest);
    for (Map.Entry<Long, long[]> day : days.entrySet()) {
      long[] change = day.getValue();
      if (change[0] != 0 || change[1] != 0) {
        addDay(connection, tenant, day.getKey(), change[0], change[1]);
      }
    }
  }

  /** The aggregates as they stand, with the windows of transitions and purchases ending at now. */
  public EngagementStats read(String tenant, Instant now) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      // Repeatable read, so that figures written by one transaction are seen together.
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      EngagementStats stats;
      try {
        stats = read(connection, tenant, now);
      } catch (SQLException | RuntimeException e) {
        Rollback.keepingFailure(connection, e);
        throw e;
      }
      connection.rollback();
      return stats;
    }
  }

  private static EngagementStats read(Connection connection, String tenant, Instant now)
      throws SQLException {
    // The read positions first, then the figures. PostgreSQL's repeatable read sees one snapshot
    // of every table; H2's takes each table's as the transaction first reads it, so figures read
    // before the offsets could miss a batch whose offset they then show: "caught up" over figures
    // that are not. Read in this order, the figures hold at least what the offsets say.
    List<ReadPosition> readSide = new ArrayList<>(FEEDS.size());
    for (Feed feed : FEEDS) {
      readSide.add(
          new ReadPosition(
              feed.tag(), offset(connection, feed.reader()).orElse(0), newest(connection, feed)));
    }
    Map<String, Total> totals = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(TOTALS)) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          totals.put(
              rows.getString(1), new Total(rows.getLong(2), Saturating.clamp(rows.getDouble(3))));
        }
      }
    }
    Map<String, Map<String, Long>> segments = new TreeMap<>();
    try (PreparedStatement select = connection.prepareStatement(SEGMENTS)) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          segments
              .computeIfAbsent(rows.getString(1), model -> new TreeMap<>())
              .put(rows.getString(2), rows.getLong(3));
        }
      }
    }
    Map<String, Long> audiences = new TreeMap<>();
    try (PreparedStatement select = connection.prepareStatement(AUDIENCES)) {
      select.setString(1, tenant);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          audiences.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    long lastHour = StatsDelta.utcHour(now);
    long firstHour = lastHour - EngagementStats.HOURS + 1;
    Map<Long, Long> byHour = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(HOURS)) {
      select.setString(1, tenant);
      select.setLong(2, firstHour);
      select.setLong(3, lastHour);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          byHour.put(rows.getLong(1), rows.getLong(2));
        }
      }
    }
    List<HourlyCount> hours = new ArrayList<>(EngagementStats.HOURS);
    for (long hour = firstHour; hour <= lastHour; hour++) {
      hours.add(new HourlyCount(StatsDelta.startOfHour(hour), byHour.getOrDefault(hour, 0L)));
    }
    long today = StatsDelta.utcDay(now);
    long ordersInYear;
    long customersInYear;
    try (PreparedStatement select = connection.prepareStatement(YEAR)) {
      select.setString(1, tenant);
      select.setLong(2, today - EngagementStats.FREQUENCY_DAYS + 1);
      select.setLong(3, today);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        ordersInYear = row.getLong(1);
        customersInYear = row.getLong(2);
      }
    }
    return new EngagementStats(
        now,
        total(totals, StatsDelta.USERS).total(),
        total(totals, StatsDelta.CUSTOMERS).total(),
        total(totals, StatsDelta.REPEAT_CUSTOMERS).total(),
        total(totals, StatsDelta.ORDERS).total(),
        total(totals, StatsDelta.ORDERS).amount(),
        segments,
        audiences,
        hours,
        total(totals, StatsDelta.TRANSITIONS).total(),
        ordersInYear,
        customersInYear,
        readSide);
  }

  private static Total total(Map<String, Total> totals, String name) {
    return totals.getOrDefault(name, Total.NONE);
  }

  private static OptionalLong offset(Connection connection, String reader) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(OFFSET)) {
      select.setString(1, reader);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  private static long newest(Connection connection, Feed feed) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(NEWEST)) {
      select.setString(1, feed.tag());
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  private static void moveOffset(
      Connection connection, String reader, OptionalLong expected, long offset)
      throws SQLException {
    if (expected.isEmpty()) {
      // A concurrent first write under the same name fails here on the primary key.
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO pulse_read_offset (reader, read_offset) VALUES (?, ?)")) {
        insert.setString(1, reader);
        insert.setLong(2, offset);
        insert.executeUpdate();
      }
      return;
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE pulse_read_offset SET read_offset = ? WHERE reader = ? AND read_offset = ?")) {
      update.setLong(1, offset);
      update.setString(2, reader);
      update.setLong(3, expected.getAsLong());
      if (update.executeUpdate() != 1) {
        throw new SQLException(
            "the offset of "
                + reader
                + " is no longer "
                + expected.getAsLong()
                + ": another reader of the same name moved it");
      }
    }
  }

  private static void addTotal(
      Connection connection, String tenant, String name, long total, double amount)
      throws SQLException {
    if (total == 0 && amount == 0) {
      return;
    }
    // The sum saturates in the database too, so that no number of batches makes it infinite.
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE pulse_stats_total SET total = total + ?,"
                + " amount = LEAST(GREATEST(amount + ?, ?), ?) WHERE tenant = ? AND counter_name = ?")) {
      update.setLong(1, total);
      update.setDouble(2, amount);
      update.setDouble(3, -Saturating.LIMIT);
      update.setDouble(4, Saturating.LIMIT);
      update.setString(5, tenant);
      update.setString(6, name);
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO pulse_stats_total (total, amount, tenant, counter_name)"
                + " VALUES (?, ?, ?, ?)")) {
      insert.setLong(1, total);
      insert.setDouble(2, Saturating.clamp(amount));
      insert.setString(3, tenant);
      insert.setString(4, name);
      insert.executeUpdate();
    }
  }

  private static void addDay(
      Connection connection, String tenant, long day, long orders, long latestPurchases)
      throws SQLException {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE pulse_stats_purchase_day SET orders = orders + ?,"
                + " latest_purchases = latest_purchases + ? WHERE tenant = ? AND utc_day = ?")) {
      update.setLong(1, orders);
      update.setLong(2, latestPurchases);
      update.setString(3, tenant);
      update.setLong(4, day);
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO pulse_stats_purchase_day (orders, latest_purchases, tenant, utc_day)"
                + " VALUES (?, ?, ?, ?)")) {
      insert.setLong(1, orders);
      insert.setLong(2, latestPurchases);
      insert.setString(3, tenant);
      insert.setLong(4, day);
      insert.executeUpdate();
    }
  }

  /**
   * Adds {@code change} to the row with key {@code key}, creating it when there is none: {@code
   * update} and {@code insert} both take the change first, then the key columns. Each row has one
   * writer (one reader name per table, guarded by its offset), so it cannot appear in between.
   */
  private static void add(
      Connection connection, String update, String insert, long change, Object... key)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(update)) {
      statement.setLong(1, change);
      for (int i = 0; i < key.length; i++) {
        statement.setObject(i + 2, key[i]);
      }
      if (statement.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      statement.setLong(1, change);
      for (int i = 0; i < key.length; i++) {
        statement.setObject(i + 2, key[i]);
      }
      statement.executeUpdate();
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
