package io.pulse.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pulse.engine.EngineTestConfig;
import io.pulse.engine.domain.BehaviouralEvent;
import io.pulse.engine.domain.Channel;
import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.journal.JournalUnavailableException;
import io.pulse.engine.user.UserEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ingestion against stand-in user entities that report what they receive, and that answer, or never
 * answer when their user id starts with "silent".
 */
class EventIngestionTest {

  private static final String TENANT = "t1";
  private static final int MAX_IN_FLIGHT_EVENTS = 6;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  /** One part a stand-in entity received. */
  private record Part(long correlationId, List<BehaviouralEvent> events) {}

  /** What a stand-in entity received. */
  private record Received(String entityId, Part command) {}

  private static ActorTestKit testKit;
  private static TestProbe<Received> received;
  private static EventIngestion ingestion;

  @BeforeAll
  static void startNode() {
    testKit =
        ActorTestKit.create(
            "EventIngestionTest",
            EngineTestConfig.resolve(
                ConfigFactory.parseString("pekko.actor.serialize-messages = off")
                    .withFallback(EngineTestConfig.selfJoinedCluster())
                    .withFallback(EngineTestConfig.engine())));
    ActorSystem<Void> system = testKit.system();
    received = testKit.createTestProbe();
    EngineTestConfig.joinSelf(system);
    ClusterSharding.get(system)
        .init(
            Entity.of(
                UserEntity.ENTITY_KEY,
                context -> standIn(context.getEntityId(), received.getRef())));
    ingestion = new EventIngestion(system, new IngestSettings(MAX_IN_FLIGHT_EVENTS, TIMEOUT));
    // Sharding is ready once one entity has answered; later tests then do not pay for it.
    TestProbe<UserEntity.PartsRecorded> warmUp = testKit.createTestProbe();
    String warmUpEntity = UserEntity.entityId(TENANT, "warm-up");
    ClusterSharding.get(system)
        .entityRefFor(UserEntity.ENTITY_KEY, warmUpEntity)
        .tell(
            new UserEntity.RecordParts(
                warmUpEntity,
                List.of(new UserEntity.Part(-1, List.of(), System.currentTimeMillis() + 1000)),
                warmUp.getRef()));
    warmUp.receiveMessage(Duration.ofSeconds(20));
    received.receiveMessage(WAIT);
  }

  @AfterAll
  static void stopNode() {
    testKit.shutdownTestKit();
  }

  @AfterEach
  void nothingIsLeftInFlight() {
    assertEquals(0, ingestion.inFlightEvents());
  }

  private static Behavior<UserEntity.Command> standIn(String entityId, ActorRef<Received> monitor) {
    return Behaviors.receive(UserEntity.Command.class)
        .onMessage(
            UserEntity.RecordParts.class,
            command -> {
              List<UserEntity.Recorded> replies = new java.util.ArrayList<>();
              for (UserEntity.Part part : command.parts()) {
                long now = System.currentTimeMillis();
                if (part.deadlineEpochMilli() <= 0
                    || part.deadlineEpochMilli() > now + TIMEOUT.toMillis()) {
                  // Every part carries its request's deadline: its start plus the ingest timeout.
                  throw new IllegalStateException("no deadline on " + part);
                }
                if (UserEntity.userIdOf(entityId).startsWith("expired")) {
                  monitor.tell(
                      new Received(entityId, new Part(part.correlationId(), part.events())));
                  replies.add(new UserEntity.Recorded(part.correlationId(), 0, 0, true));
                  continue;
                }
                monitor.tell(new Received(entityId, new Part(part.correlationId(), part.events())));
                int duplicates =
                    (int)
                        part.events().stream()
                            .filter(event -> event.eventId().startsWith("dup"))
                            .count();
                replies.add(
                    new UserEntity.Recorded(
                        part.correlationId(), part.events().size() - duplicates, duplicates));
              }
              if (!UserEntity.userIdOf(entityId).startsWith("silent")) {
                command.replyTo().tell(new UserEntity.PartsRecorded(command.entityId(), replies));
              }
              return Behaviors.same();
            })
        .build();
  }

  private static BehaviouralEvent event(String eventId, String userId) {
    return new BehaviouralEvent(eventId, userId, "page_view", Channel.WEB, T0, Map.of());
  }

