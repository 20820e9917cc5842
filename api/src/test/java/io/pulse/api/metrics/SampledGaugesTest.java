package io.pulse.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pulse.engine.domain.ScoringModels;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.RescoringProgress;
import io.pulse.persistence.JournalCircuitBreaker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/** The gauges read at scrape time: what each reports from what it samples. */
class SampledGaugesTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void rescoringSumsTheUnfinishedJobsOfEachTenantThatHaveCountedTheirUsers() {
    Map<String, ModelCatalogRevision> catalogs = new LinkedHashMap<>();
    catalogs.put(
        "acme",
        catalog(
            "acme",
            new RescoringProgress("engagement", 2, false, 40, 100, false),
            new RescoringProgress("loyalty", 3, false, 5, 10, false),
            new RescoringProgress("old", 1, false, 7, 7, true),
            new RescoringProgress("counting", 1, false, 0, -1, false)));
    RescoringGauges gauges =
        new RescoringGauges(
            () -> List.of("acme", "quiet"),
            tenant -> Optional.ofNullable(catalogs.get(tenant)),
            registry);

    assertEquals(3, gauge("pulse.rescoring.jobs.running", "tenant", "acme"));
    assertEquals(45, gauge("pulse.rescoring.users.done", "tenant", "acme"));
    assertEquals(110, gauge("pulse.rescoring.users.expected", "tenant", "acme"));
    // a tenant without a catalog yet, or with nothing under way, reports zeros
    assertEquals(0, gauge("pulse.rescoring.jobs.running", "tenant", "quiet"));

    catalogs.put(
        "acme", catalog("acme", new RescoringProgress("engagement", 2, false, 100, 100, true)));
    gauges.refresh();
    assertEquals(0, gauge("pulse.rescoring.jobs.running", "tenant", "acme"));
    assertEquals(0, gauge("pulse.rescoring.users.done", "tenant", "acme"));
  }

  @Test
  void readinessIsEveryCheckPassingAndAFailedCheckingFailsThemAll() {
    AtomicReference<CompletableFuture<Map<String, Boolean>>> answer = new AtomicReference<>();
    ReadinessGauges gauges = new ReadinessGauges(answer::get, registry);
    // not ready until checked
    assertEquals(0, registry.get("pulse.ready").gauge().value());

    answer.set(
        CompletableFuture.completedFuture(
            Map.of(
                "clusterMemberUp",
                true,
                "modelsLoaded",
                true,
                "keysLoaded",
                true,
                "userShardsStarted",
                true,
                "journal",
                true)));
    gauges.refresh().toCompletableFuture().join();
    assertEquals(1, registry.get("pulse.ready").gauge().value());
    assertEquals(1, gauge("pulse.ready.check", "check", "journal"));

    answer.set(
        CompletableFuture.completedFuture(
            Map.of(
                "clusterMemberUp",
                true,
                "modelsLoaded",
                true,
                "keysLoaded",
                true,
                "userShardsStarted",
                true,
                "journal",
                false)));
    gauges.refresh().toCompletableFuture().join();
    assertEquals(0, registry.get("pulse.ready").gauge().value());
    assertEquals(0, gauge("pulse.ready.check", "check", "journal"));
    assertEquals(1, gauge("pulse.ready.check", "check", "clusterMemberUp"));

    answer.set(CompletableFuture.failedFuture(new IllegalStateException("no answer")));
    gauges.refresh().toCompletableFuture().join();
    assertEquals(0, registry.get("pulse.ready").gauge().value());
    assertEquals(0, gauge("pulse.ready.check", "check", "clusterMemberUp"));
  }

  @Test
  void theBreakerGaugeMarksTheCurrentStateAndTheOpeningsCount() {
    // The node's configuration allows the older pekko-discovery it is shipped with.
    ActorTestKit testKit =
        ActorTestKit.create(ConfigFactory.parseString("pekko.fail-mixed-versions = off"));
    try {
      JournalCircuitBreaker breaker = JournalCircuitBreaker.get(testKit.system());
      CircuitBreakerGauges.register(breaker, registry);
      assertEquals(1, gauge("pulse.journal.circuit.breaker.state", "state", "closed"));
      assertEquals(0, gauge("pulse.journal.circuit.breaker.state", "state", "open"));

      breaker.changedTo(JournalCircuitBreaker.State.OPEN);
      breaker.changedTo(JournalCircuitBreaker.State.HALF_OPEN);
      assertEquals(0, gauge("pulse.journal.circuit.breaker.state", "state", "closed"));
      assertEquals(1, gauge("pulse.journal.circuit.breaker.state", "state", "half-open"));
      breaker.changedTo(JournalCircuitBreaker.State.OPEN);
      assertEquals(1, gauge("pulse.journal.circuit.breaker.state", "state", "open"));
      assertEquals(
          2, registry.get("pulse.journal.circuit.breaker.openings").functionCounter().count());
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static ModelCatalogRevision catalog(String tenant, RescoringProgress... jobs) {
    Map<String, RescoringProgress> rescorings = new LinkedHashMap<>();
    for (RescoringProgress job : jobs) {
      rescorings.put(job.key(), job);
    }
    return new ModelCatalogRevision(tenant, 1, ScoringModels.of(), rescorings);
  }

  private double gauge(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).gauge().value();
  }
}
