package io.pulse.engine.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.access.AccessRegistry;
import io.pulse.engine.model.ModelRegistry;
import io.pulse.engine.promotion.CampaignDirectory;
import io.pulse.engine.promotion.VoucherCodeEntity;
import io.pulse.engine.subscription.SubscriptionRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Every persistent entity besides the users (registries, campaign directory, voucher codes) stops
 * on a journal failure, to be started again by its next message, instead of restarting in a backoff
 * that outlasts the outage; while the node knows the journal is gone it does so without an error in
 * the log.
 */
class EntitiesStopOnJournalFailureTest {

  private static ActorTestKit testKit;
  private static PersistenceTestKit journal;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "EntitiesStopOnJournalFailureTest",
            EngineTestConfig.resolve(
                EngineTestConfig.engine().withFallback(EngineTestConfig.inMemoryPersistence())));
    journal = PersistenceTestKit.create(testKit.system());
  }

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void captureTheLog() {
    journal.resetPolicy();
    log.start();
    root.addAppender(log);
  }

  @AfterEach
  void releaseTheLog() {
    root.detachAppender(log);
    JournalAvailability.get(testKit.system()).reportAvailable();
  }

  static Stream<Arguments> entities() {
    Clock clock = Clock.systemUTC();
    return Stream.of(
        entity("model registry", ModelRegistry::create),
        entity("access registry", id -> AccessRegistry.create(clock)),
        entity("campaign directory", CampaignDirectory::create),
        entity("voucher code", id -> VoucherCodeEntity.create("CODE-" + id.substring(0, 8), clock)),
        entity("subscription registry", SubscriptionRegistry::create));
  }

  private static Arguments entity(String name, Function<String, Behavior<?>> create) {
    return Arguments.of(name, create);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entities")
  void anEntityWhoseRecoveryFailsStopsQuietlyWhileTheJournalIsKnownGone(
      String name, Function<String, Behavior<?>> create) {
    JournalAvailability.get(testKit.system()).reportUnavailable("connection refused");
    journal.failNextRead();

    ActorRef<?> entity = testKit.spawn(create.apply(UUID.randomUUID().toString().toUpperCase()));

    testKit.createTestProbe().expectTerminated(entity, Duration.ofSeconds(5));
    List<String> errors =
        log.list.stream()
            .filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertEquals(List.of(), errors, name);
  }
}
