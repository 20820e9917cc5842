package io.pulse.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pulse.engine.journal.JournalAvailability;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JournalStreamsTest {

  private static final RestartSettings RESTART =
      RestartSettings.create(Duration.ofMillis(50), Duration.ofMillis(100), 0);

  private ActorTestKit testKit;
  private JournalAvailability journal;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(JournalStreams.class);

  @BeforeEach
  void start() {
    testKit = ActorTestKit.create("JournalStreamsTest");
    journal = JournalAvailability.get(testKit.system());
    log.start();
    logger.addAppender(log);
    logger.setLevel(Level.DEBUG);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(log);
    logger.setLevel(null);
    testKit.shutdownTestKit();
  }

  private List<String> logged(Level level) {
    return log.list.stream()
        .filter(event -> event.getLevel().equals(level))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void aStreamStartsOverOnlyOnceTheJournalAnswersAndThenAtOnce() throws Exception {
    journal.reportUnavailable("connection refused");
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<String> first =
        JournalStreams.restarting(
                testKit.system(),
                "Reading",
                RESTART,
                () -> {
                  started.incrementAndGet();
                  return Source.single("read");
                })
            .runWith(Sink.head(), testKit.system())
            .toCompletableFuture();

    Thread.sleep(300);
    assertEquals(0, started.get(), "nothing read while the journal is unavailable");
    journal.reportAvailable();

    assertEquals("read", first.get(1, TimeUnit.SECONDS));
    assertEquals(1, started.get());
  }

  @Test
  void aFailureThatOnlySaysTheDatabaseIsGoneIsLoggedAtDebugAndOthersAsWarnings() throws Exception {
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<String> result =
        JournalStreams.restarting(
                testKit.system(),
                "Reading",
                RESTART,
                () ->
                    switch (started.incrementAndGet()) {
                      case 1 ->
                          Source.<String>failed(
                              new SQLTransientConnectionException("no connection available"));
                      case 2 -> Source.<String>failed(new IllegalStateException("a bug"));
                      default -> Source.single("read");
                    })
            .runWith(Sink.head(), testKit.system())
            .toCompletableFuture();

    assertEquals("read", result.get(5, TimeUnit.SECONDS));
    assertEquals(1, logged(Level.WARN).size(), "" + logged(Level.WARN));
    assertTrue(logged(Level.WARN).get(0).startsWith("Reading failed and starts over"));
    assertTrue(
        logged(Level.DEBUG).stream()
            .anyMatch(line -> line.startsWith("Reading failed while the journal is out of reach")));
  }

  @Test
  void aStreamStoppedWithTheNodeIsNoWarning() throws Exception {
    CompletableFuture<String> reading =
        JournalStreams.restarting(
                testKit.system(), "Reading", RESTART, () -> Source.<String>maybe())
            .runWith(Sink.head(), testKit.system())
            .toCompletableFuture();
    Thread.sleep(200);

    testKit.shutdownTestKit();

    assertTrue(
        reading.handle((read, failure) -> failure).get(5, TimeUnit.SECONDS) != null,
        "the stream ended with the node");
    assertEquals(List.of(), logged(Level.WARN));
    assertTrue(
        logged(Level.DEBUG).stream()
            .anyMatch(line -> line.startsWith("Reading stopped with the node")),
        "" + logged(Level.DEBUG));
  }
}
