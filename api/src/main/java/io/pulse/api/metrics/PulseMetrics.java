package io.pulse.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.api.http.ConnectionGate;
import io.pulse.api.http.ConnectionObserver;
import io.pulse.api.http.Endpoint;
import io.pulse.api.http.IngestObserver;
import io.pulse.api.webhook.WebhookObserver;
import io.pulse.engine.domain.access.Scope;
import io.pulse.engine.ingest.EventIngestion;
import io.pulse.engine.journal.JournalAvailability;
import io.pulse.engine.model.ModelCatalogRevision;
import io.pulse.engine.user.UserEntityObserver;
import io.pulse.engine.user.UserRecoveries;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.JournalCircuitBreaker;
import io.pulse.persistence.LiveTagFeed;
import io.pulse.persistence.TaggedEventBacklog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * This node's metrics, served at {@code GET /metrics} in Prometheus text format by Micrometer's
 * Prometheus registry: ingestion, user entities, journal writes and its circuit breaker, sharding,
 * cluster membership, readiness, read-side lag, re-scoring, webhooks, HTTP connections and answers,
 * and the JVM. Metric names are documented in docs/operations.md.
 */
public final class PulseMetrics {

  private final ActorSystem<?> system;
  private final PrometheusMeterRegistry registry;
  private final EntityMetrics entities;
  private final IngestMetrics ingest;
  private final ShardingGauges sharding;
  private final HttpMetrics http;
  private final ConnectionMetrics connections;
  private final WebhookMetrics webhooks;
  private ReadSideLag readSide;
  private ReadinessGauges readiness;
  private RescoringGauges rescoring;

  private PulseMetrics(ActorSystem<?> system) {
    this.system = system;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
    heapPressure.bindTo(registry);
    system
        .getWhenTerminated()
        .thenRun(
            () -> {
              gc.close();
              heapPressure.close();
            });
    this.entities = new EntityMetrics(registry);
    Gauge.builder(
            "pulse.user.entities.recovering",
            UserRecoveries.get(system),
            UserRecoveries::inProgress)
        .description("Users being loaded from the journal on this node now")
        .register(registry);
    this.ingest = new IngestMetrics(registry);
    this.sharding = new ShardingGauges(system, registry);
    this.http = new HttpMetrics(registry, this::refresh);
    this.connections = new ConnectionMetrics(registry);
    this.webhooks = new WebhookMetrics(registry);
    ClusterGauges.register(system, registry);
    CircuitBreakerGauges.register(JournalCircuitBreaker.get(system), registry);
  }

  /** Metrics of a node, with the JVM binders registered. */
  public static PulseMetrics create(ActorSystem<?> system) {
    return new PulseMetrics(system);
  }

  /** Hand to {@code UserEntity.init}. */
  public UserEntityObserver userEntityObserver() {
    return entities;
  }

  /** Hand to {@code EventRoutes}. */
  public IngestObserver ingestObserver() {
    return ingest;
  }

  /** Hand to the webhook deliveries. */
  public WebhookObserver webhookObserver() {
    return webhooks;
  }

  /** Hand to the {@code ConnectionGate}. */
  public ConnectionObserver connectionObserver() {
    return connections;
  }

  /** Reports the HTTP connections {@code gate} holds open. */
  public PulseMetrics watch(ConnectionGate gate) {
    connections.watch(gate);
    return this;
  }

  /** Reports the events this node holds unacknowledged, and how many it may ({@code limit}). */
  public PulseMetrics watch(EventIngestion ingestion, int limit) {
    Gauge.builder("pulse.ingest.in.flight.events", ingestion, EventIngestion::inFlightEvents)
        .description("Events accepted by this node and not yet acknowledged durable")
        .register(registry);
    Gauge.builder("pulse.ingest.in.flight.events.limit", () -> limit)
        .description(
            "Events this node holds unacknowledged at most before it answers 503"
                + " (pulse.ingest.max-in-flight-events)")
        .register(registry);
    Gauge.builder("pulse.ingest.admission.limit", ingestion, EventIngestion::admissionLimit)
        .description(
            "Events this node admits unacknowledged now: from pulse.ingest.initial-in-flight-events"
                + " up to the limit, as requests are acknowledged within the target latency")
        .register(registry);
    return this;
  }

  /**
   * Reports whether this node is ready, checked before each scrape by {@code checks} (each of
   * {@code HealthRoutes.CHECKS} and whether it passes).
   */
  public PulseMetrics watchReadiness(Supplier<CompletionStage<Map<String, Boolean>>> checks) {
    readiness = new ReadinessGauges(checks, registry);
    return this;
  }

  /**
   * Reports the re-scorings under way of every tenant in {@code tenants}, from the catalog this
   * node holds of each ({@code catalogs}).
   */
  public PulseMetrics watchRescoring(
      Supplier<? extends Collection<String>> tenants,
      Function<String, Optional<ModelCatalogRevision>> catalogs) {
    rescoring = new RescoringGauges(tenants, catalogs, registry);
    return this;
  }

  /** Reports whether the journal database answers, its outages and the writes refused meanwhile. */
  public PulseMetrics watch(JournalAvailability journal) {
    JournalMetrics.register(journal, registry);
    return this;
  }

  /**
   * Measures the read sides' lag against the journal in {@code database}, that of this node's live
   * read of transitions from what {@code transitions} has published.
   */
  public PulseMetrics watchReadSide(LiveTagFeed transitions, DatabaseSettings database) {
    readSide =
        new ReadSideLag(system, transitions::position, new TaggedEventBacklog(database), registry);
    readSide.refresh();
    return this;
  }

  /**
   * {@code GET /metrics}: the operator's, with the {@code metrics:read} scope, or open to scrapers
   * inside the cluster network when {@code requireKey} is off.
   */
  public Endpoint endpoint(boolean requireKey) {
    Endpoint.Handler handler = call -> http.scrape();
    return requireKey
        ? Endpoint.operator("GET", "/metrics", Scope.METRICS_READ, handler)
        : Endpoint.open("GET", "/metrics", handler);
  }

  /** {@code api} with every answer counted by status. */
  public Route counting(Route api) {
    return http.counting(api);
  }

  private CompletableFuture<Void> refresh() {
    List<CompletableFuture<Void>> refreshed = new ArrayList<>();
    refreshed.add(sharding.refresh().toCompletableFuture());
    if (readSide != null) {
      refreshed.add(readSide.refresh().toCompletableFuture());
    }
    if (readiness != null) {
      refreshed.add(readiness.refresh().toCompletableFuture());
    }
    if (rescoring != null) {
      rescoring.refresh();
    }
    return CompletableFuture.allOf(refreshed.toArray(CompletableFuture[]::new));
  }
}
