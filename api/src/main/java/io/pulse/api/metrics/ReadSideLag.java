package io.pulse.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.engine.user.UserEntity;
import io.pulse.persistence.TaggedEventBacklog;
import io.pulse.persistence.TaggedEventFeed;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the transition read side is behind the journal. This node follows the transition tag
 * live, as a consumer of the feed does; before each scrape the journal tables say which stored
 * transitions come after the newest one the read side has delivered. The lag is how many there are
 * ({@code pulse_read_side_lag_transitions}) and how long ago the oldest of them was written ({@code
 * pulse_read_side_lag_seconds}); both are 0 when the read side has caught up.
 */
final class ReadSideLag {

  private static final Logger log = LoggerFactory.getLogger(ReadSideLag.class);

  private final ActorSystem<?> system;
  private final TaggedEventFeed feed;
  private final TaggedEventBacklog backlog;
  private final Executor blocking;
  private final AtomicBoolean following = new AtomicBoolean();
  private final AtomicLong deliveredOffset = new AtomicLong();
  private final AtomicLong lagTransitions = new AtomicLong();
  private final AtomicLong lagMillis = new AtomicLong();

  ReadSideLag(
      ActorSystem<?> system,
      TaggedEventFeed feed,
      TaggedEventBacklog backlog,
      MeterRegistry registry) {
    this.system = system;
    this.feed = feed;
    this.backlog = backlog;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    Gauge.builder("pulse.read.side.lag.transitions", lagTransitions, AtomicLong::get)
        .description("Stored transitions that the read side has not delivered yet")
        .register(registry);
    Gauge.builder("pulse.read.side.lag", lagMillis, millis -> millis.get() / 1000.0)
        .description("Age of the oldest stored transition that the read side has not delivered")
        .baseUnit("seconds")
        .register(registry);
    system.getWhenTerminated().thenRun(backlog::close);
  }

  /** Measures the lag; the first successful measurement starts following the feed. */
  CompletionStage<Void> refresh() {
    return CompletableFuture.runAsync(this::measure, blocking)
        .exceptionally(
            failure -> {
              log.debug("Read-side lag not measured: {}", failure.getMessage());
              return null;
            });
  }

  private void measure() {
    try {
      if (!following.get()) {
        // Start at the journal's current end: history is not lag, and replaying it is costly.
        long newest = backlog.newestOffset(UserEntity.TRANSITION_TAG);
        if (following.compareAndSet(false, true)) {
          deliveredOffset.set(newest);
          follow();
        }
      }
      TaggedEventBacklog.Backlog behind =
          backlog.after(UserEntity.TRANSITION_TAG, deliveredOffset.get());
      lagTransitions.set(behind.events());
      lagMillis.set(
          behind.events() == 0
              ? 0
              : Math.max(0, System.currentTimeMillis() - behind.oldestWriteTimestampMillis()));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void follow() {
    RestartSettings restart =
        RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
    RestartSource.withBackoff(
            restart, () -> feed.live(UserEntity.TRANSITION_TAG, deliveredOffset.get()))
        .runWith(
            Sink.foreach(envelope -> deliveredOffset.set(TaggedEventFeed.offsetOf(envelope))),
            system);
  }
}
