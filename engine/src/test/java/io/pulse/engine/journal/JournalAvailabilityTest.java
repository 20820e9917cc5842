package io.pulse.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pulse.engine.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JournalAvailabilityTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

  private final TestClock clock = new TestClock(START);
  private final JournalAvailability availability = new JournalAvailability(clock);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(JournalAvailability.class);

  @BeforeEach
  void captureTheLog() {
    log.start();
    logger.addAppender(log);
    logger.setLevel(Level.INFO);
  }

  @AfterEach
  void releaseTheLog() {
    logger.detachAppender(log);
    logger.setLevel(null);
  }

  @Test
  void aNodeAssumesItsJournalAvailableUntilACheckSaysOtherwise() {
    JournalStatus status = availability.status();

    assertTrue(availability.isAvailable());
    assertEquals(JournalStatus.availableSince(START), status);
    assertTrue(availability.whenAvailable().toCompletableFuture().isDone());
    assertEquals(Duration.ZERO, availability.unavailableTime());
  }

  @Test
  void anOutageIsLoggedOnceWhenItBeginsAndOnceWhenItEndsHoweverOftenItIsChecked() {
    // given a journal found unavailable, then checked again and again
    clock.advance(Duration.ofSeconds(1));
    availability.reportUnavailable("connection refused");
    for (int check = 0; check < 20; check++) {
      clock.advance(Duration.ofMillis(500));
      availability.reportUnavailable("connection refused");
      availability.refused();
    }
    JournalStatus during = availability.status();

    // when it answers again, and then keeps answering
    clock.advance(Duration.ofMillis(500));
    availability.reportAvailable();
    clock.advance(Duration.ofMillis(500));
    availability.reportAvailable();

    // then the status said since when and why, and the log holds two lines
    assertEquals(
        new JournalStatus(false, START.plusSeconds(1), "connection refused", START.plusSeconds(11)),
        during);
    assertEquals(
        List.of(
            "WARN The journal database is unavailable (connection refused): writes are refused"
                + " with 503 until it answers again",
            "INFO The journal database answers again after 10500 ms unavailable; 20 writes were"
                + " refused meanwhile"),
        log.list.stream()
            .map(event -> event.getLevel() + " " + event.getFormattedMessage())
            .toList());
    assertEquals(
        new JournalStatus(true, START.plusMillis(11_500), "", START.plusSeconds(12)),
        availability.status());
  }

  @Test
  void outagesRefusedWritesAndTimeUnavailableAddUp() {
    availability.reportUnavailable("timed out");
    clock.advance(Duration.ofSeconds(3));
    availability.refused();
    availability.reportAvailable();
    clock.advance(Duration.ofSeconds(60));
    availability.reportUnavailable("connection lost");
    clock.advance(Duration.ofSeconds(2));

    assertEquals(2, availability.outages());
    assertEquals(1, availability.refusedWrites());
    // the current outage counts as far as it has gone
    assertEquals(Duration.ofSeconds(5), availability.unavailableTime());
    assertFalse(availability.isAvailable());
    assertEquals("connection lost", availability.status().reason());
  }

  @Test
  void listenersHearEveryChangeButNotTheChecksInBetween() {
    List<Boolean> heard = new ArrayList<>();
    Runnable stop = availability.onChange(status -> heard.add(status.available()));

    availability.reportAvailable();
    availability.reportUnavailable("connection refused");
    availability.reportUnavailable("connection refused");
    availability.reportAvailable();
    stop.run();
    availability.reportUnavailable("connection refused");

    assertEquals(List.of(false, true), heard);
  }

  @Test
  void whenAvailableWaitsForTheEndOfTheOutage() {
    availability.reportUnavailable("connection refused");
    CompletableFuture<?> waiting = availability.whenAvailable().toCompletableFuture();

    assertFalse(waiting.isDone());
    availability.reportAvailable();
    assertTrue(waiting.isDone());
  }

  @Test
  void suspectingTheJournalAsksTheProbeToCheckNow() {
    List<String> checks = new ArrayList<>();
    availability.suspect();
    availability.checkWith(() -> checks.add("now"));

    availability.suspect();

    assertEquals(List.of("now"), checks);
  }
}
