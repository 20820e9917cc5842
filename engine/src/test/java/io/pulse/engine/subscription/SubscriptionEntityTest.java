package io.pulse.engine.subscription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pulse.engine.domain.SegmentTransition;
import io.pulse.engine.domain.TransitionCause;
import io.pulse.engine.domain.subscription.DeadLetter;
import io.pulse.engine.domain.subscription.SubscriptionChange;
import io.pulse.engine.domain.subscription.SubscriptionState;
import io.pulse.engine.domain.subscription.TransitionFilter;
import io.pulse.engine.domain.subscription.WebhookSubscription;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The subscription entity journals its definition, position and dead letters, and keeps exactly one
 * delivery run of the current generation going as its child.
 */
class SubscriptionEntityTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "SubscriptionEntityTest",
          ConfigFactory.load(
              EventSourcedBehaviorTestKit.config()
                  .withFallback(
                      ConfigFactory.parseString(
                          """
                          pekko.loglevel = WARNING
                          pekko.actor.serialization-bindings {
                            "io.pulse.engine.CborSerializable" = jackson-cbor
                          }
                          """))
                  .withFallback(ConfigFactory.parseResources("engine.conf"))));

  private static final WebhookSubscription SUBSCRIPTION =
      new WebhookSubscription(
          "sub-1",
          "http://127.0.0.1:9/hook",
          new TransitionFilter(null, "high", null, null),
          "0123456789abcdef-secret",
          T0);

  /** What the fake delivery reports: a run started or stopped. */
  record RunSignal(boolean started, DeliveryRun run) {}

  private TestProbe<RunSignal> runs;
  private TestProbe<ClusterSharding.ShardCommand> shard;
  private EventSourcedBehaviorTestKit<
          SubscriptionEntity.Command, SubscriptionChange, SubscriptionState>
      entity;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    runs = testKit.createTestProbe();
    shard = testKit.createTestProbe();
    TestProbe<RunSignal> signals = runs;
    SubscriptionDelivery delivery = (run, parent) -> fakeRun(run, signals);
    entity =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            SubscriptionEntity.create(
                "sub-1", shard.getRef(), delivery, new SubscriptionSettings(3, 100, 2), CLOCK));
  }

  private static Behavior<Object> fakeRun(DeliveryRun run, TestProbe<RunSignal> signals) {
    return Behaviors.setup(
        context -> {
          signals.getRef().tell(new RunSignal(true, run));
          return Behaviors.receive(Object.class)
              .onSignal(
                  PostStop.class,
                  stopped -> {
                    signals.getRef().tell(new RunSignal(false, run));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  private DeliveryRun awaitStart() {
    RunSignal signal = runs.expectMessageClass(RunSignal.class, Duration.ofSeconds(3));
    assertTrue(signal.started(), "expected a run to start, got " + signal);
    return signal.run();
  }

  /**
   * The run of {@code generation} stopped and a new one started: the old run's stop and the new
   * run's start come from two actors, so they may arrive in either order.
   */
  private DeliveryRun awaitReplaced(long generation) {
    RunSignal first = runs.expectMessageClass(RunSignal.class, Duration.ofSeconds(3));
    RunSignal second = runs.expectMessageClass(RunSignal.class, Duration.ofSeconds(3));
    RunSignal stopped = first.started() ? second : first;
    RunSignal started = first.started() ? first : second;
    assertFalse(stopped.started(), "expected a run to stop, got " + first + " and " + second);
    assertTrue(started.started(), "expected a run to start, got " + first + " and " + second);
    assertEquals(generation, stopped.run().generation());
    return started.run();
  }

  private void awaitStop(long generation) {
    RunSignal signal = runs.expectMessageClass(RunSignal.class, Duration.ofSeconds(3));
    assertFalse(signal.started(), "expected a run to stop, got " + signal);
    assertEquals(generation, signal.run().generation());
  }

  private SubscriptionState create(long startAfter) {
    var result =
        entity.<StatusReply<SubscriptionState>>runCommand(
            replyTo -> new SubscriptionEntity.Create(SUBSCRIPTION, startAfter, replyTo));
    assertTrue(result.reply().isSuccess());
    return result.reply().getValue();
  }

  private static DeadLetter letter(long offset) {
    SegmentTransition transition =
        new SegmentTransition(
            "u:engagement:" + offset,
            "u",
            "engagement",
            "medium",
            "high",
            7.2,
            T0,
            TransitionCause.EVENT);
    return new DeadLetter(offset, transition, 3, "HTTP 500", T0, false);
  }

  @Test
  void creatingStartsARunFromTheStartPosition() {
    // when
    SubscriptionState state = create(41);

    // then
    assertTrue(state.isActive());
    DeliveryRun run = awaitStart();
    assertEquals(new DeliveryRun("default", SUBSCRIPTION, 1, 41, List.of()), run);

    // and creating it again is refused
    var again =
        entity.<StatusReply<SubscriptionState>>runCommand(
            replyTo -> new SubscriptionEntity.Create(SUBSCRIPTION, 0, replyTo));
    assertTrue(again.reply().isError());
    assertTrue(again.events().isEmpty());
  }

  @Test
  void reportsOfTheCurrentRunAreJournaledAndThoseOfAnOutdatedRunDropped() {
    create(0);
    awaitStart();

    var delivered =
        entity.<Done>runCommand(replyTo -> new SubscriptionEntity.ReportDelivered(1, 17, replyTo));
    assertEquals(List.of(new SubscriptionChange.DeliveredUpTo(17)), delivered.events());

    var outdated =
        entity.<Done>runCommand(replyTo -> new SubscriptionEntity.ReportDelivered(0, 99, replyTo));
    assertTrue(outdated.events().isEmpty());
    assertEquals(Done.getInstance(), outdated.reply());

    var dead =
        entity.<Done>runCommand(
            replyTo -> new SubscriptionEntity.ReportDeadLetter(1, letter(12), replyTo));
    assertEquals(List.of(new SubscriptionChange.DeadLettered(letter(12), 3)), dead.events());
    assertEquals(17, dead.state().deliveredOffset());
    assertEquals(List.of(letter(12)), dead.state().deadLetters());
  }

  @Test
  void aReplayReplacesTheRunWithOneFromTheOffset() {
    create(0);
    awaitStart();
    entity.<Done>runCommand(replyTo -> new SubscriptionEntity.ReportDelivered(1, 50, replyTo));

    var replay =
        entity.<StatusReply<SubscriptionState>>runCommand(
            replyTo -> new SubscriptionEntity.Replay(20, replyTo));

    assertTrue(replay.reply().isSuccess());
    assertEquals(new DeliveryRun("default", SUBSCRIPTION, 2, 19, List.of()), awaitReplaced(1));
  }

  @Test
  void aRedeliveryStartsARunWithTheLettersAndEachRedeliveredOneLeaves() {
    create(0);
    awaitStart();
    entity.<Done>runCommand(
        replyTo -> new SubscriptionEntity.ReportDeadLetter(1, letter(12), replyTo));
    entity.<Done>runCommand(
        replyTo -> new SubscriptionEntity.ReportDeadLetter(1, letter(14), replyTo));

    var redeliver =
        entity.<StatusReply<SubscriptionState>>runCommand(SubscriptionEntity.Redeliver::new);
    assertEquals(2, redeliver.reply().getValue().pendingRedeliveries().size());
    DeliveryRun run = awaitReplaced(1);
    assertEquals(2, run.generation());
    assertEquals(List.of(12L, 14L), run.redeliveries().stream().map(DeadLetter::offset).toList());

    var redelivered =
        entity.<Done>runCommand(
            replyTo -> new SubscriptionEntity.ReportRedelivered(2, 12, replyTo));
    assertEquals(List.of(new SubscriptionChange.DeadLetterDelivered(12)), redelivered.events());
    assertEquals(
        List.of(14L), redelivered.state().deadLetters().stream().map(DeadLetter::offset).toList());
  }

  @Test
  void afterARestartTheRunStartsAgainFromTheRecordedPosition() {
    create(5);
    awaitStart();
    entity.<Done>runCommand(replyTo -> new SubscriptionEntity.ReportDelivered(1, 30, replyTo));

    entity.restart();

    assertEquals(new DeliveryRun("default", SUBSCRIPTION, 1, 30, List.of()), awaitReplaced(1));
  }

  @Test
  void deletingStopsTheRunAndAsksTheShardToPassivate() {
    create(0);
    awaitStart();

    var deleted = entity.<SubscriptionState>runCommand(SubscriptionEntity.Delete::new);

    assertTrue(deleted.reply().isActive(), "the answer is the state before the delete");
    assertTrue(deleted.state().deleted());
    awaitStop(1);
    assertPassivationRequested();

    // it stays deleted: no run after a restart, and it asks to be passivated when woken
    entity.restart();
    entity.runCommand(new SubscriptionEntity.Wake());
    assertPassivationRequested();
    runs.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void anUnknownSubscriptionAnswersStartsNoRunAndAsksToBePassivated() {
    var read = entity.<SubscriptionState>runCommand(SubscriptionEntity.Get::new);

    assertFalse(read.reply().isActive());
    assertPassivationRequested();
    runs.expectNoMessage(Duration.ofMillis(200));
  }

  private void assertPassivationRequested() {
    ClusterSharding.ShardCommand command = shard.receiveMessage(Duration.ofSeconds(3));
    assertTrue(command instanceof ClusterSharding.Passivate<?>, command.toString());
  }

  @Test
  void aWakeSealsAPlainOrOutdatedSecretAnewOnce() {
    // given a delivery whose key wants the secret sealed anew
    String resealed = "pulse-sealed:v1:sealed-under-the-current-key";
    SubscriptionDelivery delivery =
        new SubscriptionDelivery() {
          @Override
          public Behavior<?> start(
              DeliveryRun run,
              org.apache.pekko.actor.typed.ActorRef<SubscriptionEntity.Command> parent) {
            return fakeRun(run, runs);
          }

          @Override
          public java.util.Optional<String> resealedSecret(WebhookSubscription subscription) {
            return subscription.secret().equals(resealed)
                ? java.util.Optional.empty()
                : java.util.Optional.of(resealed);
          }
        };
    var resealing =
        EventSourcedBehaviorTestKit
            .<SubscriptionEntity.Command, SubscriptionChange, SubscriptionState>create(
                testKit.system(),
                SubscriptionEntity.create(
                    "sub-1", shard.getRef(), delivery, new SubscriptionSettings(3, 100, 2), CLOCK));
    resealing.clear();
    resealing.<StatusReply<SubscriptionState>>runCommand(
        replyTo -> new SubscriptionEntity.Create(SUBSCRIPTION, 5, replyTo));
    awaitStart();

    // when it is woken
    var woken = resealing.runCommand(new SubscriptionEntity.Wake());

    // then the secret is journaled sealed anew, and nothing else about it changes
    assertEquals(List.of(new SubscriptionChange.SecretResealed(resealed, T0)), woken.events());
    WebhookSubscription now = woken.state().subscription();
    assertEquals(resealed, now.secret());
    assertEquals(SUBSCRIPTION.maskedSecret(), now.maskedSecret());
    assertEquals(SUBSCRIPTION.url(), now.url());
    assertEquals(1, woken.state().generation());

    // and a second wake finds nothing to do
    assertTrue(resealing.runCommand(new SubscriptionEntity.Wake()).events().isEmpty());
    // and a restart recovers the resealed secret
    resealing.restart();
    assertEquals(resealed, resealing.getState().subscription().secret());
  }
}
