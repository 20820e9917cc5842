package io.pulse.engine.model;

import io.pulse.engine.domain.ScoringModels;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * This node's copy of the models in force, read on every event without a round trip. It follows the
 * {@link ModelRegistry} through the cluster-wide topic and re-reads the registry periodically, so a
 * missed announcement heals within one refresh interval.
 */
public final class ModelCatalog implements Supplier<ScoringModels> {

  private final AtomicReference<ModelCatalogRevision> current = new AtomicReference<>();

  /** The models in force; empty until the first catalog has arrived. */
  @Override
  public ScoringModels get() {
    ModelCatalogRevision catalog = current.get();
    return catalog == null ? ScoringModels.of() : catalog.models();
  }

  public boolean isLoaded() {
    return current.get() != null;
  }

  public long revision() {
    ModelCatalogRevision catalog = current.get();
    return catalog == null ? -1 : catalog.revision();
  }

  /** Keeps {@code candidate} unless this node already holds a newer revision. */
  public void offer(ModelCatalogRevision candidate) {
    current.accumulateAndGet(
        candidate,
        (held, offered) -> held == null || offered.revision() > held.revision() ? offered : held);
  }

  /** Starts following the registry of {@code tenant} on this node. */
  public static ModelCatalog follow(
      ActorSystem<?> system, String tenant, Duration refreshInterval) {
    ModelCatalog catalog = new ModelCatalog();
    ActorRef<Object> follower =
        system.systemActorOf(
            follower(catalog, tenant, refreshInterval), "model-catalog-" + tenant, Props.empty());
    // Stop asking the registry before the shard regions shut down: a request sent to a region
    // whose coordinator is already gone stays buffered, and the region's graceful shutdown waits
    // for it until its timeout.
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeClusterShutdown(),
            "stop-model-catalog-" + tenant,
            () -> {
              follower.tell(Refresh.STOP);
              return CompletableFuture.completedFuture(Done.done());
            });
    return catalog;
  }

  private enum Refresh {
    TICK,
    STOP
  }

  private static Behavior<Object> follower(
      ModelCatalog catalog, String tenant, Duration refreshInterval) {
    return Behaviors.setup(
        context -> {
          ActorRef<Topic.Command<ModelCatalogRevision>> topic =
              context.spawn(Topic.create(ModelCatalogRevision.class, ModelRegistry.TOPIC), "topic");
          topic.tell(Topic.subscribe(context.getSelf().narrow()));
          ActorSystem<?> system = context.getSystem();
          return Behaviors.withTimers(
              timers -> {
                // Read at once, then keep re-reading: a fresh node must not wait a whole interval.
                timers.startTimerWithFixedDelay(Refresh.TICK, Duration.ZERO, refreshInterval);
                return Behaviors.receive(Object.class)
                    .onMessage(
                        ModelCatalogRevision.class,
                        revision -> {
                          catalog.offer(revision);
                          return Behaviors.same();
                        })
                    .onMessageEquals(
                        Refresh.TICK,
                        () -> {
                          AskPattern.<ModelRegistry.Command, ModelCatalogRevision>ask(
                                  ModelRegistry.refFor(system, tenant),
                                  ModelRegistry.GetCatalog::new,
                                  refreshInterval,
                                  system.scheduler())
                              .thenAccept(catalog::offer);
                          return Behaviors.same();
                        })
                    .onMessageEquals(Refresh.STOP, Behaviors::stopped)
                    .build();
              });
        });
  }
}
