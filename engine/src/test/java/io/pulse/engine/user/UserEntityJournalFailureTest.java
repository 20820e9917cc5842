package io.pulse.engine.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.TestClock;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.domain.Definitions;
import io.pulse.engine.domain.ScoringModel;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.domain.UserEngagement;
import io.pulse.engine.journal.JournalAvailability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A user whose journal write or recovery fails stops at once, answers the write it had in flight,
 * and starts afresh from the journal on its next command; while its node knows the journal is
 * unavailable the failure is logged at debug level only.
 */
class UserEntityJournalFailureTest {

  private static final ScoringModels MODELS = ScoringModels.of(ScoringModel.defaultEngagement());
  private static final UserEntitySettings SETTINGS = new UserEntitySettings(1024, 1000, 2);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static ActorTestKit testKit;
  private static PersistenceTestKit journal;

  private final TestClock clock = new TestClock(T0.plusSeconds(3600));
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeAll
  static void startSystem() {
    testKit =
        ActorTestKit.create(
            "UserEntityJournalFailureTest",
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
    journal.clearAll();
    journal.resetPolicy();
    log.start();
    root.addAppender(log);
  }

  @AfterEach
  void releaseTheLog() {
    root.detachAppender(log);
    JournalAvailability.get(testKit.system()).reportAvailable();
  }

  /** Users in memory, as the node's gauge counts them. */
  private final AtomicInteger active = new AtomicInteger();

  private final UserEntityObserver observer =
      new UserEntityObserver() {
        @Override
        public void started() {
          active.incrementAndGet();
        }

        @Override
        public void stopped() {
          active.decrementAndGet();
        }
      };

  private ActorRef<UserEntity.Command> spawn(String entityId) {
    return testKit.spawn(
        UserEntity.create(
            entityId, TenantModels.fixed(() -> Definitions.of(MODELS)), SETTINGS, observer, clock));
  }

  private static BehaviouralEvent event(String user, String eventId, String type, int minute) {
    return new BehaviouralEvent(
        eventId,
        user,
        type,
        type.equals("purchase") ? Channel.WEB : Channel.EMAIL,
        T0.plusSeconds(60L * minute),
        type.equals("purchase") ? Map.of("amount", 50.0) : Map.of());
  }

  private static UserEntity.PartsRecorded record(
      ActorRef<UserEntity.Command> user, long correlationId, List<BehaviouralEvent> events) {
    TestProbe<UserEntity.PartsRecorded> replies = testKit.createTestProbe();
    user.tell(
        new UserEntity.RecordParts(
            "user", List.of(new UserEntity.Part(correlationId, events)), replies.getRef()));
    return replies.receiveMessage(Duration.ofSeconds(5));
  }

  private static UserEngagement read(ActorRef<UserEntity.Command> user) {
    TestProbe<UserEngagement> replies = testKit.createTestProbe();
    user.tell(new UserEntity.GetEngagement(replies.getRef()));
    return replies.receiveMessage(Duration.ofSeconds(5));
  }

  private List<ILoggingEvent> errors() {
    return log.list.stream()
        .filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
        .toList();
  }

  @Test
  void aFailedWriteIsAnsweredUnconfirmedAtOnceAndTheUserStartsAfreshOnItsNextCommand() {
    String user = "w-" + UUID.randomUUID();
    String entityId = UserEntity.entityId("default", user);
    ActorRef<UserEntity.Command> first = spawn(entityId);
    assertEquals(
        new UserEntity.Recorded(1, 1, 0),
        record(first, 1, List.of(event(user, "e-1", "email_open", 0))).parts().get(0));

    // when the journal fails the next write while the node knows the journal is gone
    JournalAvailability.get(testKit.system()).reportUnavailable("connection refused");
    journal.failNextPersisted();
    TestProbe<Object> watcher = testKit.createTestProbe();
    UserEntity.PartsRecorded answer =
        record(first, 2, List.of(event(user, "e-2", "email_open", 1)));

    // then the write is answered as not confirmed, the user stops, and nothing is logged loudly
    assertEquals(List.of(UserEntity.Recorded.expired(2)), answer.parts());
    watcher.expectTerminated(first, Duration.ofSeconds(5));
    assertEquals(List.of(), errors());
    assertEquals(0, active.get());

    // and started again, it holds what the journal holds
    JournalAvailability.get(testKit.system()).reportAvailable();
    ActorRef<UserEntity.Command> again = spawn(entityId);
    assertEquals(1, read(again).metrics().events());
    assertEquals(
        new UserEntity.Recorded(3, 1, 0),
        record(again, 3, List.of(event(user, "e-2", "email_open", 1))).parts().get(0));
  }

  @Test
  void aWakeUpWhoseWriteFailsIsAnsweredWithAnErrorSoTheSchedulerTriesAgain() {
    String user = "d-" + UUID.randomUUID();
    ActorRef<UserEntity.Command> entity = spawn(UserEntity.entityId("default", user));
    record(
        entity,
        1,
        List.of(
            event(user, "p-1", "purchase", 0),
            event(user, "p-2", "purchase", 1),
            event(user, "p-3", "purchase", 2),
            event(user, "c-1", "email_click", 3)));
    // A year later decay has taken the user down a band: the wake-up has a transition to write.
    clock.advance(Duration.ofDays(365));

    JournalAvailability.get(testKit.system()).reportUnavailable("connection lost");
    journal.failNextPersisted();
    TestProbe<StatusReply<Done>> replies = testKit.createTestProbe();
    entity.tell(new UserEntity.WakeUp(clock.instant(), replies.getRef()));

    assertTrue(replies.receiveMessage(Duration.ofSeconds(5)).isError());
    testKit.createTestProbe().expectTerminated(entity, Duration.ofSeconds(5));
    assertEquals(List.of(), errors());
  }

  @Test
  void aFailedRecoveryStopsTheUserQuietlyWhileTheJournalIsKnownGone() {
    String user = "r-" + UUID.randomUUID();
    JournalAvailability.get(testKit.system()).reportUnavailable("connection refused");
    journal.failNextRead();

    ActorRef<UserEntity.Command> entity = spawn(UserEntity.entityId("default", user));

    testKit.createTestProbe().expectTerminated(entity, Duration.ofSeconds(5));
    assertEquals(List.of(), errors());
    assertEquals(0, active.get(), "a user that never started is not counted as leaving");
  }

  @Test
  void theNodeCountsTheUsersItIsLoadingAndNoneOnceLoadedFailedOrStopped() throws Exception {
    UserRecoveries recoveries = UserRecoveries.get(testKit.system());
    assertEquals(0, recoveries.inProgress());
    CountDownLatch release = new CountDownLatch(1);
    journal.withPolicy(holdingReadsOf("held-", release));
    List<ActorRef<UserEntity.Command>> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(spawn(UserEntity.entityId("default", "held-" + UUID.randomUUID())));
    }
    awaitRecovering(recoveries, 3);

    release.countDown();
    TestProbe<UserEngagement> replies = testKit.createTestProbe();
    held.forEach(entity -> entity.tell(new UserEntity.GetEngagement(replies.getRef())));
    replies.receiveSeveralMessages(3, Duration.ofSeconds(5));
    assertEquals(0, recoveries.inProgress(), "loaded");

    journal.resetPolicy();
    journal.failNextRead();
    ActorRef<UserEntity.Command> failing =
        spawn(UserEntity.entityId("default", "r-" + UUID.randomUUID()));
    testKit.createTestProbe().expectTerminated(failing, Duration.ofSeconds(5));
    assertEquals(0, recoveries.inProgress(), "a failed recovery ends too");

    CountDownLatch never = new CountDownLatch(1);
    journal.withPolicy(holdingReadsOf("held-", never));
    ActorRef<UserEntity.Command> stopped =
        spawn(UserEntity.entityId("default", "held-" + UUID.randomUUID()));
    awaitRecovering(recoveries, 1);
    testKit.stop(stopped, Duration.ofSeconds(5));
    // Read as the metric and the admission read it, from another thread: awaited, not sampled.
    awaitRecovering(recoveries, 0);
    never.countDown();
    journal.resetPolicy();
    assertEquals(3, active.get(), "the loaded users only, none that stopped while loading");
  }

