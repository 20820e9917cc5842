package io.pulse.engine.user;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * stopped then (its shard stopped, or handed over after the hand-off timeout) would stay counted
 * for good, and the node's admission bound with it (fixed in Pekko 2.0.0-M4: with it, the sweep can
 * go). So the recoveries in progress are also looked at once a second, and those of entities that
 * have terminated are ended. Wrapping every entity in an interceptor would allocate on each message
 * it handles, and watching each one costs a watch and an unwatch per start in a map that every
 * change copies; this costs one set entry per start.
 */
public final class UserRecoveries implements Extension {

  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

  private static final ExtensionId<UserRecoveries> ID =
      new ExtensionId<>() {
        @Override
        public UserRecoveries createExtension(ActorSystem<?> system) {
          return new UserRecoveries(system);
        }
      };

  private static final Logger log = LoggerFactory.getLogger(UserRecoveries.class);

  private final AtomicInteger inProgress = new AtomicInteger();
  private final Set<Recovery> loading = ConcurrentHashMap.newKeySet();

  private UserRecoveries(ActorSystem<?> system) {
    system
        .scheduler()
        .scheduleWithFixedDelay(
            SWEEP_INTERVAL,
            SWEEP_INTERVAL,
            this::endThoseOfTerminatedEntities,
            system.executionContext());
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
    Recovery recovery = new Recovery(Adapter.toClassic(entity));
    loading.add(recovery);
    return recovery;
  }

  private void endThoseOfTerminatedEntities() {
    // A repeated task that throws is not run again: nothing may escape.
    try {
      for (Recovery recovery : loading) {
        // Pekko's own liveness of a local actor (internal to Pekko): true once it has stopped.
        if (recovery.entity.isTerminated()) {
          recovery.end();
        }
      }
    } catch (RuntimeException e) {
      log.warn(
          "Could not look for users stopped while loading; trying again in {}", SWEEP_INTERVAL, e);
    }
  }

  /** One entity's recovery: ending it twice, from the entity and from the sweep, counts once. */
  final class Recovery {
    private final org.apache.pekko.actor.ActorRef entity;
    private final AtomicBoolean ended = new AtomicBoolean();

    private Recovery(org.apache.pekko.actor.ActorRef entity) {
      this.entity = entity;
    }

    /** The entity recovered, failed to, or stopped before it did. */
    void end() {
      if (ended.compareAndSet(false, true)) {
        loading.remove(this);
        inProgress.decrementAndGet();
      }
    }
  }
}
