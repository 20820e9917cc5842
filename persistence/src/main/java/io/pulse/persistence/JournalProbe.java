package io.pulse.persistence;

import com.typesafe.config.Config;
import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.journal.JournalFailures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.db.SlickExtension;
import org.apache.pekko.persistence.jdbc.db.SlickExtensionImpl;

/**
 * Checks, every {@code interval} and on a thread and a connection of its own, that the journal
 * database answers, and tells the node's {@link JournalAvailability}. Nothing that waits for the
 * database (a full pool, a queue of journal work, a connection attempt) slows the answer readiness
 * and ingestion read, since they read the last one.
 *
 * <p>A journal found unavailable is found available again only once the journal's own connection
 * pool also hands out a working connection: the database answering the probe is not yet the journal
 * being able to write.
 */
public final class JournalProbe implements AutoCloseable {

  /** Tuning, from {@code pulse.journal.probe}. */
  public record Settings(Duration interval, Duration timeout) {

    public static Settings fromConfig(Config config) {
      Config probe = config.getConfig("pulse.journal.probe");
      return new Settings(probe.getDuration("interval"), probe.getDuration("timeout"));
    }
  }

  private final DatabaseSettings database;
  private final Settings settings;
  private final JournalAvailability availability;
  private final JournalConnections journalConnections;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean checkQueued = new AtomicBoolean();
  private volatile boolean stopped;

  /** Only touched on the probe's thread. */
  private Connection connection;

  /** Where the journal itself gets its connections. */
  @FunctionalInterface
  interface JournalConnections {
    Connection get() throws SQLException;
  }

  JournalProbe(
      DatabaseSettings database,
      Settings settings,
      JournalAvailability availability,
      JournalConnections journalConnections) {
    this.database = database;
    this.settings = settings;
    this.availability = availability;
    this.journalConnections = journalConnections;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "pulse-journal-probe");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts probing the journal of {@code system}, and stops when the node starts to shut down (a
   * database closed by the shutdown is not an outage).
   */
  public static JournalProbe start(
      ActorSystem<?> system, DatabaseSettings database, Settings settings) {
    Config journalConfig = system.settings().config().getConfig("jdbc-journal");
    JournalProbe probe =
        new JournalProbe(
            database,
            settings,
            JournalAvailability.get(system),
            () ->
                // The Scala extension id's type parameter is erased for Java: cast to what it
                // holds.
                ((SlickExtensionImpl) SlickExtension.get(Adapter.toClassic(system)))
                    .database(journalConfig)
                    .database()
                    .source()
                    .createConnection());
    probe.start();
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "stop-journal-probe",
            () -> {
              probe.close();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    system.getWhenTerminated().thenRun(probe::close);
    return probe;
  }

  void start() {
    availability.checkWith(this::checkSoon);
    executor.scheduleWithFixedDelay(
        this::check, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Checks as soon as the probe's thread is free, unless a check is already waiting for it. */
  void checkSoon() {
    if (!stopped && checkQueued.compareAndSet(false, true)) {
      try {
        executor.execute(this::check);
      } catch (java.util.concurrent.RejectedExecutionException shutDown) {
        checkQueued.set(false);
      }
    }
  }

  private void check() {
    checkQueued.set(false);
    if (stopped) {
      return;
    }
    try {
      ping(ownConnection());
      if (!availability.isAvailable()) {
        try (Connection pooled = journalConnections.get()) {
          ping(pooled);
        }
      }
      if (!stopped) {
        availability.reportAvailable();
      }
    } catch (SQLException | RuntimeException e) {
      closeConnection();
      if (!stopped) {
        availability.reportUnavailable(JournalFailures.reasonOf(e));
      }
    }
  }

  private Connection ownConnection() throws SQLException {
    if (connection == null) {
      Properties properties = database.connectionProperties();
      if (database.kind() == DatabaseKind.POSTGRES) {
        // A server that stops answering mid-check must not hold the probe longer than a check.
        String seconds = Long.toString(timeoutSeconds() + 1);
        properties.setProperty("socketTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
      }
      connection = DriverManager.getConnection(database.jdbcUrl(), properties);
    }
    return connection;
  }

  private void ping(Connection checked) throws SQLException {
    try (Statement statement = checked.createStatement()) {
      statement.setQueryTimeout((int) timeoutSeconds());
      statement.execute("SELECT 1");
    }
  }

  private long timeoutSeconds() {
    return Math.max(1, (settings.timeout().toMillis() + 999) / 1000);
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // gone either way
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      executor.execute(this::closeConnection);
    } catch (java.util.concurrent.RejectedExecutionException alreadyShutDown) {
      // the connection was closed when it shut down
    }
    executor.shutdown();
  }
}
