package io.pulse.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.model.RescoringProgress;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Re-scorings after model changes and re-evaluations after audience changes that are under way, per
 * tenant, from the registry's progress that every node's catalog holds; read before each scrape, so
 * every node reports the same.
 */
final class RescoringGauges {

  /** One tenant's re-scorings under way, summed. */
  private record Progress(AtomicLong running, AtomicLong done, AtomicLong expected) {
    Progress() {
      this(new AtomicLong(), new AtomicLong(), new AtomicLong());
    }
  }

  private final Supplier<? extends Collection<String>> tenants;
  private final Function<String, Optional<ModelCatalogRevision>> catalogs;
  private final MeterRegistry registry;
  private final Map<String, Progress> byTenant = new ConcurrentHashMap<>();

  RescoringGauges(
      Supplier<? extends Collection<String>> tenants,
      Function<String, Optional<ModelCatalogRevision>> catalogs,
      MeterRegistry registry) {
    this.tenants = tenants;
    this.catalogs = catalogs;
    this.registry = registry;
    refresh();
  }

  void refresh() {
    for (String tenant : tenants.get()) {
      long running = 0;
      long done = 0;
      long expected = 0;
      Optional<ModelCatalogRevision> catalog = catalogs.apply(tenant);
      if (catalog.isPresent()) {
        for (RescoringProgress job : catalog.get().rescorings().values()) {
          if (job.finished()) {
            continue;
          }
          running++;
          // A job counts its users first; until then it has no share of the progress.
          if (job.total() >= 0) {
            done += job.done();
            expected += job.total();
          }
        }
      }
      Progress progress = byTenant.computeIfAbsent(tenant, this::register);
      progress.running().set(running);
      progress.done().set(done);
      progress.expected().set(expected);
    }
  }

  private Progress register(String tenant) {
    Progress progress = new Progress();
    Gauge.builder("pulse.rescoring.jobs.running", progress.running(), AtomicLong::get)
        .description("Re-scorings and audience re-evaluations under way")
        .tag("tenant", tenant)
        .register(registry);
    Gauge.builder("pulse.rescoring.users.done", progress.done(), AtomicLong::get)
        .description("Users the re-scorings under way have gone through")
        .tag("tenant", tenant)
        .register(registry);
    Gauge.builder("pulse.rescoring.users.expected", progress.expected(), AtomicLong::get)
        .description("Users the re-scorings under way go through, once they have counted them")
        .tag("tenant", tenant)
        .register(registry);
    return progress;
  }
}
