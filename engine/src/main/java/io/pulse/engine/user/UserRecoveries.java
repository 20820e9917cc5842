package io.pulse.engine.user;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * How many users this node is loading from the journal right now: entities started and not yet
 * recovered. A burst of first-seen users (a node that has just started, a new app's launch) makes
 * one recovery per user, a few queries each; ingestion admits new requests only while this count is
 * below its bound, so that a request is answered {@code 503} at once rather than after waiting out
 * its timeout behind thousands of recoveries, and the requests admitted are acknowledged at the
 * pace the recoveries complete.
 *
 * <p>An entity ends its recovery itself when it recovers, fails to, or stops. But Pekko 1.x does
 * not hand {@code PostStop} to an event-sourced behavior while its snapshot is loading, so a user
 * stopped then (its shard stopped or handed over, say) would stay counted for good, and the node's
 * admission bound with it. Each recovery is therefore also watched by one actor of the node, which
 * ends it when its entity terminates. Watching costs two messages per entity start, none per event.
 */
public final class UserRecoveries implements Extension {

  private static final ExtensionId<UserRecoveries> ID =
      new ExtensionId<>() {
        @Override
        public UserRecoveries createExtension(ActorSystem<?> system) {
          return new UserRecoveries(system);
        }
      };

  private final AtomicInteger inProgress = new AtomicInteger();
  private final ActorRef<Watched> watcher;

  private UserRecoveries(ActorSystem<?> system) {
    this.watcher = system.systemActorOf(watching(), "pulse-user-recoveries", Props.empty());
  }

  /** This node's count. */
  public static UserRecoveries get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Users being loaded from the journal on this node now. */
  public int inProgress() {
    return inProgress.get();
  }

  /** One recovery, begun by {@code entity} as it starts and ended exactly once. */
  Recovery begin(ActorRef<?> entity) {
    inProgress.incrementAndGet();
    Recovery recovery = new Recovery(entity);
    watcher.tell(new Watch(recovery));
    return recovery;
  }

  /** One entity's recovery: ending it twice, from the entity and from its watcher, counts once. */
  final class Recovery {
    private final ActorRef<?> entity;
    private final AtomicBoolean ended = new AtomicBoolean();

    private Recovery(ActorRef<?> entity) {
      this.entity = entity;
    }

    /** The entity recovered, failed to, or stopped before it did. */
    void end() {
      if (endOnce()) {
        watcher.tell(new Unwatch(entity));
      }
    }

    private boolean endOnce() {
      if (ended.compareAndSet(false, true)) {
        inProgress.decrementAndGet();
        return true;
      }
      return false;
    }
  }

  private sealed interface Watched permits Watch, Unwatch {}

  private record Watch(Recovery recovery) implements Watched {}

  private record Unwatch(ActorRef<?> entity) implements Watched {}

  /**
   * Ends the recovery of an entity that terminates while it is still loading. An entity's {@code
   * Unwatch} is sent after its {@code Watch}, from the same actor, so it arrives after it.
   */
  private static Behavior<Watched> watching() {
    return Behaviors.setup(
        context -> {
          Map<ActorRef<?>, Recovery> loading = new HashMap<>();
          return Behaviors.receive(Watched.class)
              .onMessage(
                  Watch.class,
                  watch -> {
                    Recovery recovery = watch.recovery();
                    if (!recovery.ended.get()) {
                      loading.put(recovery.entity, recovery);
                      context.watch(recovery.entity);
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Unwatch.class,
                  unwatch -> {
                    if (loading.remove(unwatch.entity()) != null) {
                      context.unwatch(unwatch.entity());
                    }
                    return Behaviors.same();
                  })
              .onSignal(
                  Terminated.class,
                  terminated -> {
                    Recovery recovery = loading.remove(terminated.getRef());
                    if (recovery != null) {
                      recovery.endOnce();
                    }
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
