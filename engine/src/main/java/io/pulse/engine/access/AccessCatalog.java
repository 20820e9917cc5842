package io.pulse.engine.access;

import io.pulse.engine.domain.access.AccessState;
import io.pulse.engine.domain.access.ApiKey;
import io.pulse.engine.domain.access.KeySecrets;
import io.pulse.engine.domain.access.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
 * This node's copy of the tenants and keys, read on every request without a round trip. It follows
 * the {@link AccessRegistry} through the cluster-wide topic and re-reads it every refresh interval,
 * so a missed announcement (a revocation, say) heals within that interval. It also gathers when
 * keys were used and reports that to the registry now and then.
 */
public final class AccessCatalog {

  /** A key's last use is recorded to within this much. */
  public static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);

  /** A use this close to the last one noted is not noted again: one map write per key a second. */
  private static final Duration NOTE_PRECISION = Duration.ofSeconds(1);

  private record Held(AccessState state, Map<String, ApiKey> byHash) {}

  private final AtomicReference<Held> current = new AtomicReference<>();
  private final Map<String, Instant> unreportedUses = new ConcurrentHashMap<>();
  private final List<Consumer<AccessState>> listeners = new CopyOnWriteArrayList<>();
  private final Clock clock;

  public AccessCatalog(Clock clock) {
    this.clock = clock;
  }

  /** The key whose secret this is, unless it is unknown or revoked. */
  public Optional<ApiKey> authenticate(String secret) {
    Held held = current.get();
    if (held == null || secret == null || secret.isEmpty()) {
      return Optional.empty();
    }
    ApiKey key = held.byHash().get(KeySecrets.hash(secret));
    if (key == null || key.revoked()) {
      return Optional.empty();
    }
    noteUse(key);
    return Optional.of(key);
  }

  public boolean isLoaded() {
    return current.get() != null;
  }

  /** The tenants and keys as this node knows them; the initial state until loaded. */
  public AccessState state() {
    Held held = current.get();
    return held == null ? AccessState.initial() : held.state();
  }

  public List<TenantId> tenants() {
    return state().tenantIds();
  }

  public boolean hasTenant(TenantId tenant) {
    return state().hasTenant(tenant);
  }

  /** Calls {@code listener} with every newer state this node takes. */
  public void onChange(Consumer<AccessState> listener) {
    listeners.add(listener);
  }

  /** Keeps {@code candidate} unless this node already holds a newer revision. */
  public void offer(AccessState candidate) {
    Held held = current.get();
    while (held == null || candidate.revision() > held.state().revision()) {
      Held next = new Held(candidate, indexByHash(candidate));
      if (current.compareAndSet(held, next)) {
        listeners.forEach(listener -> listener.accept(candidate));
        return;
      }
      held = current.get();
    }
  }

  private void noteUse(ApiKey key) {
    Instant now = clock.instant();
    Instant noted = unreportedUses.get(key.id());
    if (noted == null || now.isAfter(noted.plus(NOTE_PRECISION))) {
      unreportedUses.put(key.id(), now);
    }
  }

  /** The uses noted since the last report, taken out of the catalog. */
  Map<String, Instant> takeUses() {
    Map<String, Instant> taken = new HashMap<>();
    for (String id : List.copyOf(unreportedUses.keySet())) {
      Instant at = unreportedUses.remove(id);
      if (at != null) {
        taken.put(id, at);
      }
    }
    return taken;
  }

  private static Map<String, ApiKey> indexByHash(AccessState state) {
    Map<String, ApiKey> index = new HashMap<>(state.keys().size() * 2);
    for (ApiKey key : state.keys().values()) {
      index.put(key.secretHash(), key);
    }
    return Map.copyOf(index);
  }

  /** Starts following the registry on this node. */
  public static AccessCatalog follow(
      ActorSystem<?> system, Duration refreshInterval, Duration usageReportInterval, Clock clock) {
    AccessCatalog catalog = new AccessCatalog(clock);
    ActorRef<Object> follower =
        system.systemActorOf(
            follower(catalog, refreshInterval, usageReportInterval),
            "access-catalog",
            Props.empty());
    // Stop asking before the shard regions shut down, as the model catalog does: a request to a
    // region without a coordinator stays buffered and delays its shutdown.
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeClusterShutdown(),
            "stop-access-catalog",
            () -> {
              follower.tell(Refresh.STOP);
              return CompletableFuture.completedFuture(Done.done());
            });
    return catalog;
  }

  private enum Refresh {
    TICK,
    REPORT_USE,
    STOP
  }

  private static Behavior<Object> follower(
      AccessCatalog catalog, Duration refreshInterval, Duration usageReportInterval) {
    return Behaviors.setup(
        context -> {
          ActorRef<Topic.Command<AccessState>> topic =
              context.spawn(Topic.create(AccessState.class, AccessRegistry.TOPIC), "topic");
          topic.tell(Topic.subscribe(context.getSelf().narrow()));
          ActorSystem<?> system = context.getSystem();
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay(Refresh.TICK, Duration.ZERO, refreshInterval);
                timers.startTimerWithFixedDelay(
                    Refresh.REPORT_USE, usageReportInterval, usageReportInterval);
                return Behaviors.receive(Object.class)
                    .onMessage(
                        AccessState.class,
                        state -> {
                          catalog.offer(state);
                          return Behaviors.same();
                        })
                    .onMessageEquals(
                        Refresh.TICK,
                        () -> {
                          AskPattern.<AccessRegistry.Command, AccessState>ask(
                                  AccessRegistry.refFor(system),
                                  AccessRegistry.GetAccess::new,
                                  refreshInterval,
                                  system.scheduler())
                              .thenAccept(catalog::offer);
                          return Behaviors.same();
                        })
                    .onMessageEquals(
                        Refresh.REPORT_USE,
                        () -> {
                          Map<String, Instant> uses = catalog.takeUses();
                          if (!uses.isEmpty()) {
                            AccessRegistry.refFor(system)
                                .tell(new AccessRegistry.RecordUse(uses, system.ignoreRef()));
                          }
                          return Behaviors.same();
                        })
                    .onMessageEquals(Refresh.STOP, Behaviors::stopped)
                    .build();
              });
        });
  }
}
