package io.pulse.engine.model;

import io.pulse.engine.domain.Definitions;
import io.pulse.engine.user.TenantModels;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
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
 * This node's copies of every tenant's models. One follower per node takes each registry's
 * announcements from the cluster-wide topic, and re-reads the registry of every tenant it knows
 * each refresh interval, so a missed announcement heals within one interval. A tenant is known once
 * {@code tenants} names it or a request asks for it.
 */
public final class ModelCatalogs implements TenantModels {

  private final ConcurrentHashMap<String, ModelCatalog> byTenant = new ConcurrentHashMap<>();
  private volatile ActorRef<Object> follower;
  private volatile ActorSystem<?> system;

  /** The catalog of {@code tenant}; one not held yet is loaded at once. */
  public ModelCatalog catalog(String tenant) {
    ModelCatalog catalog = byTenant.get(tenant);
    if (catalog != null) {
      return catalog;
    }
    ModelCatalog created = new ModelCatalog();
    ModelCatalog raced = byTenant.putIfAbsent(tenant, created);
    if (raced != null) {
      return raced;
    }
    ActorRef<Object> loader = follower;
    if (loader != null) {
      loader.tell(new Load(tenant));
    }
    return created;
  }

  /**
   * Completes with true once this node holds {@code tenant}'s models, reading its registry now if
   * need be; false when the registry did not answer within {@code timeout}. A tenant's first
   * request on a node thus waits for its models instead of being turned away.
   */
  public CompletionStage<Boolean> whenLoaded(String tenant, Duration timeout) {
    ModelCatalog catalog = catalog(tenant);
    if (catalog.isLoaded() || system == null) {
      return CompletableFuture.completedFuture(catalog.isLoaded());
    }
    return AskPattern.<ModelRegistry.Command, ModelCatalogRevision>ask(
            ModelRegistry.refFor(system, tenant),
            ModelRegistry.GetCatalog::new,
            timeout,
            system.scheduler())
        .handle(
            (revision, failure) -> {
              if (revision != null) {
                catalog.offer(revision);
              }
              return catalog.isLoaded();
            });
  }

  @Override
  public Supplier<Definitions> of(String tenant) {
    ModelCatalog catalog = catalog(tenant);
    return catalog::definitions;
  }

  @Override
  public BooleanSupplier loaded(String tenant) {
    ModelCatalog catalog = catalog(tenant);
    return catalog::isLoaded;
  }

  /** Starts following the registries of {@code tenants} (read anew every interval) on this node. */
  public static ModelCatalogs follow(
      ActorSystem<?> system,
      Supplier<? extends Collection<String>> tenants,
      Duration refreshInterval) {
    ModelCatalogs catalogs = new ModelCatalogs();
    for (String tenant : tenants.get()) {
      catalogs.byTenant.putIfAbsent(tenant, new ModelCatalog());
    }
    ActorRef<Object> follower =
        system.systemActorOf(
            follower(catalogs, tenants, refreshInterval), "model-catalogs", Props.empty());
    catalogs.follower = follower;
    catalogs.system = system;
    // Stop asking the registries before the shard regions shut down: a request sent to a region
    // whose coordinator is already gone stays buffered, and the region's graceful shutdown waits
    // for it until its timeout.
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeClusterShutdown(),
            "stop-model-catalogs",
            () -> {
              follower.tell(Refresh.STOP);
              return CompletableFuture.completedFuture(Done.done());
            });
    return catalogs;
  }

  private enum Refresh {
    TICK,
    STOP
  }

  /** Read one tenant's registry now. */
  private record Load(String tenant) {}

  private static Behavior<Object> follower(
      ModelCatalogs catalogs,
      Supplier<? extends Collection<String>> tenants,
      Duration refreshInterval) {
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
                          catalogs.catalog(revision.tenant()).offer(revision);
                          return Behaviors.same();
                        })
                    .onMessage(
                        Load.class,
                        load -> {
                          read(system, catalogs, load.tenant(), refreshInterval);
                          return Behaviors.same();
                        })
                    .onMessageEquals(
                        Refresh.TICK,
                        () -> {
                          Set<String> known = new HashSet<>(catalogs.byTenant.keySet());
                          known.addAll(tenants.get());
                          for (String tenant : known) {
                            read(system, catalogs, tenant, refreshInterval);
                          }
                          return Behaviors.same();
                        })
                    .onMessageEquals(Refresh.STOP, Behaviors::stopped)
                    .build();
              });
        });
  }

  private static void read(
      ActorSystem<?> system, ModelCatalogs catalogs, String tenant, Duration timeout) {
    AskPattern.<ModelRegistry.Command, ModelCatalogRevision>ask(
            ModelRegistry.refFor(system, tenant),
            ModelRegistry.GetCatalog::new,
            timeout,
            system.scheduler())
        .thenAccept(revision -> catalogs.catalog(tenant).offer(revision));
  }
}