  private static Map<String, Part> receive(int commands) {
    Map<String, Part> byEntity = new HashMap<>();
    for (Received message : received.receiveSeveralMessages(commands, WAIT)) {
      assertNull(byEntity.put(message.entityId(), message.command()), "one command per user");
    }
    return byEntity;
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    ExecutionException failure =
        assertThrows(
            ExecutionException.class, () -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    return failure.getCause();
  }

  @Test
  void eachUserGetsOneCommandWithItsEventsInOrder() throws Exception {
    BehaviouralEvent a1 = event("g-1", "g-ann");
    BehaviouralEvent b1 = event("g-2", "g-bob");
    BehaviouralEvent a2 = event("g-3", "g-ann");
    BehaviouralEvent c1 = event("g-4", "g|cat");
    BehaviouralEvent b2 = event("dup-g-5", "g-bob");

    IngestResult result =
        await(ingestion.ingest(TENANT, List.of(a1, b1, a2, c1, b2)).toCompletableFuture());

    assertEquals(new IngestResult(4, 1), result);
    Map<String, Part> commands = receive(3);
    assertEquals(List.of(a1, a2), commands.get("t1|g-ann").events());
    assertEquals(List.of(b1, b2), commands.get("t1|g-bob").events());
    assertEquals(List.of(c1), commands.get("t1|g|cat").events());
    assertEquals(
        1,
        commands.values().stream().mapToLong(Part::correlationId).distinct().count(),
        "one correlation id per request");
  }

  @Test
  void partsForAUserWithAWriteInFlightWaitAndAreSentTogether() throws Exception {
    CompletableFuture<IngestResult> first =
        ingestion.ingest(TENANT, List.of(event("w-1", "silent-w"))).toCompletableFuture();
    assertEquals(1, receive(1).size());

    // The first write is unconfirmed: the next part waits instead of queueing at the entity.
    CompletableFuture<IngestResult> second =
        ingestion.ingest(TENANT, List.of(event("w-2", "silent-w"))).toCompletableFuture();
    received.expectNoMessage(Duration.ofMillis(300));
    assertInstanceOf(IngestTimeoutException.class, failureOf(first));
    assertInstanceOf(IngestTimeoutException.class, failureOf(second));

    // Past the timeout the write in flight is presumed lost: what waited goes with the next part.
    CompletableFuture<IngestResult> third =
        ingestion.ingest(TENANT, List.of(event("w-3", "silent-w"))).toCompletableFuture();
    List<Received> together = received.receiveSeveralMessages(2, WAIT);
    assertEquals(
        List.of("w-2", "w-3"),
        together.stream().map(r -> r.command().events().get(0).eventId()).toList());
    assertInstanceOf(IngestTimeoutException.class, failureOf(third));
  }

  @Test
  void anEmptyRequestCompletesAtOnceWithoutMessages() throws Exception {
    CompletableFuture<IngestResult> result =
        ingestion.ingest(TENANT, List.of()).toCompletableFuture();

    assertTrue(result.isDone());
    assertEquals(new IngestResult(0, 0), result.get());
    received.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aPartDroppedPastItsDeadlineFailsItsRequestAtOnce() {
    CompletableFuture<IngestResult> result =
        ingestion
            .ingest(TENANT, List.of(event("x-1", "x-answers"), event("x-2", "expired-x")))
            .toCompletableFuture();

    assertEquals(2, receive(2).size());
    long start = System.nanoTime();
    assertInstanceOf(IngestTimeoutException.class, failureOf(result));
    assertTrue(
        System.nanoTime() - start < TIMEOUT.toNanos() / 2,
        "failed on the expired answer, not by the timeout");
    assertEquals(0, ingestion.inFlightEvents());
  }

  @Test
  void aUserThatNeverAnswersTimesTheRequestOut() {
    CompletableFuture<IngestResult> result =
        ingestion
            .ingest(TENANT, List.of(event("t-1", "t-answers"), event("t-2", "silent-t")))
            .toCompletableFuture();

    assertEquals(2, receive(2).size());
    assertFalse(result.isDone(), "still waiting for the silent user");
    assertInstanceOf(IngestTimeoutException.class, failureOf(result));
    assertEquals(0, ingestion.inFlightEvents());
  }

  @Test
  void unacknowledgedEventsBoundTheNodeUntilAnsweredOrTimedOut() throws Exception {
    CompletableFuture<IngestResult> pending =
        ingestion
            .ingest(
                TENANT,
                List.of(
                    event("b-1", "silent-b"),
                    event("b-2", "silent-b"),
                    event("b-3", "silent-b"),
                    event("b-4", "silent-b")))
            .toCompletableFuture();
    assertEquals(4, ingestion.inFlightEvents());

    CompletableFuture<IngestResult> tooMany =
        ingestion
            .ingest(
                TENANT,
                List.of(event("b-5", "b-dan"), event("b-6", "b-dan"), event("b-7", "b-dan")))
            .toCompletableFuture();
    CompletableFuture<IngestResult> fits =
        ingestion
            .ingest(TENANT, List.of(event("b-8", "b-eli"), event("b-9", "b-eli")))
            .toCompletableFuture();

    assertTrue(tooMany.isCompletedExceptionally(), "refused at once");
    assertInstanceOf(IngestOverloadedException.class, failureOf(tooMany));
    assertEquals(new IngestResult(2, 0), await(fits));
    assertEquals(4, ingestion.inFlightEvents());

    assertInstanceOf(IngestTimeoutException.class, failureOf(pending));
    assertEquals(0, ingestion.inFlightEvents());
    List<BehaviouralEvent> full =
        List.of(
            event("b-10", "b-dan"),
            event("b-11", "b-dan"),
            event("b-12", "b-dan"),
            event("b-13", "b-fin"),
            event("b-14", "b-fin"),
            event("b-15", "b-fin"));
    assertEquals(
        new IngestResult(6, 0), await(ingestion.ingest(TENANT, full).toCompletableFuture()));
    Map<String, Part> commands = receive(4);
    assertEquals(
        List.of("t1|b-dan", "t1|b-eli", "t1|b-fin", "t1|silent-b"),
        commands.keySet().stream().sorted().toList());
  }

  @Test
  void whileTheNodeLoadsItsBoundOfUsersFromTheJournalARequestIsRefusedAtOnce() throws Exception {
    AtomicInteger loading = new AtomicInteger(5);
    EventIngestion bounded =
        new EventIngestion(
            testKit.system(),
            new IngestSettings(MAX_IN_FLIGHT_EVENTS, TIMEOUT, MAX_IN_FLIGHT_EVENTS, TIMEOUT, 5),
            loading::get);

    // Holding nothing, the node admits a request whatever it is loading: it can always progress.
    CompletableFuture<IngestResult> held =
        bounded.ingest(TENANT, List.of(event("r-0", "silent-r"))).toCompletableFuture();
    assertEquals(1, bounded.inFlightEvents());
    assertEquals("t1|silent-r", receive(1).keySet().iterator().next());

    CompletableFuture<IngestResult> refused =
        bounded.ingest(TENANT, List.of(event("r-1", "r-ivy"))).toCompletableFuture();
    assertTrue(refused.isCompletedExceptionally(), "refused without waiting");
    Throwable cause = failureOf(refused);
    assertInstanceOf(IngestOverloadedException.class, cause);
    assertTrue(cause.getMessage().contains("loading 5 users from the journal"), cause.getMessage());
    received.expectNoMessage(Duration.ofMillis(100));
    assertEquals(1, bounded.inFlightEvents(), "a refused request is never counted");

    loading.set(4);
    assertEquals(
        new IngestResult(1, 0),
        await(bounded.ingest(TENANT, List.of(event("r-1", "r-ivy"))).toCompletableFuture()));
    assertEquals("t1|r-ivy", receive(1).keySet().iterator().next());
    assertInstanceOf(IngestTimeoutException.class, failureOf(held));
    assertEquals(0, bounded.inFlightEvents());
  }

  @Test
  void theAdmissionLimitStartsLowAndGrowsAsRequestsAreAcknowledgedInTime() throws Exception {
    EventIngestion starting =
        new EventIngestion(
            testKit.system(),
            new IngestSettings(100, TIMEOUT, 3, Duration.ofSeconds(1), Integer.MAX_VALUE),
            () -> 0);
    assertEquals(3, starting.admissionLimit());

    // Alone, a request larger than the limit goes; a second one beside it does not.
    CompletableFuture<IngestResult> held =
        starting
            .ingest(
                TENANT,
                List.of(
                    event("g-1", "silent-g"),
                    event("g-2", "silent-g"),
                    event("g-3", "silent-g"),
                    event("g-4", "silent-g")))
            .toCompletableFuture();
    CompletableFuture<IngestResult> refused =
        starting.ingest(TENANT, List.of(event("g-5", "g-hal"))).toCompletableFuture();
    assertTrue(refused.isCompletedExceptionally(), "refused at once");
    assertInstanceOf(IngestOverloadedException.class, failureOf(refused));
    // Given up at the timeout, later than the target: the limit stays at its floor.
    assertInstanceOf(IngestTimeoutException.class, failureOf(held));
    assertEquals(3, starting.admissionLimit());

    // Acknowledged within the target: the limit grows by the request's events.
    assertEquals(
        new IngestResult(2, 0),
        await(
            starting
                .ingest(TENANT, List.of(event("g-6", "g-hal"), event("g-7", "g-hal")))
                .toCompletableFuture()));
    assertEquals(5, starting.admissionLimit());
    CompletableFuture<IngestResult> first =
        starting
            .ingest(TENANT, List.of(event("g-8", "g-ida"), event("g-9", "g-ida")))
            .toCompletableFuture();
    CompletableFuture<IngestResult> beside =
        starting
            .ingest(
                TENANT,
                List.of(event("g-10", "g-jo"), event("g-11", "g-jo"), event("g-12", "g-jo")))
            .toCompletableFuture();
    assertEquals(new IngestResult(2, 0), await(first));
    assertEquals(new IngestResult(3, 0), await(beside), "5 events fit the grown limit");
    assertEquals(0, starting.inFlightEvents());
    received.receiveSeveralMessages(4, WAIT);
  }

  @Test
  void aRequestLargerThanTheLimitIsRefusedEvenWhenIdle() {
    List<BehaviouralEvent> request =
        List.of(
            event("o-1", "o-gus"),
            event("o-2", "o-gus"),
            event("o-3", "o-gus"),
            event("o-4", "o-gus"),
            event("o-5", "o-gus"),
            event("o-6", "o-gus"),
            event("o-7", "o-gus"));

    CompletableFuture<IngestResult> result =
        ingestion.ingest(TENANT, request).toCompletableFuture();

    assertTrue(result.isCompletedExceptionally());
    assertInstanceOf(IngestOverloadedException.class, failureOf(result));
    received.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void whileTheJournalIsUnavailableARequestIsRefusedAtOnceAndNothingIsSent() {
    JournalAvailability journal = JournalAvailability.get(testKit.system());
    long refusedBefore = journal.refusedWrites();
    journal.reportUnavailable("connection refused");
    try {
      CompletableFuture<IngestResult> result =
          ingestion.ingest(TENANT, List.of(event("j-1", "j-ann"))).toCompletableFuture();

      assertTrue(result.isCompletedExceptionally(), "refused at once");
      Throwable failure = failureOf(result);
      assertInstanceOf(JournalUnavailableException.class, failure);
      assertEquals("connection refused", ((JournalUnavailableException) failure).status().reason());
      assertEquals(refusedBefore + 1, journal.refusedWrites());
      received.expectNoMessage(Duration.ofMillis(200));
    } finally {
      journal.reportAvailable();
    }
  }

  @Test
  void requestsWaitingWhenTheJournalGoesAreAnsweredAtOnceAndTheirUsersFreed() {
    JournalAvailability journal = JournalAvailability.get(testKit.system());
    CompletableFuture<IngestResult> waiting =
        ingestion.ingest(TENANT, List.of(event("k-1", "silent-k"))).toCompletableFuture();
    assertEquals(1, receive(1).size());

    long start = System.nanoTime();
    journal.reportUnavailable("connection lost");
    journal.reportAvailable();

    assertInstanceOf(JournalUnavailableException.class, failureOf(waiting));
    assertTrue(System.nanoTime() - start < TIMEOUT.toNanos() / 2, "answered when the journal went");
    assertEquals(0, ingestion.inFlightEvents());
    // The write in flight will not be confirmed: the user's next part goes out at once.
    CompletableFuture<IngestResult> next =
        ingestion.ingest(TENANT, List.of(event("k-2", "silent-k"))).toCompletableFuture();
    Received sent = received.receiveMessage(TIMEOUT.dividedBy(2));
    assertEquals("k-2", sent.command().events().get(0).eventId());
    assertInstanceOf(IngestTimeoutException.class, failureOf(next));
  }
}
