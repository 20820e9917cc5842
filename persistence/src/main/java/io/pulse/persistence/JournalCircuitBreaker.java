package io.pulse.persistence;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The state of this node's journal circuit breaker, as the journal reports it on every change: an
 * open breaker fails every write and recovery at once, so operators need to see it, not infer it
 * from failures. One per actor system.
 */
public final class JournalCircuitBreaker implements Extension {

  /** The breaker's states, with the names metrics use for them. */
  public enum State {
    CLOSED("closed"),
    OPEN("open"),
    HALF_OPEN("half-open");

    private final String label;

    State(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private static final Id ID = new Id();

  private volatile State state = State.CLOSED;
  private final AtomicLong openings = new AtomicLong();

  private JournalCircuitBreaker() {}

  public static JournalCircuitBreaker get(ActorSystem<?> system) {
    return get(Adapter.toClassic(system));
  }

  public static JournalCircuitBreaker get(org.apache.pekko.actor.ActorSystem system) {
    return ID.get(system);
  }

  public State state() {
    return state;
  }

  /** Times the breaker has opened since this node started, reopening from half-open included. */
  public long openings() {
    return openings.get();
  }

  /** Called by the journal when its breaker changes to {@code next}. */
  public void changedTo(State next) {
    if (next == State.OPEN) {
      openings.incrementAndGet();
    }
    state = next;
  }

  private static final class Id extends AbstractExtensionId<JournalCircuitBreaker> {
    @Override
    public JournalCircuitBreaker createExtension(ExtendedActorSystem system) {
      return new JournalCircuitBreaker();
    }
  }
}
