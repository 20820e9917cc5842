package io.pulse.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.apache.pekko.pattern.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.FiniteDuration;

class JournalFailuresTest {

  /** How the journal plugin hands a failed write to an entity: wrapped, more than once. */
  private static Throwable asTheEntitySeesIt(Throwable cause) {
    return new IllegalStateException(
        "Failed to persist event type [...]", new CompletionException(cause));
  }

  @Test
  void aConnectionRefusedLostOrTimedOutSaysTheDatabaseIsOutOfReach() {
    Throwable refused =
        new SQLException(
            "Connection to 127.0.0.1:5432 refused.", "08001", new ConnectException("refused"));
    Throwable lost =
        new SQLException(
            "An I/O error occurred while sending to the backend.", "08006", new EOFException());
    Throwable noConnection =
        new SQLTransientConnectionException(
            "db - Connection is not available, request timed out after 1000ms.");

    assertTrue(JournalFailures.isConnectivity(asTheEntitySeesIt(refused)));
    assertTrue(JournalFailures.isConnectivity(asTheEntitySeesIt(lost)));
    assertTrue(JournalFailures.isConnectivity(asTheEntitySeesIt(noConnection)));
    assertTrue(
        JournalFailures.isConnectivity(
            asTheEntitySeesIt(new SQLException("terminating connection", "57P01"))));
    assertTrue(
        JournalFailures.isConnectivity(asTheEntitySeesIt(new SQLException("Connection is closed"))),
        "a pooled connection closed after it broke");
    assertEquals("connection refused", JournalFailures.reasonOf(asTheEntitySeesIt(refused)));
    assertEquals("connection lost", JournalFailures.reasonOf(asTheEntitySeesIt(lost)));
    assertEquals("no connection available", JournalFailures.reasonOf(noConnection));
  }

  @Test
  void anOpenCircuitBreakerSaysSoToo() {
    Throwable open =
        new CircuitBreakerOpenException(
            FiniteDuration.apply(500, "ms"), "Circuit Breaker is open; calls are failing fast");

    assertTrue(JournalFailures.isConnectivity(asTheEntitySeesIt(open)));
    assertEquals(
        "writes paused after repeated failures", JournalFailures.reasonOf(asTheEntitySeesIt(open)));
  }

  @Test
  void aStatementTheDatabaseRefusedIsNotAnOutage() {
    Throwable duplicate =
        new SQLIntegrityConstraintViolationException("duplicate key value", "23505");
    Throwable bug = new IllegalArgumentException("cannot serialize");

    assertFalse(JournalFailures.isConnectivity(asTheEntitySeesIt(duplicate)));
    assertFalse(JournalFailures.isConnectivity(asTheEntitySeesIt(bug)));
    assertEquals("the database failed a query", JournalFailures.reasonOf(duplicate));
  }

  @Test
  void reasonsNameNoClassAndNoCredentials() {
    assertEquals(
        "authentication failed",
        JournalFailures.reasonOf(
            new SQLException("password authentication failed for user \"pulse\"", "28P01")));
    assertEquals(
        "the database is starting up",
        JournalFailures.reasonOf(new SQLException("the database system is starting up", "57P03")));
    assertEquals(
        "the database does not exist",
        JournalFailures.reasonOf(new SQLException("database \"pulse\" does not exist", "3D000")));
  }

  @Test
  void aCauseChainThatLoopsEnds() {
    SQLException first = new SQLException("first");
    SQLException second = new SQLException("second", first);
    first.setNextException(second);

    assertFalse(JournalFailures.isConnectivity(first));
    assertEquals("the database failed a query", JournalFailures.reasonOf(first));
  }
}
