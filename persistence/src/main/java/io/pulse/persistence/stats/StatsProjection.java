package io.pulse.persistence.stats;

import io.pulse.engine.user.UserEntity;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.JournalStreams;
import io.pulse.persistence.LiveTagFeed;
import io.pulse.persistence.ReadSide;
import io.pulse.persistence.TaggedEventFeed;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Keeps the aggregates of {@code GET /v1/stats} from the journal, so that reading them never scans
 * users. One per cluster (a singleton).
 *
 * <p>It follows two tags, each from its own stored offset: {@code customer} (a user's first event
 * and every purchase) for users, orders, revenue, customers and purchases by day; {@code
 * transition} for segment sizes and transitions by hour. Each batch of events is added to the
 * tables together with the offset it reaches, in one transaction, so after a restart every event
 * counts exactly once.
 *
 * <p>The transitions come from its node's shared live read of them ({@link LiveTagFeed}), which the
 * transition streams and webhooks follow too: each transition is read from the journal and
 * deserialized once per node, not once more here. Should the counting fall more than {@link
 * #LIVE_BUFFER} transitions behind that read, it starts over from its stored offset.
 */
public final class StatsProjection {

  /** Events counted in one transaction at most. */
  static final int BATCH_SIZE = 500;

  /** How long a batch waits to fill up. */
  static final Duration BATCH_WINDOW = Duration.ofMillis(100);

  /** Transitions the live read may be ahead of the counting before it starts over. */
  static final int LIVE_BUFFER = 8192;

  private static final RestartSettings RESTART =
      RestartSettings.create(Duration.ofMillis(500), Duration.ofSeconds(10), 0.2);

  private StatsProjection() {}

  /**
   * Runs the projection, for every tenant, on one node of the cluster, following the transitions of
   * that node's {@code transitions} (a live read of {@link StatsStore#TRANSITIONS}' tag).
   */
  public static void init(
      ActorSystem<?> system, DatabaseSettings database, LiveTagFeed transitions) {
    // Named as when there was one projection per tenant and only the default one, so that nodes of
    // both releases share one singleton during a rolling upgrade.
    ClusterSingleton.get(system)
        .init(SingletonActor.of(create(database, transitions), "stats-projection-default"));
  }

  /** The projection as an actor: it counts while it lives, and stops counting when it stops. */
  public static Behavior<Void> create(DatabaseSettings database, LiveTagFeed transitions) {
    if (!transitions.tag().equals(StatsStore.TRANSITIONS.tag())) {
      throw new IllegalArgumentException(
          "the statistics count the live read of "
              + StatsStore.TRANSITIONS.tag()
              + ", not of "
              + transitions.tag());
    }
    return create(database, after -> transitions.after(after, LIVE_BUFFER));
  }

  /**
   * As {@link #create(DatabaseSettings, LiveTagFeed)}, with the transitions after an offset read by
   * {@code transitions}.
   */
  static Behavior<Void> create(
      DatabaseSettings database, LongFunction<Source<EventEnvelope, NotUsed>> transitions) {
    Behavior<Void> counting =
        Behaviors.setup(
            context -> {
              StatsStore store = new StatsStore(database, "pulse-stats-projection", 2);
              TaggedEventFeed journal = new TaggedEventFeed(context.getSystem());
              List<UniqueKillSwitch> feeds =
                  List.of(
                      follow(
                          context.getSystem(),
                          store,
                          StatsStore.CUSTOMERS,
                          after -> journal.live(StatsStore.CUSTOMERS.tag(), after)),
                      follow(context.getSystem(), store, StatsStore.TRANSITIONS, transitions));
              Runnable stop =
                  () -> {
                    feeds.forEach(UniqueKillSwitch::shutdown);
                    store.close();
                  };
              return Behaviors.receive(Void.class)
                  .onSignal(
                      PostStop.class,
                      stopped -> {
                        stop.run();
                        return Behaviors.same();
                      })
                  .onSignal(
                      PreRestart.class,
                      restarting -> {
                        stop.run();
                        return Behaviors.same();
                      })
                  .build();
            });
    // The database may be unreachable when the singleton starts: try again later.
    return Behaviors.supervise(counting)
        .onFailure(
            SupervisorStrategy.restartWithBackoff(
                Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
  }

  /**
   * Counts the events of one tag, read by {@code events} after an offset, from the stored offset
   * on; starts over from it on failure.
   */
  private static UniqueKillSwitch follow(
      ActorSystem<?> system,
      StatsStore store,
      StatsStore.Feed feed,
      LongFunction<Source<EventEnvelope, NotUsed>> events) {
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    return JournalStreams.restarting(
            system,
            "Counting statistics of " + feed.tag(),
            RESTART,
            () -> {
              // Where this run has counted up to, as stored: each batch moves it from there.
              AtomicReference<OptionalLong> counted = new AtomicReference<>();
              return Source.completionStage(
                      CompletableFuture.supplyAsync(() -> offset(store, feed), blocking))
                  .flatMapConcat(
                      stored -> {
                        counted.set(stored);
                        return events.apply(stored.orElse(0));
                      })
                  .groupedWithin(BATCH_SIZE, BATCH_WINDOW)
                  .mapAsync(
                      1,
                      envelopes ->
                          CompletableFuture.supplyAsync(
                              () -> {
                                counted.set(record(store, feed, counted.get(), envelopes));
                                return Done.getInstance();
                              },
                              blocking));
            })
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.ignore(), Keep.left())
        .run(system);
  }

  private static OptionalLong record(
      StatsStore store, StatsStore.Feed feed, OptionalLong from, List<EventEnvelope> envelopes) {
    Map<String, StatsDelta> byTenant = new HashMap<>();
    long offset = from.orElse(0);
    for (EventEnvelope envelope : envelopes) {
      offset = Math.max(offset, TaggedEventFeed.offsetOf(envelope));
      byTenant
          .computeIfAbsent(tenantOf(envelope.persistenceId()), tenant -> new StatsDelta())
          .add(envelope.event());
    }
    try {
      store.record(byTenant, feed.reader(), from, offset);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot count " + feed.tag() + " events up to " + offset + ": " + e.getMessage(), e);
    }
    return OptionalLong.of(offset);
  }

  /** The journal readers of the aggregates, one per tag they follow. */
  public static List<ReadSide> readSides() {
    return StatsStore.FEEDS.stream()
        .map(feed -> ReadSide.stored(feed.reader(), feed.tag()))
        .toList();
  }

  /** The tenant of a user's persistence id, {@code user|<tenant>|<userId>}. */
  static String tenantOf(String persistenceId) {
    return UserEntity.tenantOf(persistenceId.substring(UserEntity.ENTITY_KEY.name().length() + 1));
  }

  private static OptionalLong offset(StatsStore store, StatsStore.Feed feed) {
    try {
      return store.offset(feed.reader());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the offset of " + feed.reader() + ": " + e.getMessage(), e);
    }
  }
}
