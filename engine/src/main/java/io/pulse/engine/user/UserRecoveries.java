package io.pulse.engine.user;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * How many users this node is loading from the journal right now: entities started and not yet
 * recovered. A burst of first-seen users (a node that has just started, a new app's launch) makes
 * one recovery per user, a few queries each; ingestion admits new requests only while this count is
 * below its bound, so that a request is answered {@code 503} at once rather than after waiting out
 * its timeout behind thousands of recoveries, and the requests admitted are acknowledged at the
 * pace the recoveries complete.
 */
public final class UserRecoveries implements Extension {

  private static final ExtensionId<UserRecoveries> ID =
      new ExtensionId<>() {
        @Override
        public UserRecoveries createExtension(ActorSystem<?> system) {
          return new UserRecoveries();
        }
      };

  private final AtomicInteger inProgress = new AtomicInteger();

  UserRecoveries() {}

  /** This node's count. */
  public static UserRecoveries get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Users being loaded from the journal on this node now. */
  public int inProgress() {
    return inProgress.get();
  }

  /** One recovery, begun by an entity as it starts and ended exactly once by {@link #end()}. */
  Recovery begin() {
    inProgress.incrementAndGet();
    return new Recovery();
  }

  /** One entity's recovery: ending it twice counts once. */
  final class Recovery {
    private boolean ended;

    private Recovery() {}

    /** The entity recovered, failed to, or stopped before it did. */
    void end() {
      if (!ended) {
        ended = true;
        inProgress.decrementAndGet();
      }
    }
  }
}
