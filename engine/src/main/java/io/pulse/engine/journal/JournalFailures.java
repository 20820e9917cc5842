package io.pulse.engine.journal;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.pattern.CircuitBreakerOpenException;
import org.apache.pekko.persistence.typed.JournalPersistFailed;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.SignalHandlerBuilder;
import org.slf4j.Logger;

/**
 * How a persistent entity takes a journal failure: it stops at once, and is started afresh by
 * sharding on its next message, rather than waiting in a restart backoff that outlasts the outage;
 * the failure is logged once, at debug level when it only repeats that the database is gone (the
 * node logs that once), and as an error with its stack trace otherwise.
 */
public final class JournalFailures {

  /**
   * Stops an event-sourced behavior on its first journal failure, without logging: the Java DSL of
   * {@code EventSourcedBehavior} only takes a backoff for persistence failures, and a backoff that
   * allows no restart stops. The entity's signal handler logs the failure ({@link #report}).
   */
  public static BackoffSupervisorStrategy stopOnFirstFailure() {
    return SupervisorStrategy.restartWithBackoff(Duration.ofMillis(1), Duration.ofMillis(1), 0)
        .withMaxRestarts(0)
        .withLoggingEnabled(false);
  }

  /** Causes looked at, at most: a cause chain that loops must not hang the caller. */
  private static final int MAX_DEPTH = 32;

  private final JournalAvailability availability;

  public JournalFailures(JournalAvailability availability) {
    this.availability = availability;
  }

  /** The failure handling of the entities on {@code system}. */
  public static JournalFailures of(ActorSystem<?> system) {
    return new JournalFailures(JournalAvailability.get(system));
  }

  /**
   * Logs that {@code what} ("a write", "recovery") of {@code persistenceId} failed. A failure that
   * says the database is out of reach also asks the node to check the journal now.
   */
  public void report(Logger log, String persistenceId, String what, Throwable failure) {
    boolean unreachable = isConnectivity(failure);
    if (unreachable) {
      availability.suspect();
    }
    if (unreachable || !availability.isAvailable()) {
      if (log.isDebugEnabled()) {
        log.debug(
            "{} of {} failed while the journal is out of reach: {}",
            what,
            persistenceId,
            reasonOf(failure));
      }
      return;
    }
    log.error("{} of {} failed; the entity stops and starts afresh", what, persistenceId, failure);
  }

  /**
   * Adds to {@code signals} the report of a failed recovery or write of {@code persistenceId}, for
   * an entity that {@link #stopOnFirstFailure() stops on it}.
   */
  public <S> SignalHandlerBuilder<S> reportedIn(
      SignalHandlerBuilder<S> signals, Logger log, String persistenceId) {
    return signals
        .onSignal(
            RecoveryFailed.class,
            (state, failed) -> report(log, persistenceId, "Recovery", failed.getFailure()))
        .onSignal(
            JournalPersistFailed.class,
            (state, failed) -> report(log, persistenceId, "A write", failed.getFailure()));
  }

  /**
   * Whether {@code failure} says the database could not be reached or talked to (as opposed to a
   * statement it refused): a connection refused, lost or timed out, a pool without a connection, a
   * circuit breaker open after such failures, or a queue full of work waiting for them.
   */
  public static boolean isConnectivity(Throwable failure) {
    int depth = 0;
    for (Throwable cause = failure; cause != null && depth++ < MAX_DEPTH; cause = next(cause)) {
      if (cause instanceof SQLTransientConnectionException
          || cause instanceof SQLNonTransientConnectionException
          || cause instanceof ConnectException
          || cause instanceof NoRouteToHostException
          || cause instanceof UnknownHostException
          || cause instanceof SocketException
          || cause instanceof EOFException
          || cause instanceof InterruptedIOException
          || cause instanceof CircuitBreakerOpenException
          || cause instanceof TimeoutException
          || cause instanceof RejectedExecutionException) {
        return true;
      }
      if (cause instanceof SQLException sql
          && (isConnectionState(sql.getSQLState()) || isClosedByItsPool(sql))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why the database could not be used, in words an operator reads in a log line or a readiness
   * answer: never a class name, never a password.
   */
  public static String reasonOf(Throwable failure) {
    String fromState = null;
    int depth = 0;
    for (Throwable cause = failure; cause != null && depth++ < MAX_DEPTH; cause = next(cause)) {
      if (cause instanceof ConnectException) {
        return "connection refused";
      }
      if (cause instanceof UnknownHostException) {
        return "unknown host";
      }
      if (cause instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
        return "timed out";
      }
      if (cause instanceof EOFException
          || cause instanceof SocketException
          || (cause instanceof SQLException closed && isClosedByItsPool(closed))) {
        return "connection lost";
      }
      if (cause instanceof CircuitBreakerOpenException) {
        return "writes paused after repeated failures";
      }
      if (cause instanceof RejectedExecutionException) {
        return "too much work waiting for the database";
      }
      if (fromState == null && cause instanceof SQLException sql) {
        fromState = reasonOfState(sql.getSQLState());
      }
    }
    if (fromState != null) {
      return fromState;
    }
    if (failure instanceof SQLTransientConnectionException) {
      return "no connection available";
    }
    return "the database failed a query";
  }

  private static String reasonOfState(String state) {
    if (state == null || state.length() < 2) {
      return null;
    }
    String upper = state.toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "57P01", "57P02" -> "the database is shutting down";
      case "57P03" -> "the database is starting up";
      case "53300" -> "too many connections";
      case "3D000" -> "the database does not exist";
      default ->
          switch (upper.substring(0, 2)) {
            case "08" -> "connection failed";
            case "28" -> "authentication failed";
            case "53" -> "the database is out of resources";
            default -> null;
          };
    };
  }

  /**
   * HikariCP's answer to any use of a connection it has already closed, broken: a statement or a
   * rollback after the database went away. It carries no SQL state of its own.
   */
  private static boolean isClosedByItsPool(SQLException failure) {
    return failure.getSQLState() == null && "Connection is closed".equals(failure.getMessage());
  }

  private static boolean isConnectionState(String state) {
    if (state == null) {
      return false;
    }
    return state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("53300");
  }

  /** The cause behind {@code cause}, or the next exception of a JDBC batch failure. */
  private static Throwable next(Throwable cause) {
    Throwable next = cause.getCause();
    if (next == null && cause instanceof SQLException sql) {
      next = sql.getNextException();
    }
    return next == cause ? null : next;
  }
}
