package io.pulse.api.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.api.http.IngestObserver;
import io.pulse.engine.ingest.EventIngestion;
import io.pulse.engine.user.UserEntityObserver;
import io.pulse.persistence.DatabaseSettings;
import io.pulse.persistence.TaggedEventBacklog;
import io.pulse.persistence.TaggedEventFeed;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * This node's metrics, served at {@code GET /metrics} in Prometheus text format by Micrometer's
 * Prometheus registry: ingestion, user entities, journal writes, sharding, read-side lag, HTTP
 * answers, and the JVM. Metric names are documented in docs/operations.md.
 */
public final class PulseMetrics {

  private final ActorSystem<?> system;
  private final PrometheusMeterRegistry registry;
  private final EntityMetrics entities;
  private final IngestMetrics ingest;
  private final ShardingGauges sharding;
  private ReadSideLag readSide;

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
    this.ingest = new IngestMetrics(registry);
    this.sharding = new ShardingGauges(system, registry);
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

  /** Reports the events this node holds unacknowledged. */
  public PulseMetrics watch(EventIngestion ingestion) {
    io.micrometer.core.instrument.Gauge.builder(
            "pulse.ingest.in.flight.events", ingestion, EventIngestion::inFlightEvents)
        .description("Events accepted by this node and not yet acknowledged durable")
        .register(registry);
    return this;
  }

  /** Measures the transition read side's lag against the journal in {@code database}. */
  public PulseMetrics watchReadSide(TaggedEventFeed feed, DatabaseSettings database) {
    readSide = new ReadSideLag(system, feed, new TaggedEventBacklog(database), registry);
    readSide.refresh();
    return this;
  }

  /** {@code GET /metrics} in front of {@code api}, and every answer counted by status. */
  public Route routes(Route api) {
    return new HttpMetrics(registry, this::refresh).routes(api);
  }

  private CompletableFuture<Void> refresh() {
    CompletableFuture<Void> shards = sharding.refresh().toCompletableFuture();
    return readSide == null
        ? shards
        : CompletableFuture.allOf(shards, readSide.refresh().toCompletableFuture());
  }
}
