package io.pulse.api.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.engine.journal.JournalAvailability;

/** What an operator watches of the journal database's availability, as this node finds it. */
final class JournalMetrics {

  private JournalMetrics() {}

  static void register(JournalAvailability journal, MeterRegistry registry) {
    Gauge.builder("pulse.journal.available", journal, j -> j.isAvailable() ? 1 : 0)
        .description("1 while this node finds its journal database answering, 0 while it does not")
        .register(registry);
    FunctionCounter.builder("pulse.journal.outages", journal, JournalAvailability::outages)
        .description("Times this node found its journal database unavailable")
        .register(registry);
    FunctionCounter.builder(
            "pulse.journal.writes.refused", journal, JournalAvailability::refusedWrites)
        .description(
            "Write requests answered 503 journal-unavailable at once, or given up when the journal"
                + " became unavailable")
        .register(registry);
    FunctionCounter.builder(
            "pulse.journal.unavailable", journal, j -> j.unavailableTime().toNanos() / 1e9)
        .baseUnit("seconds")
        .description("Time this node found its journal database unavailable, in all")
        .register(registry);
  }
}
