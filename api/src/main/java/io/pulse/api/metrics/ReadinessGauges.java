package io.pulse.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.api.http.HealthRoutes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Whether this node is ready, as {@code /health/ready} decides it, and each of its checks; checked
 * before each scrape. A check that does not answer counts as failed.
 */
final class ReadinessGauges {

  private final Supplier<CompletionStage<Map<String, Boolean>>> checks;
  private final Map<String, Boolean> passing = new ConcurrentHashMap<>();

  ReadinessGauges(Supplier<CompletionStage<Map<String, Boolean>>> checks, MeterRegistry registry) {
    this.checks = checks;
    for (String check : HealthRoutes.CHECKS) {
      passing.put(check, false);
      Gauge.builder(
              "pulse.ready.check", passing, current -> current.getOrDefault(check, false) ? 1 : 0)
          .description("1 while the readiness check passes on this node, 0 while it fails")
          .tag("check", check)
          .register(registry);
    }
    Gauge.builder("pulse.ready", passing, current -> current.containsValue(false) ? 0 : 1)
        .description("1 while this node is ready (GET /health/ready answers 200), 0 while not")
        .register(registry);
  }

  CompletionStage<Void> refresh() {
    CompletableFuture<Map<String, Boolean>> checked;
    try {
      checked = checks.get().toCompletableFuture();
    } catch (RuntimeException e) {
      checked = CompletableFuture.failedFuture(e);
    }
    return checked.handle(
        (results, failure) -> {
          for (String check : HealthRoutes.CHECKS) {
            passing.put(check, failure == null && results.getOrDefault(check, false));
          }
          return null;
        });
  }
}
