package io.pulse.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.api.http.ConnectionGate;
import io.pulse.api.http.ConnectionObserver;
import java.util.EnumMap;
import java.util.Map;

/** HTTP connections of this node: open ones, refused ones and ones closed for a timeout. */
final class ConnectionMetrics implements ConnectionObserver {

  private final MeterRegistry registry;
  private final Map<ConnectionGate.Refusal, Counter> refused =
      new EnumMap<>(ConnectionGate.Refusal.class);
  private final Map<ConnectionGate.Timeout, Counter> timedOut =
      new EnumMap<>(ConnectionGate.Timeout.class);

  ConnectionMetrics(MeterRegistry registry) {
    this.registry = registry;
    // Every reason from the start, so that a rate over the series never sees one appear.
    for (ConnectionGate.Refusal reason : ConnectionGate.Refusal.values()) {
      refused.put(
          reason,
          Counter.builder("pulse.http.connections.refused")
              .description("Connections closed as soon as they were accepted, by reason")
              .tag("reason", reason.label())
              .register(registry));
    }
    for (ConnectionGate.Timeout timeout : ConnectionGate.Timeout.values()) {
      timedOut.put(
          timeout,
          Counter.builder("pulse.http.connections.timed.out")
              .description("Connections closed because no request head arrived in time")
              .tag("timeout", timeout.label())
              .register(registry));
    }
  }

  /** Reports the connections {@code gate} holds open, and how many it may. */
  void watch(ConnectionGate gate) {
    Gauge.builder("pulse.http.connections.open", gate, ConnectionGate::openConnections)
        .description("HTTP connections this node holds open")
        .register(registry);
    Gauge.builder("pulse.http.connections.limit", gate, g -> g.limits().maxConnections())
        .description("HTTP connections this node holds open at most (pulse.http.max-connections)")
        .register(registry);
  }

  @Override
  public void refused(ConnectionGate.Refusal reason) {
    refused.get(reason).increment();
  }

  @Override
  public void timedOut(ConnectionGate.Timeout timeout) {
    timedOut.get(timeout).increment();
  }
}
