package io.pulse.api.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.persistence.JournalCircuitBreaker;

/**
 * The journal circuit breaker's state, one series per state with 1 on the current one (so that a
 * panel or an alert selects a state by name), and how often it opened.
 */
final class CircuitBreakerGauges {

  private CircuitBreakerGauges() {}

  static void register(JournalCircuitBreaker breaker, MeterRegistry registry) {
    for (JournalCircuitBreaker.State state : JournalCircuitBreaker.State.values()) {
      Gauge.builder(
              "pulse.journal.circuit.breaker.state",
              breaker,
              current -> current.state() == state ? 1 : 0)
          .description(
              "1 for the state the journal's circuit breaker is in: closed (writes pass), open"
                  + " (every write and recovery fails at once), half-open (one call tries)")
          .tag("state", state.label())
          .register(registry);
    }
    FunctionCounter.builder(
            "pulse.journal.circuit.breaker.openings", breaker, JournalCircuitBreaker::openings)
        .description("Times the journal's circuit breaker opened")
        .register(registry);
  }
}
