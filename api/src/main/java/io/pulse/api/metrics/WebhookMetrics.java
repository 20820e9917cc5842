package io.pulse.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.api.webhook.DeliveryOutcome;
import io.pulse.api.webhook.WebhookObserver;
import io.pulse.engine.domain.access.TenantId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Webhook delivery attempts by outcome, and dead letters by reason, per tenant. */
final class WebhookMetrics implements WebhookObserver {

  /** One tenant's counters, keyed by outcome label. */
  private record TenantCounters(Map<String, Counter> attempts, Map<String, Counter> deadLetters) {}

  private final MeterRegistry registry;
  private final Map<String, TenantCounters> tenants = new ConcurrentHashMap<>();

  WebhookMetrics(MeterRegistry registry) {
    this.registry = registry;
    countersOf(TenantId.DEFAULT.value());
  }

  @Override
  public void attempted(String tenant, DeliveryOutcome outcome) {
    countersOf(tenant).attempts().get(outcome.label()).increment();
  }

  @Override
  public void deadLettered(String tenant, DeliveryOutcome outcome) {
    countersOf(tenant).deadLetters().get(outcome.label()).increment();
  }

  /**
   * Every outcome of a tenant at once, when its first delivery is tried, so that a rate over the
   * series never sees one appear.
   */
  private TenantCounters countersOf(String tenant) {
    return tenants.computeIfAbsent(tenant, this::register);
  }

  private TenantCounters register(String tenant) {
    Map<String, Counter> attempts = new HashMap<>();
    Map<String, Counter> deadLetters = new HashMap<>();
    for (String outcome : DeliveryOutcome.LABELS) {
      attempts.put(
          outcome,
          Counter.builder("pulse.webhook.attempts")
              .description("Webhook delivery attempts by outcome: delivered, or why not")
              .tag("tenant", tenant)
              .tag("outcome", outcome)
              .register(registry));
      if (!outcome.equals("delivered")) {
        deadLetters.put(
            outcome,
            Counter.builder("pulse.webhook.dead.letters")
                .description("Transitions filed as dead letters, by the last attempt's outcome")
                .tag("tenant", tenant)
                .tag("reason", outcome)
                .register(registry));
      }
    }
    return new TenantCounters(attempts, deadLetters);
  }
}
