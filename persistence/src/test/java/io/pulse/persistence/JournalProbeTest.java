package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.journal.JournalStatus;
import io.pulse.persistence.testing.DatabaseProxy;
import io.pulse.persistence.testing.PostgresTestDatabase;
import io.pulse.persistence.testing.TestDatabase;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal probe against a PostgreSQL behind a proxy the test cuts and restores: it finds the
 * database gone within a check, says why, and finds it back once the journal's own connections work
 * again.
 */
class JournalProbeTest {

  private static final JournalProbe.Settings FAST =
      new JournalProbe.Settings(Duration.ofMillis(100), Duration.ofSeconds(1));

  private ActorTestKit testKit;
  private JournalAvailability availability;
  private Instant assumed;
  private JournalProbe probe;

  @BeforeEach
  void startSystem() {
    testKit = ActorTestKit.create("JournalProbeTest");
    availability = JournalAvailability.get(testKit.system());
    assumed = availability.status().checkedAt();
  }

  @AfterEach
  void stopSystem() {
    if (probe != null) {
      probe.close();
    }
    testKit.shutdownTestKit();
  }

  private static DatabaseSettings throughProxy(TestDatabase database, DatabaseProxy proxy) {
    return DatabaseSettings.from(
        ConfigFactory.load(
            ConfigFactory.parseMap(
                Map.of(
                    "pulse.db.url", proxy.jdbcUrl(),
                    "pulse.db.user", database.user(),
                    "pulse.db.password", database.password()))));
  }

  private void startProbe(DatabaseSettings settings, JournalProbe.Settings timing) {
    probe =
        new JournalProbe(
            settings,
            timing,
            availability,
            () -> DriverManager.getConnection(settings.jdbcUrl(), settings.connectionProperties()));
    probe.start();
  }

  /** Whether the probe has checked at all: the node assumes the journal available till then. */
  private boolean checked(JournalStatus status) {
    return !status.checkedAt().equals(assumed);
  }

  private JournalStatus await(Predicate<JournalStatus> condition, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.test(availability.status())) {
        return availability.status();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("within " + within + ", still " + availability.status());
  }

  @Test
  void aCutDatabaseIsFoundGoneWithItsReasonAndFoundBackWhenRestored() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        DatabaseProxy proxy = DatabaseProxy.inFrontOf(database)) {
      startProbe(throughProxy(database, proxy), FAST);
      JournalStatus answering = await(this::checked, ONE);
      assertTrue(answering.available());

      Instant cut = Instant.now();
      proxy.cut();
      JournalStatus gone = await(status -> !status.available(), ONE);
      assertTrue(
          gone.reason().equals("connection lost") || gone.reason().equals("connection refused"),
          gone.reason());
      assertFalse(gone.since().isBefore(cut));
      JournalStatus stillGone =
          await(status -> status.checkedAt().isAfter(gone.checkedAt().plusMillis(300)), ONE);
      assertEquals("connection refused", stillGone.reason());
      assertEquals(gone.since(), stillGone.since());

      Instant restored = Instant.now();
      proxy.restore();
      JournalStatus back = await(JournalStatus::available, ONE);
      assertFalse(back.since().isBefore(restored));
      assertEquals(1, availability.outages());
    }
  }

  @Test
  void aSuspectedJournalIsCheckedAtOnceRatherThanAtTheNextInterval() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        DatabaseProxy proxy = DatabaseProxy.inFrontOf(database)) {
      startProbe(
          throughProxy(database, proxy),
          new JournalProbe.Settings(Duration.ofHours(1), Duration.ofSeconds(1)));
      await(this::checked, ONE);
      proxy.cut();
      Thread.sleep(200);
      assertTrue(availability.isAvailable(), "not checked again within the hour by itself");

      availability.suspect();

      assertFalse(await(status -> !status.available(), ONE).available());
    }
  }

  @Test
  void theEmbeddedDatabaseIsCheckedToo() throws Exception {
    try (TestDatabase database = TestDatabase.create(DatabaseKind.H2)) {
      startProbe(database.settings(), FAST);
      JournalStatus checked = await(this::checked, ONE);

      assertTrue(checked.available());
      assertEquals("", checked.reason());
    }
  }

  private static final Duration ONE = Duration.ofSeconds(1);
}
