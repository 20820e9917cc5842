package io.pulse.persistence.wakeup;

import io.pulse.engine.domain.WakeUpScheduled;
import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.journal.JournalFailures;
import io.pulse.engine.user.JournalTags;
import io.pulse.engine.user.UserEntity;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.JournalStreams;
import io.pulse.persistence.TaggedEventFeed;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Delivers the wake-ups users asked for, so that decay and inactivity transitions happen on time
 * even for users who are passivated, or whose node restarted. One per cluster (a singleton).
 *
 * <p>It copies each user's latest wake-up request from the journal (tag {@code wake-up}) into a
 * table indexed by due time, together with the offset read, and every {@code resolution} wakes the
 * users that are due. A user is removed from the table only after its entity has handled the
 * wake-up, so delivery is at least once; handling one twice changes nothing.
 *
 * <p>While the node finds the journal database unavailable it starts no round: every query would
 * wait for a connection and fail. When the database answers again it starts one at once, without
 * waiting for a round that was under way when the outage began, so that the wake-ups that fell due
 * meanwhile are delivered right away.
 */
public final class WakeUpScheduler {

  /** The name under which the copied journal offset is stored. */
  public static final String READER = "wake-ups";

  /** What the scheduler reacts to. */
  public sealed interface Command permits Tick, RoundEnded, JournalBack {}

  private enum Tick implements Command {
    INSTANCE
  }

  /** The round numbered {@code round} has ended, {@code failed} or not. */
  private record RoundEnded(long round, boolean failed) implements Command {}

  /**
   * How soon a round that failed while the journal answers is tried again: right after an outage
   * the scheduler's own connections may still be coming back, and the next tick is a resolution
   * away.
   */
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofMillis(200);

  /** The journal database answers again after an outage. */
  private enum JournalBack implements Command {
    INSTANCE
  }

  /** Tuning, from {@code pulse.wake-ups}. */
  public record Settings(Duration resolution, int batchSize, int parallelism) {}

  private final ActorContext<Command> context;
  private final Settings settings;
  private final WakeUpStore store;
  private final Clock clock;
  private final Executor blocking;
  private final JournalAvailability journal;
  private long rounds;
  private boolean roundUnderWay;

