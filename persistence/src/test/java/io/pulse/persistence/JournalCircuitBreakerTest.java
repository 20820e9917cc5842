package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.pulse.persistence.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/**
 * The journal reports its circuit breaker's real state: closed while the database answers, open
 * after the configured number of failures in a row, half-open once the reset timeout has passed,
 * and closed again after a call succeeds.
 */
class JournalCircuitBreakerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void theBreakerStateFollowsTheJournalThroughFailuresAndRecovery() throws Exception {
    try (TestDatabase database = TestDatabase.create(DatabaseKind.H2)) {
      ActorTestKit testKit =
          ActorTestKit.create(
              "breaker",
              database.config(
                  ConfigFactory.parseString(
                      "jdbc-journal.circuit-breaker { max-failures = 2, reset-timeout = 1s }")));
      try {
        JournalCircuitBreaker breaker = JournalCircuitBreaker.get(testKit.system());

        // given a journal that works
        recover(testKit);
        assertEquals(JournalCircuitBreaker.State.CLOSED, breaker.state());
        assertEquals(0, breaker.openings());

        // when its table is gone, two recoveries in a row fail and the breaker opens
        execute(database, "ALTER TABLE PUBLIC.\"event_journal\" RENAME TO \"event_journal_away\"");
        startRecovery(testKit);
        startRecovery(testKit);
        await(breaker::state, JournalCircuitBreaker.State.OPEN);
        assertEquals(1, breaker.openings());

        // then after the reset timeout it lets a call try again, and a success closes it
        execute(database, "ALTER TABLE PUBLIC.\"event_journal_away\" RENAME TO \"event_journal\"");
        await(breaker::state, JournalCircuitBreaker.State.HALF_OPEN);
        recover(testKit);
        assertEquals(JournalCircuitBreaker.State.CLOSED, breaker.state());
        assertEquals(1, breaker.openings());
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  /** Starts a new tally and waits until it has recovered: a journal query that succeeds. */
  private static void recover(ActorTestKit testKit) {
    TestProbe<Tally.Observation> observer = testKit.createTestProbe();
    testKit.spawn(Tally.create(UUID.randomUUID().toString(), "", observer.getRef()));
    observer.expectMessage(WAIT, new Tally.Recovered(Tally.State.EMPTY, 0));
  }

  /** Starts a new tally, whose recovery asks the journal once. */
  private static void startRecovery(ActorTestKit testKit) throws InterruptedException {
    TestProbe<Tally.Observation> observer = testKit.createTestProbe();
    testKit.spawn(Tally.create(UUID.randomUUID().toString(), "", observer.getRef()));
    // One at a time, so that each recovery is a failure of its own.
    Thread.sleep(200);
  }

  private static void execute(TestDatabase database, String sql) throws SQLException {
    try (Connection connection = JournalTables.connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static <T> void await(Supplier<T> actual, T expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!expected.equals(actual.get()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(expected, actual.get());
  }
}
