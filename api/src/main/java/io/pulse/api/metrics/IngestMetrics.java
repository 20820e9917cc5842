package io.pulse.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pulse.api.http.IngestObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Events received over HTTP by this node, and how long each ingest request took. */
final class IngestMetrics implements IngestObserver {

  private final Counter ingested;
  private final Counter duplicated;
  private final Counter rejected;
  private final MeterRegistry registry;

  IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    ingested =
        Counter.builder("pulse.events.ingested")
            .description("Events acknowledged durable (202) by this node")
            .register(registry);
    duplicated =
        Counter.builder("pulse.events.duplicated")
            .description("Events answered as duplicates of earlier events by this node")
            .register(registry);
    rejected =
        Counter.builder("pulse.events.rejected")
            .description("Invalid events refused by this node")
            .register(registry);
    latency("202");
  }

  @Override
  public void counted(int accepted, int duplicates, int rejected) {
    ingested.increment(accepted);
    duplicated.increment(duplicates);
    this.rejected.increment(rejected);
  }

  @Override
  public void answered(int status, long nanos) {
    latency(Integer.toString(status)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Per status, so that fast refusals (400, 503) do not hide the latency of real ingestion. */
  private Timer latency(String status) {
    return Timer.builder("pulse.ingest.latency")
        .description("From an ingest request's body arriving to its answer")
        .tag("status", status)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }
}