  public static void init(
      ActorSystem<?> system, DatabaseSettings database, Settings settings, Clock clock) {
    ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                // Named as when there was one scheduler per tenant and only the default one, so
                // that nodes of both releases share one singleton during a rolling upgrade.
                create(database, settings, clock), "wake-up-scheduler-default"));
  }

  public static Behavior<Command> create(
      DatabaseSettings database, Settings settings, Clock clock) {
    return Behaviors.setup(
        context -> {
          WakeUpStore store = new WakeUpStore(database);
          UniqueKillSwitch copying = copyRequests(context, store);
          ActorRef<Command> self = context.getSelf();
          Runnable stopFollowing =
              JournalAvailability.get(context.getSystem())
                  .onChange(
                      status -> {
                        if (status.available()) {
                          self.tell(JournalBack.INSTANCE);
                        }
                      });
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.resolution());
                return new WakeUpScheduler(context, settings, store, clock)
                    .behavior(copying, stopFollowing);
              });
        });
  }

  private WakeUpScheduler(
      ActorContext<Command> context, Settings settings, WakeUpStore store, Clock clock) {
    this.context = context;
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    this.journal = JournalAvailability.get(context.getSystem());
  }

  private Behavior<Command> behavior(UniqueKillSwitch copying, Runnable stopFollowing) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, this::tick)
        .onMessageEquals(
            JournalBack.INSTANCE,
            () -> {
              // A round under way since the outage may wait long for asks that will not be
              // answered; a new one delivers what fell due meanwhile now.
              roundUnderWay = false;
              return tick();
            })
        .onMessage(
            RoundEnded.class,
            ended -> {
              if (ended.round() == rounds) {
                roundUnderWay = false;
                if (ended.failed() && journal.isAvailable()) {
                  context.scheduleOnce(RETRY_AFTER_FAILURE, context.getSelf(), Tick.INSTANCE);
                }
              }
              return Behaviors.same();
            })
        .onSignal(
            PostStop.class,
            stopped -> {
              stopFollowing.run();
              copying.shutdown();
              store.close();
              return Behaviors.same();
            })
        .build();
  }

  /** Wakes the users that are due, one round at a time, while the journal answers. */
  private Behavior<Command> tick() {
    if (roundUnderWay || !journal.isAvailable()) {
      return Behaviors.same();
    }
    roundUnderWay = true;
    long number = ++rounds;
    ActorSystem<?> system = context.getSystem();
    CompletionStage<Done> round =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return store.due(clock.instant(), settings.batchSize());
                  } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                  }
                },
                blocking)
            .thenCompose(
                due ->
                    Source.from(due)
                        .mapAsyncUnordered(settings.parallelism(), this::wake)
                        .runWith(Sink.ignore(), system));
    context.pipeToSelf(
        round,
        (done, failure) -> {
          if (failure != null) {
            if (JournalFailures.isConnectivity(failure) || !journal.isAvailable()) {
              journal.suspect();
              system.log().debug("A wake-up round failed while the journal is out of reach");
            } else {
              system.log().warn("A wake-up round failed: {}", failure.getMessage());
            }
          }
          return new RoundEnded(number, failure != null);
        });
    return Behaviors.same();
  }

  private CompletionStage<Done> wake(DueWakeUp wakeUp) {
    ActorSystem<?> system = context.getSystem();
    return ClusterSharding.get(system)
        .entityRefFor(UserEntity.ENTITY_KEY, wakeUp.entityId())
        .<StatusReply<Done>>ask(
            replyTo -> new UserEntity.WakeUp(wakeUp.dueAt(), replyTo), Duration.ofSeconds(30))
        .thenCompose(
            reply ->
                reply.isSuccess()
                    ? CompletableFuture.completedFuture(Done.getInstance())
                    : CompletableFuture.<Done>failedFuture(reply.getError()))
        .thenApplyAsync(
            done -> {
              try {
                store.delivered(wakeUp);
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
              return done;
            },
            blocking)
        .exceptionally(
            failure -> {
              // Left in the table: the next round tries again.
              system.log().debug("Wake-up of {} not confirmed: {}", wakeUp.entityId(), failure);
              return Done.getInstance();
            });
  }

  /** Follows the journal's wake-up requests into the table, resuming from the stored offset. */
  private static UniqueKillSwitch copyRequests(ActorContext<Command> context, WakeUpStore store) {
    ActorSystem<?> system = context.getSystem();
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    TaggedEventFeed feed = new TaggedEventFeed(system);
    RestartSettings restart =
        RestartSettings.create(Duration.ofMillis(500), Duration.ofSeconds(10), 0.2);
    return JournalStreams.restarting(
            system,
            "Copying wake-up requests",
            restart,
            () ->
                Source.completionStage(
                        CompletableFuture.supplyAsync(
                            () -> {
                              try {
                                return store.offset(READER).orElse(0L);
                              } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                              }
                            },
                            blocking))
                    .flatMapConcat(offset -> feed.live(JournalTags.WAKE_UP, offset))
                    .groupedWithin(500, Duration.ofMillis(100))
                    .mapAsync(
                        1,
                        envelopes ->
                            CompletableFuture.supplyAsync(
                                () -> {
                                  record(store, envelopes);
                                  return Done.getInstance();
                                },
                                blocking)))
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.ignore(), Keep.left())
        .run(system);
  }

  private static void record(WakeUpStore store, List<EventEnvelope> envelopes) {
    Map<String, DueWakeUp> latest = new LinkedHashMap<>();
    long offset = 0;
    for (EventEnvelope envelope : envelopes) {
      offset = Math.max(offset, TaggedEventFeed.offsetOf(envelope));
      if (envelope.event() instanceof WakeUpScheduled request) {
        String entityId = entityIdOf(envelope.persistenceId());
        latest.put(entityId, new DueWakeUp(entityId, request.dueAt()));
      }
    }
    try {
      store.record(latest.values(), READER, offset);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot record wake-ups: " + e.getMessage(), e);
    }
  }

  /** {@code user|<tenant>|<userId>} → {@code <tenant>|<userId>}. */
  static String entityIdOf(String persistenceId) {
    return persistenceId.substring(UserEntity.ENTITY_KEY.name().length() + 1);
  }
}
