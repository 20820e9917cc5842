package io.pulse.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pulse.engine.user.UserEntityObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What the user entities hosted on this node do: events recorded, writes, transitions, memory. */
final class EntityMetrics implements UserEntityObserver {

  private final Counter recorded;
  private final Counter duplicates;
  private final Counter transitions;
  private final Timer journalWrites;
  private final Counter passivations;
  private final AtomicLong active = new AtomicLong();

  EntityMetrics(MeterRegistry registry) {
    recorded =
        Counter.builder("pulse.entity.events.recorded")
            .description("Events journaled by the user entities on this node")
            .register(registry);
    duplicates =
        Counter.builder("pulse.entity.events.duplicated")
            .description("Events the user entities on this node recognised as retries")
            .register(registry);
    transitions =
        Counter.builder("pulse.transitions.emitted")
            .description("Segment transitions journaled by the user entities on this node")
            .register(registry);
    journalWrites =
        Timer.builder("pulse.journal.write")
            .description(
                "From a user entity receiving a group of events to its write being durable")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    passivations =
        Counter.builder("pulse.user.entities.passivated")
            .description(
                "User entities that left memory: idle or over the limit, handed off, or stopped")
            .register(registry);
    Gauge.builder("pulse.user.entities.active", active, AtomicLong::get)
        .description("User entities in memory on this node")
        .register(registry);
  }

  @Override
  public void recorded(int accepted, int duplicates, int transitions, long writeNanos) {
    if (accepted > 0) {
      recorded.increment(accepted);
      journalWrites.record(writeNanos, TimeUnit.NANOSECONDS);
    }
    if (duplicates > 0) {
      this.duplicates.increment(duplicates);
    }
    if (transitions > 0) {
      this.transitions.increment(transitions);
    }
  }

  @Override
  public void started() {
    active.incrementAndGet();
  }

  @Override
  public void stopped() {
    active.decrementAndGet();
    passivations.increment();
  }
}
