package io.pulse.engine.journal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node's journal database answers, as its probe last found: one status per node that
 * ingestion, readiness, the wake-up scheduler and the entities consult instead of each finding out
 * for itself, slowly and loudly. A node assumes the journal available until a check says otherwise.
 *
 * <p>A change is logged once: one warning when the journal becomes unavailable, one line when it
 * answers again. In between, writes are refused at once and failures that only repeat the outage
 * are logged at debug level.
 */
public final class JournalAvailability implements Extension {

  private static final Logger log = LoggerFactory.getLogger(JournalAvailability.class);

  private static final ExtensionId<JournalAvailability> ID =
      new ExtensionId<>() {
        @Override
        public JournalAvailability createExtension(ActorSystem<?> system) {
          return new JournalAvailability(Clock.systemUTC());
        }
      };

  private final Clock clock;
  private final List<Consumer<JournalStatus>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong outages = new AtomicLong();
  private final AtomicLong refusedWrites = new AtomicLong();
  private volatile JournalStatus status;
  private volatile Runnable checkNow = () -> {};
  private CompletableFuture<Done> answering = CompletableFuture.completedFuture(Done.getInstance());
  private long refusedAtOutageStart;
  private Duration unavailableBefore = Duration.ZERO;

  JournalAvailability(Clock clock) {
    this.clock = clock;
    this.status = JournalStatus.availableSince(clock.instant());
  }

  /** This node's journal availability. */
  public static JournalAvailability get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public boolean isAvailable() {
    return status.available();
  }

  public JournalStatus status() {
    return status;
  }

  /** Completes as soon as the journal is available: at once if it is. */
  public synchronized CompletionStage<Done> whenAvailable() {
    return answering.minimalCompletionStage();
  }

  /** A check found the journal answering. */
  public void reportAvailable() {
    JournalStatus changed;
    synchronized (this) {
      Instant now = clock.instant();
      if (status.available()) {
        status = status.checkedAt(now);
        return;
      }
      Duration outage = Duration.between(status.since(), now);
      unavailableBefore = unavailableBefore.plus(outage);
      long refused = refusedWrites.get() - refusedAtOutageStart;
      status = JournalStatus.availableSince(now);
      changed = status;
      answering.complete(Done.getInstance());
      log.info(
          "The journal database answers again after {} ms unavailable; {} writes were refused"
              + " meanwhile",
          outage.toMillis(),
          refused);
    }
    notifyListeners(changed);
  }

  /** A check found the journal not answering, for {@code reason} (words an operator reads). */
  public void reportUnavailable(String reason) {
    JournalStatus changed;
    synchronized (this) {
      Instant now = clock.instant();
      if (!status.available()) {
        status = new JournalStatus(false, status.since(), reason, now);
        return;
      }
      status = new JournalStatus(false, now, reason, now);
      changed = status;
      outages.incrementAndGet();
      refusedAtOutageStart = refusedWrites.get();
      answering = new CompletableFuture<>();
      log.warn(
          "The journal database is unavailable ({}): writes are refused with 503 until it answers"
              + " again",
          reason);
    }
    notifyListeners(changed);
  }

  /** Counts a write refused at once because the journal was unavailable. */
  public void refused() {
    refusedWrites.incrementAndGet();
  }

  /**
   * Something just failed in a way that suggests the journal is gone: check now rather than at the
   * next interval, so that the node stops accepting writes sooner.
   */
  public void suspect() {
    checkNow.run();
  }

  /** Who checks the journal when {@link #suspect()} is called: this node's probe. */
  public void checkWith(Runnable check) {
    this.checkNow = check;
  }

  /**
   * Calls {@code listener} on every change of availability, on the thread that found it; returns
   * what stops that.
   */
  public Runnable onChange(Consumer<JournalStatus> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Times the journal became unavailable since this node started. */
  public long outages() {
    return outages.get();
  }

  /** Writes refused at once because the journal was unavailable, since this node started. */
  public long refusedWrites() {
    return refusedWrites.get();
  }

  /** How long the journal has been unavailable in all, the current outage included. */
  public synchronized Duration unavailableTime() {
    return status.available()
        ? unavailableBefore
        : unavailableBefore.plus(Duration.between(status.since(), clock.instant()));
  }

  private void notifyListeners(JournalStatus changed) {
    for (Consumer<JournalStatus> listener : listeners) {
      try {
        listener.accept(changed);
      } catch (RuntimeException e) {
        log.error("A journal availability listener failed", e);
      }
    }
  }
}