  @Test
  void aUserStoppedWhileItsSnapshotLoadsIsNoLongerCountedAsLoading() throws Exception {
    UserRecoveries recoveries = UserRecoveries.get(testKit.system());
    SnapshotTestKit snapshots = SnapshotTestKit.create(testKit.system());
    CountDownLatch never = new CountDownLatch(1);
    snapshots.withPolicy(holdingReadsOf("snapshot-loading-", never));
    try {
      ActorRef<UserEntity.Command> stopped =
          spawn(UserEntity.entityId("default", "snapshot-loading-" + UUID.randomUUID()));
      awaitRecovering(recoveries, 1);
      testKit.stop(stopped, Duration.ofSeconds(5));
      awaitRecovering(recoveries, 0);
    } finally {
      never.countDown();
      snapshots.resetPolicy();
    }
  }

  /** Holds the store's operations for users whose ids contain {@code marker} until released. */
  private static <O> ProcessingPolicy<O> holdingReadsOf(String marker, CountDownLatch release) {
    return new ProcessingPolicy<>() {
      @Override
      public ProcessingResult tryProcess(String persistenceId, O operation) {
        if (persistenceId.contains(marker)) {
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return ProcessingSuccess.getInstance();
      }
    };
  }

  private static void awaitRecovering(UserRecoveries recoveries, int expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (recoveries.inProgress() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(expected, recoveries.inProgress(), "users being loaded");
  }

  @Test
  void aFailureWhileTheJournalAnswersIsAnErrorWithItsStackTrace() {
    String user = "x-" + UUID.randomUUID();
    ActorRef<UserEntity.Command> entity = spawn(UserEntity.entityId("default", user));
    journal.failNextPersisted();

    record(entity, 1, List.of(event(user, "e-1", "email_open", 0)));

    testKit.createTestProbe().expectTerminated(entity, Duration.ofSeconds(5));
    List<ILoggingEvent> errors = errors();
    assertEquals(1, errors.size(), "one line, from the entity, not from its supervisor too");
    assertTrue(errors.get(0).getFormattedMessage().startsWith("A write of default|" + user));
    assertTrue(errors.get(0).getThrowableProxy() != null);
  }

  @Test
  void aRejectedWriteIsAnsweredUnconfirmedToo() {
    String user = "j-" + UUID.randomUUID();
    ActorRef<UserEntity.Command> entity = spawn(UserEntity.entityId("default", user));
    journal.rejectNextPersisted();

    UserEntity.PartsRecorded answer =
        record(entity, 4, List.of(event(user, "e-1", "email_open", 0)));

    assertEquals(List.of(UserEntity.Recorded.expired(4)), answer.parts());
    testKit.createTestProbe().expectTerminated(entity, Duration.ofSeconds(5));
  }
}
