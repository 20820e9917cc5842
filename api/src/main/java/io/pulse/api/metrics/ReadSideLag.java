package io.pulse.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.pulse.engine.user.JournalTags;
import io.pulse.persistence.ReadSide;
import io.pulse.persistence.TaggedEventBacklog;
import io.pulse.persistence.projection.PromotionProjection;
import io.pulse.persistence.stats.StatsProjection;
import io.pulse.persistence.wakeup.WakeUpScheduler;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each read side is behind the journal, by reader and the tag it follows. Before each
 * scrape the journal tables say which stored events with a reader's tag come after the newest one
 * it has read; the lag is how many there are ({@code pulse_read_side_lag_events}) and how long ago
 * the oldest of them was written ({@code pulse_read_side_lag_seconds}), both 0 when it has caught
 * up.
 *
 * <p>The readers: this node's live read of the transition tag ({@code transition-feed}, which the
 * streams, webhooks and statistics share), measured from the offset up to which it has published;
 * and the cluster's singletons that store their offsets in the database (wake-ups, the statistics,
 * the promotion projection), measured from the offset they stored, so every node reports the same
 * for them.
 */
final class ReadSideLag {

  private static final Logger log = LoggerFactory.getLogger(ReadSideLag.class);

  /** This node's live read of transitions. */
  static final String LIVE_FEED = "transition-feed";

  /** The lag of one reader, as last measured. */
  private record Lag(ReadSide side, AtomicLong events, AtomicLong millis) {
    Lag(ReadSide side) {
      this(side, new AtomicLong(), new AtomicLong());
    }

    void set(TaggedEventBacklog.Backlog behind) {
      events.set(behind.events());
      millis.set(
          behind.events() == 0
              ? 0
              : Math.max(0, System.currentTimeMillis() - behind.oldestWriteTimestampMillis()));
    }
  }

  private final LongSupplier livePosition;

  /** Where the journal ended when this node first measured, while its live read had not started. */
  private volatile long notStartedFrom = -1;

  private final TaggedEventBacklog backlog;
  private final Executor blocking;
  private final Lag live = new Lag(ReadSide.stored(LIVE_FEED, JournalTags.TRANSITION));
  private final List<Lag> stored = new ArrayList<>();

  /**
   * {@code livePosition} is the offset up to which the live read has published the transitions,
   * negative before it has started.
   */
  ReadSideLag(
      ActorSystem<?> system,
      LongSupplier livePosition,
      TaggedEventBacklog backlog,
      MeterRegistry registry) {
    this.livePosition = livePosition;
    this.backlog = backlog;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    for (ReadSide side : storedReadSides()) {
      stored.add(new Lag(side));
    }
    // Kept under its first name, without labels, for the dashboards that use it.
    Gauge.builder("pulse.read.side.lag.transitions", live.events(), AtomicLong::get)
        .description("Stored transitions that this node's live transition feed has not delivered")
        .register(registry);
    List<Lag> all = new ArrayList<>(stored);
    all.add(0, live);
    for (Lag lag : all) {
      Tags tags = Tags.of("reader", lag.side().reader(), "tag", lag.side().tag());
      Gauge.builder("pulse.read.side.lag.events", lag.events(), AtomicLong::get)
          .description("Stored events with the reader's tag that it has not read yet")
          .tags(tags)
          .register(registry);
      Gauge.builder("pulse.read.side.lag", lag.millis(), millis -> millis.get() / 1000.0)
          .description("Age of the oldest stored event with the reader's tag that it has not read")
          .baseUnit("seconds")
          .tags(tags)
          .register(registry);
    }
    system.getWhenTerminated().thenRun(backlog::close);
  }

  /** The read sides that store their offsets in the journal database. */
  static List<ReadSide> storedReadSides() {
    List<ReadSide> sides = new ArrayList<>();
    sides.add(ReadSide.stored(WakeUpScheduler.READER, JournalTags.WAKE_UP));
    sides.addAll(StatsProjection.readSides());
    sides.add(
        ReadSide.projection(
            PromotionProjection.ID.name(), PromotionProjection.ID.key(), JournalTags.PROMOTION));
    return sides;
  }

  /** Measures the lag. */
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
      long published = livePosition.getAsLong();
      if (published < 0) {
        // The live read has not started: what was stored since this node first looked is late.
        if (notStartedFrom < 0) {
          notStartedFrom = backlog.newestOffset(JournalTags.TRANSITION);
        }
        published = notStartedFrom;
      }
      live.set(backlog.after(JournalTags.TRANSITION, published));
      for (Lag lag : stored) {
        lag.set(backlog.after(lag.side().tag(), backlog.storedOffset(lag.side())));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
